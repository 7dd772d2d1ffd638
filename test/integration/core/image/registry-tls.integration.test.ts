// A registry serving HTTPS with a self-signed certificate: refused when TLS is verified and the
// CA is unknown, accepted with `--tls-verify=false` (insecure) or with the CA in certs.d/<host>/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNormalizedReference } from '../../../../main/core/image/reference.ts';
import { pullImage } from '../../../../main/core/image/pull.ts';
import { pushImage } from '../../../../main/core/image/push.ts';
import { busyboxLayer, busyboxMissing, busyboxPath, buildImage, storeImage } from '../../../helpers/image-builder.ts';
import type { BuiltImage } from '../../../helpers/image-builder.ts';
import { makeLoopbackCertificate, registryMissing, startRegistry } from '../../../helpers/registry-server.ts';
import type { RegistryServer } from '../../../helpers/registry-server.ts';
import { tokenServerMissing } from '../../../helpers/registry-token-server.ts';
import { makeTempStore } from '../../../helpers/temp-store.ts';
import type { TempStore } from '../../../helpers/temp-store.ts';

const missing = registryMissing() ?? busyboxMissing() ?? tokenServerMissing();
if (missing) console.warn(`skipping registry TLS tests: ${missing}`);

describe.skipIf(missing !== undefined)('a registry with a self-signed TLS certificate', () => {
  let dir: string;
  let registry: RegistryServer;
  let source: TempStore;
  let image: BuiltImage;
  const stores: TempStore[] = [];
  const newStore = () => {
    const s = makeTempStore('podbay-tls-');
    stores.push(s);
    return s;
  };
  const noCerts = () => [join(dir, 'no-certs.d')];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-tls-'));
    registry = await startRegistry({ tls: makeLoopbackCertificate(dir) });
    source = newStore();
    image = buildImage([busyboxLayer()]);
    await storeImage(source.root, image);
  });
  afterAll(async () => {
    await registry?.stop();
    for (const s of stores) s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes and pulls over unverified TLS when the registry is insecure', async () => {
    await pushImage(parseNormalizedReference(`${registry.host}/tls/busybox:1`), { graphRoot: source.root, manifestDigest: image.manifestDigest, tlsVerify: false, certsDirs: noCerts() });
    const store = newStore();
    const pulled = await pullImage(`${registry.host}/tls/busybox:1`, { graphRoot: store.root, tlsVerify: false, certsDirs: noCerts() });
    expect(readFileSync(join(pulled.layers[0]!.diffPath, 'bin/busybox')).equals(readFileSync(busyboxPath))).toBe(true);
  });

  it('refuses the unknown certificate when TLS is verified', async () => {
    const store = newStore();
    let caught: unknown;
    try {
      await pullImage(`${registry.host}/tls/busybox:1`, { graphRoot: store.root, certsDirs: noCerts(), retry: { attempts: 1 } });
    } catch (error) {
      caught = error;
    }
    expect(String((caught as Error)?.message)).toMatch(/certificate/i);
  });

  it('trusts a CA from certs.d/<host:port>/*.crt', async () => {
    const certsD = join(dir, 'certs.d');
    mkdirSync(join(certsD, registry.host), { recursive: true });
    writeFileSync(join(certsD, registry.host, 'ca.crt'), readFileSync(join(dir, 'registry.crt')));
    const store = newStore();
    const pulled = await pullImage(`${registry.host}/tls/busybox:1`, { graphRoot: store.root, certsDirs: [certsD] });
    expect(pulled.manifestDigest).toBe(image.manifestDigest);
  });
});
