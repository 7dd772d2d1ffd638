// Path resolution *inside* a root directory that someone else controls (a container's rootfs, which
// its processes may change while we work), with SecureJoin / openat2(RESOLVE_IN_ROOT) semantics:
// `..` stops at the root, a symlink's target is resolved again inside the root (absolute targets
// from the root itself), so `/etc` always means the container's /etc, never the host's.
//
// Node has no openat, so each step goes through a directory file descriptor we hold: a component is
// looked up as `/proc/self/fd/<dirfd>/<name>` — the kernel resolves the magic link to exactly the
// directory we opened, and only `<name>` is looked up in it. Directories are opened with
// O_DIRECTORY|O_NOFOLLOW and files with O_NOFOLLOW, so a component swapped for a symlink between our
// lstat and our open fails (ELOOP/ENOTDIR) instead of being followed; the step is then retried from
// a fresh lstat. Nothing here ever follows a symlink with the kernel: every link is read and resolved
// by us, within the root. This is what makes copying into a *running* container safe without
// pausing it (the race behind CVE-2018-15664 and CVE-2019-10152), and exporting from one without
// reading host files through a swapped symlink (CVE-2023-0778).
import { closeSync, constants as fsConstants, fstatSync, lchownSync, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { PodbayError } from '../../../shared/errors.ts';

const maxSymlinkHops = 40;
const maxRetries = 8;

/** `/proc/self/fd/<fd>/<name>`: `name` looked up in the directory `fd` holds (this process only). */
export function atFd(fd: number, name?: string): string {
  return name === undefined ? `/proc/self/fd/${fd}` : `/proc/self/fd/${fd}/${name}`;
}

/** The same path as another process (setfattr, mknod) sees our descriptor: `/proc/<our pid>/fd/…`. */
export function atFdForChild(fd: number, name?: string): string {
  return name === undefined ? `/proc/${process.pid}/fd/${fd}` : `/proc/${process.pid}/fd/${fd}/${name}`;
}

export const openDirFlags = fsConstants.O_RDONLY | fsConstants.O_DIRECTORY | fsConstants.O_NOFOLLOW;
export const openReadFlags = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY;

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if (errno(error) === 'ENOENT') return null;
    throw error;
  }
}

/** An open directory inside a root: its descriptor and its real path as components below the root. */
export interface DirRef {
  readonly fd: number;
  readonly parts: readonly string[];
}

export interface Located {
  /** The directory holding the leaf (or the leaf itself when `name` is null: the path is the root). */
  dir: DirRef;
  /** The leaf's name inside `dir`; null when the path resolved to the root itself. */
  name: string | null;
  /** lstat of the leaf, or null when it does not exist. */
  stat: Stats | null;
}

export interface ResolveOptions {
  /** Follow a symlink at the last component too (inside the root). Default true. */
  followLast?: boolean;
  /** Create missing intermediate directories (mode 0755, owner as given). */
  createParents?: { uid: number; gid: number } | null;
}

/**
 * A root directory opened once. Every DirRef it hands out must be given back with `release` (the root's
 * own is kept until `close`). Not safe for concurrent use: one operation at a time.
 */
export class RootFs {
  readonly path: string;
  readonly root: DirRef;
  #open = new Set<number>();

  private constructor(path: string, fd: number) {
    this.path = path;
    this.root = { fd, parts: [] };
  }

  /** Opens `path` (a directory; symlinks in it are the host's and are resolved, as a mount point's are). */
  static open(path: string): RootFs {
    const real = realpathSync(path);
    const fd = openSync(real, openDirFlags);
    return new RootFs(real, fd);
  }

  /**
   * Opens a running container's root as its processes see it — `/proc/<pid>/root`, a magic link
   * into its mount namespace, so what is mounted there (its /etc/hosts, volumes, tmpfs) is seen as
   * it sees it, as libpod's copier does by joining the namespace. The link itself is followed
   * (it names the namespace's root, not a path); everything below is resolved by us.
   */
  static openProcessRoot(pid: number): RootFs {
    if (!Number.isInteger(pid) || pid <= 0) throw new PodbayError('ErrInvalidArg', `invalid pid ${pid}`);
    const path = `/proc/${pid}/root`;
    const fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
    return new RootFs(path, fd);
  }

  close(): void {
    for (const fd of this.#open) closeSync(fd);
    this.#open.clear();
    closeSync(this.root.fd);
  }

  /** The host path of a resolved location (for messages and for tools that only take paths). */
  hostPath(parts: readonly string[]): string {
    return parts.length === 0 ? this.path : `${this.path}/${parts.join('/')}`;
  }

  release(dir: DirRef): void {
    if (dir.fd === this.root.fd || !this.#open.has(dir.fd)) return;
    this.#open.delete(dir.fd);
    closeSync(dir.fd);
  }

  /** Opens directory `name` inside `dir` without following a symlink; ELOOP/ENOTDIR/ENOENT pass through. */
  openChildDir(dir: DirRef, name: string): DirRef {
    const fd = openSync(atFd(dir.fd, name), openDirFlags);
    this.#open.add(fd);
    return { fd, parts: [...dir.parts, name] };
  }

  /** A fresh reference to the same directory (so a caller may release one and keep the other). */
  reopen(dir: DirRef): DirRef {
    if (dir.parts.length === 0) return this.root;
    const fd = openSync(atFd(dir.fd, '.'), openDirFlags);
    this.#open.add(fd);
    return { fd, parts: [...dir.parts] };
  }

  /**
   * Resolves `path` (absolute or relative to `from`, default the root) inside the root. The returned
   * `dir` is a real directory (no symlink on the way, as the kernel sees it now); the caller releases
   * it. A missing intermediate component → ErrInvalidArg "no such file or directory" unless
   * `createParents`; a non-directory on the way → ErrInvalidArg "not a directory".
   */
  resolve(path: string, options: ResolveOptions = {}, from: DirRef = this.root): Located {
    const followLast = options.followLast ?? true;
    const stack: DirRef[] = [path.startsWith('/') ? this.root : this.reopen(from)];
    const pending = path.split('/').filter((p) => p !== '' && p !== '.');
    let hops = 0;
    let retries = 0;
    const top = () => stack[stack.length - 1] as DirRef;
    const done = (name: string | null, stat: Stats | null): Located => {
      const dir = top();
      for (const d of stack.slice(0, -1)) this.release(d);
      return { dir, name, stat };
    };
    const fail = (why: string): never => {
      for (const d of stack) this.release(d);
      throw new PodbayError('ErrInvalidArg', `resolving ${JSON.stringify(path)} inside ${this.path}: ${why}`);
    };
    while (pending.length > 0) {
      const part = pending.shift() as string;
      if (part === '.') continue;
      if (part === '..') {
        // Clamped at the root, as inside a chroot. Above the directory we started from, its parent
        // is walked to again from the root (by its real components, re-checked on the way).
        if (stack.length > 1) this.release(stack.pop() as DirRef);
        else if (top().parts.length > 0) {
          const parentParts = top().parts.slice(0, -1);
          this.release(stack.pop() as DirRef);
          stack.push(this.root);
          pending.unshift(...parentParts);
        }
        continue;
      }
      const last = pending.length === 0;
      const st = lstatOrNull(atFd(top().fd, part));
      if (st === null) {
        if (last) return done(part, null);
        if (!options.createParents) return fail(`${[...top().parts, part].join('/')}: no such file or directory`);
        this.makeDir(top(), part, options.createParents);
        pending.unshift(part);
        continue;
      }
      if (st.isSymbolicLink() && (!last || followLast)) {
        if (++hops > maxSymlinkHops) return fail('too many levels of symbolic links');
        const target = readlinkSync(atFd(top().fd, part));
        if (target.startsWith('/')) {
          for (const d of stack.splice(0)) this.release(d);
          stack.push(this.root);
        }
        pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
        continue;
      }
      if (last) return done(part, st);
      if (!st.isDirectory()) return fail(`${[...top().parts, part].join('/')}: not a directory`);
      try {
        stack.push(this.openChildDir(top(), part));
      } catch (error) {
        // Swapped for something else since the lstat (a running container): look again.
        const code = errno(error);
        if ((code === 'ELOOP' || code === 'ENOTDIR' || code === 'ENOENT') && ++retries <= maxRetries) {
          pending.unshift(part);
          continue;
        }
        return fail(`${[...top().parts, part].join('/')}: ${(error as Error).message}`);
      }
    }
    // The path named the starting directory (or the root) itself.
    return done(null, fstatSync(top().fd));
  }

  /** mkdir (0755) owned by `owner`; one that appeared meanwhile is fine (the caller looks again). */
  private makeDir(dir: DirRef, name: string, owner: { uid: number; gid: number }): void {
    try {
      mkdirSync(atFd(dir.fd, name), { mode: 0o755 });
    } catch (error) {
      if (errno(error) === 'EEXIST') return;
      throw error;
    }
    lchownSync(atFd(dir.fd, name), owner.uid, owner.gid);
  }

  /**
   * Resolves `path` to a directory and opens it (following symlinks inside the root). Not a
   * directory → ErrInvalidArg. The caller releases the result.
   */
  openDir(path: string, from: DirRef = this.root, createParents: ResolveOptions['createParents'] = null): DirRef {
    const located = this.resolve(path, { followLast: true, createParents }, from);
    if (located.name === null) return located.dir;
    try {
      if (!located.stat && createParents) {
        this.makeDir(located.dir, located.name, createParents);
        return this.openChildDir(located.dir, located.name);
      }
      if (!located.stat) throw new PodbayError('ErrInvalidArg', `${[...located.dir.parts, located.name].join('/')}: no such file or directory`);
      if (!located.stat.isDirectory()) throw new PodbayError('ErrInvalidArg', `${[...located.dir.parts, located.name].join('/')}: not a directory`);
      return this.openChildDir(located.dir, located.name);
    } finally {
      this.release(located.dir);
    }
  }
}
