// Starts Debian's docker-registry (distribution 2.8) on 127.0.0.1 with a free port and its own
// config in a temp dir (Debian's shipped config answers 401 to everything). Optionally with
// htpasswd basic auth. Only loopback is ever used.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const registryBinary = '/usr/bin/docker-registry';

export interface RegistryServer {
  /** `127.0.0.1:PORT`, usable as a reference domain. */
  host: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** Why registry tests cannot run here, or undefined when they can. */
export function registryMissing(options: { auth?: boolean } = {}): string | undefined {
  if (!existsSync(registryBinary)) return `${registryBinary} is missing (apt-get install docker-registry)`;
  if (options.auth && spawnSync('htpasswd', ['-h'], { stdio: 'ignore' }).error) return 'htpasswd is missing (apt-get install apache2-utils)';
  return undefined;
}

/** True once something accepts TCP connections on the port (works for HTTP and HTTPS alike). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TokenAuthConfig {
  /** Token endpoint the registry sends clients to (our own token server on loopback). */
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate whose key signs the tokens. */
  certPath: string;
}

/** Makes a self-signed certificate for 127.0.0.1 (the registry's TLS and the test's CA). */
export function makeLoopbackCertificate(dir: string): { certPath: string; keyPath: string } {
  const certPath = join(dir, 'registry.crt');
  const keyPath = join(dir, 'registry.key');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { certPath, keyPath };
}

export async function startRegistry(
  options: { auth?: { username: string; password: string }; token?: TokenAuthConfig; tls?: { certPath: string; keyPath: string } } = {},
): Promise<RegistryServer> {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-registry-'));
  const port = await freePort();
  let authBlock = '';
  if (options.auth) {
    const result = spawnSync('htpasswd', ['-Bbn', '-C', '5', options.auth.username, options.auth.password], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`htpasswd failed: ${result.stderr}`);
    writeFileSync(join(dir, 'htpasswd'), result.stdout);
    authBlock = `auth:\n  htpasswd:\n    realm: podbay-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  if (options.token) {
    const t = options.token;
    authBlock = `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.certPath}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
${options.tls ? `  tls:\n    certificate: ${options.tls.certPath}\n    key: ${options.tls.keyPath}\n` : ''}${authBlock}`,
  );
  const child: ChildProcess = spawn(registryBinary, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  // A test that dies before its afterAll must not leave a registry behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    if (await listening(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on ${host}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host,
    port,
    dir,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
