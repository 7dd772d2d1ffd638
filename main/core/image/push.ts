// Push an image whose manifest, config and compressed layers are in the content store, byte for
// byte, so the registry sees the same digests that were pulled or built (c/image
// `docker_image_dest.go`): for each blob HEAD first, then a cross-repository mount when a source
// repository on the same registry is known, else an upload streamed from the store; the manifest
// is PUT last. All HEADs go out at once; blobs upload up to three at a time.
import { PodbayError, wrap } from '../../../shared/errors.ts';
import { BlobStore, throwIfAborted } from './blob-store.ts';
import type { Digest } from './digest.ts';
import { maxManifestBytes, parseManifest } from './manifest.ts';
import type { Descriptor } from './manifest.ts';
import { coalesceProgress } from './progress.ts';
import type { ProgressSink, PushProgressEvent } from './progress.ts';
import { formatReference, withDefaultTag } from './reference.ts';
import type { ImageReference } from './reference.ts';
import { RegistryClient } from './registry-client.ts';
import type { RegistryClientOptions } from './registry-client.ts';
import { crashPoint } from '../crash-point.ts';

export interface PushOptions {
  graphRoot: string;
  /** The manifest to push (a blob in the store). */
  manifestDigest: Digest;
  /** false = plain HTTP allowed. */
  tlsVerify?: boolean;
  insecure?: boolean;
  auth?: RegistryClientOptions['auth'];
  authFilePaths?: string[];
  /** A repository on the same registry that already holds the blobs (cross-repo mount). */
  mountFrom?: string;
  /** Upload in PATCH chunks of this size instead of one streamed PATCH. */
  chunkSize?: number;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: ProgressSink<PushProgressEvent>;
  fetch?: typeof fetch;
  retry?: RegistryClientOptions['retry'];
  stallTimeoutMs?: RegistryClientOptions['stallTimeoutMs'];
  certsDirs?: string[];
  sleep?: RegistryClientOptions['sleep'];
}

export interface PushReport {
  reference: string;
  manifestDigest: Digest;
  uploaded: Digest[];
  skipped: Digest[];
  mounted: Digest[];
}

export async function pushImage(destination: ImageReference, options: PushOptions): Promise<PushReport> {
  const ref = withDefaultTag(destination);
  const shown = formatReference(ref);
  const signal = options.signal;
  const blobs = new BlobStore(options.graphRoot);
  const progress = coalesceProgress<PushProgressEvent>(options.onProgress ?? (() => undefined));
  const client = new RegistryClient({
    registry: ref.domain,
    insecure: options.insecure || options.tlsVerify === false,
    auth: options.auth,
    authFilePaths: options.authFilePaths,
    fetch: options.fetch,
    retry: options.retry,
    stallTimeoutMs: options.stallTimeoutMs,
    sleep: options.sleep,
    certsDirs: options.certsDirs,
  });
  const report: PushReport = { reference: shown, manifestDigest: options.manifestDigest, uploaded: [], skipped: [], mounted: [] };
  try {
    const manifestBytes = await blobs.readBytes(options.manifestDigest, maxManifestBytes);
    const manifest = parseManifest(manifestBytes);
    if (manifest.kind !== 'image') throw new PodbayError('ErrNotImplemented', `${shown}: pushing manifest lists is not supported yet`);
    const all: Descriptor[] = [manifest.config, ...manifest.layers];
    for (const d of all) {
      const info = await blobs.stat(d.digest);
      if (!info) throw new PodbayError('ErrNoSuchImage', `${shown}: blob ${d.digest} is not in the local store`);
      if (info.size !== d.size) throw new PodbayError('ErrStoreCorrupt', `${shown}: stored blob ${d.digest} has ${info.size} bytes, the manifest says ${d.size}`);
    }
    progress({ type: 'push-started', reference: shown, blobs: all.map((d) => ({ digest: d.digest, size: d.size })) });
    // Every HEAD at once (c/image checks each blob before its upload): when the registry has them
    // all, the push costs one round trip plus the manifest PUT.
    const present = await Promise.all(all.map(async (d) => (await client.blobExists(ref.path, d.digest, signal)) !== undefined));
    const missing: Descriptor[] = [];
    all.forEach((d, i) => {
      if (present[i]) {
        report.skipped.push(d.digest);
        progress({ type: 'blob-exists', digest: d.digest, size: d.size });
      } else missing.push(d);
    });
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        throwIfAborted(signal, `pushing ${shown}`);
        const d = missing[next++]!;
        if (options.mountFrom && options.mountFrom !== ref.path && (await client.mountBlob(ref.path, d.digest, options.mountFrom, signal))) {
          report.mounted.push(d.digest);
          progress({ type: 'blob-mounted', digest: d.digest, size: d.size, from: options.mountFrom });
          continue;
        }
        await client.uploadBlob(ref.path, d, () => blobs.read(d.digest), {
          signal,
          chunkSize: options.chunkSize,
          onBytes: (done) => progress({ type: 'blob-bytes', digest: d.digest, done, total: d.size }),
        });
        report.uploaded.push(d.digest);
        crashPoint('push.blob-uploaded');
        progress({ type: 'blob-done', digest: d.digest, size: d.size });
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 3, missing.length) }, worker));
    crashPoint('push.blobs-done');
    const digest = await client.putManifest(ref.path, ref.digest ?? ref.tag!, manifestBytes, manifest.mediaType, signal);
    crashPoint('push.manifest-written');
    progress({ type: 'manifest-written', reference: shown, digest });
    progress.flush();
    return report;
  } catch (error) {
    if (signal?.aborted) throw new PodbayError('ErrCanceled', `pushing ${shown}: canceled`, { cause: error });
    throw wrap(error, `pushing ${shown}`);
  }
}
