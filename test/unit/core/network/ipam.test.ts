import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { Ipam } from '../../../../main/core/network/ipam.ts';
import type { NetworkConfig } from '../../../../main/core/network/network-config.ts';
import { NetworkDb } from '../../../../main/core/network/network-db.ts';

function network(subnet = '10.89.0.0/24', gateway: string | null = '10.89.0.1', name = 'net1'): NetworkConfig {
  return {
    name,
    id: 'a'.repeat(64),
    driver: 'bridge',
    network_interface: 'podbay1',
    created: '2026-01-01T00:00:00.000Z',
    subnets: [gateway === null ? { subnet } : { subnet, gateway }],
    ipv6_enabled: subnet.includes(':'),
    internal: gateway === null,
    dns_enabled: false,
    ipam_options: { driver: 'host-local' },
  };
}

const ctr = (n: number) => n.toString(16).padStart(64, '0');

describe('Ipam', () => {
  let dir: string;
  let db: NetworkDb;
  let ipam: Ipam;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-ipam-'));
    db = NetworkDb.open(join(dir, 'ipam.db'));
    ipam = new Ipam(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands out addresses in order after the gateway, and never the same one twice', () => {
    const net = network();
    expect(ipam.allocate(net, ctr(1)).map((a) => a.address)).toEqual(['10.89.0.2']);
    expect(ipam.allocate(net, ctr(2)).map((a) => a.address)).toEqual(['10.89.0.3']);
    expect(ipam.allocationsIn('net1').map((a) => a.containerId)).toEqual([ctr(1), ctr(2)]);
  });

  it('gives a container the same address again when asked twice (idempotent)', () => {
    const net = network();
    const first = ipam.allocate(net, ctr(1));
    expect(ipam.allocate(net, ctr(1))).toEqual(first);
    expect(ipam.all()).toHaveLength(1);
  });

  it('does not reuse a released address at once (round robin), but does once the range wraps', () => {
    const net = network('10.89.0.0/29'); // hosts .1-.6, gateway .1 → .2-.6
    const a = ipam.allocate(net, ctr(1))[0]?.address;
    ipam.release(ctr(1));
    expect(ipam.allocate(net, ctr(2))[0]?.address).not.toBe(a);
    for (let i = 3; i <= 6; i++) ipam.allocate(net, ctr(i));
    ipam.release(ctr(2));
    expect(ipam.allocate(net, ctr(7)).map((x) => x.address)).toEqual(['10.89.0.3']);
  });

  it('fails with ErrInternal when the subnet is full, and allocates again after a release', () => {
    const net = network('10.89.0.0/30'); // only .2 is left after the gateway
    ipam.allocate(net, ctr(1));
    let error: unknown;
    try {
      ipam.allocate(net, ctr(2));
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInternal')).toBe(true);
    ipam.release(ctr(1));
    expect(ipam.allocate(net, ctr(2)).map((a) => a.address)).toEqual(['10.89.0.2']);
  });

  it('honours static IPs and refuses one held by another container, the gateway, or outside the subnet', () => {
    const net = network();
    expect(ipam.allocate(net, ctr(1), ['10.89.0.50']).map((a) => a.address)).toEqual(['10.89.0.50']);
    for (const bad of ['10.89.0.50', '10.89.0.1', '10.90.0.5', '10.89.0.255', 'nope']) {
      let error: unknown;
      try {
        ipam.allocate(net, ctr(2), [bad]);
      } catch (e) {
        error = e;
      }
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    }
    expect(ipam.allocationsOf(ctr(2))).toEqual([]);
  });

  it('allocates one address per subnet on a dual-stack network', () => {
    const dual: NetworkConfig = { ...network(), ipv6_enabled: true, subnets: [{ subnet: '10.89.0.0/24', gateway: '10.89.0.1' }, { subnet: 'fd00:1::/64', gateway: 'fd00:1::1' }] };
    expect(ipam.allocate(dual, ctr(1)).map((a) => a.address)).toEqual(['10.89.0.2', 'fd00:1::2']);
  });

  it('allocates on an internal network without a gateway from the first host address', () => {
    expect(ipam.allocate(network('10.89.0.0/24', null), ctr(1)).map((a) => a.address)).toEqual(['10.89.0.1']);
  });

  it('garbage-collects the allocations of containers that are gone', () => {
    const net = network();
    ipam.allocate(net, ctr(1));
    ipam.allocate(net, ctr(2));
    expect(ipam.gc((id) => id === ctr(2))).toEqual([ctr(1)]);
    expect(ipam.all().map((a) => a.containerId)).toEqual([ctr(2)]);
  });

  it('keeps its allocations across a reopen, and a second handle on the file sees them at once', () => {
    const net = network();
    ipam.allocate(net, ctr(1));
    const other = NetworkDb.open(join(dir, 'ipam.db'));
    try {
      expect(new Ipam(other).allocate(net, ctr(2)).map((a) => a.address)).toEqual(['10.89.0.3']);
    } finally {
      other.close();
    }
  });

  it('never hands out an address twice across any sequence of allocations and releases', () => {
    const net = network('10.89.0.0/28');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 20 })), { maxLength: 60 }), (steps) => {
        ipam.releaseNetwork('net1');
        const held = new Map<string, string>();
        for (const [allocate, n] of steps) {
          if (allocate) {
            try {
              const [a] = ipam.allocate(net, ctr(n));
              if (a) held.set(ctr(n), a.address);
            } catch (error) {
              // A full subnet is the only acceptable refusal.
              expect(hasCode(error, 'ErrInternal')).toBe(true);
              expect(held.size).toBe(13);
            }
          } else {
            ipam.release(ctr(n));
            held.delete(ctr(n));
          }
          const addresses = ipam.allocationsIn('net1').map((a) => a.address);
          expect(new Set(addresses).size).toBe(addresses.length);
          expect(addresses).not.toContain('10.89.0.1');
          expect(addresses.sort()).toEqual([...held.values()].sort());
        }
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a file that is not a database with ErrStoreCorrupt', () => {
    const path = join(dir, 'garbage.db');
    writeFileSync(path, 'this is not sqlite at all, just text that is long enough to have a header');
    let error: unknown;
    try {
      NetworkDb.open(path).close();
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrStoreCorrupt')).toBe(true);
  });
});
