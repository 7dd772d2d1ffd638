// registries.* through the router against Debian's docker-registry on 127.0.0.1 — anonymous,
// htpasswd basic auth, bearer tokens from our own token service (with a read-only user), and TLS
// with a CA only the added registry knows — with every file (registries.conf, Podbay's drop-in,
// auth.json, certs.d) in a temp dir. The drop-in is read back by the same loader podman's syntax uses.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract.ts';
import { PodbayError } from '../../../../shared/errors.ts';
import type { RegistryInfo, RegistryTestReport } from '../../../../shared/types/registries.ts';
import { loadRegistriesConf } from '../../../../main/core/image/registries-conf.ts';
import type { RegistryFiles } from '../../../../main/core/image/registry-settings.ts';
import type { ResolvedRuntimeConfig } from '../../../../main/core/runtime-config.ts';
import { createRegistryHandlers } from '../../../../main/ipc/handlers/registries.ts';
import { createRouter } from '../../../../main/ipc/router.ts';
import type { Router } from '../../../../main/ipc/router.ts';
import { freePort, makeLoopbackCertificate, registryMissing, startRegistry } from '../../../helpers/registry-server.ts';
import type { RegistryServer } from '../../../helpers/registry-server.ts';
import { startTokenServer, tokenServerMissing } from '../../../helpers/registry-token-server.ts';
import type { TokenServer } from '../../../helpers/registry-token-server.ts';

const missing = registryMissing({ auth: true }) ?? tokenServerMissing();
const skopeoMissing = spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).error !== undefined;
if (missing) console.warn(`skipping registries tests: ${missing}`);

const basicUser = { username: 'tester', password: 'testpass' };
const tokenUser = { username: 'tokenuser', password: 'tokenpass' };
const readOnlyUser = { username: 'reader', password: 'readpass' };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof PodbayError ? error.code : String(error);
  }
}

/** Files under `data/docker/registry/v2/repositories/` of a registry: what a test upload could leave. */
function repositoriesOf(registry: RegistryServer): string[] {
  const dir = join(registry.dir, 'data/docker/registry/v2/repositories');
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}

describe.skipIf(missing !== undefined)('registries.* procedures', () => {
  let dir: string;
  let files: RegistryFiles;
  let router: Router;
  let anonymous: RegistryServer;
  let basic: RegistryServer;
  let tokens: TokenServer;
  let token: RegistryServer;
  let tls: RegistryServer;
  let caPem: string;

  const call = <T>(path: string, input: unknown) => router.call(path, input, new AbortController().signal) as Promise<T>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-registries-'));
    const searchConf = join(dir, 'registries.conf');
    writeFileSync(searchConf, 'unqualified-search-registries = ["127.0.0.1:1"]\n[[registry]]\nlocation = "elsewhere.example:5000"\ninsecure = true\n');
    files = {
      registriesConf: { main: [searchConf], dropInDirs: [], files: [join(dir, 'drop-in/50-podbay.conf')] },
      podbayDropIn: join(dir, 'drop-in/50-podbay.conf'),
      authFiles: [join(dir, 'run/auth.json'), join(dir, 'docker/config.json')],
      certsDirs: [join(dir, 'certs.d')],
      certsWriteDir: join(dir, 'certs.d'),
    };
    const config = { image: { searchRegistries: ['docker.io'], insecureRegistries: [] } } as unknown as ResolvedRuntimeConfig;
    router = createRouter(contract, createRegistryHandlers({ config, registryFiles: files }) as never);
    tokens = await startTokenServer(tokenUser, { readOnly: readOnlyUser });
    [anonymous, basic, token] = await Promise.all([startRegistry(), startRegistry({ auth: basicUser }), startRegistry({ token: tokens })]);
    const cert = makeLoopbackCertificate(dir);
    caPem = readFileSync(cert.certPath, 'utf8');
    tls = await startRegistry({ tls: cert });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([anonymous?.stop(), basic?.stop(), token?.stop(), tls?.stop()]);
    await tokens?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the search registries, registries.conf entries and logins of a docker config.json', async () => {
    const dockerConfig = join(dir, 'docker/config.json');
    mkdirSync(join(dir, 'docker'), { recursive: true });
    writeFileSync(dockerConfig, JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:x').toString('base64') } } }));
    const list = await call<RegistryInfo[]>('registries.list', {});
    expect(list[0]).toMatchObject({ host: '127.0.0.1:1', search: true, managed: false });
    expect(list.find((r) => r.host === 'elsewhere.example:5000')).toMatchObject({ insecure: true, managed: false, search: false });
    expect(list.find((r) => r.host === 'docker.io')).toMatchObject({ login: { username: 'hubuser', authFile: dockerConfig } });
  });

  it('adds an insecure registry to the drop-in, which the registries.conf loader reads back, and removes it', async () => {
    const added = await call<RegistryInfo>('registries.add', { host: anonymous.host, insecure: true });
    expect(added).toMatchObject({ host: anonymous.host, insecure: true, managed: true, login: null });
    const conf = loadRegistriesConf(files.registriesConf);
    expect(conf.registries.find((r) => r.prefix === anonymous.host)).toMatchObject({ location: anonymous.host, insecure: true });
    expect(statSync(files.podbayDropIn).mode & 0o777).toBe(0o644);
    // Not added here → refused with a clear code, the other file untouched.
    expect(await codeOf(call('registries.remove', { host: 'elsewhere.example:5000' }))).toBe('ErrInvalidArg');
    expect(await codeOf(call('registries.add', { host: 'bad host/x', insecure: true }))).toBe('ErrInvalidArg');
  });

  it('tests an anonymous registry: reachable over plain HTTP, no login needed, push allowed, nothing left behind', async () => {
    const report = await call<RegistryTestReport>('registries.test', { host: anonymous.host });
    expect(report).toEqual({
      host: anonymous.host,
      reachable: { status: 'ok', scheme: 'http', auth: 'none' },
      login: { status: 'not-required' },
      push: { status: 'allowed', repository: 'podbay-push-check', cleanedUp: true },
    });
    const catalog = (await (await fetch(`http://${anonymous.host}/v2/_catalog`)).json()) as { repositories: string[] };
    expect(catalog.repositories).toEqual([]);
    // The cancelled session's data is gone; distribution 2.8 keeps only the empty session's hash
    // state until its upload purger runs, which no client can remove (it does the same for c/image).
    expect(repositoriesOf(anonymous).filter((p) => /\/(data|startedat)$|_manifests|_layers/.test(p))).toEqual([]);
  });

  it('reports an unreachable registry with ErrRegistryUnreachable, apart from auth failures', async () => {
    const port = await freePort();
    const report = await call<RegistryTestReport>('registries.test', { host: `127.0.0.1:${port}`, tlsVerify: false });
    expect(report.reachable.status).toBe('failed');
    expect(report.reachable.status === 'failed' && report.reachable.error.code).toBe('ErrRegistryUnreachable');
    expect(report.login).toEqual({ status: 'skipped' });
    expect(report.push).toEqual({ status: 'skipped' });
  });

  it('htpasswd: anonymous push is denied; a wrong password is refused and not stored; the right one is stored, tested and logged out', async () => {
    await call('registries.add', { host: basic.host, insecure: true });
    const anon = await call<RegistryTestReport>('registries.test', { host: basic.host });
    expect(anon).toMatchObject({ reachable: { status: 'ok', auth: 'basic' }, login: { status: 'anonymous' }, push: { status: 'denied' } });

    expect(await codeOf(call('registries.login', { host: basic.host, credentials: { ...basicUser, password: 'wrong' } }))).toBe('ErrUnauthorized');
    expect(existsSync(files.authFiles[0]!)).toBe(false);
    const refused = await call<RegistryTestReport>('registries.test', { host: basic.host, credentials: { ...basicUser, password: 'wrong' } });
    expect(refused.login.status).toBe('refused');
    expect(refused.login.status === 'refused' && refused.login.error.code).toBe('ErrUnauthorized');

    const info = await call<RegistryInfo>('registries.login', { host: basic.host, credentials: basicUser });
    expect(info.login).toEqual({ username: 'tester', authFile: files.authFiles[0] });
    expect(statSync(files.authFiles[0]!).mode & 0o777).toBe(0o600);
    // The oracle: skopeo reads the same auth.json.
    if (!skopeoMissing) {
      const seen = spawnSync('skopeo', ['login', '--get-login', '--authfile', files.authFiles[0]!, basic.host], { encoding: 'utf8' });
      expect(seen.stdout.trim(), seen.stderr).toBe('tester');
    }
    const stored = await call<RegistryTestReport>('registries.test', { host: basic.host, repository: 'team/app' });
    expect(stored).toMatchObject({ login: { status: 'ok', username: 'tester' }, push: { status: 'allowed', repository: 'team/app', cleanedUp: true } });

    expect(await call<boolean>('registries.logout', { host: basic.host })).toBe(true);
    expect(await call<boolean>('registries.logout', { host: basic.host })).toBe(false);
    expect((await call<RegistryInfo[]>('registries.list', {})).find((r) => r.host === basic.host)?.login).toBeNull();
  });

  it('token auth: the full user may push, a read-only user logs in but may not push', async () => {
    await call('registries.add', { host: token.host, insecure: true });
    const full = await call<RegistryTestReport>('registries.test', { host: token.host, credentials: tokenUser });
    expect(full).toMatchObject({ reachable: { status: 'ok', auth: 'bearer' }, login: { status: 'ok', username: 'tokenuser' }, push: { status: 'allowed', cleanedUp: true } });
    const reader = await call<RegistryTestReport>('registries.test', { host: token.host, credentials: readOnlyUser });
    expect(reader).toMatchObject({ login: { status: 'ok', username: 'reader' }, push: { status: 'denied', repository: 'podbay-push-check' } });
    const wrong = await call<RegistryTestReport>('registries.test', { host: token.host, credentials: { ...tokenUser, password: 'nope' } });
    expect(wrong.login.status).toBe('refused');
  });

  it('adds a TLS registry with its CA: refused before, trusted after, the CA written to certs.d/<host>/ca.crt', async () => {
    const before = await call<RegistryTestReport>('registries.test', { host: tls.host });
    expect(before.reachable.status === 'failed' && before.reachable.error.code).toBe('ErrRegistryUnreachable');
    expect(await codeOf(call('registries.add', { host: tls.host, insecure: false, ca: 'not a certificate' }))).toBe('ErrInvalidArg');
    const tried = await call<RegistryTestReport>('registries.test', { host: tls.host, ca: caPem });
    expect(tried.reachable).toEqual({ status: 'ok', scheme: 'https', auth: 'none' });
    const added = await call<RegistryInfo>('registries.add', { host: tls.host, insecure: false, ca: caPem });
    expect(added.caFiles).toEqual([join(files.certsWriteDir, tls.host, 'ca.crt')]);
    const after = await call<RegistryTestReport>('registries.test', { host: tls.host });
    expect(after).toMatchObject({ reachable: { status: 'ok', scheme: 'https' }, push: { status: 'allowed' } });
    expect(await call<boolean>('registries.remove', { host: tls.host })).toBe(true);
    expect(existsSync(join(files.certsWriteDir, tls.host))).toBe(false);
    expect((await call<RegistryInfo[]>('registries.list', {})).some((r) => r.host === tls.host)).toBe(false);
  });
});
