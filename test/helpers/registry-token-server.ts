// A bearer-token service on 127.0.0.1 for docker-registry's `auth: token` mode, so the whole
// WWW-Authenticate Bearer flow runs against the real registry. It signs RS256 JWTs with a
// throw-away self-signed certificate (made with openssl) that the registry trusts through its
// rootcertbundle; the certificate travels in the token's `x5c` header. Anonymous requests get no
// access; the configured user gets what it asks for; an optional read-only user gets `pull` only.
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createSign, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** Each token request: scopes asked for, whether credentials came, what was granted. */
  requests: { scopes: string[]; account?: string; authenticated: boolean; granted: boolean }[];
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function tokenServerMissing(): string | undefined {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).error ? 'openssl is missing' : undefined;
}

export async function startTokenServer(user: { username: string; password: string }, options: { readOnly?: { username: string; password: string } } = {}): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-token-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=podbay-test-token'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  const key = createPrivateKey(readFileSync(keyPath));
  const certDer = new X509Certificate(readFileSync(certPath)).raw;
  const service = 'podbay-test-registry';
  const issuer = 'podbay-test-issuer';
  const requests: TokenServer['requests'] = [];

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const scopes = url.searchParams.getAll('scope');
    const header = req.headers.authorization ?? '';
    let authenticated = false;
    let readOnly = false;
    if (header.startsWith('Basic ')) {
      const [name, ...rest] = Buffer.from(header.slice(6), 'base64').toString().split(':');
      readOnly = options.readOnly !== undefined && name === options.readOnly.username && rest.join(':') === options.readOnly.password;
      if (!readOnly && (name !== user.username || rest.join(':') !== user.password)) {
        requests.push({ scopes, account: url.searchParams.get('account') ?? undefined, authenticated: false, granted: false });
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"details":"wrong credentials"}');
        return;
      }
      authenticated = true;
    }
    const access = authenticated
      ? scopes.map((s) => {
          const [type, name, actions] = s.split(':');
          return { type, name, actions: (actions ?? '').split(',').filter((a) => a !== '' && (!readOnly || a === 'pull')) };
        })
      : [];
    requests.push({ scopes, account: url.searchParams.get('account') ?? undefined, authenticated, granted: access.length > 0 });
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] }));
    const claims = b64url(JSON.stringify({ iss: issuer, sub: authenticated ? (readOnly ? options.readOnly!.username : user.username) : '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }));
    const signature = createSign('RSA-SHA256').update(`${head}.${claims}`).sign(key).toString('base64url');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `${head}.${claims}.${signature}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('token server did not bind');
  return {
    realm: `http://127.0.0.1:${address.port}/token`,
    service,
    issuer,
    certPath,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
