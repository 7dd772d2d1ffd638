import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTlsFetch } from '../../../../main/core/image/tls-fetch.ts';
import { RegistryClient } from '../../../../main/core/image/registry-client.ts';

/** A loopback HTTP server that counts the TCP connections made to it. */
async function countingServer(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; base: string; host: string; connections: () => number }> {
  const server = createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, connections: () => connections };
}

let servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  servers = [];
});

describe('createTlsFetch', () => {
  it('reads a short unread body to its end on cancel, so the next request reuses the connection', async () => {
    const { server, base, connections } = await countingServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    });
    servers.push(server);
    const fetchImpl = createTlsFetch({ verify: true });
    for (let i = 0; i < 3; i++) {
      const response = await fetchImpl(`${base}/v2/`);
      expect(response.status).toBe(401);
      await response.body?.cancel();
    }
    expect(connections()).toBe(1);
  });

  it('cuts off a long unread body on cancel instead of downloading it', async () => {
    const chunk = Buffer.alloc(64 * 1024, 1);
    const { server, base, connections } = await countingServer((req, res) => {
      res.writeHead(200, { 'content-length': String(chunk.length * 64) });
      for (let i = 0; i < 64; i++) res.write(chunk);
      res.end();
    });
    servers.push(server);
    const fetchImpl = createTlsFetch({ verify: true });
    for (let i = 0; i < 2; i++) {
      const response = await fetchImpl(`${base}/blob`);
      await response.body?.cancel();
    }
    expect(connections()).toBe(2);
  });
});

describe('RegistryClient ping', () => {
  it('settles on plain HTTP for an insecure registry that speaks no TLS, with both probes sent at once', async () => {
    const seen: string[] = [];
    const { server, host } = await countingServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    // The TLS probe reaches the same port: an HTTP server answers a ClientHello with a 400 and closes.
    servers.push(server);
    const client = new RegistryClient({ registry: host, auth: null, insecure: true });
    await client.ping();
    expect(client.scheme).toBe('http');
    expect(seen).toEqual(['GET /v2/']);
  });

  it('never falls back to plain HTTP for a registry that is not insecure', async () => {
    const { server, host } = await countingServer((req, res) => {
      res.writeHead(200);
      res.end('{}');
    });
    servers.push(server);
    const client = new RegistryClient({ registry: host, auth: null, retry: { attempts: 1 } });
    await expect(client.ping()).rejects.toThrow(/--tls-verify=false/);
    expect(client.scheme).toBeUndefined();
  });
});
