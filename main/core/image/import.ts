// `podbay import`: a rootfs tarball (plain, gzip, xz, bzip2 or zstd — told apart by their magic bytes,
// as libimage Import's DecompressStream) becomes a new single-layer image. A plain or gzip tarball is
// stored byte for byte as the layer blob (so a push sends the same bytes); xz, bzip2 and zstd are
// undone by their Debian programs (decompress.ts) and stored gzip-compressed. The DiffID is the digest
// of the uncompressed tar, and the config carries the host's platform, the `--change` instructions
// and a history entry with `--message`.
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { PodbayError } from '../../../shared/errors.ts';
import { storeImage } from './archive.ts';
import type { LoadOptions } from './archive.ts';
import { decompressWithTool } from './decompress.ts';
import { HashingStream } from './digest.ts';
import type { Digest } from './digest.ts';
import { applyChanges } from './config-changes.ts';
import { storeGzipLayer } from './gzip-layer.ts';
import type { ImageStore } from './image-store.ts';
import { hostPlatform, mediaTypes } from './manifest.ts';
import type { Descriptor, Platform } from './manifest.ts';
import type { PulledImage } from './pull.ts';

export interface ImportOptions extends Pick<LoadOptions, 'signal' | 'extract' | 'knownLayer'> {
  changes?: readonly string[];
  message?: string;
  platform?: Platform;
  /** The decompressor's path for xz, bzip2 or zstd input (tests); by default its name on PATH. */
  decompressor?: string;
  /** For tests. */
  now?: () => Date;
}

/** What the first bytes of a tarball say about its compression. */
export function sniffCompression(head: Uint8Array): 'gzip' | 'none' | 'xz' | 'zstd' | 'bzip2' {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0xfd && head[1] === 0x37 && head[2] === 0x7a && head[3] === 0x58 && head[4] === 0x5a) return 'xz';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bzip2';
  return 'none';
}

/** The first `count` bytes of `source` (fewer if it is shorter), and the whole of it again to read on. */
async function peek(source: AsyncIterable<Uint8Array>, count: number): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let have = 0;
  let done = false;
  while (have < count) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered.push(next.value);
    have += next.value.length;
  }
  const head = Buffer.concat(buffered).subarray(0, count);
  async function* stream(): AsyncGenerator<Uint8Array> {
    let finished = done;
    try {
      yield* buffered;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      finished = true;
    } finally {
      // A reader that stops early (a failed store, a cancel) closes the source (a file's descriptor).
      if (!finished) await iterator.return?.();
    }
  }
  return { head, stream: stream() };
}

/** The layer of a tarball: its blob as stored, media type and DiffID. */
async function storeLayer(store: ImageStore, source: AsyncIterable<Uint8Array>, options: ImportOptions): Promise<{ layer: Descriptor; diffId: Digest }> {
  const { signal } = options;
  const { head, stream } = await peek(source, 6);
  if (head.length === 0) throw new PodbayError('ErrInvalidArg', 'importing: the tarball is empty');
  const compression = sniffCompression(head);
  if (compression === 'xz' || compression === 'bzip2' || compression === 'zstd') {
    // No layer media type Podbay extracts names these: the tar is recompressed with gzip as it streams.
    const tar = decompressWithTool(compression, stream, { ...(signal ? { signal } : {}), ...(options.decompressor ? { program: options.decompressor } : {}) });
    const stored = await storeGzipLayer(store.blobs, tar, signal);
    return { layer: { mediaType: mediaTypes.ociLayerGzip, digest: stored.digest, size: stored.size }, diffId: stored.diffId };
  }
  const blob = await store.blobs.put(stream, {}, signal ? { signal } : {});
  let diffId: Digest = blob.digest;
  if (compression === 'gzip') {
    const hasher = new HashingStream();
    try {
      await pipeline(store.blobs.read(blob.digest, { highWaterMark: 1024 * 1024 }), createGunzip({ chunkSize: 1024 * 1024 }), hasher, async (out: AsyncIterable<Buffer>) => {
        for await (const _ of out) if (signal?.aborted) throw new PodbayError('ErrCanceled', 'importing: canceled');
      });
    } catch (error) {
      if (error instanceof PodbayError) throw error;
      throw new PodbayError('ErrInvalidArg', `importing: the gzip stream is corrupt: ${(error as Error).message}`, { cause: error });
    }
    diffId = hasher.result();
  }
  return { layer: { mediaType: compression === 'gzip' ? mediaTypes.ociLayerGzip : mediaTypes.ociLayer, digest: blob.digest, size: blob.size }, diffId };
}

export async function importTarball(store: ImageStore, source: AsyncIterable<Uint8Array>, options: ImportOptions = {}): Promise<PulledImage> {
  const { layer, diffId } = await storeLayer(store, source, options);
  const created = (options.now ?? (() => new Date()))().toISOString();
  const platform = options.platform ?? hostPlatform();
  const imageConfig = {
    created,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: applyChanges({}, options.changes ?? []),
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, created_by: `/bin/sh -c #(nop) ADD file:${diffId.slice(7)} in /`, ...(options.message ? { comment: options.message } : {}) }],
  };
  const configBytes = Buffer.from(JSON.stringify(imageConfig));
  const configInfo = await store.blobs.putBytes(configBytes);
  const config: Descriptor = { mediaType: mediaTypes.ociConfig, digest: configInfo.digest, size: configBytes.length };
  const manifestBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociManifest, config, layers: [layer] }));
  const manifestInfo = await store.blobs.putBytes(manifestBytes);
  return storeImage(store, { manifestDigest: manifestInfo.digest, manifestMediaType: mediaTypes.ociManifest, config, layers: [layer], names: [] }, options);
}
