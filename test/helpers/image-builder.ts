// Builds images offline for tests and stores them in a graph root's content store, ready for
// pushImage: a busybox image from busybox-static (binary + applet symlinks) and a big image of
// incompressible layers (deterministic AES-CTR keystream, as the project's bench fixture).
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { BlobStore } from '../../main/core/image/blob-store.ts';
import { digestOf } from '../../main/core/image/digest.ts';
import type { Digest } from '../../main/core/image/digest.ts';
import { mediaTypes } from '../../main/core/image/manifest.ts';
import { makeTar } from './image-tar.ts';
import type { TarMember } from './image-tar.ts';

export const busyboxPath = '/bin/busybox';

export interface BuiltLayer {
  tar: Buffer;
  blob: Buffer;
  digest: Digest;
  diffId: Digest;
}

export interface BuiltImage {
  manifest: Buffer;
  manifestDigest: Digest;
  config: Buffer;
  configDigest: Digest;
  layers: BuiltLayer[];
}

export function busyboxMissing(): string | undefined {
  return existsSync(busyboxPath) ? undefined : `${busyboxPath} is missing (apt-get install busybox-static)`;
}

export function busyboxApplets(): string[] {
  const list = spawnSync(busyboxPath, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter((a) => a && a !== 'busybox');
  return [...new Set(list)].sort();
}

export function layerFromMembers(members: TarMember[], gzip = true): BuiltLayer {
  const tar = makeTar(members);
  const blob = gzip ? gzipSync(tar, { level: 1 }) : tar;
  return { tar, blob, digest: digestOf(blob), diffId: digestOf(tar) };
}

export function busyboxLayer(): BuiltLayer {
  const mtime = 1_704_067_200;
  const members: TarMember[] = [
    { name: './', type: 'dir', mode: 0o755, mtime },
    ...['bin/', 'etc/', 'root/', 'usr/', 'usr/bin/', 'var/', 'var/www/'].map((name) => ({ name, type: 'dir' as const, mode: 0o755, mtime })),
    { name: 'tmp/', type: 'dir', mode: 0o1777, mtime },
    { name: 'bin/busybox', data: readFileSync(busyboxPath), mode: 0o755, mtime },
    ...busyboxApplets().map((a) => ({ name: `bin/${a}`, type: 'symlink' as const, linkname: 'busybox', mtime })),
    { name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n', mtime },
    { name: 'etc/group', data: 'root:x:0:\nnogroup:x:65534:\n', mtime },
    { name: 'var/www/index.html', data: '<html><body>hello from busybox httpd</body></html>\n', mtime },
  ];
  return layerFromMembers(members);
}

/** `count` layers each holding one incompressible file of `size` bytes. */
export function bigLayers(count: number, size: number): BuiltLayer[] {
  return Array.from({ length: count }, (_, i) => {
    const key = createHash('sha256').update(`layer${i + 1}`).digest();
    const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
    const data = Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
    return layerFromMembers([{ name: 'data/', type: 'dir' }, { name: `data/blob${i + 1}.bin`, data, mode: 0o644 }]);
  });
}

export function buildImage(layers: BuiltLayer[], options: { oci?: boolean; architecture?: string; variant?: string; config?: Record<string, unknown> } = {}): BuiltImage {
  const config = Buffer.from(
    JSON.stringify({
      architecture: options.architecture ?? 'amd64',
      ...(options.variant ? { variant: options.variant } : {}),
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: ['/bin/sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...options.config },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map(() => ({ created: '2024-01-01T00:00:00Z', created_by: 'podbay test' })),
    }),
  );
  const configDigest = digestOf(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: options.oci ? mediaTypes.ociManifest : mediaTypes.dockerManifest,
      config: { mediaType: options.oci ? mediaTypes.ociConfig : mediaTypes.dockerConfig, digest: configDigest, size: config.length },
      layers: layers.map((l) => ({ mediaType: options.oci ? mediaTypes.ociLayerGzip : mediaTypes.dockerLayerGzip, digest: l.digest, size: l.blob.length })),
    }),
  );
  return { manifest, manifestDigest: digestOf(manifest), config, configDigest, layers };
}

/** Puts every blob of `image` into the content store under `graphRoot`. */
export async function storeImage(graphRoot: string, image: BuiltImage): Promise<void> {
  const store = new BlobStore(graphRoot);
  await store.putBytes(image.manifest, image.manifestDigest);
  await store.putBytes(image.config, image.configDigest);
  for (const l of image.layers) await store.putBytes(l.blob, l.digest);
}

export function buildIndex(entries: { image: BuiltImage; architecture: string; variant?: string }[]): { bytes: Buffer; digest: Digest } {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociIndex,
      manifests: entries.map((e) => ({
        mediaType: JSON.parse(e.image.manifest.toString()).mediaType,
        digest: e.image.manifestDigest,
        size: e.image.manifest.length,
        platform: { os: 'linux', architecture: e.architecture, ...(e.variant ? { variant: e.variant } : {}) },
      })),
    }),
  );
  return { bytes, digest: digestOf(bytes) };
}

/**
 * Installs `image` in the image store under `graphRoot` as a pull would leave it: blobs stored,
 * layers extracted (real files) and the image recorded under `name`. Returns the image ID.
 */
export async function installImage(graphRoot: string, image: BuiltImage, name: string): Promise<string> {
  const [{ ImageStore }, { extractLayer }] = await Promise.all([import('../../main/core/image/image-store.ts'), import('../../main/core/image/layer-extract.ts')]);
  await storeImage(graphRoot, image);
  const store = ImageStore.open(graphRoot);
  try {
    for (const layer of image.layers) {
      if (store.layers.has(layer.diffId)) continue;
      const temp = store.layers.createTemp();
      await extractLayer((async function* () { yield layer.tar; })(), temp.diff);
      await store.layers.commit(temp.dir, layer.diffId);
    }
    const config = JSON.parse(image.config.toString()) as { rootfs: { diff_ids: string[] } };
    const repo = name.slice(0, name.lastIndexOf(':'));
    const id = image.configDigest.slice(7);
    store.recordPulledImage({
      id,
      configDigest: image.configDigest,
      manifestDigest: image.manifestDigest,
      manifestMediaType: mediaTypes.dockerManifest,
      repoTags: [name],
      repoDigests: [`${repo}@${image.manifestDigest}`],
      layers: image.layers.map((l) => ({ digest: l.digest, diffId: l.diffId, size: l.blob.length, diffSize: l.tar.length, mediaType: mediaTypes.dockerLayerGzip, diffPath: store.layers.diffPath(l.diffId) })),
      config: config as never,
    });
    return id;
  } finally {
    store.close();
  }
}
