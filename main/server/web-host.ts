// The loopback web host: serves the built renderer and a WebSocket transport for the same router
// the Electron window uses. Three locks on the door, because any web page the user visits can try to
// reach 127.0.0.1: it binds loopback only; every request needs the per-run token (query once, then
// an HttpOnly SameSite=Strict cookie, or an Authorization bearer for scripts); and Host and Origin
// must name this server (no DNS rebinding, no cross-site WebSocket hijacking).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { PodbayError } from '../../shared/errors.ts';
import { maxMessageBytes } from '../../shared/wire.ts';
import { serveConnection } from '../ipc/connection.ts';
import type { Router } from '../ipc/router.ts';
import type { TransferStore } from '../core/transfer-store.ts';
import { handleTransfer } from './transfers.ts';

export interface WebHostOptions {
  router: Router;
  /** Directory of the built renderer (dist/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random 256-bit one otherwise. */
  token?: string;
  /** Where `/transfers/` uploads and downloads live (absent: those endpoints answer 404). */
  transfers?: TransferStore;
}

export interface WebHost {
  /** The URL to open, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Open WebSocket connections. */
  readonly connections: number;
  close(): Promise<void>;
}

const host = '127.0.0.1';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const tokenBuffer = Buffer.from(token);
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false });
  let port = 0;
  const cookieName = () => `podbay_token_${port}`;
  const origins = () => [`http://${host}:${port}`, `http://localhost:${port}`];

  const tokenMatches = (candidate: string | undefined | null): boolean => {
    if (!candidate) return false;
    const buffer = Buffer.from(candidate);
    return buffer.length === tokenBuffer.length && timingSafeEqual(buffer, tokenBuffer);
  };
  const presentedToken = (request: IncomingMessage, url: URL): string | undefined => {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    return url.searchParams.get('token') ?? bearer ?? readCookie(request.headers.cookie, cookieName());
  };
  const hostAllowed = (request: IncomingMessage) => request.headers.host === `${host}:${port}` || request.headers.host === `localhost:${port}`;
  const originAllowed = (request: IncomingMessage) => request.headers.origin === undefined || origins().includes(request.headers.origin);

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch(() => {
      if (!response.headersSent) refuse(response, 500, 'internal error');
      else response.destroy();
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${host}:${port}`);
    if (!hostAllowed(request)) return refuse(response, 421, 'podbay: unexpected Host header');
    if (!originAllowed(request)) return refuse(response, 403, 'podbay: foreign Origin refused');
    if (url.pathname.startsWith('/transfers/')) {
      if (!tokenMatches(presentedToken(request, url))) return refuse(response, 401, 'podbay: a valid token is required');
      // A write must name its origin: a form on another site cannot send one that matches.
      if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers.origin === undefined) return refuse(response, 403, 'podbay: an upload must come from the app');
      if (options.transfers && (await handleTransfer(options.transfers, request, response, url, refuse))) return;
      return refuse(response, 404, 'podbay: not found');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'podbay: method not allowed');
    if (!tokenMatches(presentedToken(request, url))) {
      return refuse(response, 401, 'podbay: a valid token is required: open the URL printed by `podbay serve`');
    }
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      response.writeHead(303, {
        Location: '/',
        'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      response.end();
      return;
    }
    await serveStatic(options.staticDir, url.pathname, request, response, port);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', `http://${host}:${port}`);
    const refuseUpgrade = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return refuseUpgrade(404, 'Not Found');
    if (!hostAllowed(request)) return refuseUpgrade(421, 'Misdirected Request');
    if (!originAllowed(request)) return refuseUpgrade(403, 'Forbidden');
    if (!tokenMatches(presentedToken(request, url))) return refuseUpgrade(401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    sockets.add(ws);
    const connection = serveConnection(options.router, (message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    });
    ws.on('message', (data, isBinary) => {
      let message: unknown;
      try {
        if (isBinary) throw new Error('binary');
        message = JSON.parse(data.toString());
      } catch {
        ws.send(JSON.stringify({ t: 'result', id: '?', ok: false, error: new PodbayError('ErrInvalidArg', 'messages are JSON text').toData() }));
        return;
      }
      connection.receive(message);
    });
    ws.on('close', () => {
      sockets.delete(ws);
      connection.close();
    });
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    get connections() {
      return sockets.size;
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(`${text}\n`);
}

async function serveStatic(root: string, pathname: string, request: IncomingMessage, response: ServerResponse, port: number): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return refuse(response, 400, 'podbay: bad path');
  }
  if (decoded.includes('\0')) return refuse(response, 400, 'podbay: bad path');
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^(\.\.(\/|\\|$))+/, '');
  const file = join(root, relative);
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return refuse(response, 403, 'podbay: forbidden');
  let target = file;
  let info = await stat(target).catch(() => null);
  if (!info?.isFile()) {
    // Client-side routes fall back to the app; missing assets are plain 404s.
    if (extname(relative)) return refuse(response, 404, 'podbay: not found');
    target = join(root, 'index.html');
    info = await stat(target).catch(() => null);
    if (!info?.isFile()) return refuse(response, 503, 'podbay: the UI is not built: run `npm run build`');
  }
  const isHtml = extname(target) === '.html';
  response.writeHead(200, {
    ...securityHeaders(port),
    'Content-Type': contentTypes[extname(target)] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
    'Cache-Control': isHtml ? 'no-store' : 'no-cache',
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(target).pipe(response);
}
