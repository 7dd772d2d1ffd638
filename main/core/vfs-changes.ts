// What a vfs container changed (c/storage's naive diff, archive.ChangesDirs): the vfs driver keeps no
// writable layer of its own — the container's root is a full copy of its image's layers — so its
// changes are found by comparing that copy with the image's layer chain, path by path.
//   A  the path is in the copy, not in the image;
//   C  it is in both and differs: type, permission bits, owner, and for anything but a directory
//      size and mtime (whole seconds, as a layer tar keeps them), for a symlink its target; the
//      parent of an A or a D is a C too;
//   D  the image has it and the copy does not.
// The image is seen as overlay would stack its layers (top first): a 0/0 char device (whiteout)
// hides the path below it, a non-directory hides everything under its path, and a directory marked
// `trusted.overlay.opaque=y` hides what lower layers hold under it. Device nodes, FIFOs and sockets of
// the image are never deletions: the vfs copy leaves them out (the runtime provides /dev).
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join, posix } from 'node:path';
import type { ContainerChange, ContainerChangeKind } from '../../shared/types/container-files.ts';
import { isOverlayWhiteout } from './image/tree-archive.ts';

function lstatQuiet(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** An image's layers seen stacked, without mounting them. Paths are relative (`etc/passwd`, '' the root). */
export class LayerView {
  /** `layers` top first; `opaque[i]`: the dirs of layers[i] marked opaque. */
  constructor(
    private readonly layers: readonly string[],
    private readonly opaque: readonly ReadonlySet<string>[],
  ) {}

  /** The stat of `rel` as the stacked image shows it; null when the image has no such path. */
  stat(rel: string): Stats | null {
    return this.locate(rel)?.stat ?? null;
  }

  /** The target of symlink `rel` in the stacked image. */
  readlink(rel: string): string {
    const found = this.locate(rel);
    return found?.stat.isSymbolicLink() ? readlinkSync(found.path) : '';
  }

  /** Where the stacked image's `rel` comes from: its stat and its path in that layer. */
  private locate(rel: string): { stat: Stats; path: string } | null {
    const parts = rel === '' ? [] : rel.split('/');
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i] as string;
      const opaque = this.opaque[i] ?? new Set<string>();
      let hidesBelow = false;
      let present = true;
      for (let depth = 0; depth < parts.length; depth++) {
        const ancestor = parts.slice(0, depth).join('/');
        const st = lstatQuiet(ancestor === '' ? layer : join(layer, ancestor));
        if (!st) {
          present = false;
          break;
        }
        if (!st.isDirectory()) return null; // a whiteout or a file above shadows the whole path
        if (opaque.has(ancestor)) hidesBelow = true;
      }
      if (present) {
        const path = rel === '' ? layer : join(layer, rel);
        const st = lstatQuiet(path);
        if (st) return isOverlayWhiteout(st) ? null : { stat: st, path };
      }
      if (hidesBelow) return null;
    }
    return null;
  }

  /** The names the stacked image shows in directory `rel`. */
  names(rel: string): string[] {
    const candidates = new Set<string>();
    for (const layer of this.layers) {
      const dir = rel === '' ? layer : join(layer, rel);
      if (!lstatQuiet(dir)?.isDirectory()) continue;
      for (const name of readdirSync(dir)) candidates.add(name);
    }
    return [...candidates].filter((name) => this.stat(rel === '' ? name : `${rel}/${name}`) !== null).sort();
  }
}

const typeBits = 0o170000;

/** Whether `now` differs from `before` as a layer would record it (see the header). */
export function statDiffers(now: Stats, before: Stats, linkNow: () => string, linkBefore: () => string): boolean {
  if ((now.mode & typeBits) !== (before.mode & typeBits)) return true;
  if ((now.mode & 0o7777) !== (before.mode & 0o7777) || now.uid !== before.uid || now.gid !== before.gid) return true;
  if (now.isDirectory()) return false;
  // A link's own times are not kept by the vfs copy (nor needed): its target says what it is.
  if (now.isSymbolicLink()) return linkNow() !== linkBefore();
  if (now.size !== before.size || Math.floor(now.mtimeMs / 1000) !== Math.floor(before.mtimeMs / 1000)) return true;
  return (now.isCharacterDevice() || now.isBlockDevice()) && now.rdev !== before.rdev;
}

const copiedByVfs = (st: Stats) => st.isDirectory() || st.isFile() || st.isSymbolicLink();

/**
 * The changes of `root` (a vfs container's copy) against `image`, sorted by path; paths absolute
 * in the container (`/etc/passwd`). `ignoreAdded` leaves out additions the runtime makes (mount points).
 */
export function treeChanges(root: string, image: LayerView, ignoreAdded: (path: string) => boolean = () => false): ContainerChange[] {
  const found = new Map<string, ContainerChangeKind>();
  const mark = (path: string, kind: ContainerChangeKind) => {
    if (kind === 'C' && found.has(path)) return;
    found.set(path, kind);
  };
  const markParent = (path: string) => {
    const parent = posix.dirname(path);
    if (parent !== '/') mark(parent, 'C');
  };
  const walk = (rel: string) => {
    const names = readdirSync(rel === '' ? root : join(root, rel)).sort();
    for (const name of names) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const path = `/${childRel}`;
      const now = lstatSync(join(root, childRel));
      const before = image.stat(childRel);
      if (!before) {
        if (!ignoreAdded(path)) {
          mark(path, 'A');
          markParent(path);
        }
      } else if (statDiffers(now, before, () => readlinkSync(join(root, childRel)), () => image.readlink(childRel))) mark(path, 'C');
      if (now.isDirectory()) walk(childRel);
    }
    // What the image has here and the copy lost. Only where both have a directory: under an added
    // or replaced one, the image's content is not a deletion the copy can show.
    const here = rel === '' ? null : image.stat(rel);
    if (rel !== '' && !here?.isDirectory()) return;
    const present = new Set(names);
    for (const name of image.names(rel)) {
      if (present.has(name)) continue;
      const childRel = rel === '' ? name : `${rel}/${name}`;
      if (!copiedByVfs(image.stat(childRel) as Stats)) continue;
      mark(`/${childRel}`, 'D');
      markParent(`/${childRel}`);
    }
  };
  walk('');
  return [...found].map(([path, kind]) => ({ path, kind })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
