// Runs the built CLI as the unprivileged test user (test/setup/prepare-host.mjs makes it), with a
// HOME and XDG_RUNTIME_DIR of the test's own, as a workstation user would run it.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, requireBuiltCli } from './cli.ts';
import type { CliResult } from './cli.ts';

/** Created by test/setup/prepare-host.mjs, which names the same user. */
export const rootlessTestUser = 'podbay-test';

/** Why the rootless suite cannot run here, or undefined. */
export function rootlessSkipReason(): string | undefined {
  if (process.geteuid?.() !== 0) return 'the rootless suite runs as root and switches to the test user';
  const id = spawnSync('id', ['-u', rootlessTestUser], { encoding: 'utf8' });
  if (id.status !== 0) return `no user ${rootlessTestUser}: run node test/setup/prepare-host.mjs as root`;
  if (!readFileSync('/etc/subuid', 'utf8').split('\n').some((l) => l.startsWith(`${rootlessTestUser}:`))) return `${rootlessTestUser} has no /etc/subuid range`;
  return undefined;
}

export interface RootlessUserDirs {
  /** Owned by the test user; HOME points here. */
  home: string;
  /** Mode 0700, owned by the test user; XDG_RUNTIME_DIR points here. */
  runtimeDir: string;
  /** The parent of both, for the test's own files (readable by the user). */
  dir: string;
}

function testUserIds(): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', rootlessTestUser], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', rootlessTestUser], { encoding: 'utf8' }).stdout.trim());
  return { uid, gid };
}

export function makeRootlessUserDirs(prefix: string): RootlessUserDirs {
  const { uid, gid } = testUserIds();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chownSync(dir, uid, gid);
  const home = join(dir, 'home');
  const runtimeDir = join(dir, 'xdg-run');
  for (const path of [home, runtimeDir]) {
    mkdirSync(path, { mode: 0o700 });
    chownSync(path, uid, gid);
  }
  return { home, runtimeDir, dir };
}

export function podbayAs(dirs: RootlessUserDirs, args: string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): CliResult {
  requireBuiltCli();
  const env = { HOME: dirs.home, XDG_RUNTIME_DIR: dirs.runtimeDir, PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...options.env };
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const result = spawnSync('runuser', ['-u', rootlessTestUser, '--', 'env', '-i', ...envArgs, process.execPath, cliPath, ...args], {
    encoding: 'utf8',
    input: options.input,
    cwd: dirs.home,
    timeout: options.timeoutMs ?? 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Ends the user's namespace holder (the one process the rootless engine leaves behind) and removes the dirs. */
export function removeRootlessUserDirs(dirs: RootlessUserDirs): void {
  try {
    const pid = Number(readFileSync(join(dirs.runtimeDir, 'podbay', 'userns.pid'), 'utf8').trim());
    if (Number.isSafeInteger(pid) && pid > 1) process.kill(pid, 'SIGKILL');
  } catch {
    // no holder was started
  }
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const point = line.split(' ')[4];
    if (point?.startsWith(dirs.dir)) spawnSync('umount', ['-l', point]);
  }
  rmSync(dirs.dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
}
