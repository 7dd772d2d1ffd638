import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PodbayError } from '../../../../shared/errors.ts';
import { digestOf } from '../../../../main/core/image/digest.ts';
import type { Digest } from '../../../../main/core/image/digest.ts';
import { ImageStore, normalizeTagName } from '../../../../main/core/image/image-store.ts';
import type { PulledImage } from '../../../../main/core/image/pull.ts';
import { processStartTime } from '../../../../main/core/lock/lock-manager.ts';
import { rejectionCode } from '../../../helpers/error-codes.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'returned';
  } catch (error) {
    return error instanceof PodbayError ? error.code : 'not-a-podbay-error';
  }
}

interface FakeLayer {
  blob: Buffer;
  digest: Digest;
  diffId: Digest;
}

const fakeLayer = (name: string): FakeLayer => {
  const blob = Buffer.from(`blob of ${name}`);
  return { blob, digest: digestOf(blob), diffId: digestOf(`tar of ${name}`) };
};

/** Stores blobs and layer directories as a pull would, and returns the PulledImage to record. */
async function storeFake(store: ImageStore, name: string, layers: FakeLayer[], tag = `127.0.0.1:5000/test/${name}:latest`): Promise<PulledImage> {
  const config = Buffer.from(JSON.stringify({ created: '2024-01-01T00:00:00Z', architecture: 'amd64', os: 'linux', config: { Labels: { app: name } }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }));
  const configDigest = digestOf(config);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, name, config: configDigest }));
  const manifestDigest = digestOf(manifest);
  await store.blobs.putBytes(config, configDigest);
  await store.blobs.putBytes(manifest, manifestDigest);
  for (const l of layers) {
    await store.blobs.putBytes(l.blob, l.digest);
    mkdirSync(join(store.layers.diffPath(l.diffId)), { recursive: true });
    writeFileSync(join(store.layers.diffPath(l.diffId), 'file'), name);
  }
  const repo = tag.slice(0, tag.lastIndexOf(':'));
  return {
    id: configDigest.slice(7),
    configDigest,
    manifestDigest,
    manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    repoTags: [tag],
    repoDigests: [`${repo}@${manifestDigest}`],
    layers: layers.map((l) => ({ digest: l.digest, diffId: l.diffId, size: l.blob.length, diffSize: 1000, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', diffPath: store.layers.diffPath(l.diffId) })),
    config: JSON.parse(config.toString()),
  };
}

describe('ImageStore', () => {
  let dir: string;
  let store: ImageStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-image-store-'));
    store = ImageStore.open(join(dir, 'graph'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a pulled image with its names, digests, layers, size and reference counts', async () => {
    const base = fakeLayer('base');
    const image = await storeFake(store, 'one', [base, fakeLayer('top')]);
    store.recordPulledImage(image);
    const [record] = store.list();
    expect(record).toMatchObject({ id: image.id, manifestDigest: image.manifestDigest, names: image.repoTags, size: 2000, created: '2024-01-01T00:00:00Z' });
    expect(record!.repoDigests).toEqual(image.repoDigests);
    expect(record!.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
    expect(store.blobRefcount(base.digest)).toBe(1);
    expect(store.knownLayer(base.diffId)).toMatchObject({ diffSize: 1000, refcount: 1 });
    expect(store.layerPaths(record!)).toEqual([store.layers.diffPath(image.layers[1]!.diffId), store.layers.diffPath(base.diffId)]);
  });

  it('counts a layer shared by two images twice, and recording the same image again changes nothing', async () => {
    const base = fakeLayer('base');
    const one = await storeFake(store, 'one', [base]);
    const two = await storeFake(store, 'two', [base, fakeLayer('two')]);
    store.recordPulledImage(one);
    store.recordPulledImage(two);
    store.recordPulledImage(two);
    expect(store.knownLayer(base.diffId)?.refcount).toBe(2);
    expect(store.blobRefcount(base.digest)).toBe(2);
    expect(store.list()).toHaveLength(2);
  });

  it('refuses to record an image whose blobs are not in the content store', async () => {
    const image = await storeFake(store, 'one', [fakeLayer('a')]);
    await store.blobs.delete(image.manifestDigest);
    expect(codeOf(() => store.recordPulledImage(image))).toBe('ErrNoSuchImage');
    expect(store.list()).toEqual([]);
  });

  describe('lookupImage', () => {
    let image: PulledImage;
    beforeEach(async () => {
      image = await storeFake(store, 'busybox', [fakeLayer('a')], 'docker.io/library/busybox:latest');
      store.recordPulledImage(image);
    });

    it.each([
      ['the full ID', () => image.id],
      ['the config digest', () => `sha256:${image.id}`],
      ['a unique ID prefix', () => image.id.slice(0, 5)],
      ['the full name', () => 'docker.io/library/busybox:latest'],
      ['the name without tag', () => 'docker.io/library/busybox'],
      ['a short name', () => 'busybox'],
      ['a short name with its tag', () => 'busybox:latest'],
      ['a short name with the namespace', () => 'library/busybox'],
      ['repo@digest', () => `docker.io/library/busybox@${image.manifestDigest}`],
      ['short@digest', () => `busybox@${image.manifestDigest}`],
      ['the manifest digest', () => image.manifestDigest],
    ])('finds an image by %s', (_what, input) => {
      expect(store.lookupImage(input()).id).toBe(image.id);
    });

    it.each([['another tag', 'busybox:1.36'], ['another repository', 'alpine'], ['an unknown ID', 'f'.repeat(64)], ['a prefix of nothing', 'fffff']])('answers ErrNoSuchImage for %s', (_what, input) => {
      expect(codeOf(() => store.lookupImage(input))).toBe('ErrNoSuchImage');
    });

    it('refuses a short name that two images in different registries match', async () => {
      store.recordPulledImage(await storeFake(store, 'other', [fakeLayer('b')], 'quay.io/x/busybox:latest'));
      expect(codeOf(() => store.lookupImage('busybox'))).toBe('ErrInvalidArg');
      expect(store.lookupImage('quay.io/x/busybox').id).not.toBe(image.id);
    });
  });

  describe('tag, untag and remove', () => {
    it('normalizes names as podman: localhost/ for short names, :latest when untagged', () => {
      expect(normalizeTagName('myimg')).toBe('localhost/myimg:latest');
      expect(normalizeTagName('127.0.0.1:5000/a/b:v1')).toBe('127.0.0.1:5000/a/b:v1');
      expect(normalizeTagName('docker.io/alpine')).toBe('docker.io/library/alpine:latest');
      expect(codeOf(() => normalizeTagName('Bad/Name'))).toBe('ErrInvalidArg');
    });

    it('moves a name from one image to another, leaving the first dangling', async () => {
      const one = await storeFake(store, 'one', [fakeLayer('a')], 'localhost/app:latest');
      const two = await storeFake(store, 'two', [fakeLayer('b')], 'localhost/two:latest');
      store.recordPulledImage(one);
      store.recordPulledImage(two);
      store.tag(two.id, 'app');
      expect(store.lookupImage('app').id).toBe(two.id);
      expect(store.getImage(one.id).names).toEqual([]);
    });

    it('untags the given names or all names; an unknown name is an error', async () => {
      const one = await storeFake(store, 'one', [fakeLayer('a')], 'localhost/app:latest');
      store.recordPulledImage(one);
      store.tag(one.id, 'app:2');
      expect(codeOf(() => store.untag(one.id, ['app:3']))).toBe('ErrInvalidArg');
      expect(store.untag(one.id, ['app:2']).removed).toEqual(['localhost/app:2']);
      expect(store.untag(one.id).removed).toEqual(['localhost/app:latest']);
      expect(store.getImage(one.id).names).toEqual([]);
    });

    it('removing by one of several names only untags it', async () => {
      const one = await storeFake(store, 'one', [fakeLayer('a')], 'localhost/app:latest');
      store.recordPulledImage(one);
      store.tag(one.id, 'app:2');
      const result = await store.remove('app:2');
      expect(result).toMatchObject({ untagged: ['localhost/app:2'], deleted: [] });
      expect(store.hasImage(one.id)).toBe(true);
    });

    it('refuses removal by ID of an image with several names unless forced', async () => {
      const one = await storeFake(store, 'one', [fakeLayer('a')], 'localhost/app:latest');
      store.recordPulledImage(one);
      store.tag(one.id, 'app:2');
      expect(await rejectionCode(store.remove(one.id))).toBe('ErrImageInUse');
      expect((await store.remove(one.id, { force: true })).deleted).toEqual([one.id]);
    });

    it('refuses removal of an image a container uses (ErrImageInUse), even forced without a way to remove the container', async () => {
      const one = await storeFake(store, 'one', [fakeLayer('a')]);
      store.recordPulledImage(one);
      const isInUse = (id: string) => id === one.id;
      expect(await rejectionCode(store.remove(one.id, { isInUse }))).toBe('ErrImageInUse');
      expect(await rejectionCode(store.remove(one.id, { isInUse, force: true }))).toBe('ErrImageInUse');
      expect(store.hasImage(one.id)).toBe(true);
      const removedUsers: string[] = [];
      await store.remove(one.id, { isInUse, force: true, removeUsers: async (id) => void removedUsers.push(id) });
      expect(removedUsers).toEqual([one.id]);
      expect(store.hasImage(one.id)).toBe(false);
    });

    it('removes the blobs and layers only the removed image used, and keeps a shared layer', async () => {
      const base = fakeLayer('base');
      const top = fakeLayer('top');
      const one = await storeFake(store, 'one', [base]);
      const two = await storeFake(store, 'two', [base, top]);
      store.recordPulledImage(one);
      store.recordPulledImage(two);
      await store.remove(two.id);
      expect(existsSync(store.blobs.path(top.digest))).toBe(false);
      expect(existsSync(store.layers.layerPath(top.diffId))).toBe(false);
      expect(existsSync(store.blobs.path(two.manifestDigest))).toBe(false);
      expect(existsSync(store.blobs.path(base.digest))).toBe(true);
      expect(existsSync(store.layers.diffPath(base.diffId))).toBe(true);
      expect(store.knownLayer(base.diffId)?.refcount).toBe(1);
      expect(store.knownLayer(top.diffId)).toBeUndefined();
      await store.remove(one.id);
      expect(await store.blobs.list()).toEqual([]);
      expect(store.layers.list()).toEqual([]);
    });
  });

  describe('collectGarbage', () => {
    it('removes unreferenced blobs, layers and temp files of interrupted writes, and keeps what images use', async () => {
      const kept = await storeFake(store, 'kept', [fakeLayer('kept')]);
      store.recordPulledImage(kept);
      const orphan = await storeFake(store, 'orphan', [fakeLayer('orphan')]);
      const writer = await store.blobs.createWriter();
      await writer.write(Buffer.from('partial'));
      await writer.flush();
      const temp = store.layers.createTemp();
      const report = await store.collectGarbage();
      expect(report.skipped).toBeUndefined();
      expect(report.removedBlobs.sort()).toEqual([orphan.manifestDigest, orphan.configDigest, orphan.layers[0]!.digest].sort());
      expect(report.removedLayers).toEqual([orphan.layers[0]!.diffId]);
      expect(report.removedTemp).toContain(writer.tempPath);
      expect(report.removedTemp).toContain(temp.dir);
      expect(existsSync(store.layers.diffPath(kept.layers[0]!.diffId))).toBe(true);
      expect((await store.blobs.list()).length).toBe(3);
    });

    it('collects nothing while another live process is pulling, and clears a dead process lease', async () => {
      const orphan = await storeFake(store, 'orphan', [fakeLayer('orphan')]);
      const other = ImageStore.open(join(dir, 'graph'), { identity: { pid: 1, startTime: processStartTime(1) ?? 'x', bootId: currentBootId() } });
      const lease = await other.beginPull();
      expect(await store.collectGarbage()).toMatchObject({ skipped: 'busy' });
      expect(existsSync(store.blobs.path(orphan.manifestDigest))).toBe(true);
      other.endLease(lease);
      other.close();

      const dead = ImageStore.open(join(dir, 'graph'), { identity: { pid: 999_999_999, startTime: '1', bootId: currentBootId() } });
      await dead.beginPull();
      dead.close();
      expect(store.hasDeadLeases()).toBe(true);
      const report = await store.collectGarbage();
      expect(report.deadLeases).toBe(1);
      expect(report.removedBlobs).toContain(orphan.manifestDigest);
      expect(store.hasDeadLeases()).toBe(false);
    });

    it('makes a pull wait while a collection runs in another live process', async () => {
      const gc = ImageStore.open(join(dir, 'graph'), { identity: { pid: 1, startTime: processStartTime(1) ?? 'x', bootId: currentBootId() } });
      // A live collection elsewhere: insert its lease as that process would.
      const ownPull = await gc.beginPull();
      gc.endLease(ownPull);
      (gc as unknown as { insertLease(t: string, k: string): void }).insertLease.call(gc, 'gc-token', 'gc');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      expect(await rejectionCode(store.beginPull(controller.signal))).toBe('ErrCanceled');
      gc.endLease('gc-token');
      gc.close();
      const lease = await store.beginPull();
      store.endLease(lease);
    });
  });

  describe('check', () => {
    it('reports images whose layer is missing and, with repair, drops their records', async () => {
      const one = await storeFake(store, 'one', [fakeLayer('a')]);
      store.recordPulledImage(one);
      rmSync(store.layers.layerPath(one.layers[0]!.diffId), { recursive: true });
      expect(store.check()).toEqual([{ imageId: one.id, kind: 'missing-layer', what: one.layers[0]!.diffId }]);
      store.check({ repair: true });
      expect(store.list()).toEqual([]);
    });
  });

  it('keeps its records across reopening', async () => {
    const one = await storeFake(store, 'one', [fakeLayer('a')]);
    store.recordPulledImage(one);
    store.close();
    store = ImageStore.open(join(dir, 'graph'));
    expect(store.lookupImage('one').id).toBe(one.id);
    expect(readdirSync(join(dir, 'graph'))).toContain('storage.db');
  });
});

function currentBootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}
