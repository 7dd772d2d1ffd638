import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PodbayError } from '../../../../shared/errors.ts';
import { digestOf } from '../../../../main/core/image/digest.ts';
import { EventLog, readRecorded } from '../../../../main/core/events/event-log.ts';
import { ImageRuntime } from '../../../../main/core/image/image-runtime.ts';
import type { ImageStore } from '../../../../main/core/image/image-store.ts';
import { imageRegistriesConf, parseRegistriesConf } from '../../../../main/core/image/registries-conf.ts';

async function addImage(store: ImageStore, name: string, created: string, labels: Record<string, string> = {}, layerNames = [name]): Promise<string> {
  const layers = layerNames.map((l) => ({ blob: Buffer.from(`blob ${l}`), digest: digestOf(`blob ${l}`), diffId: digestOf(`tar ${l}`) }));
  const config = Buffer.from(JSON.stringify({ created, os: 'linux', architecture: 'amd64', config: { Labels: labels }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }));
  const configDigest = digestOf(config);
  const manifest = Buffer.from(`manifest of ${name}`);
  const manifestDigest = digestOf(manifest);
  await store.blobs.putBytes(config, configDigest);
  await store.blobs.putBytes(manifest, manifestDigest);
  for (const l of layers) {
    await store.blobs.putBytes(l.blob, l.digest);
    mkdirSync(store.layers.diffPath(l.diffId), { recursive: true });
  }
  store.recordPulledImage({
    id: configDigest.slice(7),
    configDigest,
    manifestDigest,
    manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    repoTags: [`quay.io/ns/${name}:latest`],
    repoDigests: [],
    layers: layers.map((l) => ({ digest: l.digest, diffId: l.diffId, size: l.blob.length, diffSize: 100, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', diffPath: '' })),
    config: JSON.parse(config.toString()),
  });
  return configDigest.slice(7);
}

describe('ImageRuntime', () => {
  let dir: string;
  let images: ImageRuntime;
  let events: EventLog;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-image-runtime-'));
    events = new EventLog(join(dir, 'events.log'));
    images = await ImageRuntime.open({
      graphRoot: join(dir, 'graph'),
      events,
      registriesConf: () => parseRegistriesConf('unqualified-search-registries = ["quay.io", "docker.io"]\n[aliases]\n"fedora" = "registry.fedoraproject.org/fedora"\n'),
    });
  });
  afterEach(() => {
    images.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('filters as podman: dangling, label, reference, id, before and since; unknown keys are refused', async () => {
    const a = await addImage(images.store, 'alpha', '2024-01-01T00:00:00Z', { tier: 'web' }, ['base', 'alpha']);
    const b = await addImage(images.store, 'beta', '2024-06-01T00:00:00Z', { tier: 'db' }, ['base', 'beta']);
    const c = await addImage(images.store, 'gamma', '2025-01-01T00:00:00Z');
    images.untag(c);
    const ids = (filters: Record<string, string[]>) => images.list(filters).map((i) => i.id).sort();
    expect(ids({})).toEqual([a, b, c].sort());
    expect(ids({ dangling: ['true'] })).toEqual([c]);
    expect(ids({ dangling: ['false'] })).toEqual([a, b].sort());
    expect(ids({ label: ['tier=web'] })).toEqual([a]);
    expect(ids({ label: ['tier'] })).toEqual([a, b].sort());
    expect(ids({ reference: ['beta'] })).toEqual([b]);
    expect(ids({ reference: ['quay.io/ns/*'] })).toEqual([a, b].sort());
    expect(ids({ id: [a.slice(0, 6)] })).toEqual([a]);
    expect(ids({ before: ['beta'] })).toEqual([a]);
    expect(ids({ since: ['alpha'] })).toEqual([b, c].sort());
    expect(() => images.list({ colour: ['red'] })).toThrow(PodbayError);
    const [alpha] = images.list({ reference: ['alpha'] });
    expect(alpha).toMatchObject({ size: 200, sharedSize: 100, labels: { tier: 'web' }, dangling: false });
  });

  it('knows intermediate images (nameless, a strict layer prefix of another) and hides them without -a', async () => {
    const parent = await addImage(images.store, 'parent', '2024-01-01T00:00:00Z', {}, ['base']);
    const child = await addImage(images.store, 'child', '2024-02-01T00:00:00Z', {}, ['base', 'top']);
    const lone = await addImage(images.store, 'lone', '2024-03-01T00:00:00Z', {}, ['lone']);
    images.untag(parent);
    images.untag(lone);
    const ids = (filters: Record<string, string[]>, hideIntermediate = false) => images.list(filters, { hideIntermediate }).map((i) => i.id).sort();
    expect(ids({ intermediate: ['true'] })).toEqual([parent]);
    expect(ids({ intermediate: ['false'] })).toEqual([child, lone].sort());
    expect(ids({}, true)).toEqual([child, lone].sort());
    expect(ids({ dangling: ['true'] })).toEqual([parent, lone].sort());
    expect(() => images.list({ intermediate: ['maybe'] })).toThrow(PodbayError);
  });

  it('resolves short names through aliases and search registries, in order', async () => {
    expect(await images.resolve('busybox')).toEqual({ input: 'busybox', origin: 'search', candidates: ['quay.io/busybox:latest', 'docker.io/library/busybox:latest'] });
    expect(await images.resolve('fedora:40')).toEqual({ input: 'fedora:40', origin: 'alias', candidates: ['registry.fedoraproject.org/fedora:40'] });
    expect(await images.resolve('127.0.0.1:5000/a/b')).toMatchObject({ origin: 'qualified', candidates: ['127.0.0.1:5000/a/b:latest'] });
  });

  it('writes image events for tag, untag and remove, and gives a container its overlay lower dirs top layer first', async () => {
    const id = await addImage(images.store, 'alpha', '2024-01-01T00:00:00Z', {}, ['base', 'top']);
    const { lowerDirs } = images.rootfsLayers('alpha');
    expect(lowerDirs).toEqual([images.store.layers.diffPath(digestOf('tar top')), images.store.layers.diffPath(digestOf('tar base'))]);
    images.tag('alpha', ['mine:1']);
    images.untag(id, ['mine:1']);
    const [report] = await images.remove(['alpha']);
    expect(report).toMatchObject({ deleted: [id], untagged: ['quay.io/ns/alpha:latest'] });
    const recorded = [];
    for await (const e of readRecorded(events.path)) recorded.push(`${e.type} ${e.action} ${e.name}`);
    expect(recorded).toEqual(['image tag localhost/mine:1', 'image untag localhost/mine:1', 'image untag quay.io/ns/alpha:latest', `image remove quay.io/ns/alpha:latest`]);
  });

  it('reports each image of a batch removal on its own', async () => {
    const id = await addImage(images.store, 'alpha', '2024-01-01T00:00:00Z');
    const reports = await images.remove(['nothere', 'alpha']);
    expect(reports.map((r) => r.error?.code)).toEqual(['ErrNoSuchImage', undefined]);
    expect(reports[1]).toMatchObject({ deleted: [id] });
  });
});

describe('imageRegistriesConf', () => {
  it("lays podbay.conf's search and insecure registries over registries.conf", () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-regconf-'));
    try {
      const file = join(dir, 'registries.conf');
      writeFileSync(file, 'unqualified-search-registries = ["quay.io"]\n');
      const paths = { main: [file], dropInDirs: [] };
      expect(imageRegistriesConf({ searchRegistries: ['docker.io'], insecureRegistries: [] }, paths).unqualifiedSearchRegistries).toEqual(['quay.io']);
      const custom = imageRegistriesConf({ searchRegistries: ['127.0.0.1:5000'], insecureRegistries: ['127.0.0.1:5000'] }, paths);
      expect(custom.unqualifiedSearchRegistries).toEqual(['127.0.0.1:5000']);
      expect(custom.registries).toContainEqual(expect.objectContaining({ prefix: '127.0.0.1:5000', insecure: true }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
