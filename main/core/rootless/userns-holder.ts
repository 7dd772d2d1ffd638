// The user's long-lived rootless namespace, as podman's "rootless pause process": one sleeping
// process per user (per run root) owns a user namespace — the user as uid 0, their /etc/subuid and
// /etc/subgid range as uids and gids 1… — and a mount namespace in it. Every engine process joins
// both (nsenter), so layer extraction chowns to the image's owners, overlay mounts are shared by the
// CLI, the web host and conmon, and containers stay alive after the process that made them exits.
//
// The maps are written by util-linux `unshare --map-users/--map-groups`, which calls the setuid
// newuidmap/newgidmap itself; the holder's pid is kept in `<runRoot>/userns.pid`.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readlinkSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PodbayError } from '../../../shared/errors.ts';
import type { SubordinateRange } from '../../../shared/types/system-info.ts';
import { findBinary } from '../system/components.ts';

export interface HolderOptions {
  runRoot: string;
  uid: number;
  gid: number;
  subuids: readonly SubordinateRange[];
  subgids: readonly SubordinateRange[];
  signal?: AbortSignal;
}

const pidFileName = 'userns.pid';
const lockFileName = 'userns.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The recorded holder when it still is one: alive, owned by the user, in a user namespace other than
 * ours whose uid map is the one asked for (a reused pid or a holder from another range is not).
 */
function validHolder(pid: number, uid: number, subuids: readonly SubordinateRange[]): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 1 || !alive(pid)) return false;
  try {
    if (statSync(`/proc/${pid}`).uid !== uid) return false;
    if (readlinkSync(`/proc/${pid}/ns/user`) === readlinkSync('/proc/self/ns/user')) return false;
    const lines = readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
    const first = subuids[0];
    return lines.length === 2 && lines[0]?.join(' ') === `0 ${uid} 1` && first !== undefined && lines[1]?.join(' ') === `1 ${first.start} ${first.count}`;
  } catch {
    return false;
  }
}

/** A run root another user owns or may write to could be used to plant files: refuse it. */
function assertPrivate(path: string, uid: number): void {
  const stat = statSync(path);
  if (stat.uid !== uid || (stat.mode & 0o022) !== 0) {
    throw new PodbayError('ErrPermission', `run root ${path} must belong to uid ${uid} and be writable only by it (it is owned by ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}): remove it or set $XDG_RUNTIME_DIR`);
  }
}

function readPid(runRoot: string): number {
  try {
    return Number(readFileSync(join(runRoot, pidFileName), 'utf8').trim());
  } catch {
    return NaN;
  }
}

/** An O_EXCL lock file naming its holder; one left by a dead process is taken over. */
async function withLock<T>(runRoot: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  const path = join(runRoot, lockFileName);
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim() || NaN);
      if (Number.isSafeInteger(owner) && owner > 0 && !alive(owner)) {
        unlinkSync(path);
        continue;
      }
      if (attempt > 500) throw new PodbayError('ErrInternal', `waiting for ${path}: process ${owner} holds it`);
      await sleep(10);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // already gone: nothing to release
    }
  }
}

/**
 * Returns the pid of the user's namespace holder, starting one when there is none. Throws
 * ErrInvalidArg (with the usermod fix) without subordinate ranges, ErrInternal when unshare fails
 * (user namespaces disabled, newuidmap missing or refusing the range).
 */
export async function ensureNamespaceHolder(options: HolderOptions): Promise<number> {
  const { runRoot, uid, subuids, subgids } = options;
  const subuid = subuids[0];
  const subgid = subgids[0];
  if (!subuid || !subgid) {
    throw new PodbayError('ErrInvalidArg', `rootless mode needs a subordinate ID range for uid ${uid} in /etc/subuid and /etc/subgid: as root, run \`usermod --add-subuids 100000-165535 --add-subgids 100000-165535 USER\` (podbay info shows the exact command)`);
  }
  const existing = readPid(runRoot);
  if (validHolder(existing, uid, subuids)) return existing;
  mkdirSync(runRoot, { recursive: true, mode: 0o700 });
  assertPrivate(runRoot, uid);
  // The /tmp fallback (no $XDG_RUNTIME_DIR): someone else may have made the parent first.
  if (/^\/tmp\/podbay-run-\d+$/.test(dirname(runRoot))) assertPrivate(dirname(runRoot), uid);
  return withLock(runRoot, options.signal, async () => {
    const again = readPid(runRoot);
    if (validHolder(again, uid, subuids)) return again;
    const pid = await startHolder(subuid, subgid, options.signal);
    const temp = join(runRoot, `${pidFileName}.${process.pid}`);
    writeFileSync(temp, `${pid}\n`, { mode: 0o600 });
    renameSync(temp, join(runRoot, pidFileName));
    return pid;
  });
}

async function startHolder(subuid: SubordinateRange, subgid: SubordinateRange, signal: AbortSignal | undefined): Promise<number> {
  const args = [
    '--map-user=0',
    '--map-group=0',
    `--map-users=${subuid.start},1,${subuid.count}`,
    `--map-groups=${subgid.start},1,${subgid.count}`,
    '--mount',
    '--propagation',
    'private',
    '--',
    'sleep',
    'infinity',
  ];
  // Detached and in its own session: it outlives this process, as conmon does.
  const child = spawn((await findBinary('unshare', ['/usr/bin/unshare'])) ?? 'unshare', args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const pid = child.pid;
  const fail = (why: string) => new PodbayError('ErrInternal', `creating the rootless user namespace (unshare ${args.slice(0, 4).join(' ')}): ${why}`);
  if (pid === undefined) throw fail((await spawnError).message);
  // unshare writes both maps before it execs sleep: the holder is ready once its command is sleep.
  for (let i = 0; i < 1000; i++) {
    signal?.throwIfAborted();
    if (child.exitCode !== null) break;
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      // not readable yet
    }
    if (comm === 'sleep') {
      child.stderr?.destroy();
      child.unref();
      return pid;
    }
    await sleep(2);
  }
  const code = child.exitCode ?? (await Promise.race([exited, sleep(100).then(() => null)]));
  if (code === null) child.kill('SIGKILL');
  throw fail(Buffer.concat(stderr).toString('utf8').trim() || `unshare exited with ${code}`);
}

/** The argv prefix that runs a program inside the holder's user and mount namespaces as their root. */
export async function nsenterPrefix(pid: number): Promise<string[]> {
  return [(await findBinary('nsenter', ['/usr/bin/nsenter'])) ?? 'nsenter', `--user=/proc/${pid}/ns/user`, `--mount=/proc/${pid}/ns/mnt`, '--'];
}
