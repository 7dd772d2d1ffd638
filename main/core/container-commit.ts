// libpod Container.Commit (libpod/container_commit.go over buildah's import builder): the container's
// writable layer becomes a new image layer on top of its image's layers. The overlay upper dir is
// archived with its whiteouts in OCI form (0/0 char devices → `.wh.<name>`, opaque dirs →
// `.wh..wh..opq`); with the vfs driver, which keeps no upper dir, what the container's copy changed
// against the image's layers (vfs-changes.ts, as c/storage's naive diff) is archived, deletions as
// `.wh.` members. The tar is hashed (the DiffID) and gzip-compressed into the content store as it
// streams; the config is the image's, with what podman carries over from the container (entrypoint,
// command, env, labels, user, workdir), the author, the `--change` instructions, the new layer's
// DiffID and a history entry. The layer is then extracted into the layer store from its blob and the
// image recorded in one transaction, under a pull lease so no garbage collection removes its blobs
// first — the same path `load` takes (archive.ts storeImage). A running container is paused for the
// copy (unless `pause: false`) and unpaused afterwards, also when the commit fails.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PodbayError, wrap } from '../../shared/errors.ts';
import type { CommitFrame } from '../../shared/types/container-files.ts';
import type { ContainerConfig } from './container-config.ts';
import { syncRecords } from './container-internal.ts';
import type { LifecycleContext } from './container-internal.ts';
import { pauseContainer, readRecord, unpauseContainer } from './container-lifecycle.ts';
import { crashPoint } from './crash-point.ts';
import { isRuntimeMountPoint, vfsImageView } from './container-diff.ts';
import { mountRootfs, rootfsPaths } from './container-rootfs.ts';
import { storeImage } from './image/archive.ts';
import { applyChanges } from './image/config-changes.ts';
import { digestOf } from './image/digest.ts';
import type { Digest } from './image/digest.ts';
import { storeGzipLayer } from './image/gzip-layer.ts';
import type { GzipLayerBlob } from './image/gzip-layer.ts';
import type { ImageRecord, LayerRecord } from './image/image-store.ts';
import { normalizeTagName } from './image/image-store.ts';
import type { ImageRuntime } from './image/image-runtime.ts';
import { RootFs } from './image/in-root.ts';
import { layerCompression, mediaTypes } from './image/manifest.ts';
import { archiveTree } from './image/tree-archive.ts';
import type { ArchiveTreeOptions, ArchiveTreeReport } from './image/tree-archive.ts';
import { treeChanges } from './vfs-changes.ts';

export type CommitFormat = 'oci' | 'docker';

export interface CommitOptions {
  /** The new image's name (a short name becomes localhost/NAME:latest); none leaves it dangling. */
  name?: string;
  author?: string;
  /** The history entry's comment (podman --message). */
  message?: string;
  /** `--change` instructions, as typed (`CMD=/bin/sh`, `ENV A=b`, …). */
  changes?: readonly string[];
  /** Pause a running container during the commit (default true). */
  pause?: boolean;
  format?: CommitFormat;
  onFrame?: (frame: CommitFrame) => void;
  signal?: AbortSignal;
}

export interface CommitContext extends LifecycleContext {
  images(): Promise<ImageRuntime>;
}

export interface CommitReport {
  /** The new image's ID (config digest hex). */
  id: string;
  names: string[];
}

/** Bytes of the regular files under `dir` (never following a symlink), for the progress total. */
function treeBytes(dir: string): number {
  let total = 0;
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const st = lstatSync(join(path, name));
      if (st.isDirectory()) walk(join(path, name));
      else if (st.isFile()) total += st.size;
    }
  };
  walk(dir);
  return total;
}

/** What a commit archives: a tree, how, and how many file bytes that is (the progress total). */
interface LayerSource {
  root: string;
  archive: Pick<ArchiveTreeOptions, 'whiteouts' | 'skip' | 'deleted'>;
  totalBytes: number;
}

/** overlay: the upper dir is the layer, its whiteouts turned into OCI ones. */
function overlayLayerSource(graphRoot: string, id: string): LayerSource {
  const { upper } = rootfsPaths(graphRoot, id);
  return { root: upper, archive: { whiteouts: 'oci' }, totalBytes: treeBytes(upper) };
}

/**
 * vfs: the container's copy, of which only what differs from the image (vfs-changes.ts) is archived —
 * added and changed paths with the directories leading to them, deletions as `.wh.` members.
 * A container never started gets its copy made first (it has no changes then: an empty layer).
 */
async function vfsLayerSource(graphRoot: string, config: ContainerConfig): Promise<LayerSource> {
  const merged = await mountRootfs(config, { graphRoot, driver: 'vfs' });
  const changes = treeChanges(merged, vfsImageView(graphRoot, config.rootfsImage?.layers ?? []), isRuntimeMountPoint);
  const wanted = new Set<string>();
  const deleted = new Map<string, string[]>();
  let totalBytes = 0;
  for (const { path, kind } of changes) {
    const parts = path.slice(1).split('/');
    for (let depth = 1; depth < parts.length; depth++) wanted.add(parts.slice(0, depth).join('/'));
    if (kind === 'D') {
      const dir = parts.slice(0, -1).join('/');
      deleted.set(dir, [...(deleted.get(dir) ?? []), parts.at(-1) as string]);
      continue;
    }
    wanted.add(parts.join('/'));
    const st = lstatSync(join(merged, ...parts));
    if (st.isFile()) totalBytes += st.size;
  }
  return { root: merged, archive: { whiteouts: 'none', skip: (path) => !wanted.has(path.join('/')), deleted }, totalBytes };
}

/** The layer media type of `layer` in a manifest of `format` (OCI and Docker spell them apart). */
function layerMediaType(layer: Pick<LayerRecord, 'mediaType' | 'diffId'>, format: CommitFormat): string {
  const compression = layerCompression(layer.mediaType);
  if (format === 'oci') return compression === 'gzip' ? mediaTypes.ociLayerGzip : compression === 'zstd' ? mediaTypes.ociLayerZstd : mediaTypes.ociLayer;
  if (compression === 'zstd') throw new PodbayError('ErrInvalidArg', `layer ${layer.diffId} is zstd-compressed, which the docker format cannot describe: commit with --format oci`);
  return compression === 'gzip' ? mediaTypes.dockerLayerGzip : 'application/vnd.docker.image.rootfs.diff.tar';
}

/**
 * The new image's config: the parent's, with what libpod's Commit copies from the container, then the
 * changes; the new layer's DiffID and a history entry appended.
 */
export function commitConfig(parent: ImageRecord['config'], container: Pick<ContainerConfig, 'spec' | 'labels' | 'entrypoint' | 'command'>, layer: { diffId: Digest }, options: Pick<CommitOptions, 'author' | 'message' | 'changes' | 'format'>, now: Date): Record<string, unknown> {
  const proc = container.spec.process;
  let config: Record<string, unknown> = { ...((parent.config as Record<string, unknown> | undefined) ?? {}) };
  // Entrypoint first: setting it must not wipe the command (buildah SetEntrypoint then SetCmd).
  const entrypoint = container.entrypoint ?? [];
  const command = container.command ?? proc.args;
  config.Entrypoint = entrypoint.length > 0 ? entrypoint : null;
  config.Cmd = command.length > 0 ? command : null;
  if (proc.env) config.Env = [...proc.env];
  if (Object.keys(container.labels).length > 0) config.Labels = { ...container.labels };
  if (proc.user) config.User = proc.user;
  config.WorkingDir = proc.cwd ?? '/';
  config = applyChanges(config, options.changes ?? []);
  const created = now.toISOString();
  const history = [...(Array.isArray(parent.history) ? parent.history : []), {
    created,
    created_by: proc.args.join(' '),
    ...(options.author ? { author: options.author } : {}),
    ...(options.message ? { comment: options.message } : {}),
  }];
  const { rootfs: _rootfs, history: _history, config: _config, created: _created, author: _author, comment: _comment, container: _container, container_config: _cc, ...rest } = parent as Record<string, unknown>;
  return {
    ...rest,
    created,
    ...(options.author ? { author: options.author } : {}),
    ...(options.format === 'docker' && options.message ? { comment: options.message } : {}),
    architecture: parent.architecture ?? 'amd64',
    os: parent.os ?? 'linux',
    config,
    rootfs: { type: 'layers', diff_ids: [...parent.rootfs.diff_ids, layer.diffId] },
    history,
  };
}

/**
 * Commits container `id` (full ID). Not from an image (--rootfs) → ErrInvalidArg; a bad `--change`
 * → ErrInvalidArg before anything is paused. overlay archives the upper dir, vfs what its copy
 * changed against the image. Emits `commit` for the container and the image.
 */
export async function commitContainer(ctx: CommitContext, id: string, options: CommitOptions = {}): Promise<CommitReport> {
  const record = readRecord(ctx, id);
  const { config } = record;
  const frame = options.onFrame ?? (() => undefined);
  const format = options.format ?? 'oci';
  if (!config.rootfsImage?.id) throw new PodbayError('ErrInvalidArg', `cannot commit container ${config.name}: it does not use an image (--rootfs)`);
  const settings = ctx.settings();
  applyChanges({}, options.changes ?? []); // refuse bad changes before any work
  const names = options.name ? [normalizeTagName(options.name)] : [];
  const images = await ctx.images();
  const parent = images.store.getImage(config.rootfsImage.id);

  let paused = false;
  const current = syncRecords(ctx, [record])[0] ?? record;
  if (current.state.status === 'running' && options.pause !== false) {
    frame({ type: 'progress', phase: 'pausing', bytes: 0, totalBytes: null });
    await pauseContainer(ctx, id, options.signal ? { signal: options.signal } : {});
    paused = true;
  }
  const lease = await images.store.beginPull(options.signal);
  let committed: CommitReport;
  try {
    const source = settings.storage.driver === 'vfs' ? await vfsLayerSource(settings.storage.graphRoot, config) : overlayLayerSource(settings.storage.graphRoot, id);
    const { totalBytes } = source;
    frame({ type: 'progress', phase: 'writing', bytes: 0, totalBytes });
    const fs = RootFs.open(source.root);
    const tarReport: ArchiveTreeReport = { entries: 0, fileBytes: 0, whiteouts: 0, opaqueDirs: 0 };
    let layerBlob: GzipLayerBlob;
    try {
      let sent = 0;
      let last = 0;
      const tar = archiveTree(fs, '/', {
        name: '.',
        ...source.archive,
        ...(options.signal ? { signal: options.signal } : {}),
        onBytes: (n) => {
          sent += n;
          // About ten progress frames a second at most, however small the files.
          const now = Date.now();
          if (now - last >= 100) {
            last = now;
            frame({ type: 'progress', phase: 'writing', bytes: sent, totalBytes });
          }
        },
      }, tarReport);
      layerBlob = await storeGzipLayer(images.store.blobs, tar, options.signal);
      crashPoint('commit.layer-stored');
    } finally {
      fs.close();
    }
    // The copy is done: the container may run on while the layer is stored.
    if (paused) {
      paused = false;
      await unpauseContainer(ctx, id);
    }
    frame({ type: 'progress', phase: 'storing', bytes: tarReport.fileBytes, totalBytes });
    const { diffId } = layerBlob;
    const imageConfig = commitConfig(parent.config, config, { diffId }, { ...options, format }, ctx.now());
    const configBytes = Buffer.from(JSON.stringify(imageConfig));
    const configDescriptor = { mediaType: format === 'oci' ? mediaTypes.ociConfig : mediaTypes.dockerConfig, digest: digestOf(configBytes), size: configBytes.length };
    await images.store.blobs.putBytes(configBytes, configDescriptor.digest);
    const layers = [
      ...parent.layers.map((l) => ({ mediaType: layerMediaType(l, format), digest: l.blobDigest, size: l.compressedSize })),
      { mediaType: format === 'oci' ? mediaTypes.ociLayerGzip : mediaTypes.dockerLayerGzip, digest: layerBlob.digest, size: layerBlob.size },
    ];
    const manifestMediaType = format === 'oci' ? mediaTypes.ociManifest : mediaTypes.dockerManifest;
    const manifestBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: manifestMediaType, config: configDescriptor, layers }));
    const manifestDigest = digestOf(manifestBytes);
    await images.store.blobs.putBytes(manifestBytes, manifestDigest);
    crashPoint('commit.manifest-stored');
    const pulled = await storeImage(images.store, { manifestDigest, manifestMediaType, config: configDescriptor, layers, names }, {
      knownLayer: (d) => images.store.knownLayer(d),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    committed = { id: pulled.id, names };
  } catch (error) {
    try {
      images.store.endLease(lease);
    } catch {
      // A full disk may refuse even this: the original error matters more, and a dead process's lease is collected.
    }
    if (paused) await unpauseContainer(ctx, id).catch(() => undefined);
    paused = false;
    // What was stored but never recorded is garbage now (skipped while a pull runs; the next start collects it).
    await images.collectGarbage().catch(() => undefined);
    throw wrap(error, `committing container ${config.name}`);
  } finally {
    try {
      images.store.endLease(lease);
    } catch {
      // See above: ending the lease twice is harmless, failing to end it must not hide the outcome.
    }
    if (paused) await unpauseContainer(ctx, id).catch(() => undefined);
  }
  ctx.emitContainer('commit', config, { imageID: committed.id });
  ctx.events().write({ type: 'image', action: 'commit', id: committed.id, name: names[0] ?? committed.id, attributes: { container: config.id } });
  frame({ type: 'progress', phase: 'done', bytes: 0, totalBytes: null });
  return committed;
}
