// Images as the UI and the CLI see them (podman `pkg/domain/entities` ImageSummary / ImageInspect),
// and the typed progress frames of pulls and pushes. Digests are `sha256:<64 hex>` strings, already
// validated by the core.

/** One row of `images.list` / `podbay images`. */
export interface ImageListItem {
  /** Config digest hex: podman's image ID. */
  id: string;
  /** Manifest digest of the image as pulled (`sha256:…`). */
  digest: string;
  /** `domain/path:tag`, oldest first; empty for a dangling image. */
  repoTags: string[];
  /** `domain/path@sha256:…` for each repository the image is known under. */
  repoDigests: string[];
  /** The image config's `created` (RFC 3339), or the time it was stored when the config has none. */
  created: string;
  /** Bytes of the uncompressed layers (what `podman images` shows as SIZE). */
  size: number;
  /** Bytes of layers this image shares with other images in the store. */
  sharedSize: number;
  labels: Record<string, string>;
  /** When it entered this store (RFC 3339). */
  storedAt: string;
  dangling: boolean;
}

export interface ImageLayerInfo {
  /** Compressed blob digest as in the manifest. */
  digest: string;
  diffId: string;
  /** Compressed bytes. */
  size: number;
  /** Uncompressed bytes. */
  diffSize: number;
  mediaType: string;
}

/** `images.inspect` / `podbay image inspect`: the list item plus what a details view needs. */
export interface ImageInspect extends ImageListItem {
  manifestMediaType: string;
  /** Digest of the manifest list / index the image was chosen from, when there was one. */
  listDigest: string | null;
  configDigest: string;
  architecture: string;
  os: string;
  variant: string | null;
  author: string | null;
  /** The image config's `config` object (Env, Cmd, Entrypoint, WorkingDir, Labels …), as stored. */
  config: Record<string, unknown>;
  history: { created?: string; created_by?: string; comment?: string; empty_layer?: boolean }[];
  layers: ImageLayerInfo[];
  /** Overlay lower dirs, top layer first: what a container's rootfs is mounted from. */
  layerPaths: string[];
}

/** podman's ImageRemoveReport, one per name given. */
export interface ImageRemoveReport {
  nameOrId: string;
  /** Names that were untagged. */
  untagged: string[];
  /** Image IDs whose records were deleted. */
  deleted: string[];
  error?: { code: string; message: string };
}

export interface ImagePruneReport {
  deleted: string[];
  /** Bytes of uncompressed layers freed. */
  reclaimedBytes: number;
}

/** `images.save`: the archive waits in the web host's transfer store, fetched once by its id. */
export interface ImageSaveResult {
  transferId: string;
  /** Suggested file name (`busybox-latest.tar`). */
  filename: string;
  bytes: number;
}

/** `images.resolve`: where a reference would be pulled from, in the order a pull tries. */
export interface ImageResolution {
  input: string;
  /** How the candidates were found: a fully qualified name, a short-name alias, or the search registries. */
  origin: 'qualified' | 'alias' | 'search';
  /** Fully qualified references with a tag or digest. */
  candidates: string[];
}

// Progress. The core emits these, coalesced to about ten byte updates per second per layer.

export type PullProgressEvent =
  | { type: 'resolving'; reference: string }
  | { type: 'manifest'; reference: string; manifestDigest: string; layers: { digest: string; size: number }[] }
  | { type: 'layer-exists'; digest: string; size: number }
  | { type: 'layer-bytes'; digest: string; done: number; total: number; bytesPerSecond?: number }
  | { type: 'layer-resumed'; digest: string; offset: number }
  | { type: 'layer-verifying'; digest: string }
  | { type: 'layer-done'; digest: string; size: number }
  | { type: 'done'; reference: string; imageId: string };

export type PushProgressEvent =
  /** Before any blob: everything the push may send (config first, then layers), so totals are known. */
  | { type: 'push-started'; reference: string; blobs: { digest: string; size: number }[] }
  | { type: 'blob-exists'; digest: string; size: number }
  | { type: 'blob-mounted'; digest: string; size: number; from: string }
  | { type: 'blob-bytes'; digest: string; done: number; total: number; bytesPerSecond?: number }
  | { type: 'blob-done'; digest: string; size: number }
  | { type: 'manifest-written'; reference: string; digest: string };

/** A pull stream's frames: where the name resolved, then progress, then each image pulled. */
export type ImagePullFrame =
  | { type: 'resolved'; resolution: ImageResolution }
  | PullProgressEvent
  | { type: 'image'; image: ImageListItem };

/** A push stream's frames: progress, then the manifest digest the registry stored. */
export type ImagePushFrame = PushProgressEvent | { type: 'pushed'; reference: string; manifestDigest: string };

/** Phases a UI shows per layer, derived from the events above. */
export type LayerPhase = 'waiting' | 'downloading' | 'verifying' | 'exists' | 'done';

/** podman's go-units HumanSize (decimal units, three significant digits): "106 MB", "4.26 kB". */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return `${Number(value.toPrecision(3))} ${units[i]}`;
}

/** Binary units for byte progress, as podman's progress bars: "12.3MiB". */
export function binarySize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${value}B` : `${value.toFixed(1)}${units[i]}`;
}
