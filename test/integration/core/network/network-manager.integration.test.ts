// Real netavark, real namespaces, real iptables (root on Debian 12). Each test creates its own
// network in 10.89.0.0/16 under a temporary graph/run root and checks what lands on the host.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { parseCidr, parseIp, netContains } from '../../../../main/core/network/ip-address.ts';
import { NetworkManager } from '../../../../main/core/network/network-manager.ts';
import type { NetworkConfig } from '../../../../main/core/network/network-config.ts';
import { parsePublish } from '../../../../main/core/network/port-mappings.ts';
import {
  addressesIn,
  containerId,
  eventually,
  firewallRules,
  inNetns,
  leftovers,
  linkNames,
  networkHostProblems,
  ping,
  readFrom,
  startListener,
} from '../../../helpers/network-host.ts';

const problems = networkHostProblems();
if (problems.length) console.warn(`network integration tests skipped: ${problems.join('; ')}`);

describe.skipIf(problems.length > 0)('NetworkManager on the real host', () => {
  let dir: string;
  let manager: NetworkManager;
  const networks: NetworkConfig[] = [];
  const started: string[] = [];
  let linksBefore: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-net-'));
    manager = new NetworkManager({ graphRoot: join(dir, 'graph'), runRoot: join(dir, 'run') });
    linksBefore = linkNames();
  });

  afterEach(async () => {
    // A failed test must not leave its network up for the next one (or for the host).
    for (const id of started.splice(0)) await manager.teardown(id).catch(() => undefined);
    for (const n of networks.splice(0)) await manager.remove(n.name, { force: true }).catch(() => undefined);
  });

  afterAll(async () => {
    if (!manager) return;
    await manager.cleanupStale({ isLive: () => false }).catch(() => undefined);
    await manager.netns.unmountDir().catch(() => undefined);
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function newNetwork(options: Parameters<NetworkManager['create']>[0] = {}): NetworkConfig {
    const network = manager.create(options);
    networks.push(network);
    return network;
  }

  async function startContainer(network: NetworkConfig, name: string, ports: string[] = []) {
    const ctr = { id: containerId(), name };
    await manager.connect(ctr, network.name);
    started.push(ctr.id);
    const report = await manager.setup(ctr, { portMappings: ports.flatMap((p) => parsePublish(p)) });
    return { ctr, report };
  }

  it('gives the namespace an address in the subnet, reaches the gateway, publishes a port on 127.0.0.1, and teardown leaves nothing', async () => {
    const network = newNetwork();
    const subnet = network.subnets[0]?.subnet ?? '';
    const gateway = network.subnets[0]?.gateway ?? '';
    expect(subnet).toMatch(/^10\.(8[9]|9\d|1\d\d|2[0-5]\d)\.\d+\.0\/24$/);

    const { ctr, report } = await startContainer(network, 'web', ['127.0.0.1::8080']);
    const reported = report.status[network.name]?.interfaces?.eth0?.subnets?.[0]?.ipnet ?? '';
    const inside = addressesIn(report.netnsPath);
    expect(inside).toEqual([reported]);
    const ip = parseIp(reported.split('/')[0] ?? '');
    expect(ip && netContains(parseCidr(subnet)!, ip)).toBe(true);
    expect(manager.ipam.allocationsOf(ctr.id).map((a) => a.address)).toEqual([reported.split('/')[0]]);
    expect(ping(report.netnsPath, gateway)).toBe(true);

    const hostPort = report.portMappings[0]?.host_port ?? 0;
    expect(hostPort).toBeGreaterThan(0);
    const listener = await startListener(report.netnsPath, 8080, 'hello from the namespace');
    try {
      expect(await readFrom('127.0.0.1', hostPort)).toBe('hello from the namespace');
    } finally {
      listener.stop();
    }
    expect(firewallRules()).toContain(ctr.id);

    await manager.teardown(ctr.id);
    started.splice(started.indexOf(ctr.id), 1);
    expect(manager.netns.isMounted(report.netnsPath)).toBe(false);
    expect(leftovers(manager, network, [ctr.id], linksBefore)).toEqual([]);
  });

  it('publishes a port range: each host port reaches its own container port', async () => {
    const network = newNetwork();
    const { ctr, report } = await startContainer(network, 'ranged', ['127.0.0.1::8080-8081']);
    const mapping = report.portMappings[0];
    expect(mapping?.range).toBe(2);
    const listeners = [await startListener(report.netnsPath, 8080, 'first'), await startListener(report.netnsPath, 8081, 'second')];
    try {
      expect(await readFrom('127.0.0.1', mapping?.host_port ?? 0)).toBe('first');
      expect(await readFrom('127.0.0.1', (mapping?.host_port ?? 0) + 1)).toBe('second');
    } finally {
      for (const l of listeners) l.stop();
    }
    await manager.teardown(ctr.id);
    started.length = 0;
    expect(leftovers(manager, network, [ctr.id], linksBefore)).toEqual([]);
  });

  it('keepBridge teardown: the port stops answering and the container\'s rules go at once, its veth shortly, the bridge at the sweep', async () => {
    const network = newNetwork();
    const { ctr, report } = await startContainer(network, 'quick', ['127.0.0.1::8080']);
    const hostPort = report.portMappings[0]?.host_port ?? 0;
    const listener = await startListener(report.netnsPath, 8080, 'up');
    try {
      expect(await readFrom('127.0.0.1', hostPort)).toBe('up');
      const veths = linkNames().filter((l) => l.startsWith('veth') && !linksBefore.includes(l));
      expect(veths).toHaveLength(1);
      await manager.teardown(ctr.id, { keepBridge: true });
      started.splice(started.indexOf(ctr.id), 1);
      expect(firewallRules()).not.toContain(ctr.id);
      expect(await readFrom('127.0.0.1', hostPort, 1_000).catch(() => 'refused')).toBe('refused');
      // The namespace lives while a process is in it (the container's has exited by teardown time).
      listener.stop();
      expect(await eventually(() => !linkNames().includes(veths[0] ?? ''))).toBe(true);
    } finally {
      listener.stop();
    }
    expect(linkNames()).toContain(network.network_interface);
    expect(manager.netns.list()).toEqual([]);
    expect(await manager.sweepIdleBridges()).toEqual({ bridgesRemoved: [network.network_interface], problems: [] });
    expect(leftovers(manager, network, [ctr.id], linksBefore)).toEqual([]);
  });

  it('gives two namespaces on one network distinct addresses that reach each other', async () => {
    const network = newNetwork();
    const a = await startContainer(network, 'a');
    const b = await startContainer(network, 'b');
    const [addrA] = addressesIn(a.report.netnsPath);
    const [addrB] = addressesIn(b.report.netnsPath);
    expect(addrA).toBeDefined();
    expect(addrA).not.toBe(addrB);
    expect(ping(a.report.netnsPath, addrB?.split('/')[0] ?? '')).toBe(true);
    expect(ping(b.report.netnsPath, addrA?.split('/')[0] ?? '')).toBe(true);

    // The first one leaving keeps the bridge for the other; the last one takes it away.
    await manager.teardown(a.ctr.id);
    expect(linkNames()).toContain(network.network_interface);
    expect(ping(b.report.netnsPath, network.subnets[0]?.gateway ?? '')).toBe(true);
    await manager.teardown(b.ctr.id);
    started.length = 0;
    expect(leftovers(manager, network, [a.ctr.id, b.ctr.id], linksBefore)).toEqual([]);
  });

  it('leaves no port-forwarding chain when a container with ports leaves before one without', async () => {
    const network = newNetwork();
    const withPorts = await startContainer(network, 'ports', ['127.0.0.1::7000']);
    const without = await startContainer(network, 'plain');
    await manager.teardown(withPorts.ctr.id);
    await manager.teardown(without.ctr.id);
    started.length = 0;
    expect(leftovers(manager, network, [withPorts.ctr.id, without.ctr.id], linksBefore)).toEqual([]);
  });

  it('resolves container names through aardvark-dns on a network with DNS', async () => {
    const network = newNetwork({ dnsEnabled: true });
    const gateway = network.subnets[0]?.gateway ?? '';
    const a = await startContainer(network, 'alpha');
    const b = await startContainer(network, 'bravo');
    expect(a.report.status[network.name]?.dns_server_ips).toEqual([gateway]);
    const [addrB] = addressesIn(b.report.netnsPath);
    let answer = '';
    // aardvark-dns starts in the background; give it a moment to bind.
    for (let i = 0; i < 20 && !answer.includes(addrB?.split('/')[0] ?? '-'); i++) {
      answer = inNetns(a.report.netnsPath, ['busybox', 'nslookup', 'bravo', gateway]).stdout;
      if (!answer.includes(addrB?.split('/')[0] ?? '-')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer).toContain(addrB?.split('/')[0]);
    await manager.teardown(a.ctr.id);
    await manager.teardown(b.ctr.id);
    started.length = 0;
    expect(leftovers(manager, network, [a.ctr.id, b.ctr.id], linksBefore)).toEqual([]);
  });

  it('refuses a host port that something on the host listens on, and leaves nothing half-made', async () => {
    const network = newNetwork();
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const ctr = { id: containerId(), name: 'clash' };
    await manager.connect(ctr, network.name);
    try {
      const error = await manager.setup(ctr, { portMappings: parsePublish(`127.0.0.1:${port}:80`) }).catch((e: unknown) => e);
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    } finally {
      server.close();
    }
    expect(leftovers(manager, network, [ctr.id], linksBefore)).toEqual([]);
  });

  it('refuses a host port another container of ours already publishes', async () => {
    const network = newNetwork();
    const first = await startContainer(network, 'first', ['127.0.0.1::80']);
    const port = first.report.portMappings[0]?.host_port;
    const ctr = { id: containerId(), name: 'second' };
    await manager.connect(ctr, network.name);
    const error = await manager.setup(ctr, { portMappings: parsePublish(`${port}:80`) }).catch((e: unknown) => e);
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect(manager.attachmentOf(ctr.id)).toBeNull();
  });

  it('cleans up after a crash: a new process tears down what the dead one left, bridge and rules included', async () => {
    const network = newNetwork();
    const { ctr, report } = await startContainer(network, 'crashed', ['127.0.0.1::9000']);
    started.length = 0;
    // "Crash": the process is gone, a new one opens the same roots and knows the container is dead.
    const next = new NetworkManager({ graphRoot: join(dir, 'graph'), runRoot: join(dir, 'run') });
    try {
      const result = await next.cleanupStale({ isLive: () => false });
      expect(result.problems).toEqual([]);
      expect(result.tornDown).toEqual([ctr.id]);
      expect(next.netns.isMounted(report.netnsPath)).toBe(false);
      expect(leftovers(next, network, [ctr.id], linksBefore)).toEqual([]);
    } finally {
      next.close();
    }
  });

  it('cleans up when the namespace itself was lost: firewall rules, bridge and addresses still go', async () => {
    const network = newNetwork();
    const { ctr, report } = await startContainer(network, 'orphan', ['127.0.0.1::9001']);
    started.length = 0;
    // The namespace is unmounted behind our back: its veth dies with it, the rules and bridge stay.
    await manager.netns.remove(report.netnsPath);
    expect(firewallRules()).toContain(ctr.id);
    const result = await manager.cleanupStale({ isLive: () => false });
    expect(result.problems).toEqual([]);
    expect(result.bridgesRemoved).toEqual([network.network_interface]);
    expect(leftovers(manager, network, [ctr.id], linksBefore)).toEqual([]);
  });

  it('connects a running container to a second network and disconnects it again', async () => {
    const one = newNetwork();
    const two = newNetwork();
    const { ctr, report } = await startContainer(one, 'multi');
    await manager.connect(ctr, two.name);
    const eth1 = addressesIn(report.netnsPath, 'eth1');
    expect(eth1).toHaveLength(1);
    expect(netContains(parseCidr(two.subnets[0]?.subnet ?? '')!, parseIp(eth1[0]?.split('/')[0] ?? '')!)).toBe(true);
    expect(ping(report.netnsPath, two.subnets[0]?.gateway ?? '')).toBe(true);
    await manager.disconnect(ctr.id, two.name);
    expect(addressesIn(report.netnsPath, 'eth1')).toEqual([]);
    expect(linkNames()).not.toContain(two.network_interface);
    expect(manager.inspect(two.name).containers).toEqual({});
  });

  it('refuses to remove a network in use unless forced, and force tears the container down', async () => {
    const network = newNetwork();
    const { ctr } = await startContainer(network, 'user');
    const error = await manager.remove(network.name).catch((e: unknown) => e);
    expect(hasCode(error, 'ErrNetworkInUse')).toBe(true);
    const report = await manager.remove(network.name, { force: true });
    expect(report.containers).toEqual([ctr.id]);
    expect(manager.exists(network.name)).toBe(false);
    expect(linkNames()).not.toContain(network.network_interface);
    networks.length = 0;
    await manager.teardown(ctr.id);
    started.length = 0;
    expect(leftovers(manager, network, [ctr.id], linksBefore)).toEqual([]);
  });
});
