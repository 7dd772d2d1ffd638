// Pull: reference → manifest (platform choice for lists) → config → layers, as c/image `copy.Image`
// into c/storage. Each layer blob is streamed once: every downloaded byte goes to the content store
// (hashed: the blob digest) and into gunzip, whose output is hashed (the DiffID), bounded by a
// ratio guard against gzip bombs, and extracted into a temp layer directory. Only when the blob
// digest, its size and the DiffID from the config all match is the layer renamed into place.
// Up to six layers download at once. Nothing is buffered whole except manifests and configs
// (4 MiB limits). The image record itself belongs to the state layer: pull returns a `PulledImage`
// and, when given a sink, hands it over in one call.
import { Readable } from 'node:stream';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { PodbayError, hasCode, wrap } from '../../../shared/errors.ts';
import { BlobStore, throwIfAborted } from './blob-store.ts';
import { mapLimit } from './map-limit.ts';
import { HashingStream, digestHex } from './digest.ts';
import type { Digest } from './digest.ts';
import { extractLayer } from './layer-extract.ts';
import type { ExtractOptions } from './layer-extract.ts';
import { LayerStore } from './layer-store.ts';
import { RatioGuard, defaultBombSlackBytes, defaultMaxRatio } from './ratio-guard.ts';
import { choosePlatform, layerCompression, maxConfigBytes, parseImageConfig, parseManifest } from './manifest.ts';
import type { Descriptor, ImageConfig, Platform } from './manifest.ts';
import { coalesceProgress } from './progress.ts';
import type { ProgressSink, PullProgressEvent } from './progress.ts';
import { formatReference, isLocalOnly, manifestReference, repositoryName, withDefaultTag } from './reference.ts';
import type { ImageReference } from './reference.ts';
import { emptyRegistriesConf, pullSource, resolveShortName } from './registries-conf.ts';
import { enforceDockerPolicy } from './signature-policy.ts';
import type { SignaturePolicy } from './signature-policy.ts';
import type { RegistriesConf } from './registries-conf.ts';
import { RegistryClient } from './registry-client.ts';
import type { RegistryClientOptions } from './registry-client.ts';
import { crashPoint } from '../crash-point.ts';

export interface PulledLayer {
  /** Compressed blob digest as in the manifest (kept in the content store). */
  digest: Digest;
  diffId: Digest;
  size: number;
  /** Bytes of the uncompressed tar; -1 when the layer was already in the store (not re-read). */
  diffSize: number;
  mediaType: string;
  /** Overlay lower dir. */
  diffPath: string;
}

/** What a pull produced: enough for the state layer to write the image, tag and layer records. */
export interface PulledImage {
  /** Image ID = config digest hex (c/image `computeID` for v2s2/OCI). */
  id: string;
  configDigest: Digest;
  manifestDigest: Digest;
  manifestMediaType: string;
  /** The list/index digest when the reference named one (podman records both). */
  listDigest?: Digest;
  /** `domain/path:tag` for tag pulls. */
  repoTags: string[];
  /** `domain/path@manifestDigest`. */
  repoDigests: string[];
  layers: PulledLayer[];
  config: ImageConfig;
}

/** Where pulled images are recorded. The SQLite state implements it; tests can collect. */
export interface ImageRecordSink {
  recordPulledImage(image: PulledImage): void | Promise<void>;
}

export interface PullOptions {
  graphRoot: string;
  registriesConf?: RegistriesConf;
  /** false = plain HTTP allowed for this pull (`--tls-verify=false`). */
  tlsVerify?: boolean;
  /** `--creds`; null = anonymous; undefined = auth.json. */
  auth?: RegistryClientOptions['auth'];
  authFilePaths?: string[];
  platform?: Platform;
  /** Parallel layer downloads (default 6, as c/image's maximum parallel downloads). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: ProgressSink<PullProgressEvent>;
  records?: ImageRecordSink;
  extract?: Omit<ExtractOptions, 'signal'>;
  /** Decompressed/compressed ratio past which a layer is refused as a bomb (after `bombSlackBytes`). */
  maxRatio?: number;
  bombSlackBytes?: number;
  /** Injected for tests. */
  fetch?: typeof fetch;
  retry?: RegistryClientOptions['retry'];
  stallTimeoutMs?: RegistryClientOptions['stallTimeoutMs'];
  certsDirs?: string[];
  sleep?: RegistryClientOptions['sleep'];
  clientFactory?: (options: RegistryClientOptions) => RegistryClient;
  interactive?: boolean;
  /**
   * Layers the image store has recorded (and so verified), with their uncompressed size. When given,
   * only these are skipped: a layer directory on disk that no record names may be an interrupted
   * pull's leftover, and is downloaded again (its commit then keeps the existing copy).
   */
  knownLayer?: (diffId: Digest) => { diffSize: number } | undefined;
  /** Called with the reference about to be tried, before any request (short-name candidates in turn). */
  onCandidate?: (reference: string) => void;
  /** Signature policy (policy.json), checked for each reference before any request. */
  policy?: SignaturePolicy;
}

/**
 * Pulls `input` (what the user typed). Short names resolve through registries.conf; each candidate
 * is tried in order until one exists (podman's behaviour outside enforcing mode).
 */
export async function pullImage(input: string, options: PullOptions): Promise<PulledImage> {
  const conf = options.registriesConf ?? emptyRegistriesConf();
  const resolution = resolveShortName(conf, input, { interactive: options.interactive });
  const errors: unknown[] = [];
  for (const candidate of resolution.candidates) {
    try {
      options.onCandidate?.(formatReference(withDefaultTag(candidate)));
      return await pullReference(candidate, options);
    } catch (error) {
      if (hasCode(error, 'ErrCanceled') || resolution.candidates.length === 1) throw error;
      errors.push(error);
    }
  }
  const messages = errors.map((e) => (e as Error).message).join('; ');
  throw new PodbayError(errors.every((e) => hasCode(e, 'ErrNoSuchImage')) ? 'ErrNoSuchImage' : 'ErrInternal', `pulling ${input}: no candidate worked: ${messages}`, { cause: errors[0] });
}

/**
 * `pull --all-tags`: every tag of the repository named by `input` (which must carry no tag or
 * digest, as podman requires), pulled one after the other so shared layers download once.
 */
export async function pullAllTags(input: string, options: PullOptions): Promise<PulledImage[]> {
  const conf = options.registriesConf ?? emptyRegistriesConf();
  const resolution = resolveShortName(conf, input, { interactive: options.interactive });
  const repo = resolution.candidates[0]!;
  if (repo.tag !== undefined || repo.digest !== undefined) {
    throw new PodbayError('ErrInvalidArg', `pulling all tags of ${input}: name a repository without a tag or digest`);
  }
  const source = pullSource(conf, repo);
  const client = (options.clientFactory ?? ((o: RegistryClientOptions) => new RegistryClient(o)))({
    registry: source.ref.domain,
    insecure: source.insecure || options.tlsVerify === false,
    auth: options.auth,
    authFilePaths: options.authFilePaths,
    fetch: options.fetch,
    retry: options.retry,
    stallTimeoutMs: options.stallTimeoutMs,
    sleep: options.sleep,
    certsDirs: options.certsDirs,
  });
  const tags = await client.listTags(source.ref.path, options.signal);
  const images: PulledImage[] = [];
  for (const tag of tags) images.push(await pullReference({ ...repo, tag }, options));
  return images;
}

/** Pulls one fully qualified reference. */
export async function pullReference(named: ImageReference, options: PullOptions): Promise<PulledImage> {
  const ref = withDefaultTag(named);
  const shown = formatReference(ref);
  if (isLocalOnly(ref)) throw new PodbayError('ErrNoSuchImage', `${shown}: localhost/ images exist only locally and cannot be pulled`);
  if (options.policy) enforceDockerPolicy(options.policy, ref);
  const conf = options.registriesConf ?? emptyRegistriesConf();
  const source = pullSource(conf, ref);
  const progress = coalesceProgress<PullProgressEvent>(options.onProgress ?? (() => undefined));
  const signal = options.signal;
  progress({ type: 'resolving', reference: shown });
  const clientOptions: RegistryClientOptions = {
    registry: source.ref.domain,
    insecure: source.insecure || options.tlsVerify === false,
    auth: options.auth,
    authFilePaths: options.authFilePaths,
    fetch: options.fetch,
    retry: options.retry,
    stallTimeoutMs: options.stallTimeoutMs,
    sleep: options.sleep,
    certsDirs: options.certsDirs,
  };
  const client = options.clientFactory ? options.clientFactory(clientOptions) : new RegistryClient(clientOptions);
  const repo = source.ref.path;
  const blobs = new BlobStore(options.graphRoot);
  const layers = new LayerStore(options.graphRoot);

  try {
    let fetched = await client.getManifest(repo, manifestReference(source.ref), { signal });
    let manifest = parseManifest(fetched.bytes, fetched.mediaType);
    let listDigest: Digest | undefined;
    if (manifest.kind === 'index') {
      listDigest = fetched.digest;
      await blobs.putBytes(fetched.bytes, fetched.digest);
      crashPoint('pull.index-stored');
      const chosen = choosePlatform(manifest, options.platform);
      fetched = await client.getManifest(repo, chosen.digest, { signal });
      manifest = parseManifest(fetched.bytes, fetched.mediaType);
      if (manifest.kind !== 'image') throw new PodbayError('ErrInvalidArg', `${shown}: the index entry ${chosen.digest} is itself an index`);
    }
    await blobs.putBytes(fetched.bytes, fetched.digest);
    crashPoint('pull.manifest-stored');
    progress({ type: 'manifest', reference: shown, manifestDigest: fetched.digest, layers: manifest.layers.map((l) => ({ digest: l.digest, size: l.size })) });

    const configBytes = (await blobs.has(manifest.config.digest))
      ? await blobs.readBytes(manifest.config.digest, maxConfigBytes)
      : await client.getBlobBytes(repo, manifest.config, maxConfigBytes, signal);
    await blobs.putBytes(configBytes, manifest.config.digest);
    crashPoint('pull.config-stored');
    const config = parseImageConfig(configBytes);
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length) {
      throw new PodbayError('ErrInvalidArg', `${shown}: the config lists ${diffIds.length} layers but the manifest ${manifest.layers.length}`);
    }
    for (const layer of manifest.layers) layerCompression(layer.mediaType); // refuse unsupported types before downloading anything

    // One failed layer stops the others at once (their temp files are removed by their own cleanup).
    const layerController = new AbortController();
    const onOuterAbort = () => layerController.abort(signal?.reason);
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    let pulledLayers: PulledLayer[];
    try {
      pulledLayers = await mapLimit(manifest.layers, options.concurrency ?? 6, layerController, (layer, i) =>
        pullLayer(client, repo, layer, diffIds[i]!, { blobs, layers, progress, signal: layerController.signal, options }),
      );
    } finally {
      signal?.removeEventListener('abort', onOuterAbort);
    }
    progress.flush();

    const image: PulledImage = {
      id: digestHex(manifest.config.digest),
      configDigest: manifest.config.digest,
      manifestDigest: fetched.digest,
      manifestMediaType: manifest.mediaType,
      listDigest,
      repoTags: ref.tag !== undefined && ref.digest === undefined ? [`${repositoryName(ref)}:${ref.tag}`] : [],
      repoDigests: [`${repositoryName(ref)}@${listDigest ?? fetched.digest}`],
      layers: pulledLayers,
      config,
    };
    crashPoint('pull.layers-done');
    await options.records?.recordPulledImage(image);
    crashPoint('pull.recorded');
    progress({ type: 'done', reference: shown, imageId: image.id });
    return image;
  } catch (error) {
    if (signal?.aborted) throw new PodbayError('ErrCanceled', `pulling ${shown}: canceled`, { cause: error });
    throw wrap(error, `pulling ${shown}`);
  }
}

const batchBytes = 1024 * 1024;

interface LayerContext {
  blobs: BlobStore;
  layers: LayerStore;
  progress: ProgressSink<PullProgressEvent> & { flush(): void };
  signal?: AbortSignal;
  options: PullOptions;
}

async function pullLayer(client: RegistryClient, repo: string, layer: Descriptor, diffId: Digest, ctx: LayerContext): Promise<PulledLayer> {
  const { blobs, layers, progress, signal, options } = ctx;
  const base = { digest: layer.digest, diffId, size: layer.size, mediaType: layer.mediaType, diffPath: layers.diffPath(diffId) };
  const known = options.knownLayer?.(diffId);
  if ((options.knownLayer === undefined || known !== undefined) && layers.has(diffId) && (await blobs.has(layer.digest))) {
    progress({ type: 'layer-exists', digest: layer.digest, size: layer.size });
    return { ...base, diffSize: known?.diffSize ?? -1 };
  }
  const compression = layerCompression(layer.mediaType);
  if (compression === 'zstd') throw new PodbayError('ErrNotImplemented', `layer ${layer.digest} is zstd-compressed: not supported yet`);
  const what = `layer ${layer.digest}`;
  const writer = await blobs.createWriter({ digest: layer.digest, size: layer.size });
  const temp = layers.createTemp();
  try {
    progress({ type: 'layer-bytes', digest: layer.digest, done: 0, total: layer.size, bytesPerSecond: 0 });
    const started = performance.now();
    // Network chunks (16–64 KiB) are gathered into batches of about 1 MiB: every later stage (blob
    // write, hashing, gunzip, extraction) then makes a sixteenth of the calls and promises, which is
    // what bounds a pull on a loopback or LAN registry. Memory stays bounded (one batch per layer).
    const download = async function* (): AsyncGenerator<Uint8Array> {
      let batch: Uint8Array[] = [];
      let batched = 0;
      const emit = async (): Promise<Uint8Array> => {
        const chunk = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batched);
        batch = [];
        batched = 0;
        await writer.write(chunk);
        const seconds = (performance.now() - started) / 1000;
        progress({ type: 'layer-bytes', digest: layer.digest, done: writer.bytes, total: layer.size, bytesPerSecond: seconds > 0 ? Math.round(writer.bytes / seconds) : 0 });
        return chunk;
      };
      for await (const chunk of client.getBlob(repo, layer, {
        signal,
        onResume: (offset) => progress({ type: 'layer-resumed', digest: layer.digest, offset }),
      })) {
        batch.push(chunk);
        batched += chunk.length;
        if (batched >= batchBytes) yield await emit();
      }
      if (batched > 0) yield await emit();
    };
    const diffHasher = new HashingStream();
    const guard = new RatioGuard(() => writer.bytes, options.maxRatio ?? defaultMaxRatio, options.bombSlackBytes ?? defaultBombSlackBytes, what);
    const stages: NodeJS.ReadWriteStream[] = compression === 'gzip' ? [createGunzip({ chunkSize: 1024 * 1024 }), guard, diffHasher] : [guard, diffHasher];
    await pipeline(Readable.from(download(), { objectMode: false, highWaterMark: 1 }), ...(stages as [Transform]), async (source: AsyncIterable<Buffer>) => {
      await extractLayer(source, temp.diff, { ...options.extract, signal });
    });
    throwIfAborted(signal, what);
    progress({ type: 'layer-verifying', digest: layer.digest });
    await writer.commit(); // verifies size and digest of the compressed blob
    crashPoint('pull.layer-blob-committed');
    const actualDiffId = diffHasher.result();
    if (actualDiffId !== diffId) {
      await blobs.delete(layer.digest);
      throw new PodbayError('ErrInvalidArg', `${what} does not match the config's DiffID: expected ${diffId}, got ${actualDiffId}`);
    }
    await layers.commit(temp.dir, diffId);
    crashPoint('pull.layer-committed');
    progress({ type: 'layer-done', digest: layer.digest, size: layer.size });
    return { ...base, diffSize: diffHasher.bytes };
  } catch (error) {
    await writer.abort();
    await layers.discard(temp.dir);
    const zlibCode = (error as { code?: unknown }).code;
    if (typeof zlibCode === 'string' && zlibCode.startsWith('Z_')) {
      // A corrupt stream usually fails gunzip before the digest can be compared: same verdict.
      throw new PodbayError('ErrInvalidArg', `${what}: invalid gzip data (corrupted in transit or not matching its digest): ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}
