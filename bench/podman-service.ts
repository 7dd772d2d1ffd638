// podman's REST API (`podman system service` on a unix socket), what Podman Desktop drives: the
// peer of every in-process figure, since a click in either app waits for exactly this.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

export interface PodmanService {
  /** One call of the libpod API (`/v4.0.0/libpod` + path); the JSON answer, null for an empty body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** Like call, but an answer other than `expected` stops the benchmark. */
  expect(expected: number, method: string, path: string, body?: unknown): Promise<unknown>;
  stop(): void;
}

export async function podmanService(globals: readonly string[], dir: string): Promise<PodmanService> {
  const socket = join(dir, 'podman.sock');
  const child = spawn('podman', [...globals, 'system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!existsSync(socket)) {
    child.kill('SIGKILL');
    throw new Error(`podman system service did not create ${socket}`);
  }
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers = payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {};
      const req = request({ socketPath: socket, method, path: `/v4.0.0/libpod${path}`, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          try {
            resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null });
          } catch {
            resolve({ status: res.statusCode ?? 0, json: text });
          }
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  return {
    call,
    async expect(expected, method, path, body) {
      const answer = await call(method, path, body);
      if (answer.status !== expected) throw new Error(`podman REST ${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
      return answer.json;
    },
    stop: () => void child.kill('SIGTERM'),
  };
}
