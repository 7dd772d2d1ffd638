// Extraction of a tar stream into a directory of a root someone else controls — `podbay cp` into a
// container (running or not) and out of one onto the host — as buildah's copier.Put does inside its
// chroot: member names are relative to the destination directory and may not climb above it (a
// traversal attempt is refused with ErrInvalidArg); the directories on the way are resolved inside
// the root (a container's symlink to /etc means the container's /etc, in-root.ts), created when
// missing; every leaf is created fresh through the parent's descriptor (O_EXCL|O_NOFOLLOW files,
// symlink(2), link(2), mknod), so nothing is ever written through a symlink, even one a running
// container plants while we extract. As podman cp without --overwrite, a directory is never
// replaced by a non-directory nor the reverse.
import { closeSync, fchmodSync, fchownSync, futimesSync, lchownSync, linkSync, lutimesSync, mkdirSync, openSync, readdirSync, rmdirSync, symlinkSync, unlinkSync, constants as fsConstants } from 'node:fs';
import type { Stats } from 'node:fs';
import { PodbayError } from '../../../shared/errors.ts';
import { throwIfAborted } from './blob-store.ts';
import { atFd, atFdForChild, lstatOrNull, openDirFlags } from './in-root.ts';
import type { DirRef, RootFs } from './in-root.ts';
import { cleanMemberName, writeBody } from './layer-extract.ts';
import { execLayerFsOps } from './layer-fs-ops.ts';
import type { LayerFsOps } from './layer-fs-ops.ts';
import { readTar } from './tar-reader.ts';
import type { TarEntry } from './tar-reader.ts';

export interface ExtractTreeOptions {
  /** Owner of everything written (podman cp --archive: the container's user, or the host caller); else the members' own. */
  chown?: { uid: number; gid: number } | null;
  /** Allow a directory to replace a non-directory and the reverse (podman cp --overwrite). */
  overwrite?: boolean;
  /** The archive's top-level member `from` is written as `to` (cp of a file to a new name). */
  rename?: { from: string; to: string };
  /** Refuse past this many members. */
  maxEntries?: number;
  fsOps?: LayerFsOps;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
}

export interface ExtractTreeReport {
  entries: number;
  fileBytes: number;
}

function refuse(name: string, why: string, cause?: unknown): PodbayError {
  return new PodbayError('ErrInvalidArg', `copying ${JSON.stringify(name.slice(0, 300))}: ${why}`, cause ? { cause } : undefined);
}

/** Lexical components of a member below the destination; climbing above it → ErrInvalidArg. */
function memberParts(name: string): string[] {
  try {
    return cleanMemberName(name);
  } catch (error) {
    throw refuse(name, 'the archive member is outside of the destination (.. above it): refused', error);
  }
}

/** Removes `name` in `dir` and everything below it, through descriptors (never following a symlink). */
export function removeTreeAt(fs: RootFs, dir: DirRef, name: string): void {
  const st = lstatOrNull(atFd(dir.fd, name));
  if (!st) return;
  if (!st.isDirectory()) {
    unlinkSync(atFd(dir.fd, name));
    return;
  }
  const child = fs.openChildDir(dir, name);
  try {
    for (const entry of readdirSync(atFd(child.fd))) removeTreeAt(fs, child, entry);
  } finally {
    fs.release(child);
  }
  rmdirSync(atFd(dir.fd, name));
}

/**
 * Extracts `source` (an uncompressed tar) into `dest`, a directory of `fs` the caller resolved and
 * still holds. On error what was written stays (as podman cp leaves it); the error names the member.
 */
export async function extractTree(fs: RootFs, dest: DirRef, source: AsyncIterable<Uint8Array>, options: ExtractTreeOptions = {}): Promise<ExtractTreeReport> {
  const report: ExtractTreeReport = { entries: 0, fileBytes: 0 };
  const fsOps = options.fsOps ?? execLayerFsOps();
  const maxEntries = options.maxEntries ?? 2_000_000;
  const parents = new Map<string, DirRef>();
  const dirTimes: { parts: string[]; atime: number; mtime: number }[] = [];
  const owner = (entry: TarEntry) => options.chown ?? { uid: entry.uid, gid: entry.gid };
  const dropParents = () => {
    for (const ref of parents.values()) fs.release(ref);
    parents.clear();
  };

  const renamed = (parts: string[]): string[] => (options.rename && parts[0] === options.rename.from ? [options.rename.to, ...parts.slice(1)] : parts);

  /** The directory holding `parts`' leaf, resolved inside the root from `dest`, created if missing. */
  const parentOf = (entry: TarEntry, parts: string[], create: boolean): DirRef => {
    const key = parts.slice(0, -1).join('/');
    const cached = parents.get(key);
    if (cached) return cached;
    let ref: DirRef;
    try {
      ref = key === '' ? fs.reopen(dest) : fs.openDir(key, dest, create ? owner(entry) : null);
    } catch (error) {
      throw refuse(entry.name, (error as Error).message, error);
    }
    parents.set(key, ref);
    return ref;
  };

  const setXattrs = async (entry: TarEntry, parent: DirRef, leaf: string) => {
    for (const [name, value] of entry.xattrs) {
      if (/^(trusted|user)\.overlay\./.test(name)) continue; // overlay's own: a tar must not steer overlayfs
      if (!/^(user|trusted|security|system)\.[\x21-\x7e]{1,250}$/.test(name)) throw refuse(entry.name, `invalid xattr name ${JSON.stringify(name.slice(0, 60))}`);
      await fsOps.setXattr(atFdForChild(parent.fd, leaf), name, value);
    }
  };

  /** A symlink that resolves (inside the root) to a directory, as /lib → usr/lib in merged-/usr images. */
  const linksToDir = (parent: DirRef, leaf: string): boolean => {
    try {
      fs.release(fs.openDir(leaf, parent));
      return true;
    } catch {
      return false;
    }
  };

  /**
   * Makes room for a new leaf: `merge` for a directory over a directory (or over a symlink to one,
   * which is followed as copier.Put does inside its chroot), else removes what is there → `new`.
   */
  const clearLeaf = (entry: TarEntry, parts: string[], parent: DirRef, leaf: string): 'merge' | 'linked' | 'new' => {
    const existing = lstatOrNull(atFd(parent.fd, leaf));
    if (!existing) return 'new';
    if (entry.type === 'dir' && existing.isDirectory()) return 'merge';
    if (entry.type === 'dir' && existing.isSymbolicLink() && linksToDir(parent, leaf)) return 'linked';
    if (existing.isDirectory() || entry.type === 'dir') {
      if (!options.overwrite) {
        throw refuse(entry.name, existing.isDirectory() ? 'a directory cannot be overwritten with a non-directory (use --overwrite)' : 'a non-directory cannot be overwritten with a directory (use --overwrite)');
      }
      removeTreeAt(fs, parent, leaf);
      // Cached directories below the removed one are gone (writing into them would fail, not escape).
      const removed = parts.join('/');
      for (const [key, ref] of parents) {
        if (key === removed || key.startsWith(`${removed}/`)) {
          fs.release(ref);
          parents.delete(key);
        }
      }
      return 'new';
    }
    unlinkSync(atFd(parent.fd, leaf));
    return 'new';
  };

  try {
    for await (const { entry, body } of readTar(source)) {
      throwIfAborted(options.signal, 'copying files');
      if (++report.entries > maxEntries) throw refuse(entry.name, `the archive has more than ${maxEntries} members`);
      if (parents.size >= 32) dropParents(); // between members only: the refs of one member stay valid
      const parts = renamed(memberParts(entry.name));
      if (parts.length === 0) continue; // "./": the destination itself keeps its own metadata
      const leaf = parts[parts.length - 1] as string;
      const ids = owner(entry);
      const mtime = entry.mtime;
      const atime = entry.atime ?? entry.mtime;

      if (entry.type === 'hardlink') {
        const targetParts = renamed(memberParts(entry.linkname));
        if (targetParts.length === 0) throw refuse(entry.name, 'hard link to the destination itself');
        const targetDir = parentOf(entry, targetParts, false);
        const targetLeaf = targetParts[targetParts.length - 1] as string;
        const target: Stats | null = lstatOrNull(atFd(targetDir.fd, targetLeaf));
        if (!target) throw refuse(entry.name, `hard link target ${JSON.stringify(entry.linkname.slice(0, 300))} is not in the archive`);
        if (target.isDirectory()) throw refuse(entry.name, 'hard link to a directory');
        const parent = parentOf(entry, parts, true);
        if (targetDir.fd === parent.fd && targetLeaf === leaf) continue;
        clearLeaf(entry, parts, parent, leaf);
        // link(2) never follows the old path's last component: linking a symlink links the symlink.
        linkSync(atFd(targetDir.fd, targetLeaf), atFd(parent.fd, leaf));
        continue;
      }

      const parent = parentOf(entry, parts, true);
      const leafState = clearLeaf(entry, parts, parent, leaf);
      switch (entry.type) {
        case 'dir': {
          if (leafState === 'linked') break; // the link's directory keeps its own metadata
          if (leafState === 'new') mkdirSync(atFd(parent.fd, leaf), { mode: 0o700 });
          const fd = openSync(atFd(parent.fd, leaf), openDirFlags);
          try {
            fchownSync(fd, ids.uid, ids.gid);
            fchmodSync(fd, entry.mode);
          } finally {
            closeSync(fd);
          }
          await setXattrs(entry, parent, leaf);
          dirTimes.push({ parts, atime, mtime });
          break;
        }
        case 'file': {
          const fd = openSync(atFd(parent.fd, leaf), fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, 0o600);
          try {
            await writeBody(fd, body, (n) => {
              report.fileBytes += n;
              options.onBytes?.(n);
            });
            // chown clears setuid bits and security.capability: mode and xattrs follow it.
            fchownSync(fd, ids.uid, ids.gid);
            fchmodSync(fd, entry.mode);
            await setXattrs(entry, parent, leaf);
            futimesSync(fd, atime, mtime);
          } finally {
            closeSync(fd);
          }
          break;
        }
        case 'symlink': {
          if (entry.linkname === '') throw refuse(entry.name, 'symlink with an empty target');
          // The target is kept as written: it resolves inside whichever root it lands in, at use.
          symlinkSync(entry.linkname, atFd(parent.fd, leaf));
          lchownSync(atFd(parent.fd, leaf), ids.uid, ids.gid);
          lutimesSync(atFd(parent.fd, leaf), atime, mtime);
          break;
        }
        case 'char':
        case 'block':
        case 'fifo': {
          // Created with its mode (no chmod that could follow a swapped path); lchown never follows.
          await fsOps.mknod(atFdForChild(parent.fd, leaf), entry.type, entry.mode, entry.devmajor, entry.devminor);
          lchownSync(atFd(parent.fd, leaf), ids.uid, ids.gid);
          break;
        }
      }
    }
    // Directory times last (creating children changed them), deepest first, each re-resolved.
    dropParents();
    for (const t of dirTimes.sort((a, b) => b.parts.length - a.parts.length)) {
      let ref: DirRef;
      try {
        ref = fs.openDir(t.parts.join('/'), dest);
      } catch {
        continue;
      }
      try {
        futimesSync(ref.fd, t.atime, t.mtime);
      } finally {
        fs.release(ref);
      }
    }
  } finally {
    dropParents();
  }
  return report;
}
