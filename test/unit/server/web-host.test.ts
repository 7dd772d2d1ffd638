import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAppContext } from '../../../main/app-context.ts';
import { createAppRouter } from '../../../main/app-router.ts';
import { startWebHost } from '../../../main/server/web-host.ts';
import type { WebHost } from '../../../main/server/web-host.ts';
import { makeTempStore } from '../../helpers/temp-store.ts';
import type { TempStore } from '../../helpers/temp-store.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket and reports either 'open' or the HTTP status of the refusal. */
function tryWebSocket(url: string, headers: Record<string, string> = {}): Promise<{ opened: boolean; status?: number; socket?: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => resolve({ opened: true, socket }));
    socket.on('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    socket.on('error', () => resolve({ opened: false }));
  });
}

function roundTrip(socket: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>));
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

describe('the loopback web host', () => {
  let store: TempStore;
  let host: WebHost;
  const secret = '<html><body>podbay app shell</body></html>';

  beforeAll(async () => {
    store = makeTempStore();
    const staticDir = join(store.dir, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), secret);
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(store.dir, 'outside.txt'), 'must never be served');
    host = await startWebHost({ router: createAppRouter(createAppContext({ root: store.root, runRoot: store.runRoot })), staticDir });
  });
  afterAll(async () => {
    await host.close();
    store.cleanup();
  });

  it('listens on 127.0.0.1 only, with a long random token in its URL', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
  });

  it('refuses a request without a token, or with a wrong one, and sends no app data', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', `/?token=${'0'.repeat(64)}`, '/?token=short']) {
      const reply = await get(host.port, path, { Host: `127.0.0.1:${host.port}` });
      expect(reply.status, path).toBe(401);
      expect(reply.body).not.toContain('podbay app shell');
      expect(reply.body).not.toContain('console.log');
    }
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie and serves the app with a strict CSP', async () => {
    const first = await get(host.port, `/?token=${host.token}`, { Host: `127.0.0.1:${host.port}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await get(host.port, '/', { Host: `127.0.0.1:${host.port}`, Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toBe(secret);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a foreign Origin and a foreign Host even with the token (no DNS rebinding)', async () => {
    const auth = { Authorization: `Bearer ${host.token}` };
    expect((await get(host.port, '/', { ...auth, Host: `127.0.0.1:${host.port}`, Origin: 'http://evil.example' })).status).toBe(403);
    const rebound = await get(host.port, '/', { ...auth, Host: `evil.example:${host.port}` });
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain('podbay app shell');
  });

  it('never serves a file outside the renderer directory', async () => {
    const auth = { Authorization: `Bearer ${host.token}`, Host: `127.0.0.1:${host.port}` };
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/%00']) {
      const reply = await get(host.port, path, auth);
      expect(reply.body, path).not.toContain('must never be served');
    }
  });

  it('refuses WebSocket upgrades without the token or from a foreign Origin', async () => {
    const base = `ws://127.0.0.1:${host.port}/ws`;
    expect(await tryWebSocket(base)).toMatchObject({ opened: false, status: 401 });
    expect(await tryWebSocket(`${base}?token=${'f'.repeat(64)}`)).toMatchObject({ opened: false, status: 401 });
    expect(await tryWebSocket(`${base}?token=${host.token}`, { Origin: 'https://attacker.example' })).toMatchObject({ opened: false, status: 403 });
  });

  it('serves the contract over the WebSocket and keeps serving after bad input', async () => {
    const { opened, socket } = await tryWebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { Origin: host.origin });
    expect(opened).toBe(true);
    const ws = socket!;
    expect(await roundTrip(ws, 'this is not json')).toMatchObject({ ok: false, error: { code: 'ErrInvalidArg' } });
    expect(await roundTrip(ws, { t: 'call', id: '1', path: 'system.info', input: { extra: true } })).toMatchObject({ id: '1', ok: false, error: { code: 'ErrInvalidArg', category: 'invalid-argument' } });
    expect(await roundTrip(ws, { t: 'call', id: '2', path: 'system.info', input: 'x'.repeat(500_000) })).toMatchObject({ id: '2', ok: false, error: { code: 'ErrInvalidArg' } });
    const info = await roundTrip(ws, { t: 'call', id: '3', path: 'system.info', input: {} });
    expect(info).toMatchObject({ id: '3', ok: true, value: { store: { graphRoot: store.root } } });
    ws.close();
  });

  it('closes a connection that sends more than the message limit, and keeps serving others', async () => {
    const { socket } = await tryWebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
    const closed = new Promise<number>((resolve) => socket!.on('close', (code) => resolve(code)));
    socket!.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    const again = await tryWebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
    expect(again.opened).toBe(true);
    again.socket!.close();
  });
});
