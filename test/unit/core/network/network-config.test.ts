import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import type { ErrorCode } from '../../../../shared/errors.ts';
import { parseCidr } from '../../../../main/core/network/ip-address.ts';
import {
  defaultNetworkConfig,
  NetworkFileStore,
  normalizeSubnets,
  parseNetworkFile,
  readHostRoutes,
  validateNetworkConfig,
  validateNetworkName,
} from '../../../../main/core/network/network-config.ts';
import type { NetworkConfig } from '../../../../main/core/network/network-config.ts';

function codeOf(fn: () => unknown): ErrorCode | 'no error' | 'other' {
  try {
    fn();
    return 'no error';
  } catch (error) {
    for (const code of ['ErrInvalidArg', 'ErrNetworkExists', 'ErrStoreCorrupt'] as const) if (hasCode(error, code)) return code;
    return 'other';
  }
}

function network(overrides: Partial<NetworkConfig> = {}): NetworkConfig {
  return {
    name: 'net1',
    id: 'a'.repeat(64),
    driver: 'bridge',
    network_interface: 'podbay1',
    created: '2026-01-01T00:00:00.000Z',
    subnets: [{ subnet: '10.89.0.0/24', gateway: '10.89.0.1' }],
    ipv6_enabled: false,
    internal: false,
    dns_enabled: false,
    ipam_options: { driver: 'host-local' },
    ...overrides,
  };
}

describe('network names', () => {
  it.each(['podbay', 'a', 'my-net.2_x', '0net'])('accepts %j', (name) => {
    expect(codeOf(() => validateNetworkName(name))).toBe('no error');
  });
  it.each(['', '-net', '.hidden', '..', 'a/b', 'a b', 'net!', '_x'])('refuses %j with ErrInvalidArg', (name) => {
    expect(codeOf(() => validateNetworkName(name))).toBe('ErrInvalidArg');
  });
});

describe('validateNetworkConfig', () => {
  it('accepts the default network and a well-formed one', () => {
    expect(codeOf(() => validateNetworkConfig(defaultNetworkConfig('10.89.0.0/24', 'podbay0'), []))).toBe('no error');
    expect(codeOf(() => validateNetworkConfig(network(), [defaultNetworkConfig('10.88.0.0/16', 'podbay0')]))).toBe('no error');
  });

  it('gives the default network podman-style identity: id = sha256(name), gateway the first host, no DNS', () => {
    const d = defaultNetworkConfig('10.89.0.0/24', 'podbay0');
    expect([d.name, d.network_interface, d.subnets[0]?.subnet, d.subnets[0]?.gateway, d.dns_enabled]).toEqual(['podbay', 'podbay0', '10.89.0.0/24', '10.89.0.1', false]);
    expect(d.id).toBe(createHash('sha256').update('podbay').digest('hex'));
    const other = defaultNetworkConfig('10.89.7.0/24', 'pbit0', 'podbay-it');
    expect([other.name, other.network_interface, other.id]).toEqual(['podbay-it', 'pbit0', createHash('sha256').update('podbay-it').digest('hex')]);
  });

  it.each<[string, Partial<NetworkConfig>]>([
    ['a bad CIDR', { subnets: [{ subnet: '10.89.0.0/33' }] }],
    ['a gateway outside the subnet', { subnets: [{ subnet: '10.89.0.0/24', gateway: '10.90.0.1' }] }],
    ['the network address as gateway', { subnets: [{ subnet: '10.89.0.0/24', gateway: '10.89.0.0' }] }],
    ['the broadcast address as gateway', { subnets: [{ subnet: '10.89.0.0/24', gateway: '10.89.0.255' }] }],
    ['a gateway that is no address', { subnets: [{ subnet: '10.89.0.0/24', gateway: 'gw' }] }],
    ['no gateway on a routed network', { subnets: [{ subnet: '10.89.0.0/24' }] }],
    ['no subnet', { subnets: [] }],
    ['overlapping subnets of its own', { subnets: [{ subnet: '10.89.0.0/16', gateway: '10.89.0.1' }, { subnet: '10.89.3.0/24', gateway: '10.89.3.1' }] }],
    ['a subnet with no room for a container', { subnets: [{ subnet: '10.89.0.1/32', gateway: '10.89.0.1' }] }],
    ['ipv6_enabled without an IPv6 subnet', { ipv6_enabled: true }],
    ['an IPv6 subnet without ipv6_enabled', { subnets: [{ subnet: 'fd00::/64', gateway: 'fd00::1' }] }],
    ['an unknown driver', { driver: 'macvlan' as 'bridge' }],
    ['a bridge name longer than IFNAMSIZ', { network_interface: 'podbay-much-too-long' }],
    ['an id that is not 64 hex digits', { id: 'abc' }],
    ['an unknown bridge option', { options: { frobnicate: '1' } }],
    ['a bad mtu', { options: { mtu: 'big' } }],
    ['a bad isolate', { options: { isolate: 'maybe' } }],
  ])('refuses %s with ErrInvalidArg', (_what, overrides) => {
    expect(codeOf(() => validateNetworkConfig(network(overrides), []))).toBe('ErrInvalidArg');
  });

  it('allows an internal network without DNS to have no gateway, and a /30 with one free address', () => {
    expect(codeOf(() => validateNetworkConfig(network({ internal: true, subnets: [{ subnet: '10.89.0.0/24' }] }), []))).toBe('no error');
    expect(codeOf(() => validateNetworkConfig(network({ subnets: [{ subnet: '10.89.0.0/30', gateway: '10.89.0.1' }] }), []))).toBe('no error');
  });

  it('accepts dual stack with ipv6_enabled', () => {
    const dual = network({ ipv6_enabled: true, subnets: [{ subnet: '10.89.0.0/24', gateway: '10.89.0.1' }, { subnet: 'fd00:1::/64', gateway: 'fd00:1::1' }] });
    expect(codeOf(() => validateNetworkConfig(dual, []))).toBe('no error');
  });

  it('refuses a subnet that overlaps another network (ErrInvalidArg) and a taken bridge or id (ErrNetworkExists)', () => {
    const other = network({ name: 'other', id: 'b'.repeat(64), network_interface: 'podbay2', subnets: [{ subnet: '10.89.0.128/25', gateway: '10.89.0.129' }] });
    expect(codeOf(() => validateNetworkConfig(network(), [other]))).toBe('ErrInvalidArg');
    const sameBridge = network({ name: 'other', id: 'b'.repeat(64), network_interface: 'podbay1', subnets: [{ subnet: '10.90.0.0/24', gateway: '10.90.0.1' }] });
    expect(codeOf(() => validateNetworkConfig(network(), [sameBridge]))).toBe('ErrNetworkExists');
    const sameId = network({ name: 'other', network_interface: 'podbay2', subnets: [{ subnet: '10.90.0.0/24', gateway: '10.90.0.1' }] });
    expect(codeOf(() => validateNetworkConfig(network(), [sameId]))).toBe('ErrNetworkExists');
  });

  it('refuses a subnet the host already routes', () => {
    expect(codeOf(() => validateNetworkConfig(network(), [], [parseCidr('10.89.0.0/16')!]))).toBe('ErrInvalidArg');
    expect(codeOf(() => validateNetworkConfig(network(), [], [parseCidr('192.168.1.0/24')!]))).toBe('no error');
  });
});

describe('normalizeSubnets', () => {
  it('clears host bits and picks the first host as gateway when one is needed', () => {
    expect(normalizeSubnets('n', [{ subnet: '10.89.7.9/24' }], true)).toEqual([{ subnet: '10.89.7.0/24', gateway: '10.89.7.1' }]);
    expect(normalizeSubnets('n', [{ subnet: '10.89.7.0/24' }], false)).toEqual([{ subnet: '10.89.7.0/24' }]);
    expect(normalizeSubnets('n', [{ subnet: 'FD00::/64', gateway: 'FD00::1' }], true)).toEqual([{ subnet: 'fd00::/64', gateway: 'fd00::1' }]);
  });
});

describe('NetworkFileStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-netfiles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <name>.json in netavark format atomically and reads it back', () => {
    const store = new NetworkFileStore(join(dir, 'networks'));
    store.write(network());
    expect(readdirSync(join(dir, 'networks'))).toEqual(['net1.json']);
    const onDisk = JSON.parse(readFileSync(join(dir, 'networks', 'net1.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(onDisk).sort()).toEqual(['created', 'dns_enabled', 'driver', 'id', 'internal', 'ipam_options', 'ipv6_enabled', 'name', 'network_interface', 'subnets'].sort());
    expect(store.readAll()).toEqual({ networks: [network()], problems: [] });
    store.write({ ...network(), internal: true });
    expect(store.readAll().networks[0]?.internal).toBe(true);
    store.remove('net1');
    expect(store.readAll().networks).toEqual([]);
  });

  it('reports unreadable files and files whose name does not match, and ignores temp files', () => {
    const networks = join(dir, 'networks');
    mkdirSync(networks);
    writeFileSync(join(networks, 'broken.json'), '{');
    writeFileSync(join(networks, 'wrong.json'), JSON.stringify(network()));
    writeFileSync(join(networks, 'net1.json.123.abcd.tmp'), '{');
    const { networks: found, problems } = new NetworkFileStore(networks).readAll();
    expect(found).toEqual([]);
    expect(problems).toHaveLength(2);
  });

  it('refuses a path-like name before touching the disk', () => {
    expect(codeOf(() => new NetworkFileStore(dir).fileOf('../etc'))).toBe('ErrInvalidArg');
  });

  it('parseNetworkFile refuses what is not a bridge network with ErrStoreCorrupt', () => {
    expect(codeOf(() => parseNetworkFile('[]', 'f'))).toBe('ErrStoreCorrupt');
    expect(codeOf(() => parseNetworkFile('{"name":"x"}', 'f'))).toBe('ErrStoreCorrupt');
    expect(codeOf(() => parseNetworkFile(JSON.stringify(network()), 'f'))).toBe('no error');
  });
});

describe('readHostRoutes', () => {
  it('reads IPv4 and IPv6 routes from /proc/net files, skipping default, link-local and loopback routes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-proc-'));
    try {
      writeFileSync(
        join(dir, 'route'),
        [
          'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
          'eth0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
          'eth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
          'podman0\t0000580A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'ipv6_route'),
        [
          'fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001  podbay1',
          'fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0',
          '00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000001 00000000 00200001       lo',
        ].join('\n'),
      );
      const routes = readHostRoutes(dir).map((r) => `${r.family}:${r.prefix}`);
      expect(routes).toEqual(['4:24', '4:16', '6:64']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
