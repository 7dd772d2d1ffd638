// The bearer-token flow against docker-registry in `auth: token` mode with our own token service:
// ping → 401 Bearer challenge → token request with scope (and Basic credentials when we have
// them) → retry with the token. Anonymous tokens carry no access, so anonymous use is refused.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { parseNormalizedReference } from '../../../../main/core/image/reference.ts';
import { pullImage } from '../../../../main/core/image/pull.ts';
import { pushImage } from '../../../../main/core/image/push.ts';
import { RegistryClient } from '../../../../main/core/image/registry-client.ts';
import { busyboxLayer, busyboxMissing, busyboxPath, buildImage, storeImage } from '../../../helpers/image-builder.ts';
import type { BuiltImage } from '../../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../../helpers/registry-server.ts';
import type { RegistryServer } from '../../../helpers/registry-server.ts';
import { startTokenServer, tokenServerMissing } from '../../../helpers/registry-token-server.ts';
import type { TokenServer } from '../../../helpers/registry-token-server.ts';
import { makeTempStore } from '../../../helpers/temp-store.ts';
import type { TempStore } from '../../../helpers/temp-store.ts';

const missing = registryMissing() ?? busyboxMissing() ?? tokenServerMissing();
if (missing) console.warn(`skipping token auth tests: ${missing}`);
const credentials = { username: 'tokenuser', password: 'tokenpass' };

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.skipIf(missing !== undefined)('a registry with bearer-token auth', () => {
  let tokens: TokenServer;
  let registry: RegistryServer;
  let source: TempStore;
  let image: BuiltImage;
  const stores: TempStore[] = [];

  beforeAll(async () => {
    tokens = await startTokenServer(credentials);
    registry = await startRegistry({ token: tokens });
    source = makeTempStore('podbay-token-');
    image = buildImage([busyboxLayer()]);
    await storeImage(source.root, image);
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.close();
    source?.cleanup();
    for (const s of stores) s.cleanup();
  });

  it('pushes with credentials through the token service, asking for pull,push on the repository', async () => {
    const report = await pushImage(parseNormalizedReference(`${registry.host}/tok/busybox:1`), {
      graphRoot: source.root,
      manifestDigest: image.manifestDigest,
      tlsVerify: false,
      auth: { credentials },
    });
    expect(report.uploaded).toHaveLength(2);
    const asked = tokens.requests.filter((r) => r.authenticated);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0]!.scopes).toContain('repository:tok/busybox:pull,push');
    expect(asked[0]!.account).toBe(credentials.username);
  });

  it('checks a login with a scope-less token request', async () => {
    await new RegistryClient({ registry: registry.host, insecure: true, auth: { credentials } }).checkLogin();
    const wrong = await errorOf(new RegistryClient({ registry: registry.host, insecure: true, auth: { credentials: { ...credentials, password: 'x' } } }).checkLogin());
    expect(hasCode(wrong, 'ErrUnauthorized')).toBe(true);
  });

  it('pulls with credentials, refuses anonymous and wrong credentials with ErrUnauthorized', async () => {
    const store = makeTempStore();
    stores.push(store);
    const pulled = await pullImage(`${registry.host}/tok/busybox:1`, { graphRoot: store.root, tlsVerify: false, auth: { credentials } });
    expect(readFileSync(join(pulled.layers[0]!.diffPath, 'bin/busybox')).equals(readFileSync(busyboxPath))).toBe(true);
    expect(tokens.requests.some((r) => r.scopes.includes('repository:tok/busybox:pull'))).toBe(true);

    const anonymous = makeTempStore();
    stores.push(anonymous);
    expect(hasCode(await errorOf(pullImage(`${registry.host}/tok/busybox:1`, { graphRoot: anonymous.root, tlsVerify: false, auth: null })), 'ErrUnauthorized')).toBe(true);
    expect(tokens.requests.some((r) => !r.authenticated && r.scopes.includes('repository:tok/busybox:pull'))).toBe(true);
    const wrong = await errorOf(pullImage(`${registry.host}/tok/busybox:1`, { graphRoot: anonymous.root, tlsVerify: false, auth: { credentials: { ...credentials, password: 'bad' } } }));
    expect(hasCode(wrong, 'ErrUnauthorized')).toBe(true);
    expect(readdirSync(join(anonymous.root, 'blobs', 'sha256'))).toEqual([]);
    expect(readdirSync(join(anonymous.root, 'layers'))).toEqual([]);
  });
});
