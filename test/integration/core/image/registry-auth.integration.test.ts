// A registry behind htpasswd basic auth: anonymous access is refused with ErrUnauthorized, and
// credentials given per call or read from an auth.json file work for push and pull.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { lookupAuth, removeCredentials, storeCredentials } from '../../../../main/core/image/auth.ts';
import { parseNormalizedReference } from '../../../../main/core/image/reference.ts';
import { pullImage } from '../../../../main/core/image/pull.ts';
import { pushImage } from '../../../../main/core/image/push.ts';
import { RegistryClient } from '../../../../main/core/image/registry-client.ts';
import { busyboxLayer, busyboxMissing, busyboxPath, buildImage, storeImage } from '../../../helpers/image-builder.ts';
import type { BuiltImage } from '../../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../../helpers/registry-server.ts';
import type { RegistryServer } from '../../../helpers/registry-server.ts';
import { makeTempStore } from '../../../helpers/temp-store.ts';
import type { TempStore } from '../../../helpers/temp-store.ts';

const missing = registryMissing({ auth: true }) ?? busyboxMissing();
if (missing) console.warn(`skipping registry auth tests: ${missing}`);
const credentials = { username: 'tester', password: 'testpass' };

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.skipIf(missing !== undefined)('a registry with basic auth', () => {
  let registry: RegistryServer;
  let source: TempStore;
  let image: BuiltImage;
  let authDir: string;
  const stores: TempStore[] = [];

  beforeAll(async () => {
    registry = await startRegistry({ auth: credentials });
    source = makeTempStore('podbay-auth-');
    image = buildImage([busyboxLayer()]);
    await storeImage(source.root, image);
    authDir = mkdtempSync(join(tmpdir(), 'podbay-authfile-'));
  });
  afterAll(async () => {
    await registry?.stop();
    source?.cleanup();
    for (const s of stores) s.cleanup();
    rmSync(authDir, { recursive: true, force: true });
  });

  const target = () => parseNormalizedReference(`${registry.host}/private/busybox:1`);

  it('refuses anonymous push and pull with ErrUnauthorized', async () => {
    const push = await errorOf(pushImage(target(), { graphRoot: source.root, manifestDigest: image.manifestDigest, tlsVerify: false, auth: null }));
    expect(hasCode(push, 'ErrUnauthorized')).toBe(true);
    const store = makeTempStore();
    stores.push(store);
    const pull = await errorOf(pullImage(`${registry.host}/private/busybox:1`, { graphRoot: store.root, tlsVerify: false, auth: null }));
    expect(hasCode(pull, 'ErrUnauthorized')).toBe(true);
  });

  it('checks a login without touching a repository', async () => {
    await new RegistryClient({ registry: registry.host, insecure: true, auth: { credentials } }).checkLogin();
    const wrong = await errorOf(new RegistryClient({ registry: registry.host, insecure: true, auth: { credentials: { ...credentials, password: 'x' } } }).checkLogin());
    expect(hasCode(wrong, 'ErrUnauthorized')).toBe(true);
  });

  it('refuses a wrong password with ErrUnauthorized', async () => {
    const push = await errorOf(
      pushImage(target(), { graphRoot: source.root, manifestDigest: image.manifestDigest, tlsVerify: false, auth: { credentials: { username: 'tester', password: 'nope' } } }),
    );
    expect(hasCode(push, 'ErrUnauthorized')).toBe(true);
  });

  it('pushes and pulls with credentials given per call', async () => {
    const report = await pushImage(target(), { graphRoot: source.root, manifestDigest: image.manifestDigest, tlsVerify: false, auth: { credentials } });
    expect(report.uploaded).toHaveLength(2);
    const store = makeTempStore();
    stores.push(store);
    const pulled = await pullImage(`${registry.host}/private/busybox:1`, { graphRoot: store.root, tlsVerify: false, auth: { credentials } });
    expect(readFileSync(join(pulled.layers[0]!.diffPath, 'bin/busybox')).equals(readFileSync(busyboxPath))).toBe(true);
  });

  it('reads credentials from an auth.json that login wrote (0600), and logout removes them', async () => {
    const authFile = join(authDir, 'containers', 'auth.json');
    storeCredentials(registry.host, credentials, authFile);
    expect(statSync(authFile).mode & 0o777).toBe(0o600);
    expect(lookupAuth(registry.host, 'private/busybox', [authFile])?.credentials).toEqual(credentials);
    const store = makeTempStore();
    stores.push(store);
    const pulled = await pullImage(`${registry.host}/private/busybox:1`, { graphRoot: store.root, tlsVerify: false, authFilePaths: [authFile] });
    expect(pulled.manifestDigest).toBe(image.manifestDigest);
    expect(removeCredentials(registry.host, authFile)).toBe(true);
    const again = makeTempStore();
    stores.push(again);
    const refused = await errorOf(pullImage(`${registry.host}/private/busybox:1`, { graphRoot: again.root, tlsVerify: false, authFilePaths: [authFile] }));
    expect(hasCode(refused, 'ErrUnauthorized')).toBe(true);
  });
});
