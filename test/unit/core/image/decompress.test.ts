// decompress.ts with the real Debian programs: xz, bzip2 and zstd streams come back byte for byte in
// chunks; corrupt or truncated input, a missing program and a cancel each end typed; a reader that
// stops early leaves no process behind.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decompressWithTool, decompressors } from '../../../../main/core/image/decompress.ts';
import type { ToolCompression } from '../../../../main/core/image/decompress.ts';
import { sniffCompression } from '../../../../main/core/image/import.ts';
import { hasCode } from '../../../../shared/errors.ts';
import { rejection, rejectionCode } from '../../../helpers/error-codes.ts';

const compressArgs: Record<ToolCompression, string[]> = { xz: ['-c', '-0'], bzip2: ['-c', '-1'], zstd: ['-c', '-q', '-1'] };
const missing = (c: ToolCompression) => (spawnSync(decompressors[c].program, ['--version'], { stdio: 'ignore' }).error ? `${decompressors[c].program} is missing (apt-get install ${decompressors[c].pkg})` : null);

function compress(c: ToolCompression, data: Buffer): Buffer {
  const result = spawnSync(decompressors[c].program, compressArgs[c], { input: data, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${c} failed: ${String(result.stderr)}`);
  return result.stdout;
}

async function* pieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// Half random (incompressible), half repetitive: several MiB out of little in.
const data = Buffer.concat([randomBytes(2 * 1024 * 1024), Buffer.alloc(6 * 1024 * 1024, 0x61)]);

describe('decompressWithTool', () => {
  for (const c of ['xz', 'bzip2', 'zstd'] as const) {
    describe.skipIf(missing(c) !== null)(`${c}${missing(c) ? ` (skipped: ${missing(c)})` : ''}`, () => {
      const packed = compress(c, data);

      it('is recognised by its magic bytes', () => {
        expect(sniffCompression(packed.subarray(0, 6))).toBe(c);
      });

      it('streams the original bytes back, in more than one chunk', async () => {
        let chunks = 0;
        const out: Buffer[] = [];
        for await (const chunk of decompressWithTool(c, pieces(packed, 4096))) {
          chunks++;
          out.push(chunk);
        }
        expect(Buffer.concat(out).equals(data)).toBe(true);
        expect(chunks).toBeGreaterThan(1);
      });

      it('refuses a truncated or corrupted stream with ErrInvalidArg', async () => {
        expect(await rejectionCode(collect(decompressWithTool(c, pieces(packed.subarray(0, packed.length >> 1), 4096))))).toBe('ErrInvalidArg');
        const corrupt = Buffer.from(packed);
        for (let i = 64; i < corrupt.length; i += 97) corrupt[i] = (corrupt[i] as number) ^ 0xff;
        expect(await rejectionCode(collect(decompressWithTool(c, pieces(corrupt, 4096))))).toBe('ErrInvalidArg');
      });
    });
  }

  it('says which package to install when the program is missing (ErrNotImplemented)', async () => {
    const source = pieces(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]), 6);
    expect(await rejectionCode(collect(decompressWithTool('zstd', source, { program: '/nonexistent/zstd' })))).toBe('ErrNotImplemented');
    const error = await rejection(collect(decompressWithTool('xz', pieces(Buffer.alloc(1), 1), { program: '/nonexistent/xz' })));
    expect(hasCode(error, 'ErrNotImplemented')).toBe(true);
    expect((error as Error).message).toContain('apt-get install xz-utils');
  });

  it.skipIf(missing('xz') !== null)('ends with ErrCanceled when aborted mid-stream', async () => {
    const controller = new AbortController();
    let seen = 0;
    const code = await rejectionCode((async () => {
      for await (const chunk of decompressWithTool('xz', pieces(compress('xz', data), 4096), { signal: controller.signal })) {
        seen += chunk.length;
        controller.abort();
      }
    })());
    expect(code).toBe('ErrCanceled');
    expect(seen).toBeLessThan(data.length);
  });

  it.skipIf(missing('xz') !== null)('leaves no decompressor running when the reader stops early', async () => {
    const before = spawnSync('pgrep', ['-x', '-P', String(process.pid), 'xz'], { encoding: 'utf8' }).stdout;
    for await (const _ of decompressWithTool('xz', pieces(compress('xz', data), 4096))) break;
    // Killed and reaped: poll until it is gone (bounded), asserting no time.
    let after = 'running';
    for (let i = 0; i < 500 && after !== before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      after = spawnSync('pgrep', ['-x', '-P', String(process.pid), 'xz'], { encoding: 'utf8' }).stdout;
    }
    expect(after).toBe(before);
  });
});
