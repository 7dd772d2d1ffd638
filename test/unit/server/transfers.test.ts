// The web host's /transfers/ endpoints: the same token, Host and Origin locks as the app, uploads
// streamed to the transfer store under a random id, downloads served once as attachments, and ids
// that never form a path of the caller's choosing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../main/app-context.ts';
import { createAppRouter } from '../../../main/app-router.ts';
import { TransferStore } from '../../../main/core/transfer-store.ts';
import { startWebHost } from '../../../main/server/web-host.ts';
import type { WebHost } from '../../../main/server/web-host.ts';
import { rejectionCode } from '../../helpers/error-codes.ts';
import { makeTempStore } from '../../helpers/temp-store.ts';
import type { TempStore } from '../../helpers/temp-store.ts';

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('web host transfers', () => {
  let store: TempStore;
  let transfers: TransferStore;
  let host: WebHost;
  const auth = () => ({ Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}` });

  beforeAll(async () => {
    store = makeTempStore();
    transfers = new TransferStore(join(store.dir, 'transfers'));
    host = await startWebHost({ router: createAppRouter({ ...createAppContext({ root: store.root, runRoot: store.runRoot }), transfers }), staticDir: join(store.dir, 'renderer'), transfers });
  });
  afterAll(async () => {
    await host.close();
    store.cleanup();
  });

  it('refuses uploads without the token, without an Origin, or from another origin', async () => {
    const body = Buffer.from('data');
    expect((await send(host.port, 'PUT', '/transfers/upload', { Host: `127.0.0.1:${host.port}`, Origin: host.origin }, body)).status).toBe(401);
    expect((await send(host.port, 'PUT', '/transfers/upload', auth(), body)).status).toBe(403);
    expect((await send(host.port, 'PUT', '/transfers/upload', { ...auth(), Origin: 'http://evil.example' }, body)).status).toBe(403);
    expect((await send(host.port, 'POST', '/transfers/upload', { ...auth(), Origin: host.origin }, body)).status).toBe(405);
  });

  it('streams an upload into the store under a fresh id', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 7);
    const reply = await send(host.port, 'PUT', '/transfers/upload', { ...auth(), Origin: host.origin }, data);
    expect(reply.status).toBe(201);
    const { id, bytes } = JSON.parse(reply.body.toString()) as { id: string; bytes: number };
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(bytes).toBe(data.length);
    expect(readFileSync(transfers.uploadPath(id)).equals(data)).toBe(true);
    transfers.release(id);
    expect(await rejectionCode(Promise.resolve().then(() => transfers.uploadPath(id)))).toBe('ErrInvalidArg');
  });

  it('serves a download once, as an attachment with a sanitized name', async () => {
    const { id, path } = transfers.beginDownload('../../etc/busy"box:1.tar');
    writeFileSync(path, 'archive bytes');
    const head = await send(host.port, 'HEAD', `/transfers/download/${id}`, auth());
    expect(head.status).toBe(200);
    const reply = await send(host.port, 'GET', `/transfers/download/${id}`, auth());
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('archive bytes');
    expect(reply.headers['content-disposition']).toBe('attachment; filename="busy_box_1.tar"');
    // Removed once the response is written (the client may see the end a moment before).
    await expect.poll(() => existsSync(path)).toBe(false);
    expect((await send(host.port, 'GET', `/transfers/download/${id}`, auth())).status).toBe(404);
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', 'x'.repeat(32), '../index.html']) {
      expect((await send(host.port, 'GET', `/transfers/download/${bad}`, auth())).status, bad).toBe(404);
    }
    expect((await send(host.port, 'GET', `/transfers/download/${id}`, { Host: `127.0.0.1:${host.port}` })).status).toBe(401);
  });

  it('sweeps transfers nobody fetched', () => {
    const { id, path } = transfers.beginDownload('old.tar');
    writeFileSync(path, 'x');
    transfers.sweep(Date.now() + 2 * 60 * 60 * 1000);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(join(transfers.dir, `${id}.meta`))).toBe(false);
  });
});
