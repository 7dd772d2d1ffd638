// The network commands and `run -p` of the built CLI, each its own process as a user runs them, with
// real netavark, iptables and crun: podman's output, JSON and exit codes; a published port answering
// on 127.0.0.1; a pod publishing on its infra container; live connect and disconnect.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podbay } from '../../helpers/cli.ts';
import { httpGet, networkHostProblems } from '../../helpers/network-host.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';
import { releaseStoreNetworks } from '../../helpers/store-networks.ts';


const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? (networkHostProblems().join('; ') || null);

describe.skipIf(skip !== null)(`podbay network commands and run -p${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let rootfs: string;
  let globals: string[];
  const cli = (...args: string[]) => podbay([...globals, ...args]);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-cli-net-'));
    rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    writeFileSync(join(rootfs, 'index.html'), 'served by busybox\n');
    globals = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')];
  });
  afterAll(async () => {
    const pods = cli('pod', 'ps', '-q').stdout.split('\n').filter(Boolean);
    if (pods.length) cli('pod', 'rm', '-f', ...pods);
    cli('rm', '-f', '-t', '0', '-a');
    await sleep(500); // exit commands of the last containers
    releaseStoreNetworks(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  });

  it('creates, lists, inspects, checks and removes networks as podman does', () => {
    const created = cli('network', 'create', '--subnet', '10.89.220.0/24', '--gateway', '10.89.220.254', '--label', 'team=a', '--internal', 'cli-back');
    expect(created).toMatchObject({ code: 0, stdout: 'cli-back\n' });
    expect(cli('network', 'create', '--disable-dns', '--subnet', '10.89.221.0/24', 'cli-plain').code).toBe(0);

    const table = cli('network', 'ls');
    expect(table.stdout.split('\n')[0]).toMatch(/^NETWORK ID\s+NAME\s+DRIVER$/);
    expect(table.stdout).toMatch(/[0-9a-f]{12}\s+cli-back\s+bridge/);
    // The default network is always there (the integration tests' own, vitest.config.ts).
    expect(cli('network', 'ls', '-q').stdout.split('\n').filter(Boolean).sort()).toEqual(['cli-back', 'cli-plain', 'podbay-it']);
    expect(cli('network', 'ls', '-q', '--filter', 'label=team=a').stdout).toBe('cli-back\n');

    const listed = JSON.parse(cli('network', 'ls', '--format', 'json').stdout) as { name: string; subnets: unknown; internal: boolean; dns_enabled: boolean; labels?: unknown }[];
    expect(listed.find((n) => n.name === 'cli-back')).toMatchObject({ subnets: [{ subnet: '10.89.220.0/24', gateway: '10.89.220.254' }], internal: true, dns_enabled: true, labels: { team: 'a' } });
    expect(listed.find((n) => n.name === 'cli-plain')?.dns_enabled).toBe(false);

    const inspected = cli('network', 'inspect', 'cli-back', 'nosuch');
    expect(inspected.code).toBe(125);
    expect(JSON.parse(inspected.stdout)).toMatchObject([{ name: 'cli-back', driver: 'bridge', containers: {} }]);
    expect(inspected.stderr).toContain('Error: network nosuch not found');

    expect(cli('network', 'exists', 'cli-back').code).toBe(0);
    expect(cli('network', 'exists', 'nosuch').code).toBe(1);
    const taken = cli('network', 'create', 'cli-back');
    expect([taken.code, taken.stderr]).toEqual([125, 'Error: network cli-back already exists\n']);
    expect(cli('network', 'create', '--ignore', 'cli-back').stdout).toBe('cli-back\n');
    const overlap = cli('network', 'create', '--subnet', '10.89.220.128/25', 'cli-overlap');
    expect(overlap.code).toBe(125);
    expect(overlap.stderr).toMatch(/^Error: .*overlaps/);
    expect(cli('network', 'rm', 'podbay-it').code).toBe(125);
    expect(cli('network', 'rm', 'nosuch').code).toBe(1);

    expect(cli('network', 'rm', 'cli-plain')).toMatchObject({ code: 0, stdout: 'cli-plain\n' });
    expect(cli('network', 'prune', '-f')).toMatchObject({ code: 0, stdout: 'cli-back\n' });
    expect(cli('network', 'exists', 'cli-back').code).toBe(1);
    const events = cli('events', '--since', '10m', '--stream=false', '--filter', 'type=network', '--format', 'json');
    const actions = events.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Status: string; Name: string });
    expect(actions.map((e) => `${e.Status} ${e.Name}`)).toEqual(['create cli-back', 'create cli-plain', 'remove cli-plain', 'remove cli-back']);
  });

  it('run -p publishes a port that answers on 127.0.0.1, shows it in ps, port and inspect, and a network in use is refused', async () => {
    expect(cli('network', 'create', '--subnet', '10.89.222.0/24', 'cli-web').code).toBe(0);
    const run = cli('run', '-d', '--name', 'web', '--network', 'cli-web:alias=www', '-p', '127.0.0.1::80', '--rootfs', rootfs, 'httpd', '-f', '-p', '80', '-h', '/');
    expect(run.code).toBe(0);
    const port = cli('port', 'web');
    const match = /^80\/tcp -> 127\.0\.0\.1:(\d+)\n$/.exec(port.stdout);
    expect(match).not.toBeNull();
    const hostPort = Number(match?.[1]);
    expect(cli('port', 'web', '80').stdout).toBe(`127.0.0.1:${hostPort}\n`);
    expect(await httpGet(hostPort, '/index.html')).toBe('served by busybox\n');

    const ps = cli('ps');
    expect(ps.stdout.split('\n')[0]).toContain('PORTS');
    expect(ps.stdout).toContain(`127.0.0.1:${hostPort}->80/tcp`);
    const [json] = JSON.parse(cli('ps', '--format', 'json').stdout) as { Ports: unknown; Networks: string[] }[];
    expect(json).toMatchObject({ Ports: [{ host_ip: '127.0.0.1', container_port: 80, host_port: hostPort, range: 1, protocol: 'tcp' }], Networks: ['cli-web'] });
    const [inspect] = JSON.parse(cli('container', 'inspect', 'web').stdout) as { NetworkSettings: { IPAddress: string; Networks: Record<string, { Aliases: string[] }>; Ports: unknown }; HostConfig: { NetworkMode: string } }[];
    expect(inspect?.HostConfig.NetworkMode).toBe('bridge');
    expect(inspect?.NetworkSettings.IPAddress).toMatch(/^10\.89\.222\.\d+$/);
    expect(inspect?.NetworkSettings.Networks['cli-web']?.Aliases).toEqual(['www']);
    expect(inspect?.NetworkSettings.Ports).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(hostPort) }] });

    // Another container resolves it by name and alias through aardvark-dns.
    const probe = cli('run', '--rm', '--network', 'cli-web', '--rootfs', rootfs, 'sh', '-c', 'wget -q -O- http://web/index.html && wget -q -O- http://www/index.html');
    expect(probe).toMatchObject({ code: 0, stdout: 'served by busybox\nserved by busybox\n' });

    const busy = cli('network', 'rm', 'cli-web');
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain('Error: network cli-web is being used by 1 container(s): web');
    const forced = cli('network', 'rm', '-f', '-t', '0', 'cli-web');
    expect(forced).toMatchObject({ code: 0, stdout: 'cli-web\n' });
    expect(cli('ps', '-a', '-q').stdout).toBe('');
    const refused = cli('run', '--rm', '-p', 'nope', '--rootfs', rootfs, 'true');
    expect([refused.code, refused.stderr]).toEqual([125, 'Error: invalid publish spec "nope": container port "nope" is not a number\n']);
  });

  it('connects and disconnects a running container live', () => {
    expect(cli('network', 'create', '--subnet', '10.89.223.0/24', 'cli-extra').code).toBe(0);
    expect(cli('run', '-d', '--name', 'multi', '--rootfs', rootfs, 'sleep', '100').code).toBe(0);
    expect(cli('network', 'connect', '--alias', 'm2', 'cli-extra', 'multi').code).toBe(0);
    const addresses = cli('exec', 'multi', 'ip', '-4', '-o', 'addr');
    expect(addresses.stdout).toMatch(/eth1\s+inet 10\.89\.223\.\d+\/24/);
    const [inspected] = JSON.parse(cli('network', 'inspect', 'cli-extra').stdout) as { containers: Record<string, { name: string }> }[];
    expect(Object.values(inspected?.containers ?? {}).map((c) => c.name)).toEqual(['multi']);
    expect(cli('network', 'connect', 'cli-extra', 'multi').code).toBe(125);
    expect(cli('network', 'disconnect', 'cli-extra', 'multi').code).toBe(0);
    expect(cli('exec', 'multi', 'ip', '-4', '-o', 'addr').stdout).not.toContain('eth1');
    const none = cli('create', '--network', 'none', '--name', 'lonely', '--rootfs', rootfs, 'true');
    expect(none.code).toBe(0);
    expect(cli('network', 'connect', 'cli-extra', 'lonely').code).toBe(125);
    expect(cli('rm', '-f', '-t', '0', 'multi', 'lonely').code).toBe(0);
  });

  it('pod create -p publishes on the infra container and a member serves it', async () => {
    expect(cli('pod', 'create', '--name', 'shop', '-p', '127.0.0.1::8080').code).toBe(0);
    expect(cli('run', '-d', '--pod', 'shop', '--name', 'shop-web', '--rootfs', rootfs, 'httpd', '-f', '-p', '8080', '-h', '/').code).toBe(0);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(cli('port', 'shop-web', '8080').stdout)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await httpGet(port, '/index.html')).toBe('served by busybox\n');
    const [pod] = JSON.parse(cli('pod', 'inspect', 'shop').stdout) as { InfraConfig: { Networks: string[]; PortBindings: Record<string, { HostIp: string; HostPort: string }[]> } }[];
    expect(pod?.InfraConfig).toMatchObject({ Networks: ['podbay-it'], PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } });
    const member = cli('create', '--pod', 'shop', '-p', '9090:90', '--rootfs', rootfs, 'true');
    expect([member.code, member.stderr]).toEqual([125, 'Error: published ports must be defined when the pod is created: the container uses the network namespace of its pod\n']);
    expect(cli('pod', 'rm', '-f', 'shop').code).toBe(0);
  });
});
