// `podbay import`: a rootfs tarball (plain or gzip, as libimage Import takes it) becomes a new
// single-layer image. The tarball is stored byte for byte as the layer blob (so a push sends the
// same bytes), its DiffID is the digest of the uncompressed tar, and the config carries the
// host's platform, the `--change` instructions and a history entry with `--message`.
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { PodbayError } from '../../../shared/errors.ts';
import { storeImage } from './archive.ts';
import type { LoadOptions } from './archive.ts';
import { HashingStream } from './digest.ts';
import type { Digest } from './digest.ts';
import { applyConfigChanges } from './image-changes.ts';
import type { ImageStore } from './image-store.ts';
import { hostPlatform, mediaTypes } from './manifest.ts';
import type { Descriptor, Platform } from './manifest.ts';
import type { PulledImage } from './pull.ts';

export interface ImportOptions extends Pick<LoadOptions, 'signal' | 'extract' | 'knownLayer'> {
  changes?: readonly string[];
  message?: string;
  platform?: Platform;
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

export async function importTarball(store: ImageStore, source: AsyncIterable<Uint8Array>, options: ImportOptions = {}): Promise<PulledImage> {
  const { signal } = options;
  const blob = await store.blobs.put(source, {}, { signal });
  let head: Uint8Array = new Uint8Array(0);
  for await (const chunk of store.blobs.read(blob.digest, { start: 0 }) as AsyncIterable<Buffer>) {
    head = chunk.subarray(0, 6);
    break;
  }
  if (blob.size === 0) throw new PodbayError('ErrInvalidArg', 'importing: the tarball is empty');
  const compression = sniffCompression(head);
  if (compression !== 'gzip' && compression !== 'none') {
    throw new PodbayError('ErrNotImplemented', `importing: ${compression}-compressed tarballs are not supported yet; decompress it first (or gzip it)`);
  }
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
  const created = (options.now ?? (() => new Date()))().toISOString();
  const platform = options.platform ?? hostPlatform();
  const layer: Descriptor = { mediaType: compression === 'gzip' ? mediaTypes.ociLayerGzip : mediaTypes.ociLayer, digest: blob.digest, size: blob.size };
  const imageConfig = {
    created,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: applyConfigChanges({}, options.changes ?? []),
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
