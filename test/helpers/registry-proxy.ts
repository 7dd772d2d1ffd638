// A fault-injecting HTTP proxy on 127.0.0.1 in front of a real registry: each request passes
// through `decide`, which can let it through, answer with a status (and headers), cut the
// response after N body bytes, or flip a byte of the body. Loopback only.
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type Fault =
  | { kind: 'pass' }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'cut'; afterBytes: number }
  | { kind: 'corrupt'; atByte: number };

export interface RegistryProxy {
  host: string;
  requests: { method: string; url: string; range?: string; fault: Fault['kind'] }[];
  close(): Promise<void>;
}

export async function startRegistryProxy(upstream: string, decide: (req: IncomingMessage, index: number) => Fault): Promise<RegistryProxy> {
  const [upHost, upPort] = upstream.split(':');
  const requests: RegistryProxy['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fault = decide(req, requests.length);
    requests.push({ method: req.method ?? '', url: req.url ?? '', range: req.headers.range, fault: fault.kind });
    if (fault.kind === 'status') {
      res.writeHead(fault.status, fault.headers);
      res.end();
      req.resume();
      return;
    }
    const upstreamReq = request(
      { host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: { ...req.headers, host: upstream } },
      (upRes) => {
        const headers = { ...upRes.headers };
        // Keep redirects and upload locations pointing at the proxy.
        if (typeof headers.location === 'string') headers.location = headers.location.replace(`http://${upstream}`, '');
        res.writeHead(upRes.statusCode ?? 502, headers);
        let seen = 0;
        upRes.on('data', (chunk: Buffer) => {
          if (fault.kind === 'cut' && seen + chunk.length > fault.afterBytes) {
            res.write(chunk.subarray(0, Math.max(0, fault.afterBytes - seen)));
            res.socket?.destroy();
            upRes.destroy();
            return;
          }
          if (fault.kind === 'corrupt' && fault.atByte >= seen && fault.atByte < seen + chunk.length) {
            chunk = Buffer.from(chunk);
            chunk[fault.atByte - seen] = chunk[fault.atByte - seen]! ^ 0xff;
          }
          seen += chunk.length;
          res.write(chunk);
        });
        upRes.on('end', () => res.end());
      },
    );
    upstreamReq.on('error', () => res.destroy());
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy did not bind');
  return {
    host: `127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
