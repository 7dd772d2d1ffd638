import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hasCode } from '../../../../shared/errors.ts';
import { HashingStream, digestHex, digestOf, isDigest, parseDigest } from '../../../../main/core/image/digest.ts';

describe('parseDigest', () => {
  it('accepts sha256 with 64 and sha512 with 128 lower-case hex digits', () => {
    expect(digestHex(parseDigest(`sha256:${'0'.repeat(64)}`))).toBe('0'.repeat(64));
    expect(isDigest(`sha512:${'f'.repeat(128)}`)).toBe(true);
  });

  it.each([
    'sha256:../../etc/passwd',
    `sha256:${'0'.repeat(63)}`,
    `sha256:${'0'.repeat(65)}`,
    `sha256:${'A'.repeat(64)}`,
    `sha512:${'0'.repeat(64)}`,
    `md5:${'0'.repeat(32)}`,
    `SHA256:${'0'.repeat(64)}`,
    `sha256:${'0'.repeat(63)}/`,
    `sha256+b64:${'0'.repeat(64)}`,
    '0'.repeat(64),
    '',
  ])('refuses %j before it can form a path', (text) => {
    let caught: unknown;
    try {
      parseDigest(text);
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  });

  it('accepts exactly the strings that cannot leave a directory', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 140 }), (s) => {
        if (isDigest(s)) expect(s).toMatch(/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('HashingStream', () => {
  it('hashes what flows through it without changing it', async () => {
    const data = Buffer.alloc(300_000, 7);
    const h = new HashingStream();
    const out: Buffer[] = [];
    await pipeline(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), h, async (src: AsyncIterable<Buffer>) => {
      for await (const c of src) out.push(c);
    });
    expect(Buffer.concat(out).equals(data)).toBe(true);
    expect(h.result()).toBe(`sha256:${createHash('sha256').update(data).digest('hex')}`);
    expect(digestOf(data)).toBe(h.result());
    expect(h.bytes).toBe(data.length);
  });
});
