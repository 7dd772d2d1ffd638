// Hostile archives for `podbay load`: a gzip bomb is refused by its decompression ratio, corrupt gzip
// is an invalid argument, and neither leaves a layer behind.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { loadArchive } from '../../../../main/core/image/archive.ts';
import { digestOf } from '../../../../main/core/image/digest.ts';
import { ImageStore } from '../../../../main/core/image/image-store.ts';
import { mediaTypes } from '../../../../main/core/image/manifest.ts';
import { makeTar } from '../../../helpers/image-tar.ts';

/** An oci-archive of one image whose single layer blob is `layerBlob` (claimed DiffID `diffId`). */
function ociArchive(layerBlob: Buffer, diffId: string): Buffer {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] } }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociManifest, config: { mediaType: mediaTypes.ociConfig, digest: digestOf(config), size: config.length }, layers: [{ mediaType: mediaTypes.ociLayerGzip, digest: digestOf(layerBlob), size: layerBlob.length }] }));
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: mediaTypes.ociManifest, digest: digestOf(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'localhost/bomb:1' } }] }));
  const blob = (data: Buffer) => ({ name: `blobs/sha256/${digestOf(data).slice(7)}`, data });
  return makeTar([{ name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' }, { name: 'index.json', data: index }, blob(config), blob(manifest), blob(layerBlob)]);
}

describe('loadArchive with hostile archives', () => {
  let dir: string;
  let store: ImageStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-archive-'));
    store = ImageStore.open(join(dir, 'graph'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const load = async (archive: Buffer, options = {}) => {
    const path = join(dir, 'in.tar');
    writeFileSync(path, archive);
    try {
      await loadArchive(store, path, options);
      return null;
    } catch (error) {
      return error;
    }
  };

  it('refuses a gzip bomb by its decompression ratio and keeps no layer', async () => {
    const tar = makeTar([{ name: 'zeros', data: Buffer.alloc(32 * 1024 * 1024) }]);
    const error = await load(ociArchive(gzipSync(tar, { level: 9 }), digestOf(tar)), { maxRatio: 100, bombSlackBytes: 1024 * 1024 });
    expect(hasCode(error, 'ErrInvalidArg'), String(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/bomb/);
    expect(readdirSync(join(dir, 'graph', 'layers'))).toEqual([]);
  });

  it('refuses corrupt gzip as an invalid argument', async () => {
    const good = gzipSync(makeTar([{ name: 'f', data: 'x'.repeat(5000) }]));
    const bad = Buffer.from(good);
    bad.fill(0x55, 20, 60);
    const error = await load(ociArchive(bad, digestOf('whatever')));
    expect(hasCode(error, 'ErrInvalidArg'), String(error)).toBe(true);
    expect(readdirSync(join(dir, 'graph', 'layers'))).toEqual([]);
  });
});
