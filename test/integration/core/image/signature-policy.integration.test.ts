// policy.json enforced against Debian's docker-registry and real archives: a rejected pull or load
// fails with ErrPermission (a signature requirement with ErrNotImplemented) and leaves no blob, no
// layer and no image; an accepting scope of the same policy pulls.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageRuntime } from '../../../../main/core/image/image-runtime.ts';
import { parseNormalizedReference } from '../../../../main/core/image/reference.ts';
import { pushImage } from '../../../../main/core/image/push.ts';
import { rejectionCode } from '../../../helpers/error-codes.ts';
import { busyboxLayer, busyboxMissing, buildImage, storeImage } from '../../../helpers/image-builder.ts';
import type { BuiltImage } from '../../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../../helpers/registry-server.ts';
import type { RegistryServer } from '../../../helpers/registry-server.ts';
import { makeTempStore } from '../../../helpers/temp-store.ts';
import type { TempStore } from '../../../helpers/temp-store.ts';

const missing = registryMissing() ?? busyboxMissing();
if (missing) console.warn(`skipping signature policy tests: ${missing}`);

/** Every file under the store's blob and layer directories. */
function contentOf(root: string): string[] {
  return ['blobs', 'layers'].flatMap((d) => (existsSync(join(root, d)) ? readdirSync(join(root, d), { recursive: true }).map(String) : [])).filter((p) => /[0-9a-f]{64}/.test(p));
}

describe.skipIf(missing !== undefined)('signature policy enforcement', () => {
  let registry: RegistryServer;
  let source: TempStore;
  let image: BuiltImage;
  let dir: string;
  const stores: TempStore[] = [];

  beforeAll(async () => {
    registry = await startRegistry();
    source = makeTempStore('podbay-policy-src-');
    image = buildImage([busyboxLayer()]);
    await storeImage(source.root, image);
    for (const path of ['open/busybox:1', 'closed/busybox:1', 'signed/busybox:1']) {
      await pushImage(parseNormalizedReference(`${registry.host}/${path}`), { graphRoot: source.root, manifestDigest: image.manifestDigest, tlsVerify: false });
    }
    dir = mkdtempSync(join(tmpdir(), 'podbay-policy-'));
    writeFileSync(
      join(dir, 'policy.json'),
      JSON.stringify({
        default: [{ type: 'insecureAcceptAnything' }],
        transports: {
          docker: {
            [`${registry.host}/closed`]: [{ type: 'reject' }],
            [`${registry.host}/signed`]: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/nonexistent.gpg' }],
          },
          'docker-archive': { [dir]: [{ type: 'reject' }] },
        },
      }),
    );
  });
  afterAll(async () => {
    await registry?.stop();
    source?.cleanup();
    for (const s of stores) s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<ImageRuntime> {
    const store = makeTempStore('podbay-policy-');
    stores.push(store);
    return ImageRuntime.open({ graphRoot: store.root, signaturePolicyPath: join(dir, 'policy.json') });
  }

  it('refuses a rejected pull with ErrPermission, and a signedBy scope with ErrNotImplemented, leaving nothing', async () => {
    const images = await open();
    try {
      expect(await rejectionCode(images.pull(`${registry.host}/closed/busybox:1`, { tlsVerify: false }))).toBe('ErrPermission');
      expect(await rejectionCode(images.pull(`${registry.host}/signed/busybox:1`, { tlsVerify: false }))).toBe('ErrNotImplemented');
      expect(images.list()).toEqual([]);
      expect(contentOf(images.store.graphRoot)).toEqual([]);
      // The same policy accepts another scope.
      const [pulled] = await images.pull(`${registry.host}/open/busybox:1`, { tlsVerify: false });
      expect(pulled?.id).toBe(image.configDigest.slice(7));
      // A per-call policy (`--signature-policy`) overrides the runtime's.
      writeFileSync(join(dir, 'reject-all.json'), '{"default":[{"type":"reject"}]}');
      expect(await rejectionCode(images.pull(`${registry.host}/open/busybox:1`, { tlsVerify: false, signaturePolicyPath: join(dir, 'reject-all.json') }))).toBe('ErrPermission');
      expect(await rejectionCode(images.pull(`${registry.host}/open/busybox:1`, { tlsVerify: false, signaturePolicyPath: join(dir, 'missing.json') }))).toBe('ErrInvalidArg');
    } finally {
      images.close();
    }
  });

  it('refuses a load whose archive path the docker-archive scope rejects, and keeps nothing of it', async () => {
    const images = await open();
    const archive = join(dir, 'busybox.tar');
    try {
      await images.pull(`${registry.host}/open/busybox:1`, { tlsVerify: false });
      await images.save([`${registry.host}/open/busybox:1`], archive, 'docker-archive');
      const fresh = await open();
      try {
        expect(await rejectionCode(fresh.load(archive))).toBe('ErrPermission');
        expect(fresh.list()).toEqual([]);
        expect(contentOf(fresh.store.graphRoot)).toEqual([]);
        // The oci-archive transport has no scope for it: the default accepts.
        await images.save([`${registry.host}/open/busybox:1`], `${archive}.oci`, 'oci-archive');
        expect((await fresh.load(`${archive}.oci`)).map((i) => i.id)).toEqual([image.configDigest.slice(7)]);
      } finally {
        fresh.close();
      }
    } finally {
      images.close();
    }
  });
});
