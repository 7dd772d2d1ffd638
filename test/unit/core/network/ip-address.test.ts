import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { formatIp, formatNet, hostRange, mustParseIp, netContains, netsOverlap, parseCidr, parseIp } from '../../../../main/core/network/ip-address.ts';

describe('parseIp / formatIp', () => {
  it.each([
    ['10.88.0.1', 4, 0x0a580001n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['fd00::1:2', 6, (0xfd00n << 112n) | (1n << 16n) | 2n],
    ['::ffff:10.0.0.1', 6, (0xffffn << 32n) | 0x0a000001n],
  ])('parses %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  it.each(['', '10.0.0', '10.0.0.256', '010.0.0.1', '1.2.3.4.5', '1::2::3', ':::', 'fe80::1%eth0', 'g::1', '1:2:3:4:5:6:7:8:9', ' 10.0.0.1'])(
    'refuses %j',
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );

  it('formats IPv6 as RFC 5952 (longest zero run compressed, lower case)', () => {
    expect(formatIp(parseIp('FD00:0:0:0:0:0:0:1')!)).toBe('fd00::1');
    expect(formatIp(parseIp('1:0:0:2:0:0:0:3')!)).toBe('1:0:0:2::3');
    expect(formatIp(parseIp('1:2:3:4:5:6:7:8')!)).toBe('1:2:3:4:5:6:7:8');
    expect(formatIp(parseIp('1:0:2:3:4:5:6:7')!)).toBe('1:0:2:3:4:5:6:7');
  });

  it('round-trips every address through format and parse', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((value) => ({ family: 4 as const, value })), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((value) => ({ family: 6 as const, value }))), (ip) => {
        expect(parseIp(formatIp(ip))).toEqual(ip);
      }),
    );
  });

  it('mustParseIp throws ErrInvalidArg', () => {
    expect(() => mustParseIp('nope', 'gateway')).toThrow();
    try {
      mustParseIp('nope', 'gateway');
    } catch (error) {
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    }
  });
});

describe('parseCidr', () => {
  it('clears host bits in the network and keeps the written address', () => {
    const net = parseCidr('10.88.1.7/16')!;
    expect(formatNet(net)).toBe('10.88.0.0/16');
    expect(formatIp({ family: 4, value: net.address })).toBe('10.88.1.7');
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/08', 'fd00::/129', 'x/8', '10.0.0.0/'])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeNull();
  });

  it('computes the allocatable range: IPv4 skips network and broadcast, /31 and /32 do not', () => {
    const r = hostRange(parseCidr('10.89.0.0/24')!);
    expect([formatIp({ family: 4, value: r.first }), formatIp({ family: 4, value: r.last })]).toEqual(['10.89.0.1', '10.89.0.254']);
    const p2p = hostRange(parseCidr('10.89.0.0/31')!);
    expect(p2p.last - p2p.first).toBe(1n);
    const v6 = hostRange(parseCidr('fd00::/120')!);
    expect(formatIp({ family: 6, value: v6.last })).toBe('fd00::ff');
  });
});

describe('netsOverlap / netContains', () => {
  it('sees containment both ways and ignores other families', () => {
    const big = parseCidr('10.88.0.0/16')!;
    const small = parseCidr('10.88.5.0/24')!;
    const other = parseCidr('10.89.0.0/24')!;
    expect(netsOverlap(big, small)).toBe(true);
    expect(netsOverlap(small, big)).toBe(true);
    expect(netsOverlap(big, other)).toBe(false);
    expect(netsOverlap(parseCidr('::/0')!, big)).toBe(false);
    expect(netContains(big, parseIp('10.88.255.255')!)).toBe(true);
    expect(netContains(big, parseIp('10.89.0.0')!)).toBe(false);
  });

  it('is symmetric and agrees with containment of network addresses', () => {
    const v4net = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([v, p]) => parseCidr(`${formatIp({ family: 4, value: BigInt(v) })}/${p}`)!);
    fc.assert(
      fc.property(v4net, v4net, (a, b) => {
        const expected = netContains(a, { family: 4, value: b.network }) || netContains(b, { family: 4, value: a.network });
        expect(netsOverlap(a, b)).toBe(expected);
        expect(netsOverlap(b, a)).toBe(expected);
      }),
    );
  });
});
