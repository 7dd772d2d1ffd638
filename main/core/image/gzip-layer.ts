// An uncompressed layer tar stored as a gzip layer blob (commit, and import of a tarball compressed
// in a way no layer media type names): the tar is hashed on its way into gzip (its DiffID) and the
// gzip stream goes into the content store, never held whole in memory.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { BlobStore } from './blob-store.ts';
import { HashingStream } from './digest.ts';
import type { Digest } from './digest.ts';

export interface GzipLayerBlob {
  /** The gzip blob in the content store. */
  digest: Digest;
  size: number;
  /** The digest of the uncompressed tar. */
  diffId: Digest;
}

/**
 * Stores `tar` gzip-compressed in `blobs`. Settles only when both the compression and the blob
 * store's own cleanup are over: on a full disk the store's temp file is gone (and its space free)
 * by the time this rejects — a pipeline ending in the store would reject as soon as the gzip stream
 * closes, before that. The store's error (ENOSPC, cancel) wins over the tar side's.
 */
export async function storeGzipLayer(blobs: BlobStore, tar: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<GzipLayerBlob> {
  const hasher = new HashingStream();
  const gzip = createGzip();
  const [fed, stored] = await Promise.allSettled([pipeline(Readable.from(tar), hasher, gzip), blobs.put(gzip, {}, signal ? { signal } : {})]);
  if (stored.status === 'rejected') throw stored.reason;
  if (fed.status === 'rejected') throw fed.reason;
  return { ...stored.value, diffId: hasher.result() };
}
