// Extraction of one layer tarball into an empty layer directory that nothing in the tar can
// escape, producing what overlayfs expects (whiteouts as 0/0 char devices, opaque directories as
// the `trusted.overlay.opaque=y` xattr), as c/storage's overlay `ApplyDiff`.
//
// Why not chroot, as c/storage does: Node cannot chroot or openat. Instead:
//   * Member names are cleaned lexically; a leading `/` is dropped (tar and c/storage treat names
//     as relative to the destination) and any `..` that would climb above the root is refused.
//   * Every parent component is resolved *inside the layer root* one component at a time with
//     lstat, the way SecureJoin / openat2(RESOLVE_IN_ROOT) do: a symlink met on the way is read
//     and its target resolved again from the layer root (absolute targets) or from the directory
//     holding it, and `..` is clamped at the root. The result is a path made only of real
//     directories inside the root; a realpath of that parent must equal it (a second, independent
//     check) before anything is created in it.
//   * The leaf is never followed: it is lstat'ed, removed if it exists (unless dir-over-dir), and
//     created fresh with O_CREAT|O_EXCL|O_NOFOLLOW (files), symlink(2), link(2) (which does not
//     follow) or mknod.
// This is sound because the only writer to the layer directory is this function, processing one
// member at a time: the directory is new, 0700, under a root-owned graph root, so no other process
// can swap a verified directory for a symlink between the check and the use (the race that made
// c/storage move to chroot was against *container* processes writing into a live rootfs).
import {
  chmodSync,
  closeSync,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readlinkSync,
  realpathSync,
  rmSync,
  unlinkSync,
  write,
  constants as fsConstants,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { lchown, lutimes, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PodbayError, wrap } from '../../../shared/errors.ts';
import { throwIfAborted } from './blob-store.ts';
import { crashPoint } from '../crash-point.ts';
import { readTar } from './tar-reader.ts';
import type { TarEntry } from './tar-reader.ts';
import { execLayerFsOps } from './layer-fs-ops.ts';
import type { LayerFsOps, XattrItem } from './layer-fs-ops.ts';

export const whiteoutPrefix = '.wh.';
export const opaqueWhiteout = '.wh..wh..opq';
const maxSymlinkHops = 40;
/** Symlinks of one directory made at once (see `links` in extractLayer). */
const maxLinksInFlight = 64;
/** File-content writes in flight per file: they run in libuv's pool while the next chunks are decompressed. */
const maxWritesInFlight = 8;

function writeAt(fd: number, chunk: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number) =>
      write(fd, chunk, offset, chunk.length - offset, position + offset, (error, written) => {
        if (error) reject(error);
        else if (offset + written < chunk.length) step(offset + written);
        else resolve();
      });
    step(0);
  });
}

/**
 * Writes a member's body with positional writes, several in flight, so the main thread keeps
 * decompressing and hashing while the kernel copies (the chunks are fresh buffers from gunzip or
 * fetch, never reused upstream). Every write has settled when this returns or throws.
 */
export async function writeBody(fd: number, body: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let position = 0;
  try {
    for await (const chunk of body) {
      if (failure !== undefined) break;
      const pending = writeAt(fd, chunk, position).catch((error: unknown) => {
        failure ??= error;
      });
      position += chunk.length;
      onBytes(chunk.length);
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending));
      if (inFlight.size >= maxWritesInFlight) await Promise.race(inFlight);
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure !== undefined) throw failure;
}

export interface ExtractOptions {
  /**
   * `overlay` (root): whiteouts become 0/0 char devices and opaque markers an xattr. `aufs`
   * (rootless, fuse-overlayfs): `.wh.*` files are written literally, as c/storage does there.
   */
  whiteoutFormat?: 'overlay' | 'aufs';
  /**
   * Root extracts device nodes (images such as base distributions ship /dev entries) and chowns
   * to the recorded owners. Rootless cannot mknod or chown: devices are skipped (as c/storage
   * does inside a user namespace, counted in the report) and files keep the caller's owner.
   */
  rootless?: boolean;
  /**
   * Extracting as root of a rootless user namespace: chown works inside the mapped range, but device
   * nodes cannot be made (skipped and counted, as c/storage does there) and trusted.* xattrs cannot
   * be set (dropped); opaque dirs then use user.overlay., which overlay's `userxattr` mounts read.
   */
  userNamespace?: boolean;
  /** Xattr namespace for opaque dirs (rootless overlay uses `user.overlay.`). */
  overlayXattrPrefix?: 'trusted.overlay.' | 'user.overlay.';
  /** Refuse past this many members (millions of tiny entries exhaust inodes and time). */
  maxEntries?: number;
  /** Refuse past this many uncompressed tar bytes. */
  maxBytes?: number;
  fsOps?: LayerFsOps;
  signal?: AbortSignal;
}

export interface ExtractReport {
  entries: number;
  /** Bytes of regular-file content written. */
  fileBytes: number;
  whiteouts: number;
  opaqueDirs: number;
  /** Device nodes not created (rootless). */
  skippedDevices: number;
  /** Xattrs from the tar that were dropped on purpose (overlay's own namespace). */
  droppedXattrs: number;
}

function refuse(entry: string, why: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `extracting layer member ${JSON.stringify(entry.slice(0, 300))}: ${why}`);
}

/**
 * Cleans a member name into components relative to the layer root. `[]` is the root itself.
 * Throws for names that climb above the root.
 */
export function cleanMemberName(name: string): string[] {
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw refuse(name, 'is outside of the layer (.. above the root)');
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out;
}

/** Linux's NAME_MAX, and a path length that leaves room for the layer root under PATH_MAX (4096). */
const maxComponentBytes = 255;
const maxPathBytes = 3840;

/**
 * Names no file system takes (a component past NAME_MAX, a path past PATH_MAX, a NUL byte) are a
 * hostile or broken archive: refused as such, instead of failing deep in a system call.
 */
function checkNameLimits(entry: TarEntry): void {
  for (const [what, name] of [['name', entry.name], ['link target', entry.linkname]] as const) {
    if (!name) continue;
    if (name.includes('\0')) throw refuse(entry.name.replaceAll('\0', '\\0'), `its ${what} contains a NUL byte`);
    if (Buffer.byteLength(name) > maxPathBytes) throw refuse(entry.name.slice(0, 200), `its ${what} is longer than ${maxPathBytes} bytes`);
    if (what === 'name' && name.split('/').some((part) => Buffer.byteLength(part) > maxComponentBytes)) throw refuse(entry.name.slice(0, 200), `a part of its name is longer than ${maxComponentBytes} bytes`);
  }
}

/** Tracks where we are in one extraction; all file-system access goes through its methods. */
class LayerWriter {
  readonly root: string;
  /** Lexical parent path → resolved components; cleared whenever anything is removed. */
  private readonly dirCache = new Map<string, string[]>();
  /** Directory times to set once their children are written (creating a child changes them). */
  private readonly dirTimes = new Map<string, { parts: string[]; atime: number; mtime: number }>();
  /**
   * Xattrs waiting for one batched `setXattrs` at the end of the layer (when the fs ops batch):
   * a process per attribute made xattr-heavy layers slow. Dropped when their path is removed.
   */
  private pendingXattrs: XattrItem[] = [];

  constructor(root: string, private readonly options: ExtractOptions, private readonly fsOps: LayerFsOps, readonly report: ExtractReport) {
    this.root = realpathSync(root);
    if (!lstatSync(this.root).isDirectory()) throw new PodbayError('ErrInvalidArg', `layer directory ${root} is not a directory`);
  }

  abs(parts: readonly string[]): string {
    return parts.length === 0 ? this.root : join(this.root, ...parts);
  }

  lstatOrNull(path: string): Stats | null {
    try {
      return lstatSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /**
   * Resolves directory components inside the root, following symlinks within it (SecureJoin
   * semantics) and creating missing directories (0755, as MkdirAll in c/storage) when `create`.
   * Returns the real components: every one of them is a directory, none a symlink.
   */
  resolveDir(entryName: string, parts: readonly string[], create: boolean): string[] {
    const key = parts.join('/');
    const cached = this.dirCache.get(key);
    if (cached) return cached;
    const resolved: string[] = [];
    const pending = [...parts];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        resolved.pop(); // clamped at the root, as inside a chroot
        continue;
      }
      const path = this.abs([...resolved, part]);
      const st = this.lstatOrNull(path);
      if (st === null) {
        if (!create) throw refuse(entryName, `${[...resolved, part].join('/')} does not exist`);
        mkdirSync(path, { mode: 0o755 });
        resolved.push(part);
        continue;
      }
      if (st.isSymbolicLink()) {
        if (++hops > maxSymlinkHops) throw refuse(entryName, 'too many levels of symbolic links');
        const target = readlinkSync(path);
        if (target.startsWith('/')) resolved.length = 0;
        pending.unshift(...target.split('/'));
        continue;
      }
      if (!st.isDirectory()) throw refuse(entryName, `${[...resolved, part].join('/')} is not a directory`);
      resolved.push(part);
    }
    // Independent check: the kernel's view of the resolved parent must be exactly that path.
    const real = realpathSync(this.abs(resolved));
    if (real !== this.abs(resolved)) throw refuse(entryName, 'resolves outside of the layer');
    this.dirCache.set(key, resolved);
    return resolved;
  }

  /** Whether `parts` (a lexical parent path) is resolved and cached: resolving it again touches nothing. */
  isResolved(parts: readonly string[]): boolean {
    return this.dirCache.has(parts.join('/'));
  }

  /** Removes whatever is at the leaf, without following it. Invalidates cached resolutions. */
  removeLeaf(path: string, st: Stats): void {
    this.dirCache.clear();
    if (this.pendingXattrs.length > 0) this.pendingXattrs = this.pendingXattrs.filter((x) => x.path !== path && !x.path.startsWith(`${path}/`));
    if (st.isDirectory()) {
      rmSync(path, { recursive: true, force: true });
      for (const key of this.dirTimes.keys()) if (key === path || key.startsWith(`${path}/`)) this.dirTimes.delete(key);
    } else {
      unlinkSync(path);
    }
  }

  /** Prepares the leaf for a new member: parent resolved, existing leaf removed unless dir-over-dir. */
  prepareLeaf(entry: TarEntry, parts: string[]): { parentParts: string[]; path: string; existing: Stats | null } {
    const parentParts = this.resolveDir(entry.name, parts.slice(0, -1), true);
    const path = this.abs([...parentParts, parts[parts.length - 1]!]);
    let existing = this.lstatOrNull(path);
    if (existing && !(existing.isDirectory() && entry.type === 'dir')) {
      this.removeLeaf(path, existing);
      existing = null;
    }
    return { parentParts, path, existing };
  }

  async setOwnerModeXattrs(entry: TarEntry, path: string, fd: number | undefined, chowned = false): Promise<void> {
    // Order matters: chown clears setuid bits and security.capability, so mode and xattrs follow it.
    if (!this.options.rootless && !chowned) {
      if (fd !== undefined) fchownSync(fd, entry.uid, entry.gid);
      else lchownSync(path, entry.uid, entry.gid);
    }
    if (entry.type !== 'symlink') {
      if (fd !== undefined) fchmodSync(fd, entry.mode);
      else chmodSync(path, entry.mode); // the leaf was created by us and is not a symlink
    }
    for (const [name, value] of entry.xattrs) {
      if (/^(trusted|user)\.overlay\./.test(name)) {
        // Overlay's own attributes (opaque, redirect, metacopy) would let a layer steer overlayfs.
        this.report.droppedXattrs++;
        continue;
      }
      if (!/^(user|trusted|security|system)\.[\x21-\x7e]{1,250}$/.test(name)) throw refuse(entry.name, `invalid xattr name ${JSON.stringify(name.slice(0, 60))}`);
      if ((this.options.rootless && !name.startsWith('user.')) || (this.options.userNamespace && name.startsWith('trusted.'))) {
        this.report.droppedXattrs++;
        continue;
      }
      await this.setXattr(path, name, value);
    }
  }

  /** Sets (or, when the fs ops batch, queues) one xattr on a path this extraction created. */
  async setXattr(path: string, name: string, value: Buffer): Promise<void> {
    if (this.fsOps.setXattrs) this.pendingXattrs.push({ path, name, value });
    else await this.fsOps.setXattr(path, name, value);
  }

  /** Applies the queued xattrs, in order, re-checking each path is still the one we made. */
  async flushXattrs(): Promise<void> {
    const items = this.pendingXattrs.filter((x) => this.lstatOrNull(x.path) !== null);
    this.pendingXattrs = [];
    if (items.length > 0) await this.fsOps.setXattrs!(items);
  }

  deferDirTimes(path: string, parts: string[], entry: TarEntry): void {
    this.dirTimes.set(path, { parts, atime: entry.atime ?? entry.mtime, mtime: entry.mtime });
  }

  /** Sets directory times last, deepest first, re-checking each path is still our directory. */
  finishDirTimes(): void {
    const list = [...this.dirTimes.entries()].sort((a, b) => b[0].length - a[0].length);
    for (const [path, t] of list) {
      const st = this.lstatOrNull(path);
      if (!st || !st.isDirectory()) continue;
      if (path !== this.root && realpathSync(path) !== path) continue;
      lutimesSync(path, t.atime, t.mtime);
    }
  }
}

/**
 * Extracts a tar stream (already decompressed) into `dest`, an existing directory the caller
 * created for this layer and that nothing else writes to. On error the caller removes `dest`
 * (a half-extracted layer is never used). Returns counts for the pull report.
 */
export async function extractLayer(source: AsyncIterable<Uint8Array>, dest: string, options: ExtractOptions = {}): Promise<ExtractReport> {
  const report: ExtractReport = { entries: 0, fileBytes: 0, whiteouts: 0, opaqueDirs: 0, skippedDevices: 0, droppedXattrs: 0 };
  const fsOps = options.fsOps ?? execLayerFsOps();
  const writer = new LayerWriter(dest, options, fsOps, report);
  const maxEntries = options.maxEntries ?? 2_000_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 ** 3;
  const whiteoutFormat = options.whiteoutFormat ?? (options.rootless ? 'aufs' : 'overlay');
  const opaqueXattr = `${options.overlayXattrPrefix ?? (options.rootless || options.userNamespace ? 'user.overlay.' : 'trusted.overlay.')}opaque`;

  /**
   * Symlinks being made, all in one directory that was resolved (and cached) before the first of
   * them was queued. A busybox layer is ~400 symlinks in bin/: made one after the other, each of
   * their three thread-pool calls waited behind the other layers' 1 MiB writes and gunzip jobs
   * (a load of big spent most of its time on that one layer). Made side by side they share those
   * waits. Safe because nothing in the batch can change how another member resolves: all are
   * distinct leaves of one real directory, and any other member (or a symlink elsewhere, or an
   * uncached parent) first waits for the batch.
   */
  let links: { parent: string; names: Set<string>; ops: Promise<void>[] } | undefined;
  const settleLinks = async () => {
    if (!links) return;
    const { ops } = links;
    links = undefined;
    const failure = (await Promise.allSettled(ops)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  };

  try {
    try {
      await extractAll();
      await settleLinks();
    } finally {
      // On failure, no call may still be writing into `dest` when the caller removes it.
      if (links) await Promise.allSettled(links.ops);
    }
  } catch (error) {
    if (error instanceof PodbayError) throw error;
    throw wrap(error, `extracting layer into ${dest}`);
  }
  await writer.flushXattrs();
  writer.finishDirTimes();
  return report;

  async function extractAll(): Promise<void> {
    for await (const { entry, body } of readTar(source)) {
      throwIfAborted(options.signal, 'extracting layer');
      crashPoint('extract.entry');
      if (++report.entries > maxEntries) throw refuse(entry.name, `the layer has more than ${maxEntries} members`);
      if (entry.size > maxBytes - report.fileBytes) throw refuse(entry.name, `the layer holds more than ${maxBytes} bytes`);
      const parts = cleanMemberName(entry.name);
      checkNameLimits(entry);
      const parentKey = parts.slice(0, -1).join('/');
      const joinsLinks =
        links !== undefined && entry.type === 'symlink' && links.parent === parentKey && !links.names.has(parts[parts.length - 1]!) && links.ops.length < maxLinksInFlight && writer.isResolved(parts.slice(0, -1));
      if (!joinsLinks) await settleLinks();

      if (parts.length === 0) {
        // "./": the layer root's own metadata. Only a directory may describe it.
        if (entry.type !== 'dir') throw refuse(entry.name, 'names the layer root but is not a directory');
        await writer.setOwnerModeXattrs(entry, writer.root, undefined);
        writer.deferDirTimes(writer.root, [], entry);
        continue;
      }
      const base = parts[parts.length - 1]!;

      if (whiteoutFormat === 'overlay' && base.startsWith(whiteoutPrefix)) {
        if (base === opaqueWhiteout) {
          const dirParts = writer.resolveDir(entry.name, parts.slice(0, -1), true);
          await writer.setXattr(writer.abs(dirParts), opaqueXattr, Buffer.from('y'));
          report.opaqueDirs++;
          continue;
        }
        if (base.startsWith(`${whiteoutPrefix}${whiteoutPrefix}`)) continue; // AUFS metadata (.wh..wh.plnk …): skipped, as c/storage
        const hidden = base.slice(whiteoutPrefix.length);
        if (hidden === '' || hidden === '.' || hidden === '..') throw refuse(entry.name, 'whiteout without a name');
        const { path } = writer.prepareLeaf({ ...entry, type: 'char' }, [...parts.slice(0, -1), hidden]);
        // mode 0: c/storage creates whiteouts with mknod(S_IFCHR, 0); overlay only checks the type.
        await fsOps.mknod(path, 'char', 0, 0, 0);
        if (!options.rootless) lchownSync(path, entry.uid, entry.gid);
        report.whiteouts++;
        continue;
      }

      switch (entry.type) {
        case 'dir': {
          const { path } = writer.prepareLeaf(entry, parts);
          if (writer.lstatOrNull(path) === null) mkdirSync(path, { mode: 0o700 });
          await writer.setOwnerModeXattrs(entry, path, undefined);
          writer.deferDirTimes(path, parts, entry);
          break;
        }
        case 'file': {
          const { path } = writer.prepareLeaf(entry, parts);
          const fd = openSync(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, 0o600);
          try {
            await writeBody(fd, body, (n) => (report.fileBytes += n));
            await writer.setOwnerModeXattrs(entry, path, fd);
            futimesSync(fd, entry.atime ?? entry.mtime, entry.mtime);
          } finally {
            closeSync(fd);
          }
          break;
        }
        case 'symlink': {
          if (entry.linkname === '') throw refuse(entry.name, 'symlink with an empty target');
          const { path } = writer.prepareLeaf(entry, parts);
          // The target text is kept as is: it resolves inside the container's root at run time, and
          // inside the layer root when a later member passes through it (resolveDir).
          // On the thread pool, not sync: the syscalls can wait on the file system's journal while
          // other layers of the same pull hash and gunzip. The order per entry is kept; entries of
          // one directory run side by side (`links`).
          const make = async () => {
            await symlink(entry.linkname, path);
            if (!options.rootless) await lchown(path, entry.uid, entry.gid);
            await writer.setOwnerModeXattrs(entry, path, undefined, true);
            await lutimes(path, entry.atime ?? entry.mtime, entry.mtime);
          };
          links ??= { parent: parentKey, names: new Set(), ops: [] };
          links.names.add(parts[parts.length - 1]!);
          const op = make();
          op.catch(() => undefined); // awaited by settleLinks; not an unhandled rejection meanwhile
          links.ops.push(op);
          break;
        }
        case 'hardlink': {
          const targetParts = cleanMemberName(entry.linkname);
          if (targetParts.length === 0) throw refuse(entry.name, 'hard link to the layer root');
          const targetDir = writer.resolveDir(entry.name, targetParts.slice(0, -1), false);
          const target = writer.abs([...targetDir, targetParts[targetParts.length - 1]!]);
          let targetStat: Stats;
          try {
            targetStat = lstatSync(target);
          } catch {
            throw refuse(entry.name, `hard link target ${JSON.stringify(entry.linkname.slice(0, 300))} is not in the layer`);
          }
          if (targetStat.isDirectory()) throw refuse(entry.name, 'hard link to a directory');
          if (writer.abs([...writer.resolveDir(entry.name, parts.slice(0, -1), true), parts[parts.length - 1]!]) === target) break; // linked to itself
          const { path } = writer.prepareLeaf(entry, parts);
          // link(2) does not follow a symlink target: linking a symlink links the symlink itself.
          linkSync(target, path);
          break;
        }
        case 'char':
        case 'block':
        case 'fifo': {
          if ((options.rootless || options.userNamespace) && entry.type !== 'fifo') {
            report.skippedDevices++;
            break;
          }
          const { path } = writer.prepareLeaf(entry, parts);
          await fsOps.mknod(path, entry.type, entry.mode, entry.devmajor, entry.devminor);
          await writer.setOwnerModeXattrs(entry, path, undefined);
          lutimesSync(path, entry.atime ?? entry.mtime, entry.mtime);
          break;
        }
      }
    }
  }
}
