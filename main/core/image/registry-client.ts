// A client for the OCI distribution API (`/v2/`), speaking it directly with Node's fetch (undici):
// ping and scheme detection (HTTPS, or plain HTTP only for registries marked insecure), anonymous,
// bearer-token and basic auth, manifests with content negotiation and size limits, streamed blob
// downloads that resume with `Range` after a dropped connection, bounded retries with backoff that
// honour `Retry-After` on 429/5xx, and push (HEAD, cross-repo mount, upload, manifest PUT).
// Every call takes an AbortSignal; a canceled call rejects with ErrCanceled.
import { PodbayError } from '../../../shared/errors.ts';
import { basicAuthorization, fetchBearerToken, lookupAuth, parseChallenges, readLimited } from './auth.ts';
import type { Challenge, StoredAuth } from './auth.ts';
import { digestOf, parseDigest } from './digest.ts';
import type { Digest } from './digest.ts';
import { manifestAccept, maxManifestBytes } from './manifest.ts';
import { registryHost } from './reference.ts';
import { createTlsFetch, headerRecord, loadCertsD } from './tls-fetch.ts';

export interface RetryPolicy {
  /** Total tries per request (and reconnects per blob download). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RegistryClientOptions {
  /** Registry as named in references: `host[:port]` (`docker.io` is mapped to its API host). */
  registry: string;
  /** Allow plain HTTP (registries.conf `insecure`, or `--tls-verify=false`). */
  insecure?: boolean;
  /** Explicit auth (`--creds`); `null` forces anonymous; undefined reads auth.json. */
  auth?: StoredAuth | null;
  authFilePaths?: string[];
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Injected for tests (no real waiting). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  userAgent?: string;
  /** Where to look for `<host>/*.crt` CAs and client certs (default: c/image's certs.d dirs). */
  certsDirs?: string[];
  /**
   * A registry that sends no response headers, or no body bytes, for this long (ms) is treated as a
   * dropped connection (retried, resumed): a stalled or trickling server can never park a pull.
   */
  stallTimeoutMs?: number;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  /** sha256 of the bytes (verified against the reference when it was a digest). */
  digest: Digest;
}

export type Actions = 'pull' | 'pull,push';
// The DOM lib is not loaded in main (no DOM types in the core): name fetch's init types from its signature.
type FetchInit = NonNullable<Parameters<typeof fetch>[1]>;
type RequestBody = NonNullable<FetchInit['body']>;

class RetryableError extends Error {
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const defaultRetry: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 };
const defaultStallTimeoutMs = 30_000;
/** Bytes a resumed blob download must deliver before its count of failed tries starts again. */
const resumeProgressBytes = 1024 * 1024;
/** An upper bound on any one wait the registry asks for, so a hostile Retry-After cannot park a pull. */
const maxRetryAfterMs = 60_000;

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(canceled(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(canceled(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function canceled(signal: AbortSignal): PodbayError {
  return new PodbayError('ErrCanceled', 'registry request canceled', { cause: signal.reason });
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unparseable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Math.min(Number(value.trim()) * 1000, maxRetryAfterMs);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), maxRetryAfterMs);
}

function isNetworkError(error: unknown): boolean {
  if (error instanceof PodbayError) return false;
  if (error instanceof RetryableError) return true;
  const e = error as { name?: string; code?: unknown; cause?: { code?: string } };
  if (e?.name === 'AbortError') return false;
  // node:http reports a body cut mid-stream as Error('aborted') with code ECONNRESET.
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) return true;
  // undici reports connection failures as TypeError('fetch failed') with an errno cause, and a body
  // cut mid-stream as TypeError('terminated') or an 'other side closed' SocketError.
  return error instanceof TypeError || typeof e?.cause?.code === 'string' || /terminated|socket|ECONNRESET|other side closed/i.test(String((error as Error)?.message));
}

/** "fetch failed" says nothing: add the cause (certificate errors, ECONNREFUSED …). */
function describeError(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string; code?: string } } | undefined;
  const message = e?.message ?? String(error);
  const cause = e?.cause?.message ?? e?.cause?.code;
  return cause && !message.includes(cause) ? `${message}: ${cause}` : message;
}

/** A whole small body, at most `limit` bytes (auth.ts readLimited), read with the stall timeout and the signal. */
async function readBody(response: Response, limit: number, what: string, signal: AbortSignal | undefined, stallTimeoutMs = defaultStallTimeoutMs): Promise<Buffer> {
  if (!response.body) return readLimited(response, limit, what);
  return readLimited(response, limit, what, (body) => abortableChunks(body, signal, stallTimeoutMs));
}

/** Registry error bodies: `{"errors":[{"code","message"}]}`. Read with a small limit. */
async function registryErrorCodes(response: Response): Promise<{ codes: string[]; text: string }> {
  try {
    const text = (await readBody(response, 64 * 1024, 'registry error', undefined)).toString('utf8');
    const doc = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    const errors = Array.isArray(doc.errors) ? doc.errors : [];
    return {
      codes: errors.map((e) => String(e.code ?? '')),
      text: errors.map((e) => `${String(e.code ?? '')}: ${String(e.message ?? '')}`).join('; ').slice(0, 500),
    };
  } catch {
    return { codes: [], text: '' };
  }
}

export class RegistryClient {
  readonly registry: string;
  private readonly host: string;
  private readonly insecure: boolean;
  private readonly fetchImpl: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly auth: StoredAuth | undefined;
  private readonly userAgent: string;
  private readonly stallTimeoutMs: number;
  private baseUrl: string | undefined;
  /** The scheme `ping` settled on (undefined before a successful ping). */
  scheme: 'https' | 'http' | undefined;
  private challenge: Challenge | undefined;
  private pinging: Promise<void> | undefined;
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly pendingTokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.host = registryHost(options.registry);
    this.insecure = options.insecure ?? false;
    this.fetchImpl = options.fetch ?? registryFetch(this.host, this.insecure, options.certsDirs);
    this.retry = { ...defaultRetry, ...options.retry };
    this.sleep = options.sleep ?? abortableSleep;
    this.auth = options.auth === null ? undefined : (options.auth ?? lookupAuth(options.registry, '', options.authFilePaths));
    this.userAgent = options.userAgent ?? 'podbay';
    this.stallTimeoutMs = options.stallTimeoutMs ?? defaultStallTimeoutMs;
    if (!/^[A-Za-z0-9.[\]:-]+$/.test(this.host)) throw new PodbayError('ErrInvalidArg', `invalid registry host ${JSON.stringify(this.host)}`);
  }

  private async raw(url: string, init: FetchInit): Promise<Response> {
    // A record, not a Headers: naming the global loads undici (tls-fetch.ts).
    const headers = { ...headerRecord(init.headers), 'user-agent': this.userAgent, 'docker-distribution-api-version': 'registry/2.0' };
    // No response headers within the stall timeout: given up as a dropped connection (retried).
    const stall = new AbortController();
    const timer = setTimeout(() => stall.abort(), this.stallTimeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, stall.signal]) : stall.signal;
    try {
      return await this.fetchImpl(url, { ...init, headers, signal });
    } catch (error) {
      if (init.signal?.aborted) throw canceled(init.signal);
      if (stall.signal.aborted) throw new RetryableError(`${this.registry} sent no response within ${this.stallTimeoutMs / 1000} s`, undefined, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * `GET /v2/`: picks the scheme and learns the auth challenge. HTTPS first; plain HTTP only when
   * the registry is insecure (c/image `detectProperties`). 200 and 401 both mean "a registry".
   */
  async ping(signal?: AbortSignal): Promise<void> {
    if (this.baseUrl) return;
    // Requests started together (a push's HEADs) share one ping; a failed ping is tried afresh.
    this.pinging ??= this.detect(signal).finally(() => (this.pinging = undefined));
    return this.pinging;
  }

  private async detect(signal?: AbortSignal): Promise<void> {
    const schemes: ('https' | 'http')[] = this.insecure ? ['https', 'http'] : ['https'];
    // On an insecure registry both probes start together: HTTPS still wins whenever it answers, but a
    // plain-HTTP registry no longer waits for a failed TLS handshake before its own request goes out
    // (c/image and podman probe one after the other). The plain request carries no credentials.
    const first = new Map(schemes.map((scheme) => [scheme, this.raw(`${scheme}://${this.host}/v2/`, { signal, redirect: 'follow' })]));
    for (const started of first.values()) started.catch(() => undefined);
    let lastError: unknown;
    for (const scheme of schemes) {
      const base = `${scheme}://${this.host}`;
      // Probing HTTPS on an insecure registry is tried once: a plain-HTTP server fails the TLS
      // handshake every time, and retrying it would only delay the fallback.
      const probeOnly = scheme === 'https' && schemes.length > 1;
      let tries = 0;
      const attempt = () => (tries++ === 0 ? first.get(scheme)! : this.raw(`${base}/v2/`, { signal, redirect: 'follow' }));
      try {
        const response = probeOnly ? await attempt() : await this.withRetries(attempt, signal, 'pinging');
        await response.body?.cancel();
        if (response.status === 401) this.challenge = parseChallenges(response.headers.get('www-authenticate'))[0];
        else if (!response.ok && response.status !== 404) throw new PodbayError('ErrInternal', `pinging registry ${this.registry}: HTTP ${response.status}`);
        this.baseUrl = base;
        this.scheme = scheme;
        // HTTPS answered first: the plain probe's answer is never read, so its connection goes.
        if (scheme === 'https') void first.get('http')?.then((unused) => unused.body?.cancel(), () => undefined);
        return;
      } catch (error) {
        if (error instanceof PodbayError && error.code === 'ErrCanceled') throw error;
        lastError = error;
      }
    }
    const hint = this.insecure ? '' : ' (if it serves plain HTTP, mark it insecure in registries.conf or use --tls-verify=false)';
    // An HTTP answer that is not a registry's stays ErrInternal; no answer at all (refused, DNS, TLS) is
    // ErrRegistryUnreachable, so callers tell "cannot reach it" from "it refused the credentials".
    const noAnswer = isNetworkError(lastError) || (lastError instanceof PodbayError && lastError.code === 'ErrInternal' && isNetworkError(lastError.cause));
    const code = noAnswer ? 'ErrRegistryUnreachable' : lastError instanceof PodbayError ? lastError.code : 'ErrInternal';
    throw new PodbayError(code, `pinging container registry ${this.registry}: ${lastError ? describeError(lastError) : 'unreachable'}${hint}`, { cause: lastError });
  }

  /**
   * `podbay login` / the Registries page's "test": proves the credentials work without touching a
   * repository, as podman does — Basic auth on `GET /v2/`, or a token request without a scope for
   * Bearer registries. Resolves when accepted; ErrUnauthorized when refused.
   */
  async checkLogin(signal?: AbortSignal): Promise<void> {
    await this.ping(signal);
    const c = this.challenge;
    if (!c) return; // the registry needs no auth at all
    if (!this.auth) throw new PodbayError('ErrUnauthorized', `${this.registry} requires credentials`);
    if (c.scheme === 'bearer') {
      await fetchBearerToken(c, [], this.auth, { fetch: this.fetchImpl, signal });
      return;
    }
    const headers: Record<string, string> = this.auth.credentials ? { authorization: basicAuthorization(this.auth.credentials) } : {};
    const response = await this.withRetries(() => this.raw(`${this.baseUrl}/v2/`, { headers, signal }), signal, 'checking login');
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) throw new PodbayError('ErrUnauthorized', `${this.registry} refused the credentials (HTTP ${response.status})`);
    if (!response.ok) throw new PodbayError('ErrInternal', `checking login to ${this.registry}: HTTP ${response.status}`);
  }

  /** The user of the credentials in use (given or stored), if any. */
  get username(): string | undefined {
    return this.auth?.credentials?.username;
  }

  /** How the registry asked to authenticate at ping: `none` when `/v2/` answered without a challenge. */
  get authScheme(): string {
    return this.challenge?.scheme ?? 'none';
  }

  /**
   * Whether these credentials may push to `repository`, without leaving anything behind: opens a
   * blob upload (what a push does first) and cancels it at once with DELETE, as c/image cancels an
   * unused upload session. `cleanedUp` is false when the registry would not cancel the session
   * (distribution then expires it on its own after its upload purge interval).
   */
  async probePush(repository: string, signal?: AbortSignal): Promise<{ allowed: boolean; cleanedUp: boolean }> {
    let start: Response;
    try {
      start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, { repository, actions: 'pull,push', signal });
    } catch (error) {
      if (error instanceof PodbayError && error.code === 'ErrUnauthorized') return { allowed: false, cleanedUp: true };
      throw error;
    }
    if (start.status !== 202) {
      const failure = await this.failure(start, `starting a test upload to ${repository}`);
      if (failure.code === 'ErrUnauthorized' || start.status === 401 || start.status === 403) return { allowed: false, cleanedUp: true };
      throw failure;
    }
    await start.body?.cancel();
    const location = start.headers.get('location');
    if (!location) return { allowed: true, cleanedUp: false };
    const cancel = await this.request('DELETE', this.location(start, 'cancelling the test upload'), { repository, actions: 'pull,push', signal }).catch(() => undefined);
    await cancel?.body?.cancel();
    return { allowed: true, cleanedUp: cancel !== undefined && (cancel.status === 204 || cancel.status === 200 || cancel.status === 202) };
  }

  /** Runs `attempt` with retries on connection errors, 429 and 502/503/504, honouring Retry-After. */
  private async withRetries(attempt: () => Promise<Response>, signal: AbortSignal | undefined, doing: string): Promise<Response> {
    let lastError: unknown;
    for (let i = 0; i < this.retry.attempts; i++) {
      if (signal?.aborted) throw canceled(signal);
      let wait: number | undefined;
      try {
        const response = await attempt();
        if (response.status !== 429 && response.status !== 502 && response.status !== 503 && response.status !== 504) return response;
        wait = parseRetryAfter(response.headers.get('retry-after'));
        await response.body?.cancel();
        lastError = new PodbayError('ErrInternal', `${doing}: HTTP ${response.status} from ${this.registry}`);
      } catch (error) {
        if (!isNetworkError(error)) throw error;
        lastError = error;
      }
      if (i + 1 < this.retry.attempts) {
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** i);
        await this.sleep(wait ?? backoff, signal);
      }
    }
    if (lastError instanceof PodbayError) throw lastError;
    throw new PodbayError('ErrInternal', `${doing}: ${lastError ? describeError(lastError) : 'failed'} after ${this.retry.attempts} tries`, { cause: lastError });
  }

  private scopeKey(repository: string, actions: Actions, extra: string[]): string[] {
    return [`repository:${repository}:${actions}`, ...extra];
  }

  private async authorization(scopes: string[], signal?: AbortSignal, force = false): Promise<string | undefined> {
    const c = this.challenge;
    if (!c) return undefined;
    if (c.scheme === 'basic') return this.auth?.credentials ? basicAuthorization(this.auth.credentials) : undefined;
    if (c.scheme !== 'bearer') return undefined;
    const key = scopes.join(' ');
    const cached = this.tokens.get(key);
    if (!force && cached && cached.expiresAt > Date.now() + 5000) return `Bearer ${cached.token}`;
    // Parallel requests for the same scopes share one token request.
    let pending = force ? undefined : this.pendingTokens.get(key);
    if (!pending) {
      pending = fetchBearerToken(c, scopes, this.auth, { fetch: this.fetchImpl, signal }).finally(() => this.pendingTokens.delete(key));
      this.pendingTokens.set(key, pending);
    }
    const token = await pending;
    this.tokens.set(key, token);
    return `Bearer ${token.token}`;
  }

  /**
   * One authenticated request with retries. A 401 re-learns the challenge (or widens the scope on
   * `insufficient_scope`) and retries once; a second 401/403 is ErrUnauthorized.
   */
  async request(
    method: string,
    pathOrUrl: string,
    options: { repository: string; actions: Actions; extraScopes?: string[]; headers?: Record<string, string>; body?: () => RequestBody | AsyncIterable<Uint8Array> | undefined; signal?: AbortSignal; redirect?: FetchInit['redirect'] },
  ): Promise<Response> {
    await this.ping(options.signal);
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    let scopes = this.scopeKey(options.repository, options.actions, options.extraScopes ?? []);
    for (let authTry = 0; ; authTry++) {
      const authorization = await this.authorization(scopes, options.signal, authTry > 0);
      const response = await this.withRetries(
        () => {
          const body = options.body?.();
          const init: FetchInit & { duplex?: 'half' } = {
            method,
            headers: { ...options.headers, ...(authorization ? { authorization } : {}) },
            signal: options.signal,
            redirect: options.redirect ?? 'follow',
          };
          if (body !== undefined) {
            init.body = body as RequestBody;
            if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') init.duplex = 'half';
          }
          return this.raw(url, init);
        },
        options.signal,
        `${method} ${new URL(url).pathname}`,
      );
      if ((response.status === 401 || response.status === 403) && authTry === 0) {
        const challenge = parseChallenges(response.headers.get('www-authenticate'))[0];
        await response.body?.cancel();
        if (response.status === 401 && challenge) {
          this.challenge = challenge;
          if (challenge.params.error === 'insufficient_scope' && challenge.params.scope) scopes = [...new Set([...scopes, ...challenge.params.scope.split(' ')])];
          if (challenge.scheme === 'basic' && !this.auth?.credentials) {
            throw new PodbayError('ErrUnauthorized', `${this.registry} requires authentication: log in first (podbay login ${this.registry})`);
          }
          continue;
        }
        throw new PodbayError('ErrUnauthorized', `${this.registry} refused access to ${options.repository} (HTTP ${response.status})`);
      }
      if (response.status === 401 || response.status === 403) {
        const { text } = await registryErrorCodes(response);
        throw new PodbayError('ErrUnauthorized', `${this.registry} refused access to ${options.repository}${this.auth ? ' with the given credentials' : ' anonymously'} (HTTP ${response.status}${text ? `: ${text}` : ''})`);
      }
      return response;
    }
  }

  private async failure(response: Response, doing: string): Promise<PodbayError> {
    const { codes, text } = await registryErrorCodes(response);
    const detail = text ? `: ${text}` : '';
    if (response.status === 404 || codes.some((c) => c === 'MANIFEST_UNKNOWN' || c === 'NAME_UNKNOWN' || c === 'BLOB_UNKNOWN')) {
      return new PodbayError('ErrNoSuchImage', `${doing}: not found in ${this.registry} (HTTP ${response.status}${detail})`);
    }
    if (codes.includes('DENIED') || codes.includes('UNAUTHORIZED')) return new PodbayError('ErrUnauthorized', `${doing}: denied by ${this.registry}${detail}`);
    if (response.status === 400 || codes.some((c) => c.endsWith('_INVALID'))) return new PodbayError('ErrInvalidArg', `${doing}: ${this.registry} refused it (HTTP ${response.status}${detail})`);
    return new PodbayError('ErrInternal', `${doing}: HTTP ${response.status} from ${this.registry}${detail}`);
  }

  /**
   * Fetches a manifest or index by tag or digest, reading at most 4 MiB. A digest reference is
   * verified against the bytes; a tag's digest is computed (Docker-Content-Digest is not trusted).
   */
  async getManifest(repository: string, reference: string, options: { signal?: AbortSignal; accept?: string[] } = {}): Promise<FetchedManifest> {
    let response: Response;
    let bytes: Buffer;
    // A body cut or stalled half-way is fetched again (whole: manifests are small), a bounded number of times.
    for (let attempt = 1; ; attempt++) {
      response = await this.request('GET', `/v2/${repository}/manifests/${reference}`, {
        repository,
        actions: 'pull',
        headers: { accept: (options.accept ?? manifestAccept).join(', ') },
        signal: options.signal,
      });
      if (!response.ok) throw await this.failure(response, `reading manifest ${repository}:${reference}`);
      try {
        bytes = await readBody(response, maxManifestBytes, `manifest ${repository}:${reference}`, options.signal, this.stallTimeoutMs);
        break;
      } catch (error) {
        if (options.signal?.aborted) throw canceled(options.signal);
        if (error instanceof PodbayError) throw error;
        if (!isNetworkError(error) || attempt >= this.retry.attempts) {
          throw new PodbayError('ErrInternal', `reading manifest ${repository}:${reference} from ${this.registry}: ${describeError(error)}`, { cause: error });
        }
        await this.sleep(Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1)), options.signal);
      }
    }
    const digest = digestOf(bytes);
    if (reference.includes(':')) {
      const wanted = parseDigest(reference);
      const actual = wanted.startsWith('sha512:') ? digestOf(bytes, 'sha512') : digest;
      if (actual !== wanted) throw new PodbayError('ErrInvalidArg', `manifest ${repository}@${wanted}: digest did not match, got ${actual}`);
    }
    return { bytes, mediaType: response.headers.get('content-type')?.split(';')[0]?.trim() ?? '', digest };
  }

  /**
   * Streams a blob. After a dropped connection or truncated body it reconnects asking for
   * `Range: bytes=<received>-`; a server that ignores Range is read from the start and the bytes
   * already delivered are skipped, so the consumer sees each byte exactly once. `onResume` reports
   * reconnects (tests and logs).
   */
  async *getBlob(
    repository: string,
    descriptor: { digest: Digest; size?: number },
    options: { signal?: AbortSignal; onResume?: (offset: number, attempt: number) => void } = {},
  ): AsyncGenerator<Uint8Array> {
    const digest = parseDigest(descriptor.digest);
    let offset = 0;
    let failures = 0;
    let sinceFailure = 0;
    for (;;) {
      try {
        const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
        const response = await this.request('GET', `/v2/${repository}/blobs/${digest}`, { repository, actions: 'pull', headers, signal: options.signal });
        if (response.status !== 200 && response.status !== 206) throw await this.failure(response, `reading blob ${digest}`);
        let skip = 0;
        if (offset > 0 && response.status === 200) skip = offset;
        if (response.status === 206) {
          const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
          if (Number(start) !== offset) {
            await response.body?.cancel();
            throw new PodbayError('ErrInternal', `reading blob ${digest}: the registry resumed at ${start ?? '?'} instead of ${offset}`);
          }
        }
        if (!response.body) throw new RetryableError('empty response body');
        for await (const chunk of abortableChunks(response.body, options.signal, this.stallTimeoutMs)) {
          let piece: Uint8Array = chunk;
          if (skip > 0) {
            const drop = Math.min(skip, piece.length);
            skip -= drop;
            piece = piece.subarray(drop);
            if (piece.length === 0) continue;
          }
          offset += piece.length;
          if (descriptor.size !== undefined && offset > descriptor.size) {
            throw new PodbayError('ErrInvalidArg', `blob ${digest}: the registry sent more than the ${descriptor.size} bytes the manifest declares`);
          }
          // Real progress forgives earlier drops; a server that stalls after every few bytes is not progress.
          sinceFailure += piece.length;
          if (sinceFailure >= resumeProgressBytes) failures = 0;
          yield piece;
        }
        if (descriptor.size !== undefined && offset < descriptor.size) throw new RetryableError(`body ended at ${offset} of ${descriptor.size} bytes`);
        return;
      } catch (error) {
        if (options.signal?.aborted) throw canceled(options.signal);
        // Every byte arrived and the connection failed only after (a Content-Length promising more than
        // the blob): the consumer verifies the digest, and asking for the range past the end would be a 416.
        if (isNetworkError(error) && descriptor.size !== undefined && offset === descriptor.size) return;
        if (!isNetworkError(error) || ++failures >= this.retry.attempts) {
          if (error instanceof PodbayError) throw error;
          throw new PodbayError('ErrInternal', `reading blob ${digest} from ${this.registry}: ${describeError(error)}`, { cause: error });
        }
        sinceFailure = 0;
        options.onResume?.(offset, failures);
        await this.sleep(Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (failures - 1)), options.signal);
      }
    }
  }

  /** Reads a small blob (config) whole, verifying its digest. */
  async getBlobBytes(repository: string, descriptor: { digest: Digest; size: number }, limit: number, signal?: AbortSignal): Promise<Buffer> {
    if (descriptor.size > limit) throw new PodbayError('ErrInvalidArg', `blob ${descriptor.digest} is ${descriptor.size} bytes, more than the ${limit} allowed`);
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.getBlob(repository, descriptor, { signal })) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const actual = digestOf(bytes, descriptor.digest.startsWith('sha512:') ? 'sha512' : 'sha256');
    if (actual !== descriptor.digest) throw new PodbayError('ErrInvalidArg', `blob ${descriptor.digest}: digest did not match, got ${actual}`);
    return bytes;
  }

  /** `HEAD` a blob: its size when the registry has it in this repository. */
  async blobExists(repository: string, digest: Digest, signal?: AbortSignal): Promise<number | undefined> {
    const response = await this.request('HEAD', `/v2/${repository}/blobs/${parseDigest(digest)}`, { repository, actions: 'pull,push', signal });
    await response.body?.cancel();
    if (response.status === 200) return Number(response.headers.get('content-length') ?? 0);
    if (response.status === 404) return undefined;
    throw await this.failure(response, `checking blob ${digest}`);
  }

  /**
   * Cross-repository mount. True when mounted (201); on 202 the registry opened an upload instead,
   * which is cancelled (c/image does the same) and false is returned.
   */
  async mountBlob(repository: string, digest: Digest, fromRepository: string, signal?: AbortSignal): Promise<boolean> {
    const d = parseDigest(digest);
    const response = await this.request('POST', `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(d)}&from=${encodeURIComponent(fromRepository)}`, {
      repository,
      actions: 'pull,push',
      extraScopes: [`repository:${fromRepository}:pull`],
      signal,
    });
    await response.body?.cancel();
    if (response.status === 201) return true;
    if (response.status === 202) {
      const location = response.headers.get('location');
      if (location) {
        const cancel = await this.request('DELETE', new URL(location, `${this.baseUrl}/`).toString(), { repository, actions: 'pull,push', signal }).catch(() => undefined);
        await cancel?.body?.cancel();
      }
      return false;
    }
    throw await this.failure(response, `mounting blob ${digest} from ${fromRepository}`);
  }

  /**
   * Uploads a blob: POST to open a session, then either one streamed PATCH with the whole body
   * (as c/image) or, with `chunkSize`, ordered PATCHes with Content-Range; then PUT ?digest=.
   * `source` is a factory so a failed attempt can start over from the first byte.
   */
  async uploadBlob(
    repository: string,
    descriptor: { digest: Digest; size: number },
    source: () => AsyncIterable<Uint8Array>,
    options: { signal?: AbortSignal; chunkSize?: number; onBytes?: (bytes: number) => void } = {},
  ): Promise<void> {
    const digest = parseDigest(descriptor.digest);
    const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, { repository, actions: 'pull,push', signal: options.signal });
    await start.body?.cancel();
    if (start.status !== 202) throw await this.failure(start, `starting upload of ${digest}`);
    let location = this.location(start, `starting upload of ${digest}`);
    let sent = 0;
    const counted = async function* (iterable: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of iterable) {
        sent += chunk.length;
        options.onBytes?.(sent);
        yield chunk;
      }
    };
    if (options.chunkSize) {
      for await (const piece of rechunk(source(), options.chunkSize)) {
        const end = sent + piece.length - 1;
        const response = await this.request('PATCH', location, {
          repository,
          actions: 'pull,push',
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${sent}-${end}`, 'content-length': String(piece.length) },
          body: () => piece as unknown as RequestBody,
          signal: options.signal,
        });
        await response.body?.cancel();
        if (response.status !== 202) throw await this.failure(response, `uploading ${digest} bytes ${sent}-${end}`);
        sent += piece.length;
        options.onBytes?.(sent);
        location = this.location(response, `uploading ${digest}`);
      }
    } else {
      const response = await this.request('PATCH', location, {
        repository,
        actions: 'pull,push',
        headers: { 'content-type': 'application/octet-stream' },
        body: () => {
          sent = 0;
          return counted(source());
        },
        signal: options.signal,
      });
      await response.body?.cancel();
      if (response.status !== 202) throw await this.failure(response, `uploading ${digest}`);
      location = this.location(response, `uploading ${digest}`);
    }
    if (sent !== descriptor.size) throw new PodbayError('ErrInvalidArg', `uploading ${digest}: sent ${sent} bytes, expected ${descriptor.size}`);
    const url = new URL(location);
    url.searchParams.append('digest', digest);
    const done = await this.request('PUT', url.toString(), { repository, actions: 'pull,push', headers: { 'content-length': '0' }, signal: options.signal });
    await done.body?.cancel();
    if (done.status !== 201) throw await this.failure(done, `finishing upload of ${digest}`);
  }

  private location(response: Response, doing: string): string {
    const location = response.headers.get('location');
    if (!location) throw new PodbayError('ErrInternal', `${doing}: the registry sent no upload location`);
    const url = new URL(location, `${this.baseUrl}/`);
    // An upload location on another host would send our credentials there: refuse it.
    if (url.host !== new URL(this.baseUrl!).host) throw new PodbayError('ErrInternal', `${doing}: the registry redirected the upload to another host (${url.host})`);
    return url.toString();
  }

  /** PUTs a manifest (exact bytes) under a tag or digest; returns its digest. */
  async putManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string, signal?: AbortSignal): Promise<Digest> {
    const response = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      repository,
      actions: 'pull,push',
      headers: { 'content-type': mediaType },
      body: () => Buffer.from(bytes),
      signal,
    });
    await response.body?.cancel();
    if (response.status !== 201) throw await this.failure(response, `writing manifest ${repository}:${reference}`);
    return digestOf(bytes);
  }

  /** Tags of a repository (`--all-tags`), following `Link` pagination up to a bound. */
  async listTags(repository: string, signal?: AbortSignal): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    for (let page = 0; path && page < 100; page++) {
      const response = await this.request('GET', path, { repository, actions: 'pull', signal });
      if (!response.ok) throw await this.failure(response, `listing tags of ${repository}`);
      const doc = JSON.parse((await readBody(response, 4 * 1024 * 1024, 'tag list', signal, this.stallTimeoutMs)).toString('utf8')) as { tags?: unknown };
      if (Array.isArray(doc.tags)) tags.push(...doc.tags.filter((t): t is string => typeof t === 'string'));
      const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      path = next ? new URL(next, `${this.baseUrl}/`).toString() : undefined;
    }
    return tags;
  }
}

/**
 * Reads a fetch body chunk by chunk, rejecting as soon as `signal` aborts. undici normally errors
 * the body on abort, but a read already pending when the abort lands early in a response can stay
 * pending forever (seen with docker-registry on loopback), so each read races the signal and the
 * body is cancelled on the way out.
 *
 * Each read gets its own short-lived race (listener and timer removed when it settles): a
 * `Promise.race` against one promise that lives as long as the body keeps a reaction per read on
 * it, and with it every chunk read — a whole layer held in memory until its download ended.
 */
async function* abortableChunks(body: Pick<ReadableStream<Uint8Array>, 'getReader'>, signal: AbortSignal | undefined, stallTimeoutMs: number): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  const read = () =>
    new Promise<Awaited<ReturnType<typeof reader.read>>>((resolve, reject) => {
      if (signal?.aborted) {
        reject(canceled(signal));
        return;
      }
      const onAbort = () => reject(canceled(signal!));
      // No byte for the stall timeout: a stalled or trickling server, handled as a dropped connection.
      const timer = setTimeout(() => reject(new RetryableError(`the registry sent no data for ${stallTimeoutMs / 1000} s`)), stallTimeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      reader
        .read()
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        });
    });
  try {
    for (;;) {
      const { done, value } = await read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
    try {
      reader.releaseLock();
    } catch {
      // a read still pending after an abort: the cancel above settles it
    }
  }
}

/** node:http(s) with the registry's TLS settings: unverified (insecure) and certificates from certs.d. */
function registryFetch(host: string, insecure: boolean, certsDirs: string[] | undefined): typeof fetch {
  return createTlsFetch({ verify: !insecure, ...loadCertsD(host, certsDirs) });
}

/** Regroups a stream into pieces of exactly `size` bytes (the last may be shorter). */
async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    let c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (pendingBytes + c.length >= size) {
      const take = size - pendingBytes;
      pending.push(c.subarray(0, take));
      yield Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      c = c.subarray(take);
    }
    if (c.length) {
      pending.push(Buffer.from(c));
      pendingBytes += c.length;
    }
  }
  if (pendingBytes) yield Buffer.concat(pending);
}
