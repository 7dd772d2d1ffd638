// Drives the real web host for browser tests: spawns `podbay serve` from the build (dist/) on a free
// port with a throw-away store, and reads the URL with its token from stdout, as a person would.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoRoot, 'dist', 'cli', 'podbay.js');
export const rendererIndex = join(repoRoot, 'dist', 'renderer', 'index.html');

const urlPattern = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/;

export interface ServedHost {
  /** The printed URL, token included. */
  readonly url: string;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly token: string;
  readonly root: string;
  readonly runRoot: string;
  /** Where every podbay process of this store appends events (main/core/events/event-log.ts). */
  readonly eventLogPath: string;
  /** The global flags that point a `podbay` command at this host's store. */
  readonly storeArgs: readonly string[];
  stop(): Promise<void>;
}

/** Fails with what to run when the build is missing, instead of a confusing timeout. */
export function assertBuilt(): void {
  if (!existsSync(cliPath) || !existsSync(rendererIndex)) {
    throw new Error(`the e2e tests drive the built app, but ${existsSync(cliPath) ? rendererIndex : cliPath} is missing: run \`npm run build\` first`);
  }
}

/**
 * `globalArgs` go before `serve`, e.g. ['--runtime', 'runc'] to serve an engine set up differently;
 * `env` adds variables (HOME, XDG_RUNTIME_DIR: where registries.conf drop-ins, certs.d and auth.json go).
 */
export async function startServedHost(timeoutMs = 20_000, globalArgs: readonly string[] = [], env: Record<string, string> = {}): Promise<ServedHost> {
  assertBuilt();
  const base = mkdtempSync(join(tmpdir(), 'podbay-e2e-'));
  const root = join(base, 'root');
  const runRoot = join(base, 'run');
  const storeArgs = ['--root', root, '--runroot', runRoot];
  const child = spawn(process.execPath, [cliPath, ...storeArgs, ...globalArgs, 'serve', '--port', '0', '--no-open'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  });

  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`no URL printed within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = urlPattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    function fail(why: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`podbay serve: ${why}; output:\n${output}`));
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before printing its URL`));
    child.once('error', (error) => fail(error.message));
  });
  child.removeAllListeners('exit');

  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    root,
    runRoot,
    eventLogPath: join(runRoot, 'events', 'events.log'),
    storeArgs,
    // Containers outlive podbay (conmon keeps them): remove them before the store goes, or their
    // conmon and processes would run on with no store left to clean them up. Pods first: their infra.
    stop: () =>
      stopChild(child).finally(() => {
        const cli = (args: string[]) => spawnSync(process.execPath, [cliPath, ...storeArgs, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
        const pods = cli(['pod', 'ps', '-q']).stdout?.split('\n').filter(Boolean) ?? [];
        if (pods.length > 0) cli(['pod', 'rm', '-f', ...pods]);
        cli(['rm', '-f', '-a', '-t', '0']);
        rmSync(base, { recursive: true, force: true });
      }),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs the built CLI against a store and returns its stdout (throws with stderr on failure). */
export function runPodbay(args: readonly string[]): string {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`podbay ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}
