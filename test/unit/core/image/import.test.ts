// importTarball through the image runtime: an xz tarball becomes a gzip layer whose DiffID is the
// tar's, read from a file stream; a cancelled or corrupt xz import keeps nothing (no image, no
// blob, no temp file) and closes its source.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../../../main/core/events/event-log.ts';
import { ImageRuntime } from '../../../../main/core/image/image-runtime.ts';
import { parseRegistriesConf } from '../../../../main/core/image/registries-conf.ts';
import { rejectionCode } from '../../../helpers/error-codes.ts';
import { layerFromMembers } from '../../../helpers/image-builder.ts';

const xzMissing = spawnSync('xz', ['--version'], { stdio: 'ignore' }).error ? 'xz is missing (apt-get install xz-utils)' : null;

describe.skipIf(xzMissing !== null)(`importing an xz tarball${xzMissing ? ` (skipped: ${xzMissing})` : ''}`, () => {
  let dir: string;
  let images: ImageRuntime;
  const layer = layerFromMembers([{ name: 'etc/', type: 'dir' }, { name: 'etc/motd', data: 'imported from xz\n'.repeat(5000) }, { name: 'etc/noise', data: randomBytes(64 * 1024).toString('base64') }], false);
  const packed = spawnSync('xz', ['-c', '-1'], { input: layer.tar }).stdout;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-import-'));
    images = await ImageRuntime.open({ graphRoot: join(dir, 'graph'), events: new EventLog(join(dir, 'events.log')), registriesConf: () => parseRegistriesConf('') });
  });
  afterEach(() => {
    images.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const nothingKept = async () => {
    expect(images.list()).toEqual([]);
    expect(await images.store.blobs.list()).toEqual([]);
    expect(images.store.blobs.listTemp()).toEqual([]);
  };

  it('stores a gzip layer whose DiffID is the tar\'s', async () => {
    const file = join(dir, 'rootfs.tar.xz');
    writeFileSync(file, packed);
    const item = await images.importImage(createReadStream(file, { highWaterMark: 1024 }), { reference: 'localhost/from-xz:1' });
    const record = images.store.getImage(item.id);
    expect(record.layers.map((l) => l.diffId)).toEqual([layer.diffId]);
    expect(record.layers[0]!.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(record.names).toEqual(['localhost/from-xz:1']);
  });

  it('keeps nothing of a cancelled import', async () => {
    expect(packed.length).toBeGreaterThan(8192);
    const controller = new AbortController();
    async function* slowly(): AsyncGenerator<Buffer> {
      for (let i = 0; i < packed.length; i += 512) {
        if (i >= 2048) controller.abort();
        yield packed.subarray(i, i + 512);
      }
    }
    expect(await rejectionCode(images.importImage(slowly(), { signal: controller.signal }))).toBe('ErrCanceled');
    await nothingKept();
  });

  it('refuses a corrupt stream with ErrInvalidArg, keeping nothing', async () => {
    const corrupt = Buffer.from(packed);
    for (let i = 32; i < corrupt.length; i += 50) corrupt[i] = (corrupt[i] as number) ^ 0x55;
    const file = join(dir, 'corrupt.tar.xz');
    writeFileSync(file, corrupt);
    const source = createReadStream(file, { highWaterMark: 256 });
    expect(await rejectionCode(images.importImage(source))).toBe('ErrInvalidArg');
    await nothingKept();
    expect(source.destroyed).toBe(true);
  });
});
