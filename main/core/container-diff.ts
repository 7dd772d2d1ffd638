// libpod GetDiff for a container (c/storage's overlay Changes, pkg/archive/changes.go): what the
// writable layer holds against the image. Walking the upper dir: a 0/0 char device (overlay whiteout)
// is D; a directory marked opaque that the image had is D too (its old content is gone; what is in it
// now is A); anything the image's layers have is C — except a directory whose size, mode and mtime
// are unchanged, present only as the parent of a change — and the rest A. The parent of an A or D is
// always C. Mount points the runtime creates (/dev, /etc/hosts, /run/.containerenv, …) are not
// reported as added, as podman filters them. Paths only are read (lstat, never following a link).
import { lstatSync, readdirSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerChange, ContainerChangeKind } from '../../shared/types/container-files.ts';
import type { LifecycleContext } from './container-internal.ts';
import { readRecord } from './container-lifecycle.ts';
import { lowerDirs, opaqueDirs, rootfsPaths, vfsCopyMade } from './container-rootfs.ts';
import { lstatOrNull } from './image/in-root.ts';
import { isOverlayWhiteout, readTreeXattrs } from './image/tree-archive.ts';
import { LayerView, treeChanges } from './vfs-changes.ts';

/** What the OCI runtime creates as mount points: never an addition of the user's (libpod containerMounts). */
const runtimeMountPoints = new Set(['/dev', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/proc', '/run', '/run/notify', '/run/.containerenv', '/run/secrets', '/sys', '/etc/mtab']);

/**
 * The changes of an upper dir against its lower dirs (top first). Pure of container state: the
 * walk of `upper`, lstat of the same path in each lower, and the opaque markers of `upper`.
 */
export function upperChanges(upper: string, lowers: readonly string[], opaque: ReadonlySet<string>): ContainerChange[] {
  const changes: ContainerChange[] = [];
  const changedDirs = new Set<string>();
  const inImage = (path: string): Stats | null => {
    for (const lower of lowers) {
      const st = lstatOrNull(join(lower, path));
      if (!st) continue;
      return isOverlayWhiteout(st) ? null : st;
    }
    return null;
  };
  const walk = (rel: string) => {
    for (const name of readdirSync(join(upper, rel)).sort()) {
      const path = posix.join('/', rel, name);
      const st = lstatSync(join(upper, path));
      let kind: ContainerChangeKind | null;
      const before = inImage(path);
      if (isOverlayWhiteout(st)) kind = 'D';
      else if (st.isDirectory() && opaque.has(path.slice(1)) && before) kind = 'D';
      else if (!before) kind = 'A';
      else if (st.isDirectory() && before.isDirectory() && st.size === before.size && st.mode === before.mode && st.mtimeMs === before.mtimeMs) kind = null;
      else kind = 'C';
      if (kind) changes.push({ path, kind });
      if (st.isDirectory()) changedDirs.add(path);
      if (kind === 'A' || kind === 'D') {
        const parent = posix.dirname(path);
        if (parent !== '/' && !changedDirs.has(parent)) {
          changes.push({ path: parent, kind: 'C' });
          changedDirs.add(parent);
        }
      }
      if (st.isDirectory() && !isOverlayWhiteout(st)) walk(path.slice(1));
    }
  };
  walk('');
  const seen = new Map<string, ContainerChange>();
  for (const c of changes) if (!seen.has(c.path) || c.kind !== 'C') seen.set(c.path, c);
  return [...seen.values()].filter((c) => !(c.kind === 'A' && isRuntimeMountPoint(c.path))).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Whether the runtime made `path` as a mount point (never an addition of the user's). */
export const isRuntimeMountPoint = (path: string): boolean => runtimeMountPoints.has(path);

/** The image's layers (DiffIDs, bottom first) as a vfs container's copy was made from them. */
export function vfsImageView(graphRoot: string, layers: readonly string[]): LayerView {
  const lowers = lowerDirs(graphRoot, layers);
  return new LayerView(lowers, lowers.map((l) => opaqueDirs(l)));
}

/**
 * `podbay diff CTR`: the container's changes against its image, by path: overlay's from its upper
 * dir, vfs's by comparing its copy with the image's layers (vfs-changes.ts). Not from an image
 * (--rootfs) → ErrInvalidArg.
 */
export async function containerChanges(ctx: LifecycleContext, id: string): Promise<ContainerChange[]> {
  const { config } = readRecord(ctx, id);
  if (!config.rootfsImage?.layers) throw new PodbayError('ErrInvalidArg', `container ${config.name} does not use an image (--rootfs): it has no changes to list`);
  const { graphRoot, driver } = ctx.settings().storage;
  if (driver === 'vfs') {
    const paths = rootfsPaths(graphRoot, id);
    // Never mounted: the copy is not made yet, so nothing can have changed.
    if (!vfsCopyMade(paths)) return [];
    return treeChanges(paths.merged, vfsImageView(graphRoot, config.rootfsImage.layers), isRuntimeMountPoint);
  }
  const { upper } = rootfsPaths(graphRoot, id);
  if (!lstatOrNull(upper)) return [];
  const xattrs = await readTreeXattrs(upper);
  const opaque = new Set([...xattrs].filter(([, attrs]) => attrs.get('trusted.overlay.opaque')?.toString() === 'y').map(([rel]) => rel));
  return upperChanges(upper, lowerDirs(graphRoot, config.rootfsImage.layers), opaque);
}
