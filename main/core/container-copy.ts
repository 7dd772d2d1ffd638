// `podbay cp` and the Files view (libpod container_copy_linux.go + container_stat_linux.go, podman's
// cmd/podman/containers/cp.go): paths of a container are resolved inside its rootfs (in-root.ts), the
// source is read as a tar stream (tree-archive.ts) and written into the destination by the guarded
// extractor (tree-extract.ts) — for a running container through its mounted merged dir, for a stopped
// one through a mount held only while copying (container-mount.ts). Both directions go through one
// tar stream, as podman's copier.Get → copier.Put, so host→container, container→host,
// container→container and `-` (a tar on stdin/stdout) share one code path. As podman's --archive
// (the default), what lands in a container is owned by the container's user and what lands on the
// host by the caller.
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { posix } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerDirListing, ContainerFileEntry, ContainerFileType } from '../../shared/types/container-files.ts';
import type { ContainerConfig } from './container-config.ts';
import type { LifecycleContext } from './container-internal.ts';
import { syncRecords } from './container-internal.ts';
import { readRecord } from './container-lifecycle.ts';
import { withRootfs } from './container-mount.ts';
import { RootFs, atFd, lstatOrNull } from './image/in-root.ts';
import { archiveTree, fileBody, singleFileTar } from './image/tree-archive.ts';
import { extractTree } from './image/tree-extract.ts';
import { readRootfsUserFiles, resolveUser } from './oci/user-resolver.ts';
import { volumeMountPoint } from './volume.ts';

export function fileType(st: Stats): ContainerFileType {
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'file';
}

export function fileEntry(name: string, st: Stats, linkTarget?: string): ContainerFileEntry {
  return {
    name,
    type: fileType(st),
    size: st.isFile() ? st.size : 0,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    mtime: new Date(st.mtimeMs).toISOString(),
    ...(linkTarget !== undefined ? { linkTarget } : {}),
  };
}

/** The uid and gid the container's process runs as (its user resolved through its own /etc/passwd). */
export async function containerUserIds(rootfs: string, config: Pick<ContainerConfig, 'spec'>): Promise<{ uid: number; gid: number }> {
  const { passwd, group } = await readRootfsUserFiles(rootfs);
  const user = resolveUser(config.spec.process.user ?? '', passwd, group);
  return { uid: user.uid, gid: user.gid };
}

function containerId(ctx: LifecycleContext, nameOrId: string): string {
  return ctx.state().lookupContainerId(nameOrId);
}

const maxListing = 10_000;

/**
 * One directory of a container, read-only: its entries (lstat; symlinks listed as symlinks with their
 * targets), sorted by name, at most `limit`. The path is resolved inside the rootfs; not a directory
 * → ErrInvalidArg.
 */
export async function listContainerDir(ctx: LifecycleContext, nameOrId: string, path: string, limit = maxListing): Promise<ContainerDirListing> {
  return withSide(ctx, { container: nameOrId, path }, async (side) => {
    const dir = side.fs.openDir(side.path(path));
    try {
      const names = readdirSync(atFd(dir.fd, '.')).sort();
      const entries: ContainerFileEntry[] = [];
      for (const name of names.slice(0, limit)) {
        const st = lstatOrNull(atFd(dir.fd, name));
        if (!st) continue;
        entries.push(fileEntry(name, st, st.isSymbolicLink() ? readlinkSync(atFd(dir.fd, name)) : undefined));
      }
      return { path: `/${dir.parts.join('/')}`, entries, truncated: names.length > limit };
    } finally {
      side.fs.release(dir);
    }
  });
}

/** What a copy does, decided from the two sides' paths and what is there (docker's and podman's cp rules). */
export interface CopyPlan {
  /** The directory the archive is extracted into (a path on the destination side). */
  destDir: string;
  /** Create `destDir` (and its parents) first. */
  createDestDir: boolean;
  /** The source's member name in the archive: its base name, or `.` for its contents (`SRC/.`). */
  sourceName: string;
  /** Written under another name (`cp a.txt ctr:/b.txt`). */
  rename?: { from: string; to: string };
}

export interface CopySide {
  /** As the user gave it. */
  path: string;
  /** What is at the path (symlinks followed inside its root), or null when nothing is. */
  type: ContainerFileType | null;
}

/**
 * docker cp's rules, which podman follows: a file onto a directory lands inside it; onto a file
 * replaces it; onto nothing is created with that name (its parent must exist). A directory onto a
 * directory lands inside it (`SRC/.`: its contents do); onto nothing becomes that directory; onto a
 * file → ErrInvalidArg. A destination ending in `/` must be a directory.
 */
export function planCopy(source: CopySide & { type: ContainerFileType }, dest: CopySide): CopyPlan {
  const contents = source.type === 'dir' && /(^|\/)\.$/.test(source.path);
  const trimmed = source.path.replace(/\/+\.?$/, '') || '/';
  const sourceBase = posix.basename(trimmed);
  const sourceName = contents || trimmed === '/' ? '.' : sourceBase;
  const destTrimmed = dest.path.replace(/\/+$/, '') || '/';
  const wantsDir = dest.path.endsWith('/') || dest.path.endsWith('/.');
  if (dest.type === 'dir') return { destDir: destTrimmed, createDestDir: false, sourceName };
  if (dest.type !== null) {
    if (source.type === 'dir') throw new PodbayError('ErrInvalidArg', `cannot copy directory ${JSON.stringify(source.path)} onto file ${JSON.stringify(dest.path)}`);
    if (wantsDir) throw new PodbayError('ErrInvalidArg', `${JSON.stringify(dest.path)} is not a directory`);
    return { destDir: posix.dirname(destTrimmed), createDestDir: false, sourceName, rename: { from: sourceName, to: posix.basename(destTrimmed) } };
  }
  if (source.type === 'dir') {
    if (sourceName === '.') return { destDir: destTrimmed, createDestDir: true, sourceName };
    return { destDir: posix.dirname(destTrimmed), createDestDir: false, sourceName, rename: { from: sourceName, to: posix.basename(destTrimmed) } };
  }
  if (wantsDir) throw new PodbayError('ErrInvalidArg', `destination directory ${JSON.stringify(dest.path)} does not exist`);
  return { destDir: posix.dirname(destTrimmed), createDestDir: false, sourceName, rename: { from: sourceName, to: posix.basename(destTrimmed) } };
}

/** One end of a copy: a path of a container (by name or ID), or of the host. `-` is stdin or stdout. */
export interface CopyEndpoint {
  container?: string;
  path: string;
}

export interface CopyOptions {
  /** podman cp --archive (default true): chown to the destination's user; false keeps the source's owners. */
  archive?: boolean;
  /** podman cp --overwrite: a directory may replace a non-directory and the reverse. */
  overwrite?: boolean;
  /** The tar to extract when the source path is `-`. */
  stdin?: AsyncIterable<Buffer>;
  /** Where the tar goes when the destination path is `-`. */
  stdout?: (tar: AsyncIterable<Buffer>) => Promise<void>;
  signal?: AbortSignal;
}

export interface CopyReport {
  entries: number;
  fileBytes: number;
}

interface OpenSide {
  fs: RootFs;
  /**
   * The path the user gave as a path of `fs`: a relative one is relative to the working directory
   * (the host's, or the container's), and on a stopped container a path on a volume or bind mount
   * is a path of that mount's source (libpod resolvePath).
   */
  path: (path: string) => string;
  /** Real paths (components below the root) an archive of this side leaves out. */
  skip: (path: readonly string[]) => boolean;
  /** The owner files copied onto this side get with --archive. */
  owner: { uid: number; gid: number };
  where: string;
}

/**
 * Runs `work` with the endpoint's root open: the host's `/`; a running container's root as its
 * processes see it (/proc/<pid>/root: its bind mounts and volumes included, as libpod's copier sees
 * it from inside the container's mount namespace); a stopped container's rootfs, mounted while needed.
 */
async function withSide<T>(ctx: LifecycleContext, endpoint: CopyEndpoint, work: (side: OpenSide) => Promise<T>): Promise<T> {
  if (endpoint.container === undefined) {
    const fs = RootFs.open('/');
    try {
      return await work({ fs, owner: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }, where: 'the host', path: (p) => posix.resolve(process.cwd(), p), skip: () => false });
    } finally {
      fs.close();
    }
  }
  const id = containerId(ctx, endpoint.container);
  const [record] = syncRecords(ctx, [readRecord(ctx, id)]);
  if (record && record.state.status === 'running' && record.state.pid > 0) {
    let fs: RootFs | null;
    try {
      fs = RootFs.openProcessRoot(record.state.pid);
    } catch {
      fs = null; // exited meanwhile: read it as a stopped one
    }
    if (fs) {
      const open = fs;
      try {
        // The container's /proc and /sys are its kernel views, not files of it: never archived.
        return await work({ fs: open, owner: await containerUserIds(open.path, record.config), where: `container ${record.config.name}`, path: (p) => posix.resolve(record.config.spec.process.cwd ?? '/', p), skip: isKernelView });
      } finally {
        open.close();
      }
    }
  }
  return withRootfs(ctx, id, async (rootfs, current) => {
    const full = posix.resolve(current.config.spec.process.cwd ?? '/', endpoint.path);
    const backing = mountBacking(current.config, ctx.settings().storage.graphRoot, full);
    const fs = RootFs.open(backing?.root ?? rootfs);
    try {
      return await work({
        fs,
        owner: await containerUserIds(rootfs, current.config),
        where: `container ${current.config.name}`,
        path: (p) => {
          const absolute = posix.resolve(current.config.spec.process.cwd ?? '/', p);
          return backing ? (mountBacking(current.config, ctx.settings().storage.graphRoot, absolute)?.path ?? absolute) : absolute;
        },
        skip: () => false,
      });
    } finally {
      fs.close();
    }
  });
}

/**
 * libpod resolvePath for a container that is not running: the named volume or bind mount whose
 * destination holds `path` (the longest one), as its source directory on the host and the path
 * below it; null when the path is on the rootfs. Volumes that need their own mount (a device, an
 * NFS export) are read from the rootfs, as their content is only reachable mounted.
 */
export function mountBacking(config: Pick<ContainerConfig, 'mounts' | 'namedVolumes'>, graphRoot: string, path: string): { root: string; path: string } | null {
  const candidates: { destination: string; source: string }[] = [];
  for (const v of config.namedVolumes ?? []) {
    if (v.options.some((o) => o.startsWith('type=') || o.startsWith('device='))) continue;
    candidates.push({ destination: v.destination, source: posix.join(volumeMountPoint(graphRoot, v.name), v.subPath ?? '') });
  }
  for (const m of config.mounts ?? []) if (m.type === 'bind' && m.source) candidates.push({ destination: m.destination, source: m.source });
  const clean = posix.normalize(path);
  const found = candidates
    .filter((c) => clean === c.destination || clean.startsWith(c.destination === '/' ? '/' : `${c.destination}/`))
    .sort((a, b) => b.destination.length - a.destination.length)[0];
  if (!found) return null;
  const rest = clean.slice(found.destination.length).replace(/^\/*/, '/');
  let isDir: boolean;
  try {
    isDir = statSync(found.source).isDirectory();
  } catch {
    return null;
  }
  // A file bind mount (a single file): its directory is the root, the file its one path.
  return isDir ? { root: found.source, path: rest } : { root: posix.dirname(found.source), path: `/${posix.basename(found.source)}` };
}

/** /proc and /sys of a running container's view (procfs and sysfs mounted by the runtime). */
function isKernelView(path: readonly string[]): boolean {
  return path.length === 1 && (path[0] === 'proc' || path[0] === 'sys');
}

function typeAt(fs: RootFs, path: string): ContainerFileType | null {
  const located = fs.resolve(path, { followLast: true });
  fs.release(located.dir);
  return located.stat ? fileType(located.stat) : null;
}

/**
 * `podbay cp SRC DST`: copies between the host and a container, or between two containers, with the
 * plan of `planCopy`. A missing source → ErrInvalidArg "could not be found"; a destination parent that
 * is missing → ErrInvalidArg. Members of a tar given on stdin that climb out of the destination are
 * refused (ErrInvalidArg); symlinks on either side resolve inside their own root.
 */
export async function copyPaths(ctx: LifecycleContext, source: CopyEndpoint, dest: CopyEndpoint, options: CopyOptions = {}): Promise<CopyReport> {
  const archive = options.archive ?? true;
  if (source.path === '-' && dest.path === '-') throw new PodbayError('ErrInvalidArg', 'cannot copy from stdin to stdout');
  if (source.container === undefined && dest.container === undefined) throw new PodbayError('ErrInvalidArg', 'copying between two host paths is not supported: use cp(1)');
  const report: CopyReport = { entries: 0, fileBytes: 0 };

  if (source.path === '-') {
    if (!options.stdin) throw new PodbayError('ErrInvalidArg', 'no archive on stdin');
    const stdin = options.stdin;
    await withSide(ctx, dest, async (to) => {
      const path = to.path(dest.path);
      if (typeAt(to.fs, path) !== 'dir') throw new PodbayError('ErrInvalidArg', `destination ${JSON.stringify(dest.path)} must be an existing directory when copying an archive from stdin`);
      const dir = to.fs.openDir(path);
      try {
        Object.assign(report, await extractTree(to.fs, dir, stdin, { chown: archive ? to.owner : null, overwrite: options.overwrite ?? false, ...(options.signal ? { signal: options.signal } : {}) }));
      } finally {
        to.fs.release(dir);
      }
    });
    return report;
  }

  await withSide(ctx, source, async (from) => {
    const sourcePath = from.path(source.path);
    const sourceType = typeAt(from.fs, sourcePath);
    if (sourceType === null) throw new PodbayError('ErrInvalidArg', `${JSON.stringify(source.path)} could not be found on ${from.where}: no such file or directory`);
    const streamOf = (name: string) => archiveTree(from.fs, sourcePath, { name, skip: from.skip, ...(options.signal ? { signal: options.signal } : {}) });
    if (dest.path === '-') {
      if (!options.stdout) throw new PodbayError('ErrInvalidArg', 'no stdout to write the archive to');
      const name = planCopy({ path: source.path, type: sourceType }, { path: '/', type: 'dir' }).sourceName;
      await options.stdout(streamOf(name));
      return;
    }
    await withSide(ctx, dest, async (to) => {
      const destPath = to.path(dest.path);
      const plan = planCopy({ path: source.path, type: sourceType }, { path: destPath, type: typeAt(to.fs, destPath) });
      if (plan.createDestDir && typeAt(to.fs, posix.dirname(plan.destDir)) !== 'dir') {
        throw new PodbayError('ErrInvalidArg', `${JSON.stringify(posix.dirname(plan.destDir))} could not be found on ${to.where}: no such file or directory`);
      }
      if (!plan.createDestDir && typeAt(to.fs, plan.destDir) !== 'dir') {
        throw new PodbayError('ErrInvalidArg', `${JSON.stringify(plan.destDir)} could not be found on ${to.where}: no such file or directory`);
      }
      const dir = to.fs.openDir(plan.destDir, to.fs.root, plan.createDestDir ? (archive ? to.owner : { uid: 0, gid: 0 }) : null);
      try {
        Object.assign(report, await extractTree(to.fs, dir, streamOf(plan.sourceName), {
          chown: archive ? to.owner : null,
          overwrite: options.overwrite ?? false,
          ...(plan.rename ? { rename: plan.rename } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }));
      } finally {
        to.fs.release(dir);
      }
    });
  });
  return report;
}

/**
 * What the UI downloads: `path` of the container as its own bytes (a regular file) or as a tar (a
 * directory, or anything else), streamed to `consume` with the name to save it under.
 */
export async function readContainerPath(
  ctx: LifecycleContext,
  nameOrId: string,
  path: string,
  consume: (info: { name: string; kind: 'file' | 'tar'; size: number | null }, data: AsyncIterable<Buffer>) => Promise<void>,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  await withSide(ctx, { container: nameOrId, path }, async (side) => {
    const base = posix.basename(path.replace(/\/+\.?$/, '')) || null;
    const located = side.fs.resolve(side.path(path), { followLast: true });
    try {
      if (!located.stat) throw new PodbayError('ErrInvalidArg', `${JSON.stringify(path)} could not be found on ${side.where}: no such file or directory`);
      if (located.stat.isFile() && located.name !== null) {
        await consume({ name: base ?? located.name, kind: 'file', size: located.stat.size }, fileBody(located.dir, located.name, options.signal));
        return;
      }
    } finally {
      side.fs.release(located.dir);
    }
    await consume({ name: `${base ?? 'rootfs'}.tar`, kind: 'tar', size: null }, archiveTree(side.fs, side.path(path), { name: base ?? '.', skip: side.skip, ...(options.signal ? { signal: options.signal } : {}) }));
  });
}

/**
 * What the UI uploads: a tar extracted into directory `dir` of the container, or one file (its
 * bytes, `size` of them) written there as `name`. Owned by the container's user (podman cp --archive).
 */
export async function writeContainerPath(
  ctx: LifecycleContext,
  nameOrId: string,
  dir: string,
  upload: { kind: 'tar'; data: AsyncIterable<Buffer> } | { kind: 'file'; name: string; size: number; data: AsyncIterable<Buffer> },
  options: { overwrite?: boolean; signal?: AbortSignal } = {},
): Promise<CopyReport> {
  const data = upload.kind === 'tar' ? upload.data : singleFileTar(upload.name, upload.size, upload.data);
  return copyPaths(ctx, { path: '-' }, { container: nameOrId, path: dir }, { stdin: data, ...options });
}
