// Registry credentials and the auth handshake: auth.json lookup as containers-auth.json(5)
// (most specific key first, docker.io aliases folded), writing for login/logout (first file only,
// 0600, atomic), WWW-Authenticate challenge parsing, and bearer token requests.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PodbayError } from '../../../shared/errors.ts';

export interface Credentials {
  username: string;
  password: string;
}

export interface StoredAuth {
  credentials?: Credentials;
  /** OAuth2 refresh token (`identitytoken`), used instead of basic credentials for bearer realms. */
  identityToken?: string;
}

/** Files to read, in order: an explicit file disables the fallbacks, as `--authfile` does. */
export function defaultAuthFilePaths(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string[] {
  if (env.REGISTRY_AUTH_FILE) return [env.REGISTRY_AUTH_FILE];
  const home = env.HOME ?? '/root';
  const runtimeDir = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'containers/auth.json') : `/run/containers/${uid}/auth.json`;
  return [
    runtimeDir,
    join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'containers/auth.json'),
    join(env.DOCKER_CONFIG ?? join(home, '.docker'), 'config.json'),
  ];
}

/** Reduces an auth.json key to `host[/path]`; Docker Hub's names all become `docker.io`. */
export function normalizeAuthKey(key: string): string {
  let k = key.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (key.includes('://')) k = k.split('/')[0]!; // docker-style URL keys name the host only
  const slash = k.indexOf('/');
  const host = slash < 0 ? k : k.slice(0, slash);
  const rest = slash < 0 ? '' : k.slice(slash);
  const hub = host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'docker.io';
  return `${hub ? 'docker.io' : host}${rest}`;
}

function readJson(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw new PodbayError('ErrPermission', `reading credentials file ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (text.length > 4 * 1024 * 1024) throw new PodbayError('ErrInvalidArg', `credentials file ${path} is too large`);
  try {
    const doc = JSON.parse(text) as unknown;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not an object');
    return doc as Record<string, unknown>;
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `reading credentials file ${path}: invalid JSON`, { cause: error });
  }
}

function decodeEntry(entry: unknown, path: string, key: string): StoredAuth | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  const out: StoredAuth = {};
  if (typeof e.auth === 'string' && e.auth !== '') {
    const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new PodbayError('ErrInvalidArg', `credentials file ${path}: the "auth" of ${key} is not base64 of user:password`);
    out.credentials = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1).replace(/\n$/, '') };
  }
  if (typeof e.identitytoken === 'string' && e.identitytoken !== '') out.identityToken = e.identitytoken;
  return out.credentials || out.identityToken ? out : undefined;
}

/**
 * Credentials for `registry` (host[:port], as in the reference) and optional `repository` path:
 * keys `host/ns/repo` → `host/ns` → `host` in each file, first file first.
 */
export function lookupAuth(registry: string, repository = '', paths = defaultAuthFilePaths()): StoredAuth | undefined {
  const host = normalizeAuthKey(registry);
  const candidates: string[] = [];
  const parts = repository ? repository.split('/') : [];
  for (let n = parts.length; n >= 1; n--) candidates.push(`${host}/${parts.slice(0, n).join('/')}`);
  candidates.push(host);
  for (const path of paths) {
    const doc = readJson(path);
    if (!doc || typeof doc.auths !== 'object' || doc.auths === null) continue;
    const auths = new Map<string, unknown>();
    for (const [key, value] of Object.entries(doc.auths as Record<string, unknown>)) {
      const nk = normalizeAuthKey(key);
      if (!auths.has(nk)) auths.set(nk, value);
    }
    for (const key of candidates) {
      const found = decodeEntry(auths.get(key), path, key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Every stored login, file by file (first file first; a key shadowed by an earlier file is still listed once). */
export function listStoredLogins(paths = defaultAuthFilePaths()): { key: string; username: string; authFile: string }[] {
  const out: { key: string; username: string; authFile: string }[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const doc = readJson(path);
    if (!doc || typeof doc.auths !== 'object' || doc.auths === null) continue;
    for (const [raw, value] of Object.entries(doc.auths as Record<string, unknown>)) {
      const key = normalizeAuthKey(raw);
      if (seen.has(key)) continue;
      const found = decodeEntry(value, path, raw);
      if (!found) continue;
      seen.add(key);
      out.push({ key, username: found.credentials?.username ?? '<token>', authFile: path });
    }
  }
  return out;
}

function writeAtomic(path: string, doc: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, `${JSON.stringify(doc, null, '\t')}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** `podbay login`: stores credentials in the first auth file (only that one is ever written). */
export function storeCredentials(key: string, credentials: Credentials, path = defaultAuthFilePaths()[0]!): void {
  const doc = readJson(path) ?? {};
  const auths = typeof doc.auths === 'object' && doc.auths !== null ? { ...(doc.auths as Record<string, unknown>) } : {};
  auths[normalizeAuthKey(key)] = { auth: Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64') };
  writeAtomic(path, { ...doc, auths });
}

/** `podbay logout`: removes the key; returns false when it was not there. */
export function removeCredentials(key: string, path = defaultAuthFilePaths()[0]!): boolean {
  const doc = readJson(path);
  if (!doc || typeof doc.auths !== 'object' || doc.auths === null) return false;
  const auths = { ...(doc.auths as Record<string, unknown>) };
  const wanted = normalizeAuthKey(key);
  let removed = false;
  for (const k of Object.keys(auths)) {
    if (normalizeAuthKey(k) === wanted) {
      delete auths[k];
      removed = true;
    }
  }
  if (removed) writeAtomic(path, { ...doc, auths });
  return removed;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `WWW-Authenticate` (one header may hold several challenges). Unknown syntax yields nothing. */
export function parseChallenges(header: string | null): Challenge[] {
  if (!header) return [];
  const out: Challenge[] = [];
  const re = /([A-Za-z][A-Za-z0-9_-]*)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*)))?\s*,?\s*/g;
  let current: Challenge | undefined;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = re.exec(header)) !== null && guard++ < 100) {
    if (m[0] === '') break;
    const [, name, quoted, bare] = m;
    if (quoted === undefined && bare === undefined) {
      current = { scheme: name!.toLowerCase(), params: {} };
      out.push(current);
    } else if (current) {
      current.params[name!.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare!;
    }
  }
  return out;
}

export interface TokenResponse {
  token: string;
  expiresAt: number;
}

/**
 * Asks a bearer realm for a token for `scopes`. Basic credentials are sent only when present
 * (anonymous tokens otherwise); an identity token uses the OAuth2 refresh flow, as c/image.
 */
export async function fetchBearerToken(
  challenge: Challenge,
  scopes: string[],
  auth: StoredAuth | undefined,
  options: { fetch: typeof fetch; signal?: AbortSignal; now?: () => number },
): Promise<TokenResponse> {
  const realm = challenge.params.realm;
  if (!realm) throw new PodbayError('ErrUnauthorized', 'the registry asked for a bearer token without naming a realm');
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new PodbayError('ErrUnauthorized', `the registry's token realm ${JSON.stringify(realm.slice(0, 200))} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PodbayError('ErrUnauthorized', 'the token realm is not http(s)');
  let response: Response;
  if (auth?.identityToken) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.identityToken, client_id: 'podbay' });
    if (challenge.params.service) form.set('service', challenge.params.service);
    form.set('scope', scopes.join(' '));
    response = await options.fetch(url, { method: 'POST', body: form, signal: options.signal, redirect: 'error' });
  } else {
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    if (auth?.credentials) url.searchParams.set('account', auth.credentials.username);
    const headers: Record<string, string> = {};
    if (auth?.credentials) headers.authorization = basicAuthorization(auth.credentials);
    response = await options.fetch(url, { headers, signal: options.signal, redirect: 'error' });
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new PodbayError('ErrUnauthorized', `the token service refused the ${auth ? 'credentials' : 'anonymous request'} (HTTP ${response.status})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new PodbayError('ErrInternal', `requesting a registry token: HTTP ${response.status}`);
  }
  const text = await readLimitedText(response, 1024 * 1024, 'token response');
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new PodbayError('ErrUnauthorized', 'the token response is not JSON');
  }
  const token = typeof doc.token === 'string' && doc.token ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : '';
  if (!token) throw new PodbayError('ErrUnauthorized', 'the token response holds no token');
  const expiresIn = typeof doc.expires_in === 'number' && doc.expires_in >= 60 ? doc.expires_in : 60;
  return { token, expiresAt: (options.now ?? Date.now)() + expiresIn * 1000 };
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** Reads a response body as text, refusing more than `limit` bytes (hostile endless bodies). */
export async function readLimitedText(response: Response, limit: number, what: string): Promise<string> {
  return (await readLimited(response, limit, what)).toString('utf8');
}

/**
 * Reads a whole body of at most `limit` bytes. `read` says how to read the body stream (the registry
 * client races each read against its stall timeout and the abort signal); by default it is iterated.
 */
export async function readLimited(
  response: Pick<Response, 'headers' | 'body'>,
  limit: number,
  what: string,
  read: (body: ReadableStream<Uint8Array>) => AsyncIterable<Uint8Array> = (body) => body,
): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw new PodbayError('ErrInvalidArg', `${what} of ${declared} bytes exceeds the ${limit}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of read(response.body)) {
      size += chunk.length;
      // Throwing ends the loop, whose iterator cancels the body: nothing more is read.
      if (size > limit) throw new PodbayError('ErrInvalidArg', `${what} exceeds the ${limit}-byte limit`);
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}
