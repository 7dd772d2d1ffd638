// Manifests, indexes and image configs: strict parsing of registry JSON into typed values with
// every digest validated (CVE-2024-3727), ambiguous documents refused (CVE-2021-41190), size and
// entry limits (CVE-2020-1702), and platform choice from a list or index (c/image platform matcher).
import { PodbayError } from '../../../shared/errors.ts';
import { parseDigest } from './digest.ts';
import type { Digest } from './digest.ts';

export const mediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
} as const;

/** What a manifest GET accepts, in c/image's order (schema 1 included only to refuse it clearly). */
export const manifestAccept = [
  mediaTypes.ociManifest,
  mediaTypes.dockerManifest,
  mediaTypes.dockerSchema1Signed,
  mediaTypes.dockerSchema1,
  mediaTypes.dockerList,
  mediaTypes.ociIndex,
];

/** c/image's limits (internal/iolimits). */
export const maxManifestBytes = 4 * 1024 * 1024;
export const maxConfigBytes = 4 * 1024 * 1024;
export const maxIndexEntries = 1000;
export const maxLayers = 500; // overlay's lower-dir limit (c/storage maxDepth)

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  annotations?: Record<string, string>;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface ImageManifest {
  kind: 'image';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface IndexManifest {
  kind: 'index';
  mediaType: string;
  manifests: (Descriptor & { platform?: Platform })[];
}

export type Manifest = ImageManifest | IndexManifest;

export type LayerCompression = 'gzip' | 'none' | 'zstd';

function bad(what: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `invalid manifest: ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseDescriptor(raw: unknown, where: string): Descriptor {
  if (!isObject(raw)) throw bad(`${where} is not an object`);
  if (typeof raw.mediaType !== 'string' || raw.mediaType.length > 255) throw bad(`${where} has no media type`);
  if (typeof raw.digest !== 'string') throw bad(`${where} has no digest`);
  let digest: Digest;
  try {
    digest = parseDigest(raw.digest);
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `invalid manifest: ${where} digest`, { cause: error });
  }
  if (typeof raw.size !== 'number' || !Number.isSafeInteger(raw.size) || raw.size < 0) throw bad(`${where} has an invalid size`);
  if (raw.urls !== undefined) {
    // Foreign layers would make us fetch from arbitrary URLs named by the image.
    throw new PodbayError('ErrNotImplemented', `${where} is a foreign layer (urls): not supported`);
  }
  const d: Descriptor = { mediaType: raw.mediaType, digest, size: raw.size };
  if (isObject(raw.annotations)) {
    d.annotations = Object.fromEntries(Object.entries(raw.annotations).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  return d;
}

function parsePlatform(raw: unknown): Platform | undefined {
  if (!isObject(raw)) return undefined;
  if (typeof raw.os !== 'string' || typeof raw.architecture !== 'string') return undefined;
  return { os: raw.os, architecture: raw.architecture, variant: typeof raw.variant === 'string' ? raw.variant : undefined };
}

/**
 * Parses a manifest or index. `contentType` is the response header, used only when the body
 * names no media type. Schema 1 is refused with ErrNotImplemented: it is deprecated, unsigned in
 * practice, and podman 5 refuses to push it.
 */
export function parseManifest(bytes: Uint8Array, contentType?: string): Manifest {
  if (bytes.length > maxManifestBytes) throw bad(`${bytes.length} bytes exceeds the ${maxManifestBytes}-byte limit`);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw bad('not JSON');
  }
  if (!isObject(doc)) throw bad('not a JSON object');
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const header = contentType?.split(';')[0]?.trim();
  if (doc.schemaVersion === 1 || declared === mediaTypes.dockerSchema1 || declared === mediaTypes.dockerSchema1Signed || header === mediaTypes.dockerSchema1 || header === mediaTypes.dockerSchema1Signed) {
    throw new PodbayError('ErrNotImplemented', 'the image uses Docker manifest schema 1, which is deprecated and not supported: rebuild or re-push it with a current tool');
  }
  if (doc.schemaVersion !== 2) throw bad(`unsupported schemaVersion ${JSON.stringify(doc.schemaVersion)}`);
  const hasManifests = doc.manifests !== undefined;
  const hasImageParts = doc.config !== undefined || doc.layers !== undefined;
  if (hasManifests && hasImageParts) throw bad('it has both "manifests" and "config"/"layers" (ambiguous document)');
  let mediaType = declared ?? header ?? '';
  if (declared === undefined) {
    // No mediaType in the body (allowed for OCI): decide from the structure, as c/image GuessMIMEType.
    if (hasManifests) mediaType = mediaTypes.ociIndex;
    else if (isObject(doc.config) && doc.config.mediaType === mediaTypes.dockerConfig) mediaType = mediaTypes.dockerManifest;
    else mediaType = mediaTypes.ociManifest;
  }
  if (mediaType === mediaTypes.ociIndex || mediaType === mediaTypes.dockerList) {
    if (!Array.isArray(doc.manifests)) throw bad('an index without a "manifests" array');
    if (hasImageParts) throw bad('an index with "config"/"layers"');
    if (doc.manifests.length > maxIndexEntries) throw bad(`the index has ${doc.manifests.length} entries, more than ${maxIndexEntries}`);
    return {
      kind: 'index',
      mediaType,
      manifests: doc.manifests.map((m, i) => ({ ...parseDescriptor(m, `manifests[${i}]`), platform: parsePlatform((m as Record<string, unknown>).platform) })),
    };
  }
  if (mediaType === mediaTypes.ociManifest || mediaType === mediaTypes.dockerManifest) {
    if (hasManifests) throw bad('an image manifest with "manifests"');
    if (!Array.isArray(doc.layers)) throw bad('no "layers" array');
    if (doc.layers.length > maxLayers) throw bad(`${doc.layers.length} layers, more than ${maxLayers}`);
    return {
      kind: 'image',
      mediaType,
      config: parseDescriptor(doc.config, 'config'),
      layers: doc.layers.map((l, i) => parseDescriptor(l, `layers[${i}]`)),
    };
  }
  throw bad(`unsupported media type ${JSON.stringify(mediaType.slice(0, 100))}`);
}

export function layerCompression(mediaType: string): LayerCompression {
  switch (mediaType) {
    case mediaTypes.ociLayerGzip:
    case mediaTypes.dockerLayerGzip:
      return 'gzip';
    case mediaTypes.ociLayer:
      return 'none';
    case mediaTypes.ociLayerZstd:
      return 'zstd';
    default:
      throw new PodbayError('ErrNotImplemented', `layer media type ${JSON.stringify(mediaType.slice(0, 100))} is not supported`);
  }
}

/** This machine's platform in OCI terms (Node's `x64` is `amd64`). */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch, variant: process.arch === 'arm64' ? 'v8' : undefined };
}

const compatibleVariants: Record<string, string[]> = { arm: ['v8', 'v7', 'v6', 'v5'], arm64: ['v8'] };

/** Variants acceptable for `wanted`, best first (c/image `WantedPlatforms`). */
function wantedVariants(wanted: Platform): (string | undefined)[] {
  const table = compatibleVariants[wanted.architecture] ?? [];
  if (wanted.variant) {
    const at = table.indexOf(wanted.variant);
    return [...(at >= 0 ? table.slice(at) : [wanted.variant]), undefined];
  }
  return [undefined, ...table];
}

/**
 * Picks the entry for `wanted` (default: this machine). Entries without a platform rank last.
 * Throws ErrNoSuchImage naming the platforms on offer when none fits.
 */
export function choosePlatform(index: IndexManifest, wanted: Platform = hostPlatform()): Descriptor {
  const variants = wantedVariants(wanted);
  let best: { rank: number; entry: Descriptor } | undefined;
  for (const entry of index.manifests) {
    let rank: number;
    if (!entry.platform) rank = variants.length;
    else if (entry.platform.os !== wanted.os || entry.platform.architecture !== wanted.architecture) continue;
    else {
      const v = variants.indexOf(entry.platform.variant);
      if (v < 0) continue;
      rank = v;
    }
    if (!best || rank < best.rank) best = { rank, entry };
  }
  if (!best) {
    const offered = index.manifests.map((m) => (m.platform ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/') : '?')).join(', ');
    throw new PodbayError('ErrNoSuchImage', `no image found in the manifest list for platform ${[wanted.os, wanted.architecture, wanted.variant].filter(Boolean).join('/')} (offered: ${offered.slice(0, 500)})`);
  }
  const { platform: _platform, ...descriptor } = best.entry as Descriptor & { platform?: Platform };
  return descriptor;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  created?: string;
  config?: Record<string, unknown>;
  rootfs: { type: 'layers'; diff_ids: Digest[] };
  history?: unknown[];
  [key: string]: unknown;
}

export function parseImageConfig(bytes: Uint8Array): ImageConfig {
  if (bytes.length > maxConfigBytes) throw new PodbayError('ErrInvalidArg', `invalid image config: more than ${maxConfigBytes} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new PodbayError('ErrInvalidArg', 'invalid image config: not JSON');
  }
  if (!isObject(doc) || !isObject(doc.rootfs) || doc.rootfs.type !== 'layers' || !Array.isArray(doc.rootfs.diff_ids)) {
    throw new PodbayError('ErrInvalidArg', 'invalid image config: no rootfs.diff_ids');
  }
  const diffIds = doc.rootfs.diff_ids.map((d, i) => {
    try {
      return parseDigest(String(d));
    } catch (error) {
      throw new PodbayError('ErrInvalidArg', `invalid image config: rootfs.diff_ids[${i}]`, { cause: error });
    }
  });
  return { ...(doc as Record<string, unknown>), rootfs: { type: 'layers', diff_ids: diffIds } } as ImageConfig;
}
