// The decompression-bomb guard of every layer extraction (pull and load): a layer whose uncompressed
// stream outgrows its compressed bytes by more than a ratio (after some slack, so small layers of
// zeros pass) is refused before it can fill the disk. c/storage has no such guard; a 10 KiB gzip of
// zeros expands to 10 MiB, a 1 MiB one to 1 GiB.
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { PodbayError } from '../../../shared/errors.ts';

/** Uncompressed ÷ compressed past which a layer is a bomb (real layers stay far below: ~3–10×). */
export const defaultMaxRatio = 250;
/** Uncompressed bytes always allowed, whatever the ratio. */
export const defaultBombSlackBytes = 128 * 1024 * 1024;

/** Refuses decompressed output that outgrows the compressed input (`compressedBytes()` so far) by more than `ratio`. */
export class RatioGuard extends Transform {
  private out = 0;
  constructor(private readonly compressedBytes: () => number, private readonly ratio: number, private readonly slack: number, private readonly what: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.out += chunk.length;
    if (this.out > this.slack && this.out > this.ratio * Math.max(1, this.compressedBytes())) {
      callback(new PodbayError('ErrInvalidArg', `${this.what}: decompresses to more than ${this.ratio}× its compressed size (a decompression bomb?)`));
      return;
    }
    callback(null, chunk);
  }
}
