// `save` and `load`: docker-archive and oci-archive, both directions, streamed (libpod-internals §10).
//
// Save writes a tar to a temp file beside the output and renames it into place. oci-archive holds
// the stored blobs byte for byte (`blobs/sha256/<hex>`, compressed layers as pulled), so a later
// push or load gives the same digests. docker-archive holds the config and *uncompressed* layers
// named by DiffID, plus `manifest.json` (c/image's `docker/internal/tarfile` layout, without the
// legacy v1 directories, which neither podman load nor skopeo need).
//
// Load reads the archive once, front to back, never extracting it: every regular member that can
// be content (blobs, `.tar` layers, `.json` configs) goes through the content store's verifying
// writer (a `blobs/sha256/<hex>` member must hash to its name), small metadata stays in memory, and
// symlinks are followed one hop by name as c/image does. Then each image's layers are extracted
// from the stored blobs (DiffIDs checked against the config) and the image recorded in one
// transaction. Docker archives' uncompressed layers are kept as OCI `…layer.v1.tar` blobs.
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, posix } from 'node:path';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { PodbayError, wrap } from '../../../shared/errors.ts';
import { throwIfAborted } from './blob-store.ts';
import type { BlobInfo } from './blob-store.ts';
import { mapLimit } from './map-limit.ts';
import { HashingStream, digestHex, digestOf, isDigest, parseDigest } from './digest.ts';
import type { Digest } from './digest.ts';
import { extractLayer } from './layer-extract.ts';
import type { ExtractOptions } from './layer-extract.ts';
import type { ImageRecord, ImageStore } from './image-store.ts';
import { layerCompression, maxConfigBytes, maxManifestBytes, mediaTypes, parseImageConfig, parseManifest } from './manifest.ts';
import type { Descriptor, ImageConfig } from './manifest.ts';
import type { PulledImage, PulledLayer } from './pull.ts';
import { formatReference, parseNormalizedReference, withDefaultTag } from './reference.ts';
import { RatioGuard, defaultBombSlackBytes, defaultMaxRatio } from './ratio-guard.ts';
import { readTar } from './tar-reader.ts';
import { tarEnd, tarHeader, tarPadding } from './tar-writer.ts';
import { crashPoint } from '../crash-point.ts';

export type ArchiveFormat = 'docker-archive' | 'oci-archive';
/** What `save` writes: an archive, or an OCI image layout directory (`oci-dir`). */
export type SaveFormat = ArchiveFormat | 'oci-dir';

export interface SaveOptions {
  format: SaveFormat;
  signal?: AbortSignal;
}

const refNameAnnotation = 'org.opencontainers.image.ref.name';

const fileHeader = (name: string, size: number, mtime: number): Buffer => tarHeader({ name, type: 'file', mode: 0o644, size, mtime });

/** Where saved members go: a tar (archives) or a directory (oci-dir). */
interface MemberWriter {
  addBytes(name: string, data: Uint8Array): Promise<void>;
  addStream(name: string, size: number, source: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<void>;
}

/** Writes members as files under `root` (an OCI layout directory being built). */
class DirWriter implements MemberWriter {
  constructor(private readonly root: string) {}

  private async file(name: string): Promise<FileHandle> {
    const path = join(this.root, name);
    await mkdir(dirname(path), { recursive: true });
    return open(path, 'wx', 0o644);
  }

  async addBytes(name: string, data: Uint8Array): Promise<void> {
    const handle = await this.file(name);
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  }

  async addStream(name: string, size: number, source: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<void> {
    const handle = await this.file(name);
    let written = 0;
    try {
      for await (const chunk of source) {
        throwIfAborted(signal, `writing ${name}`);
        written += chunk.length;
        if (written > size) throw new PodbayError('ErrStoreCorrupt', `${name}: more than the ${size} bytes recorded`);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    if (written !== size) throw new PodbayError('ErrStoreCorrupt', `${name}: ${written} bytes, the store recorded ${size}`);
  }
}

/** Appends tar members to a file handle, sequentially. */
class TarWriter implements MemberWriter {
  private position = 0;
  private readonly mtime = Math.floor(Date.now() / 1000);

  constructor(private readonly handle: FileHandle) {}

  private async put(data: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset, this.position + offset);
      offset += bytesWritten;
    }
    this.position += data.length;
  }

  async addBytes(name: string, data: Uint8Array): Promise<void> {
    await this.put(fileHeader(name, data.length, this.mtime));
    await this.put(data);
    await this.pad(data.length);
  }

  /** Streams exactly `size` bytes from `source` (more or fewer is an internal error: the header is written). */
  async addStream(name: string, size: number, source: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<void> {
    await this.put(fileHeader(name, size, this.mtime));
    let written = 0;
    for await (const chunk of source) {
      throwIfAborted(signal, `writing ${name}`);
      written += chunk.length;
      if (written > size) throw new PodbayError('ErrStoreCorrupt', `${name}: more than the ${size} bytes recorded`);
      await this.put(chunk);
    }
    if (written !== size) throw new PodbayError('ErrStoreCorrupt', `${name}: ${written} bytes, the store recorded ${size}`);
    await this.pad(size);
  }

  private async pad(size: number): Promise<void> {
    const padding = tarPadding(size);
    if (padding.length) await this.put(padding);
  }

  async finish(): Promise<void> {
    await this.put(tarEnd());
  }
}

/** The stored manifest of an image, parsed (it must be a single-image manifest). */
async function storedManifest(store: ImageStore, image: ImageRecord) {
  const bytes = await store.blobs.readBytes(image.manifestDigest, maxManifestBytes);
  const manifest = parseManifest(bytes, image.manifestMediaType);
  if (manifest.kind !== 'image') throw new PodbayError('ErrStoreCorrupt', `image ${image.id.slice(0, 12)}: its stored manifest is an index`);
  return { bytes, manifest };
}

/**
 * `podbay save`: writes `images` (each with the names to record in the archive) to `output`.
 * Several images are allowed in a docker-archive; an oci-archive gets one index entry per name.
 */
export async function saveImages(store: ImageStore, images: { image: ImageRecord; names: string[] }[], output: string, options: SaveOptions): Promise<void> {
  if (images.length === 0) throw new PodbayError('ErrInvalidArg', 'save needs at least one image');
  const temp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
  if (options.format === 'oci-dir') {
    // Built beside the target and renamed into place: no reader sees half a layout.
    const existing = await readdir(output).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
    if (existing !== null && existing.length > 0) throw new PodbayError('ErrInvalidArg', `saving to ${output}: the directory exists and is not empty`);
    try {
      await mkdir(temp, { mode: 0o755 });
      await writeOci(store, images, new DirWriter(temp), options.signal);
      if (existing !== null) await rm(output, { recursive: true });
      await rename(temp, output);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw wrap(error, `saving to ${output}`);
    }
    return;
  }
  const handle = await open(temp, 'wx', 0o644);
  try {
    const tar = new TarWriter(handle);
    if (options.format === 'oci-archive') await writeOci(store, images, tar, options.signal);
    else await writeDocker(store, images, tar, options.signal);
    await tar.finish();
    crashPoint('save.written');
    // Not fsynced: an exported archive is a user file like any other (podman does not sync it
    // either); the rename only guarantees no reader sees a half-written archive under its name.
    await handle.close();
    await rename(temp, output);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw wrap(error, `saving to ${output}`);
  }
}

async function writeOci(store: ImageStore, images: { image: ImageRecord; names: string[] }[], tar: MemberWriter, signal?: AbortSignal): Promise<void> {
  await tar.addBytes('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  const written = new Set<string>();
  const entries: unknown[] = [];
  const addBlob = async (d: Descriptor) => {
    if (written.has(d.digest)) return;
    written.add(d.digest);
    const info = await store.blobs.stat(d.digest);
    if (!info) throw new PodbayError('ErrNoSuchImage', `blob ${d.digest} is not in the store`);
    await tar.addStream(`blobs/sha256/${digestHex(d.digest)}`, info.size, store.blobs.read(d.digest, { highWaterMark: 1024 * 1024 }), signal);
  };
  for (const { image, names } of images) {
    const { bytes, manifest } = await storedManifest(store, image);
    for (const d of [manifest.config, ...manifest.layers]) await addBlob(d);
    if (!written.has(image.manifestDigest)) {
      written.add(image.manifestDigest);
      await tar.addBytes(`blobs/sha256/${digestHex(image.manifestDigest)}`, bytes);
    }
    const descriptor = { mediaType: manifest.mediaType, digest: image.manifestDigest, size: bytes.length };
    if (names.length === 0) entries.push(descriptor);
    for (const name of names) entries.push({ ...descriptor, annotations: { [refNameAnnotation]: name } });
  }
  await tar.addBytes('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: entries })));
}

async function writeDocker(store: ImageStore, images: { image: ImageRecord; names: string[] }[], tar: TarWriter, signal?: AbortSignal): Promise<void> {
  const written = new Set<string>();
  const entries: unknown[] = [];
  for (const { image, names } of images) {
    const { manifest } = await storedManifest(store, image);
    const configName = `${image.id}.json`;
    if (!written.has(configName)) {
      written.add(configName);
      await tar.addBytes(configName, await store.blobs.readBytes(image.configDigest, maxConfigBytes));
    }
    const layers: string[] = [];
    for (const [i, d] of manifest.layers.entries()) {
      const record = image.layers[i];
      if (!record || record.blobDigest !== d.digest) throw new PodbayError('ErrStoreCorrupt', `image ${image.id.slice(0, 12)}: layer ${i} does not match its manifest`);
      const name = `${digestHex(record.diffId)}.tar`;
      layers.push(name);
      if (written.has(name)) continue;
      written.add(name);
      // Uncompressed, as docker-archive requires; verified against the DiffID while streaming.
      const hasher = new HashingStream();
      const stages: Transform[] = layerCompression(d.mediaType) === 'gzip' ? [createGunzip({ chunkSize: 1024 * 1024 }), hasher] : [hasher];
      const size = record.diffSize > 0 ? record.diffSize : await uncompressedSize(store, d);
      await pipeline(store.blobs.read(d.digest, { highWaterMark: 1024 * 1024 }), ...(stages as [Transform]), async (stream: AsyncIterable<Uint8Array>) => {
        await tar.addStream(name, size, stream, signal);
      });
      if (hasher.result() !== record.diffId) throw new PodbayError('ErrStoreCorrupt', `layer ${d.digest}: stored blob does not decompress to its DiffID ${record.diffId}`);
    }
    entries.push({ Config: configName, RepoTags: names, Layers: layers });
  }
  await tar.addBytes('manifest.json', Buffer.from(JSON.stringify(entries)));
}

async function uncompressedSize(store: ImageStore, d: Descriptor): Promise<number> {
  let n = 0;
  const stream = layerCompression(d.mediaType) === 'gzip' ? store.blobs.read(d.digest).pipe(createGunzip()) : store.blobs.read(d.digest);
  for await (const chunk of stream as AsyncIterable<Buffer>) n += chunk.length;
  return n;
}

// Load

export interface LoadOptions {
  signal?: AbortSignal;
  extract?: Omit<ExtractOptions, 'signal'>;
  /** Layers the store already has (and so need no extraction). */
  knownLayer?: (diffId: Digest) => { diffSize: number } | undefined;
  /** Decompression-bomb limits (ratio-guard.ts); tests lower them. */
  maxRatio?: number;
  bombSlackBytes?: number;
  /** Called once the format is known, before any image is recorded: throws to refuse (signature policy). */
  admit?: (transport: ArchiveFormat | 'oci') => void;
}

const blobNameRe = /^blobs\/sha256\/([a-f0-9]{64})$/;
const maxMetadataBytes = 4 * 1024 * 1024;
/** Layers of one image extracted at once by load and import (a pull downloads up to six). */
const layerConcurrency = 4;

/** Reads an archive (either format, detected by its members) and stores every image in it. */
export async function loadArchive(store: ImageStore, path: string, options: LoadOptions = {}): Promise<PulledImage[]> {
  const { signal } = options;
  if ((await stat(path).catch(() => null))?.isDirectory()) return loadLayoutDir(store, path, options);
  const metadata = new Map<string, Buffer>();
  /** Member name → digest of its content, for content stored in the blob store. */
  const contents = new Map<string, Digest>();
  const symlinks = new Map<string, string>();
  /** Blob commits (fsync, rename) still running while the next members are read; all settle before use. */
  const commits: Promise<unknown>[] = [];
  const later = (committed: Promise<BlobInfo>, then: (info: BlobInfo) => void) => {
    const done = committed.then((info) => {
      crashPoint('load.blob-stored');
      then(info);
    });
    done.catch(() => undefined); // settled below
    commits.push(done);
  };
  try {
    try {
      for await (const { entry, body } of readTar(createReadStream(path, { highWaterMark: 1024 * 1024 }))) {
        throwIfAborted(signal, `loading ${path}`);
        const name = posix.normalize(entry.name).replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/$/, '');
        if (entry.type === 'symlink') {
          symlinks.set(name, posix.normalize(posix.join(posix.dirname(name), entry.linkname)));
          continue;
        }
        if (entry.type !== 'file') continue;
        const blob = blobNameRe.exec(name);
        if (blob) {
          const digest = parseDigest(`sha256:${blob[1]}`);
          later((await store.blobs.putUncommitted(body, { digest, size: entry.size }, { signal })).committed, () => contents.set(name, digest));
        } else if (['index.json', 'oci-layout', 'manifest.json', 'repositories'].includes(name) || (name.endsWith('.json') && entry.size <= maxMetadataBytes && !name.includes('/'))) {
          if (entry.size > maxMetadataBytes) throw new PodbayError('ErrInvalidArg', `${name} is larger than ${maxMetadataBytes} bytes`);
          const chunks: Buffer[] = [];
          for await (const chunk of body) chunks.push(chunk);
          metadata.set(name, Buffer.concat(chunks));
        } else if (name.endsWith('.tar') || name.endsWith('/layer.tar') || name.endsWith('.tar.gz')) {
          later((await store.blobs.putUncommitted(body, { size: entry.size }, { signal })).committed, (info) => contents.set(name, info.digest));
        }
      }
    } catch (error) {
      // No commit may still be writing when the failure is reported.
      await Promise.allSettled(commits);
      throw error;
    }
    // Every commit settles before anything uses the blobs.
    const failure = (await Promise.allSettled(commits)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  } catch (error) {
    if (signal?.aborted) throw new PodbayError('ErrCanceled', `loading ${path}: canceled`, { cause: error });
    throw wrap(error, `reading archive ${path}`);
  }
  const resolve = (member: string): string => {
    const n = posix.normalize(member).replace(/^(\.\/)+/, '');
    return symlinks.get(n) ?? n;
  };
  if (metadata.has('index.json')) {
    options.admit?.('oci-archive');
    return loadOci(store, metadata, options);
  }
  if (metadata.has('manifest.json')) {
    options.admit?.('docker-archive');
    return loadDocker(store, metadata, contents, resolve, options);
  }
  throw new PodbayError('ErrInvalidArg', `${path} is neither an oci-archive (no index.json) nor a docker-archive (no manifest.json)`);
}

/** An OCI image layout directory (`save --format oci-dir`, skopeo's `oci:`): every blob verified into the store. */
async function loadLayoutDir(store: ImageStore, dir: string, options: LoadOptions): Promise<PulledImage[]> {
  const metadata = new Map<string, Buffer>();
  try {
    const index = await readFile(join(dir, 'index.json'));
    if (index.length > maxMetadataBytes) throw new PodbayError('ErrInvalidArg', `index.json is larger than ${maxMetadataBytes} bytes`);
    metadata.set('index.json', index);
    const names = await readdir(join(dir, 'blobs/sha256')).catch(() => [] as string[]);
    for (const name of names) {
      throwIfAborted(options.signal, `loading ${dir}`);
      if (!/^[a-f0-9]{64}$/.test(name)) continue;
      const digest = parseDigest(`sha256:${name}`);
      if (await store.blobs.stat(digest)) continue;
      await store.blobs.put(createReadStream(join(dir, 'blobs/sha256', name), { highWaterMark: 1024 * 1024 }), { digest }, { signal: options.signal });
    }
  } catch (error) {
    if (options.signal?.aborted) throw new PodbayError('ErrCanceled', `loading ${dir}: canceled`, { cause: error });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PodbayError('ErrInvalidArg', `${dir} is not an OCI image layout (no index.json)`, { cause: error });
    throw wrap(error, `reading OCI layout ${dir}`);
  }
  options.admit?.('oci');
  return loadOci(store, metadata, options);
}

function jsonOf(data: Buffer | undefined, what: string): unknown {
  if (!data) throw new PodbayError('ErrInvalidArg', `the archive has no ${what}`);
  try {
    return JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `the archive's ${what} is not valid JSON`, { cause: error });
  }
}

/** A name from an archive: full references as they are; `busybox:1` → docker.io/library/busybox:1 (docker's rule). */
function archiveName(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    const ref = withDefaultTag(parseNormalizedReference(text));
    return ref.digest === undefined ? formatReference(ref) : undefined;
  } catch {
    return undefined;
  }
}

async function loadOci(store: ImageStore, metadata: Map<string, Buffer>, options: LoadOptions): Promise<PulledImage[]> {
  const index = jsonOf(metadata.get('index.json'), 'index.json') as { manifests?: { digest?: unknown; annotations?: Record<string, unknown> }[] };
  if (!Array.isArray(index.manifests)) throw new PodbayError('ErrInvalidArg', 'index.json has no manifests');
  const byDigest = new Map<Digest, string[]>();
  for (const m of index.manifests) {
    if (!isDigest(m.digest)) throw new PodbayError('ErrInvalidArg', 'index.json names an invalid digest');
    const names = byDigest.get(m.digest) ?? [];
    const ref = m.annotations?.[refNameAnnotation];
    // c/image writes a bare tag here; podman a full name. A bare tag names no repository: no name.
    const name = archiveName(ref);
    if (name && typeof ref === 'string' && (ref.includes('/') || ref.includes(':'))) names.push(name);
    byDigest.set(m.digest, names);
  }
  const out: PulledImage[] = [];
  for (const [manifestDigest, names] of byDigest) {
    const bytes = await store.blobs.readBytes(manifestDigest, maxManifestBytes);
    const manifest = parseManifest(bytes);
    if (manifest.kind !== 'image') throw new PodbayError('ErrNotImplemented', `loading an archive whose index entry ${manifestDigest} is itself an index is not supported yet`);
    out.push(await storeImage(store, { manifestDigest, manifestMediaType: manifest.mediaType, config: manifest.config, layers: manifest.layers, names }, options));
  }
  return out;
}

async function loadDocker(store: ImageStore, metadata: Map<string, Buffer>, contents: Map<string, Digest>, resolve: (member: string) => string, options: LoadOptions): Promise<PulledImage[]> {
  const entries = jsonOf(metadata.get('manifest.json'), 'manifest.json') as { Config?: unknown; RepoTags?: unknown; Layers?: unknown }[];
  if (!Array.isArray(entries) || entries.length === 0) throw new PodbayError('ErrInvalidArg', 'manifest.json lists no images');
  const out: PulledImage[] = [];
  for (const entry of entries) {
    if (typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) throw new PodbayError('ErrInvalidArg', 'manifest.json: an entry lacks Config or Layers');
    const configMember = resolve(entry.Config);
    let configBytes = metadata.get(configMember);
    const configBlob = contents.get(configMember);
    if (!configBytes && configBlob) configBytes = await store.blobs.readBytes(configBlob, maxConfigBytes);
    if (!configBytes) throw new PodbayError('ErrInvalidArg', `manifest.json: config ${entry.Config} is not in the archive`);
    const configDigest = digestOf(configBytes);
    await store.blobs.putBytes(configBytes, configDigest);
    const layers: Descriptor[] = [];
    for (const layer of entry.Layers as unknown[]) {
      if (typeof layer !== 'string') throw new PodbayError('ErrInvalidArg', 'manifest.json: a layer path is not a string');
      const digest = contents.get(resolve(layer));
      if (!digest) throw new PodbayError('ErrInvalidArg', `manifest.json: layer ${layer} is not in the archive`);
      const info = await store.blobs.stat(digest);
      const head = await firstBytes(store, digest, 2);
      const gzip = head[0] === 0x1f && head[1] === 0x8b;
      layers.push({ mediaType: gzip ? mediaTypes.ociLayerGzip : mediaTypes.ociLayer, digest, size: info?.size ?? 0 });
    }
    const config: Descriptor = { mediaType: mediaTypes.ociConfig, digest: configDigest, size: configBytes.length };
    const manifestBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociManifest, config, layers: layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })) }));
    const manifestDigest = digestOf(manifestBytes);
    await store.blobs.putBytes(manifestBytes, manifestDigest);
    const names = (Array.isArray(entry.RepoTags) ? entry.RepoTags : []).map(archiveName).filter((n): n is string => n !== undefined);
    out.push(await storeImage(store, { manifestDigest, manifestMediaType: mediaTypes.ociManifest, config, layers, names }, options));
  }
  return out;
}

async function firstBytes(store: ImageStore, digest: Digest, n: number): Promise<Buffer> {
  for await (const chunk of store.blobs.read(digest, { start: 0 }) as AsyncIterable<Buffer>) return chunk.subarray(0, n);
  return Buffer.alloc(0);
}

/**
 * Extracts each layer from its stored blob (DiffIDs checked against the config) and records the
 * image: load and import share it (the manifest, config and layer blobs are in the store already).
 */
export async function storeImage(
  store: ImageStore,
  image: { manifestDigest: Digest; manifestMediaType: string; config: Descriptor; layers: Descriptor[]; names: string[] },
  options: LoadOptions,
): Promise<PulledImage> {
  const configBytes = await store.blobs.readBytes(image.config.digest, maxConfigBytes);
  const config: ImageConfig = parseImageConfig(configBytes);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== image.layers.length) throw new PodbayError('ErrInvalidArg', `the config lists ${diffIds.length} layers but the manifest ${image.layers.length}`);
  // Layers extract side by side (as a pull's do): gunzip runs in the thread pool while the main
  // thread hashes and writes another layer; one at a time left a core idle. A failed layer stops
  // the others (each removes its own temp directory).
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let layers: PulledLayer[];
  try {
    layers = await mapLimit(image.layers, layerConcurrency, controller, async (d, i) => {
      const diffId = diffIds[i]!;
      const known = options.knownLayer?.(diffId);
      if (known && store.layers.has(diffId)) {
        return { digest: d.digest, diffId, size: d.size, diffSize: known.diffSize, mediaType: d.mediaType, diffPath: store.layers.diffPath(diffId) };
      }
      const compression = layerCompression(d.mediaType);
      if (compression === 'zstd') throw new PodbayError('ErrNotImplemented', `layer ${d.digest} is zstd-compressed: not supported yet`);
      const temp = store.layers.createTemp();
      try {
        const hasher = new HashingStream();
        const source = store.blobs.read(d.digest, { highWaterMark: 1024 * 1024 });
        // The blob is on disk whole: its size bounds what it may expand to (the same guard as a pull).
        const guard = new RatioGuard(() => d.size, options.maxRatio ?? defaultMaxRatio, options.bombSlackBytes ?? defaultBombSlackBytes, `layer ${i} (blob ${d.digest})`);
        const stages: Transform[] = compression === 'gzip' ? [createGunzip({ chunkSize: 1024 * 1024 }), guard, hasher] : [hasher];
        await pipeline(source, ...(stages as [Transform]), async (tarStream: AsyncIterable<Buffer>) => {
          await extractLayer(tarStream, temp.diff, { ...options.extract, signal: controller.signal });
        });
        if (hasher.result() !== diffId) throw new PodbayError('ErrInvalidArg', `layer ${i} (blob ${d.digest}) does not match the config's DiffID: expected ${diffId}, got ${hasher.result()}`);
        await store.layers.commit(temp.dir, diffId);
        crashPoint('load.layer-committed');
        return { digest: d.digest, diffId, size: d.size, diffSize: hasher.bytes, mediaType: d.mediaType, diffPath: store.layers.diffPath(diffId) };
      } catch (error) {
        await store.layers.discard(temp.dir);
        const zlibCode = (error as { code?: unknown }).code;
        if (typeof zlibCode === 'string' && zlibCode.startsWith('Z_')) throw new PodbayError('ErrInvalidArg', `layer ${i} (blob ${d.digest}): invalid gzip data: ${(error as Error).message}`, { cause: error });
        throw error;
      }
    });
  } catch (error) {
    if (options.signal?.aborted) throw new PodbayError('ErrCanceled', 'storing image layers: canceled', { cause: error });
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const repoTags = image.names;
  const pulled: PulledImage = {
    id: digestHex(image.config.digest),
    configDigest: image.config.digest,
    manifestDigest: image.manifestDigest,
    manifestMediaType: image.manifestMediaType,
    repoTags,
    repoDigests: [],
    layers,
    config,
  };
  store.recordPulledImage(pulled);
  crashPoint('load.recorded');
  return pulled;
}
