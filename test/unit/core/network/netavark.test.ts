import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PodbayError } from '../../../../shared/errors.ts';
import { hasCode } from '../../../../shared/errors.ts';
import type { Exec } from '../../../../main/core/exec.ts';
import { addressesOf, Netavark, NetavarkFailure, networkChainHash, onlyMissingVeth } from '../../../../main/core/network/netavark.ts';
import type { NetavarkNetworkOptions } from '../../../../main/core/network/netavark.ts';
import { defaultNetworkConfig } from '../../../../main/core/network/network-config.ts';

const options: NetavarkNetworkOptions = {
  container_id: 'c'.repeat(64),
  container_name: 'web',
  networks: { podbay: { interface_name: 'eth0', static_ips: ['10.88.0.2'] } },
  network_info: { podbay: defaultNetworkConfig('10.88.0.0/16', 'podbay0', 'podbay', new Date(0)) },
  port_mappings: [{ host_ip: '', container_port: 80, host_port: 8080, range: 1, protocol: 'tcp' }],
};

describe('Netavark', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-netavark-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function driver(exec: Exec) {
    return new Netavark({ configDir: join(dir, 'networks'), exec });
  }

  it('runs setup exactly as podman does, options on stdin, and returns the parsed status', async () => {
    const seen: { file: string; args: readonly string[]; input?: string }[] = [];
    const status = { podbay: { interfaces: { eth0: { mac_address: '02:00:00:00:00:01', subnets: [{ ipnet: '10.88.0.2/16', gateway: '10.88.0.1' }] } } } };
    const exec: Exec = async (file, args, o) => {
      seen.push({ file, args, input: o?.input });
      return { exitCode: 0, stdout: JSON.stringify(status), stderr: '' };
    };
    const result = await driver(exec).setup('/run/podbay/netns/netns-x', options);
    expect(seen[0]?.file).toBe('/usr/lib/podman/netavark');
    expect(seen[0]?.args).toEqual(['--config', join(dir, 'networks'), '--rootless=false', '--aardvark-binary', '/usr/lib/podman/aardvark-dns', 'setup', '/run/podbay/netns/netns-x']);
    expect(JSON.parse(seen[0]?.input ?? '')).toEqual(options);
    expect(result).toEqual(status);
    expect(addressesOf(result)).toEqual({ podbay: ['10.88.0.2/16'] });
  });

  it('turns netavark\'s {"error"} into ErrInternal with the exit code, stdout and stderr kept on the cause', async () => {
    const exec: Exec = async () => ({ exitCode: 1, stdout: '{"error":"IO error: bridge busy"}', stderr: '[WARN] log line' });
    const error = await driver(exec).teardown('/ns', options).catch((e: unknown) => e);
    expect(hasCode(error, 'ErrInternal')).toBe(true);
    expect((error as Error).message).toContain('IO error: bridge busy');
    const cause = (error as PodbayError).cause as NetavarkFailure;
    expect(cause).toBeInstanceOf(NetavarkFailure);
    expect([cause.command, cause.exitCode, cause.stderr]).toEqual(['teardown', 1, '[WARN] log line']);
  });

  it('falls back to the last stderr line when stdout is not JSON', async () => {
    const exec: Exec = async () => ({ exitCode: 2, stdout: '', stderr: 'first\nthe real reason' });
    const error = await driver(exec).setup('/ns', options).catch((e: unknown) => e);
    expect((error as Error).message).toContain('the real reason');
  });

  it('reports a setup that printed no status as ErrInternal', async () => {
    const exec: Exec = async () => ({ exitCode: 0, stdout: 'not json', stderr: '' });
    expect(hasCode(await driver(exec).setup('/ns', options).catch((e: unknown) => e), 'ErrInternal')).toBe(true);
  });

  it('says how to install netavark when the binary is missing', async () => {
    const exec: Exec = async () => {
      throw new Error('running netavark: spawn ENOENT', { cause: Object.assign(new Error('spawn ENOENT'), { code: 'ENOENT' }) });
    };
    const error = await driver(exec).setup('/ns', options).catch((e: unknown) => e);
    expect((error as Error).message).toContain('apt-get install netavark');
  });

  it('maps an abort to ErrCanceled', async () => {
    const controller = new AbortController();
    const exec: Exec = async () => {
      controller.abort();
      throw new Error('aborted');
    };
    const error = await driver(exec).setup('/ns', options, { signal: controller.signal }).catch((e: unknown) => e);
    expect(hasCode(error, 'ErrCanceled')).toBe(true);
  });

  it('tells a teardown that only missed the veth from one that failed otherwise', async () => {
    const failWith = (message: string) => driver(async () => ({ exitCode: 1, stdout: JSON.stringify({ error: message }), stderr: '' })).teardown('/ns', options).catch((e: unknown) => e);
    const veth = 'failed to delete container veth eth0: Netlink error: No such device (os error 19)';
    expect(onlyMissingVeth(await failWith(veth))).toBe(true);
    expect(onlyMissingVeth(await failWith(`netavark encountered multiple errors:\n\t- ${veth}\n\t- ${veth.replace('eth0', 'eth1')}`))).toBe(true);
    expect(onlyMissingVeth(await failWith(`netavark encountered multiple errors:\n\t- ${veth}\n\t- iptables: Bad rule`))).toBe(false);
    expect(onlyMissingVeth(await failWith('IO error: permission denied'))).toBe(false);
    expect(onlyMissingVeth(new Error('plain'))).toBe(false);
  });

  it('names chains as netavark 1.4 does (sha512 of the network name, 13 upper-case hex digits)', () => {
    expect(networkChainHash('pbt1')).toBe('4C611422FECD3');
  });
});
