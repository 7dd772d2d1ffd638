// The registry client's fetch, on node:http / node:https (not undici: see createTlsFetch), with the
// TLS settings Node's global fetch cannot take without the undici package: extra CA certificates
// from `certs.d/<host>/*.crt`, client certificates (`*.cert` + `*.key`), and unverified TLS for
// registries marked insecure (c/image `docker_client.go` semantics). Returns a standard Response
// whose body streams. Redirects are followed (at most 10) and credentials are dropped when the origin
// changes, as fetch does.
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { PodbayError } from '../../../shared/errors.ts';

export interface TlsSettings {
  /** false: accept any server certificate (insecure registries, `--tls-verify=false`). */
  verify: boolean;
  /** Extra trusted CAs (PEM), added to Node's bundled roots. */
  ca?: string[];
  clientCert?: { cert: string; key: string };
}

/** Where c/image looks for per-registry certificates, user first. */
export function defaultCertsDirs(home = process.env.HOME ?? '/root'): string[] {
  return [join(home, '.config/containers/certs.d'), '/etc/containers/certs.d', '/etc/docker/certs.d'];
}

/**
 * Reads `<dir>/<host[:port]>/`: `*.crt` are CAs; `X.cert` with `X.key` is a client certificate.
 * The first directory that exists for the host wins (as c/image). Undefined when none exists.
 */
export function loadCertsD(host: string, dirs = defaultCertsDirs()): Omit<TlsSettings, 'verify'> | undefined {
  if (!/^[A-Za-z0-9.[\]:-]+$/.test(host)) throw new PodbayError('ErrInvalidArg', `invalid registry host ${JSON.stringify(host)}`);
  for (const dir of dirs) {
    const hostDir = join(dir, host);
    let names: string[];
    try {
      names = readdirSync(hostDir).sort();
    } catch {
      continue;
    }
    const out: Omit<TlsSettings, 'verify'> = {};
    const ca = names.filter((n) => n.endsWith('.crt')).map((n) => readFileSync(join(hostDir, n), 'utf8'));
    if (ca.length) out.ca = ca;
    const cert = names.find((n) => n.endsWith('.cert'));
    if (cert) {
      const keyName = `${cert.slice(0, -'.cert'.length)}.key`;
      if (!names.includes(keyName)) throw new PodbayError('ErrInvalidArg', `${join(hostDir, cert)} has no matching ${keyName}`);
      out.clientCert = { cert: readFileSync(join(hostDir, cert), 'utf8'), key: readFileSync(join(hostDir, keyName), 'utf8') };
    }
    return out;
  }
  return undefined;
}

type FetchInit = NonNullable<Parameters<typeof fetch>[1]>;

function bodyToNode(body: unknown): Readable | Buffer | string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof URLSearchParams) return body.toString();
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') return Readable.from(body as AsyncIterable<Uint8Array>);
  throw new PodbayError('ErrInternal', 'unsupported request body type');
}

/** Request headers as a plain record with lower-case names (a record, pairs, or a Headers a caller made). */
export function headerRecord(init: FetchInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  // Not `instanceof Headers`: naming the global loads undici (see createTlsFetch).
  const pairs: Iterable<[string, string]> =
    Array.isArray(init) || typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function' ? (init as Iterable<[string, string]>) : Object.entries(init as Record<string, string>);
  for (const [name, value] of pairs) out[name.toLowerCase()] = String(value);
  return out;
}

/** Response headers of node:http, read-only, with the lookups the registry client makes (names are lower-case). */
class NodeResponseHeaders {
  constructor(private readonly raw: IncomingMessage['headers']) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw).sort()) yield [name, this.get(name)!];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  forEach(fn: (value: string, name: string) => void): void {
    for (const [name, value] of this.entries()) fn(value, name);
  }
}

/** The most of an unread body `cancel` still reads so its connection can be reused. */
const drainLimit = 64 * 1024;

/**
 * A response body read straight from node:http: the reader and async iteration of a web
 * ReadableStream, which is all the registry client uses. `Readable.toWeb` costs ~16 ms of loading
 * in a short CLI run and a promise-heavy queue per chunk; Node's own async iterator reads one
 * chunk at a time (the socket pauses while the consumer is busy) and destroys the message when
 * iteration ends early.
 */
class NodeResponseBody {
  private readonly chunks: AsyncIterator<Buffer>;

  constructor(private readonly message: IncomingMessage) {
    this.chunks = message[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  getReader(): { read(): Promise<IteratorResult<Uint8Array>>; cancel(): Promise<void>; releaseLock(): void } {
    return { read: () => this.chunks.next(), cancel: () => this.cancel(), releaseLock: () => undefined };
  }

  async cancel(): Promise<void> {
    // A short rest whose length is known (a 401's JSON, an error document, a ping's `{}`) is read to
    // its end: the keep-alive socket then serves the next request, where destroying it cost that
    // request a new connection (over TLS, a handshake too). Anything longer is cut off.
    const length = Number(this.message.headers['content-length']);
    if (this.message.complete || (Number.isSafeInteger(length) && length <= drainLimit)) {
      try {
        while (!(await this.chunks.next()).done);
        return;
      } catch {
        // the connection broke while draining: nothing left to keep
      }
    }
    this.message.destroy();
    await this.chunks.return?.().catch(() => undefined);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.chunks;
  }
}

/**
 * The part of a fetch Response the registry client, its auth and the registry check read: status,
 * headers and a streamed body. Not undici's Response, whose first use loads undici (~26 ms).
 */
class NodeResponse {
  readonly ok: boolean;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: NodeResponseHeaders,
    readonly body: NodeResponseBody | null,
  ) {
    this.ok = status >= 200 && status <= 299;
  }
}

/**
 * A fetch with the given TLS settings for https: URLs; http: URLs go over node:http too. Node's own
 * fetch (undici) costs ~100 ms of loading and first-request set-up in a short CLI run (`podbay
 * push` when every blob exists does seven requests), and streams large blobs no faster; even its
 * Headers and Response classes load it (~26 ms), so neither is used here.
 */
export function createTlsFetch(settings: TlsSettings): typeof fetch {
  const ca = settings.ca ? [...rootCertificates, ...settings.ca] : undefined;
  const tlsFetch = async (input: string | URL | Request, init: FetchInit = {}): Promise<NodeResponse> => {
    let url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    let method = (init.method ?? 'GET').toUpperCase();
    const headers = headerRecord(init.headers);
    if (init.body instanceof URLSearchParams && headers['content-type'] === undefined) headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    let body = bodyToNode(init.body);
    const origin = url.origin;
    for (let redirects = 0; ; redirects++) {
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const options = {
          method,
          headers,
          signal: init.signal ?? undefined,
          ...(url.protocol === 'https:'
            ? { rejectUnauthorized: settings.verify, ca, cert: settings.clientCert?.cert, key: settings.clientCert?.key, ...(isIP(url.hostname.replace(/^\[|\]$/g, '')) ? {} : { servername: url.hostname }) }
            : {}),
        };
        const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, resolve);
        req.on('error', (error) => reject(new TypeError(`fetch failed: ${error.message}`, { cause: error })));
        if (body instanceof Readable) body.on('error', (e) => req.destroy(e)).pipe(req);
        else req.end(body);
      });
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location && (init.redirect ?? 'follow') === 'follow') {
        response.resume();
        if (redirects >= 10) throw new TypeError('fetch failed: too many redirects');
        if (body instanceof Readable && status !== 303) throw new TypeError('fetch failed: cannot replay a streamed body on redirect');
        url = new URL(location, url);
        if (url.origin !== origin) delete headers.authorization;
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      if (init.redirect === 'error' && [301, 302, 303, 307, 308].includes(status)) {
        response.resume();
        throw new TypeError('fetch failed: unexpected redirect');
      }
      const noBody = method === 'HEAD' || status === 204 || status === 304;
      if (noBody) response.resume();
      return new NodeResponse(status, response.statusMessage ?? '', new NodeResponseHeaders(response.headers), noBody ? null : new NodeResponseBody(response));
    }
  };
  // Callers read only what NodeResponse has (status, ok, headers.get, body's reader): see its comment.
  return tlsFetch as unknown as typeof fetch;
}
