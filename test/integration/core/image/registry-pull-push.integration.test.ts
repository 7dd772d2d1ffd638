// Push and pull against Debian's docker-registry on 127.0.0.1, with skopeo as the oracle that the
// registry really holds what we pushed (the product never calls skopeo).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { BlobStore } from '../../../../main/core/image/blob-store.ts';
import { parseNormalizedReference } from '../../../../main/core/image/reference.ts';
import { parseRegistriesConf } from '../../../../main/core/image/registries-conf.ts';
import { pullAllTags, pullImage } from '../../../../main/core/image/pull.ts';
import { pushImage } from '../../../../main/core/image/push.ts';
import { RegistryClient } from '../../../../main/core/image/registry-client.ts';
import type { PullProgressEvent } from '../../../../main/core/image/progress.ts';
import { busyboxApplets, busyboxLayer, busyboxMissing, busyboxPath, buildImage, buildIndex, layerFromMembers, storeImage } from '../../../helpers/image-builder.ts';
import type { BuiltImage } from '../../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../../helpers/registry-server.ts';
import type { RegistryServer } from '../../../helpers/registry-server.ts';
import { makeTempStore } from '../../../helpers/temp-store.ts';
import type { TempStore } from '../../../helpers/temp-store.ts';

const missing = registryMissing() ?? busyboxMissing();
const hasSkopeo = !spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).error;
if (missing) console.warn(`skipping registry pull/push tests: ${missing}`);

describe.skipIf(missing !== undefined)('pull and push against a real registry', () => {
  let registry: RegistryServer;
  let source: TempStore;
  let busybox: BuiltImage;
  const stores: TempStore[] = [];
  const newStore = () => {
    const s = makeTempStore('podbay-pull-');
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    registry = await startRegistry();
    source = newStore();
    busybox = buildImage([busyboxLayer()]);
    await storeImage(source.root, busybox);
  });
  afterAll(async () => {
    await registry?.stop();
    for (const s of stores) s.cleanup();
  });

  it('pushes a busybox image built offline, and skopeo reads it back with the same digest', async () => {
    const report = await pushImage(parseNormalizedReference(`${registry.host}/podbay/busybox:latest`), {
      graphRoot: source.root,
      manifestDigest: busybox.manifestDigest,
      tlsVerify: false,
    });
    expect(report.uploaded.sort()).toEqual([busybox.configDigest, busybox.layers[0]!.digest].sort());
    if (hasSkopeo) {
      const inspect = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${registry.host}/podbay/busybox:latest`], { encoding: 'utf8' }));
      expect(inspect.Digest).toBe(busybox.manifestDigest);
      expect(inspect.Layers).toEqual([busybox.layers[0]!.digest]);
    }
  });

  it('pulls it back: blobs stored as pulled, bin/busybox byte for byte, applet symlinks, config diff_ids', async () => {
    const store = newStore();
    const events: PullProgressEvent[] = [];
    const image = await pullImage(`${registry.host}/podbay/busybox`, { graphRoot: store.root, tlsVerify: false, onProgress: (e) => events.push(e) });
    expect(image.id).toBe(busybox.configDigest.slice(7));
    expect(image.manifestDigest).toBe(busybox.manifestDigest);
    expect(image.repoTags).toEqual([`${registry.host}/podbay/busybox:latest`]);
    expect(image.repoDigests).toEqual([`${registry.host}/podbay/busybox@${busybox.manifestDigest}`]);
    expect(image.layers).toHaveLength(1);
    const layer = image.layers[0]!;
    expect(layer.diffId).toBe(busybox.layers[0]!.diffId);
    expect(layer.diffPath).toBe(join(store.root, 'layers', busybox.layers[0]!.diffId.slice(7), 'diff'));
    const rootfs = layer.diffPath;
    expect(readFileSync(join(rootfs, 'bin/busybox')).equals(readFileSync(busyboxPath))).toBe(true);
    expect(lstatSync(join(rootfs, 'bin/busybox')).mode & 0o7777).toBe(0o755);
    expect(lstatSync(join(rootfs, 'tmp')).mode & 0o7777).toBe(0o1777);
    const applets = busyboxApplets();
    expect(applets.length).toBeGreaterThan(100);
    for (const a of applets) expect(readlinkSync(join(rootfs, 'bin', a))).toBe('busybox');
    // The content store keeps the compressed blob exactly as pulled (a later push is byte-identical).
    const blobs = new BlobStore(store.root);
    expect((await blobs.readBytes(busybox.layers[0]!.digest, 64 * 1024 * 1024)).equals(busybox.layers[0]!.blob)).toBe(true);
    expect((await blobs.readBytes(busybox.manifestDigest)).equals(busybox.manifest)).toBe(true);
    expect(blobs.listTemp()).toEqual([]);
    expect(readdirSync(join(store.root, 'layers'))).toEqual([busybox.layers[0]!.diffId.slice(7)]);
    // Progress reaches 100 % of the layer.
    const bytes = events.filter((e): e is Extract<PullProgressEvent, { type: 'layer-bytes' }> => e.type === 'layer-bytes');
    expect(bytes.at(-1)).toMatchObject({ done: busybox.layers[0]!.blob.length, total: busybox.layers[0]!.blob.length });
    expect(events.at(-1)).toMatchObject({ type: 'done', imageId: image.id });

    // A second pull finds everything present and downloads no layer.
    const again: PullProgressEvent[] = [];
    await pullImage(`${registry.host}/podbay/busybox:latest`, { graphRoot: store.root, tlsVerify: false, onProgress: (e) => again.push(e) });
    expect(again.some((e) => e.type === 'layer-exists')).toBe(true);
    expect(again.some((e) => e.type === 'layer-bytes')).toBe(false);
  });

  it('pulls by digest and resolves a short name through registries.conf', async () => {
    const store = newStore();
    const byDigest = await pullImage(`${registry.host}/podbay/busybox@${busybox.manifestDigest}`, { graphRoot: store.root, tlsVerify: false });
    expect(byDigest.repoTags).toEqual([]);
    const conf = parseRegistriesConf(`unqualified-search-registries = ["${registry.host}"]\n[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
    const short = await pullImage('podbay/busybox', { graphRoot: store.root, registriesConf: conf });
    expect(short.repoTags).toEqual([`${registry.host}/podbay/busybox:latest`]);
  });

  it('pulls every tag of a repository (--all-tags)', async () => {
    for (const tag of ['a', 'b']) {
      await pushImage(parseNormalizedReference(`${registry.host}/podbay/tags:${tag}`), { graphRoot: source.root, manifestDigest: busybox.manifestDigest, tlsVerify: false });
    }
    const store = newStore();
    const images = await pullAllTags(`${registry.host}/podbay/tags`, { graphRoot: store.root, tlsVerify: false });
    expect(images.flatMap((i) => i.repoTags).sort()).toEqual([`${registry.host}/podbay/tags:a`, `${registry.host}/podbay/tags:b`]);
    let caught: unknown;
    try {
      await pullAllTags(`${registry.host}/podbay/tags:a`, { graphRoot: store.root, tlsVerify: false });
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  });

  it('refuses plain HTTP unless the registry is insecure, and reports a missing image as ErrNoSuchImage', async () => {
    const store = newStore();
    let caught: unknown;
    try {
      await pullImage(`${registry.host}/podbay/busybox`, { graphRoot: store.root, retry: { attempts: 1 } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeDefined();
    expect(String((caught as Error).message)).toMatch(/insecure|tls-verify/);
    caught = undefined;
    try {
      await pullImage(`${registry.host}/podbay/nothing-here:1`, { graphRoot: store.root, tlsVerify: false });
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrNoSuchImage')).toBe(true);
    expect(readdirSync(join(store.root, 'layers'))).toEqual([]);
  });

  it('skips blobs the registry has, mounts across repositories, and uploads in chunks', async () => {
    const again = await pushImage(parseNormalizedReference(`${registry.host}/podbay/busybox:again`), { graphRoot: source.root, manifestDigest: busybox.manifestDigest, tlsVerify: false });
    expect(again.uploaded).toEqual([]);
    expect(again.skipped).toHaveLength(2);
    const mounted = await pushImage(parseNormalizedReference(`${registry.host}/other/copy:1`), {
      graphRoot: source.root,
      manifestDigest: busybox.manifestDigest,
      tlsVerify: false,
      mountFrom: 'podbay/busybox',
    });
    expect(mounted.mounted).toHaveLength(2);
    const fresh = buildImage([layerFromMembers([{ name: 'chunked.bin', data: Buffer.alloc(300_000, 3) }])]);
    await storeImage(source.root, fresh);
    const chunked = await pushImage(parseNormalizedReference(`${registry.host}/podbay/chunked:1`), {
      graphRoot: source.root,
      manifestDigest: fresh.manifestDigest,
      tlsVerify: false,
      chunkSize: 64 * 1024,
    });
    expect(chunked.uploaded).toHaveLength(2);
    const store = newStore();
    const pulled = await pullImage(`${registry.host}/podbay/chunked:1`, { graphRoot: store.root, tlsVerify: false });
    expect(readFileSync(join(pulled.layers[0]!.diffPath, 'chunked.bin')).equals(Buffer.alloc(300_000, 3))).toBe(true);
  });

  it('chooses this platform from an OCI index (and an overridden one)', async () => {
    const amd = buildImage([layerFromMembers([{ name: 'arch', data: 'amd64' }])], { oci: true });
    const arm = buildImage([layerFromMembers([{ name: 'arch', data: 'arm64' }])], { oci: true, architecture: 'arm64', variant: 'v8' });
    await storeImage(source.root, amd);
    await storeImage(source.root, arm);
    for (const img of [amd, arm]) {
      await pushImage(parseNormalizedReference(`${registry.host}/podbay/multi@${img.manifestDigest}`), { graphRoot: source.root, manifestDigest: img.manifestDigest, tlsVerify: false });
    }
    const index = buildIndex([
      { image: arm, architecture: 'arm64', variant: 'v8' },
      { image: amd, architecture: 'amd64' },
    ]);
    const client = new RegistryClient({ registry: registry.host, insecure: true });
    await client.putManifest('podbay/multi', 'latest', index.bytes, 'application/vnd.oci.image.index.v1+json');
    const store = newStore();
    const host = await pullImage(`${registry.host}/podbay/multi`, { graphRoot: store.root, tlsVerify: false, platform: { os: 'linux', architecture: 'amd64' } });
    expect(host.manifestDigest).toBe(amd.manifestDigest);
    expect(host.listDigest).toBe(index.digest);
    expect(readFileSync(join(host.layers[0]!.diffPath, 'arch'), 'utf8')).toBe('amd64');
    const other = await pullImage(`${registry.host}/podbay/multi`, { graphRoot: store.root, tlsVerify: false, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
    expect(readFileSync(join(other.layers[0]!.diffPath, 'arch'), 'utf8')).toBe('arm64');
    let caught: unknown;
    try {
      await pullImage(`${registry.host}/podbay/multi`, { graphRoot: store.root, tlsVerify: false, platform: { os: 'linux', architecture: 's390x' } });
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrNoSuchImage')).toBe(true);
  });

  it.skipIf(!hasSkopeo)('pulls an image skopeo pushed (oracle in the other direction)', async () => {
    const dir = newStore().dir;
    execFileSync('skopeo', ['copy', '--dest-tls-verify=false', '--src-tls-verify=false', `docker://${registry.host}/podbay/busybox:latest`, `dir:${join(dir, 'copy')}`]);
    expect(existsSync(join(dir, 'copy', busybox.layers[0]!.digest.slice(7)))).toBe(true);
    execFileSync('skopeo', ['copy', '--dest-tls-verify=false', '--format', 'oci', `dir:${join(dir, 'copy')}`, `docker://${registry.host}/podbay/by-skopeo:oci`]);
    const store = newStore();
    const pulled = await pullImage(`${registry.host}/podbay/by-skopeo:oci`, { graphRoot: store.root, tlsVerify: false });
    expect(pulled.manifestMediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(readFileSync(join(pulled.layers[0]!.diffPath, 'bin/busybox')).equals(readFileSync(busyboxPath))).toBe(true);
  });
});
