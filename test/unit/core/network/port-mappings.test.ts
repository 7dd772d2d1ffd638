import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasCode, PodbayError } from '../../../../shared/errors.ts';
import { assertNoOverlap, formatPublish, parsePublish, parsePublishList, resolveHostPorts } from '../../../../main/core/network/port-mappings.ts';
import type { PortMapping } from '../../../../main/core/network/port-mappings.ts';
import { fakePortProbe } from '../../../helpers/network-fakes.ts';

const m = (host_port: number, container_port: number, extra: Partial<PortMapping> = {}): PortMapping => ({
  host_ip: '',
  container_port,
  host_port,
  range: 1,
  protocol: 'tcp',
  ...extra,
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof PodbayError ? error.code : 'not a PodbayError';
  }
}

describe('parsePublish', () => {
  it.each<[string, PortMapping[]]>([
    ['80', [m(0, 80)]],
    ['8080:80', [m(8080, 80)]],
    [':80', [m(0, 80)]],
    ['127.0.0.1:8080:80', [m(8080, 80, { host_ip: '127.0.0.1' })]],
    ['127.0.0.1::80', [m(0, 80, { host_ip: '127.0.0.1' })]],
    ['0.0.0.0:8080:80', [m(8080, 80)]],
    ['[::1]:8080:80', [m(8080, 80, { host_ip: '::1' })]],
    ['[::]:8080:80', [m(8080, 80)]],
    ['8080:80/udp', [m(8080, 80, { protocol: 'udp' })]],
    ['53:53/tcp,udp', [m(53, 53), m(53, 53, { protocol: 'udp' })]],
    ['8080:80/TCP', [m(8080, 80)]],
    ['8000-8009:9000-9009', [m(8000, 9000, { range: 10 })]],
    ['9000-9001', [m(0, 9000, { range: 2 })]],
    ['10.0.0.1:1000-1001:2000-2001/sctp', [m(1000, 2000, { range: 2, host_ip: '10.0.0.1', protocol: 'sctp' })]],
    ['65535:65535', [m(65535, 65535)]],
  ])('parses %j', (spec, expected) => {
    expect(parsePublish(spec)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['0', 'container port 0'],
    ['65536', 'container port too big'],
    ['8080:', 'no container port'],
    ['80/icmp', 'unknown protocol'],
    ['80/', 'empty protocol'],
    ['a:80', 'host port not a number'],
    ['8080:80:90:100', 'too many fields'],
    ['::1:8080:80', 'unbracketed IPv6'],
    ['[::1]8080:80', 'missing colon after bracket'],
    ['[10.0.0.1]:80:80', 'IPv4 in brackets'],
    ['300.0.0.1:80:80', 'bad IPv4'],
    ['8000-8001:80', 'host range longer than container range'],
    ['80:8000-8001', 'container range longer than host range'],
    ['90-80', 'range ending before it starts'],
    ['65535-65536:1-2', 'range past 65535'],
    ['08080:80', 'leading zero'],
    ['0-5:80-85', 'host range starting at 0'],
  ])('refuses %j (%s) with ErrInvalidArg', (spec) => {
    expect(codeOf(() => parsePublish(spec))).toBe('ErrInvalidArg');
  });

  it('round-trips every valid mapping through formatPublish', () => {
    const mapping = fc
      .record({
        host_ip: fc.constantFrom('', '127.0.0.1', '10.1.2.3', '::1', 'fd00::5'),
        container_port: fc.integer({ min: 1, max: 60000 }),
        host_port: fc.integer({ min: 0, max: 60000 }),
        range: fc.integer({ min: 1, max: 100 }),
        protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const),
      })
      .filter((x) => x.host_port === 0 || x.host_port + x.range - 1 <= 65535);
    fc.assert(
      fc.property(mapping, (x) => {
        expect(parsePublish(formatPublish(x))).toEqual([x]);
      }),
    );
  });

  it('throws nothing but ErrInvalidArg for any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (spec) => {
        const code = codeOf(() => parsePublish(spec));
        expect(['no error', 'ErrInvalidArg']).toContain(code);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('1', '8', '0', ':', '-', '/', 'tcp', 'udp', '[', ']', '.', '127', ','), { maxLength: 12 }).map((a) => a.join('')), (spec) => {
        const code = codeOf(() => parsePublish(spec));
        expect(['no error', 'ErrInvalidArg']).toContain(code);
        if (code === 'no error') {
          for (const p of parsePublish(spec)) {
            expect(p.container_port).toBeGreaterThanOrEqual(1);
            expect(p.container_port + p.range - 1).toBeLessThanOrEqual(65535);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('overlap checks', () => {
  it('refuses the same host port twice on overlapping addresses and protocols', () => {
    expect(codeOf(() => parsePublishList(['8080:80', '8080:81']))).toBe('ErrInvalidArg');
    expect(codeOf(() => parsePublishList(['8000-8010:9000-9010', '8005:80']))).toBe('ErrInvalidArg');
    expect(codeOf(() => parsePublishList(['127.0.0.1:8080:80', '8080:81']))).toBe('ErrInvalidArg');
  });

  it('allows the same port on different protocols, different specific addresses, or when the host port is not chosen yet', () => {
    expect(parsePublishList(['8080:80', '8080:80/udp'])).toHaveLength(2);
    expect(parsePublishList(['127.0.0.1:8080:80', '127.0.0.2:8080:80'])).toHaveLength(2);
    expect(parsePublishList(['80', '80/udp', ':81'])).toHaveLength(3);
  });

  it('checks against another container\'s mappings', () => {
    let error: unknown;
    try {
      assertNoOverlap([m(8080, 80)], [m(8080, 90)], 'container web');
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect((error as Error).message).toContain('container web');
  });
});

describe('resolveHostPorts', () => {
  it('keeps fixed ports that are free and picks free blocks for unchosen ones', async () => {
    const out = await resolveHostPorts([m(8080, 80), m(0, 90, { range: 3 })], fakePortProbe());
    expect(out[0]).toEqual(m(8080, 80));
    expect(out[1]?.host_port).toBeGreaterThanOrEqual(32768);
    expect((out[1]?.host_port ?? 0) + 2).toBeLessThanOrEqual(60999);
  });

  it('refuses a fixed port the host already uses with ErrInvalidArg', async () => {
    const error = await resolveHostPorts([m(0, 70), m(8081, 80, { range: 2 })], fakePortProbe([8082])).catch((e: unknown) => e);
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(resolveHostPorts([m(8080, 80)], fakePortProbe(), controller.signal)).rejects.toThrow();
  });
});
