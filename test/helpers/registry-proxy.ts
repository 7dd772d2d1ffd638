// A fault-injecting HTTP proxy on 127.0.0.1 in front of a real registry: each request passes
// through `decide`, which can let it through, answer with a status (and headers), cut or reset the
// connection after N body bytes, flip a byte of the body, declare a wrong Content-Length, trickle
// the body slowly or stall it, redirect, or serve a body of its own (a huge or lying manifest).
// Loopback only. `requests` records each request with the fault applied and the body bytes sent.
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type Fault =
  | { kind: 'pass' }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'cut'; afterBytes: number }
  /** As cut, but with a TCP RST instead of a FIN (ECONNRESET on the client). */
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'corrupt'; atByte: number }
  /** The upstream body with a Content-Length of its length + delta, then the connection closed. */
  | { kind: 'length'; delta: number }
  /** `bytes` every `everyMs`; with `stallAfter`, nothing more once that many were sent (the connection stays open). */
  | { kind: 'trickle'; bytes: number; everyMs: number; stallAfter?: number }
  | { kind: 'redirect'; location: string; status?: number }
  /** A response of the proxy's own making, the body streamed (never buffered here). */
  | { kind: 'serve'; status?: number; headers?: Record<string, string>; body: () => AsyncIterable<Buffer> };

export interface ProxyRequest {
  method: string;
  url: string;
  range?: string;
  fault: Fault['kind'];
  /** Body bytes the proxy wrote for this request (so far). */
  sent: number;
}

export interface RegistryProxy {
  host: string;
  requests: ProxyRequest[];
  close(): Promise<void>;
}

export async function startRegistryProxy(upstream: string, decide: (req: IncomingMessage, index: number) => Fault): Promise<RegistryProxy> {
  const [upHost, upPort] = upstream.split(':');
  const requests: ProxyRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fault = decide(req, requests.length);
    const record: ProxyRequest = { method: req.method ?? '', url: req.url ?? '', range: req.headers.range, fault: fault.kind, sent: 0 };
    requests.push(record);
    if (fault.kind === 'status' || fault.kind === 'redirect') {
      req.resume();
      if (fault.kind === 'status') res.writeHead(fault.status, fault.headers);
      else res.writeHead(fault.status ?? 302, { location: fault.location });
      res.end();
      return;
    }
    if (fault.kind === 'serve') {
      req.resume();
      res.writeHead(fault.status ?? 200, fault.headers);
      void (async () => {
        try {
          for await (const chunk of fault.body()) {
            if (res.destroyed) return;
            record.sent += chunk.length;
            if (!res.write(chunk)) await new Promise<void>((resolve) => {
              res.once('drain', resolve);
              res.once('close', resolve);
            });
          }
          res.end();
        } catch {
          res.destroy();
        }
      })();
      return;
    }
    const upstreamReq = request(
      { host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: { ...req.headers, host: upstream } },
      (upRes) => {
        const headers = { ...upRes.headers };
        // Keep redirects and upload locations pointing at the proxy.
        if (typeof headers.location === 'string') headers.location = headers.location.replace(`http://${upstream}`, '');
        if (fault.kind === 'length' || fault.kind === 'trickle') {
          // The whole upstream body first, then sent as the fault says.
          const chunks: Buffer[] = [];
          upRes.on('data', (chunk: Buffer) => chunks.push(chunk));
          upRes.on('end', () => {
            const body = Buffer.concat(chunks);
            if (fault.kind === 'length') {
              res.writeHead(upRes.statusCode ?? 502, { ...headers, 'content-length': String(Math.max(0, body.length + fault.delta)), connection: 'close' });
              record.sent = body.length;
              res.write(body);
              res.socket?.end();
              return;
            }
            res.writeHead(upRes.statusCode ?? 502, headers);
            let offset = 0;
            const tick = () => {
              if (res.destroyed) return;
              if (fault.stallAfter !== undefined && offset >= fault.stallAfter) return; // stalled: nothing more, ever
              const piece = body.subarray(offset, Math.min(body.length, offset + fault.bytes, fault.stallAfter ?? Infinity));
              offset += piece.length;
              record.sent += piece.length;
              res.write(piece);
              if (offset >= body.length) {
                res.end();
                return;
              }
              const timer = setTimeout(() => {
                timers.delete(timer);
                tick();
              }, fault.everyMs);
              timers.add(timer);
            };
            tick();
          });
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, headers);
        let seen = 0;
        upRes.on('data', (chunk: Buffer) => {
          if ((fault.kind === 'cut' || fault.kind === 'reset') && seen + chunk.length > fault.afterBytes) {
            const rest = chunk.subarray(0, Math.max(0, fault.afterBytes - seen));
            record.sent += rest.length;
            res.write(rest);
            if (fault.kind === 'reset') res.socket?.resetAndDestroy();
            else res.socket?.destroy();
            upRes.destroy();
            return;
          }
          if (fault.kind === 'corrupt' && fault.atByte >= seen && fault.atByte < seen + chunk.length) {
            chunk = Buffer.from(chunk);
            chunk[fault.atByte - seen] = chunk[fault.atByte - seen]! ^ 0xff;
          }
          seen += chunk.length;
          record.sent += chunk.length;
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
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
