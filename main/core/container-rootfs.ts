// The root filesystem of an image-based container (libpod's storage.go + c/storage's overlay driver):
// the image's extracted layers as overlay lower dirs (top layer first) under a writable layer of the
// container's own, `<graphRoot>/containers/<id>/{upper,work,merged}`. The merged dir is mounted when
// the container is initialized (start) and unmounted at cleanup (its exit, stop, removal), as libpod
// mounts in init and unmounts in cleanupStorage; `upper` persists across restarts and goes with the
// container. With the vfs driver (no overlay in the kernel) `merged` is a plain directory: a full copy
// of the layers, whiteouts applied, made once at the first start.
//
// Long mount options. The kernel takes at most one page of mount data; with absolute paths each
// lower dir costs ~90 bytes (`<graphRoot>/layers/<64 hex>/diff:`), so past ~40 layers the option no
// longer fits. Then, as c/storage's `mountOverlayFrom`, `mount` runs with its working directory set to
// the layer store and the lower dirs are given relative, through short links
// `layers/l/<26 hex> → ../<hex>/diff` (c/storage's `overlay/l/` links): 29 bytes per layer, which
// fits overlay's own 500-layer stacking limit (OVL_MAX_STACK) in a 16 KiB page and ~128 layers in a
// 4 KiB one. The links are derived from the DiffID, so any process makes the same one.
//
// Mounting and unmounting go through util-linux `mount`/`umount` (Node has no mount(2)) with
// argument arrays only; whether `merged` is mounted is read from /proc/self/mountinfo.
import { hostIdentity } from './rootless/host-identity.ts';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, constants as fsConstants, copyFileSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerConfig, ContainerConfigDraft } from './container-config.ts';
import type { ImageRecord } from './image/image-store.ts';
import { mergeImageConfig } from './oci/spec-generator.ts';
import type { ImageProcessConfig } from './oci/spec-generator.ts';
import type { StorageDriver } from './runtime-config.ts';

export interface RootfsPaths {
  /** `<graphRoot>/containers/<id>`. */
  dir: string;
  upper: string;
  work: string;
  /** The container's root: the overlay mount point (or the vfs copy). */
  merged: string;
}

export function rootfsPaths(graphRoot: string, id: string): RootfsPaths {
  const dir = join(graphRoot, 'containers', id);
  return { dir, upper: join(dir, 'upper'), work: join(dir, 'work'), merged: join(dir, 'merged') };
}

/** `<graphRoot>/layers/<hex>/diff` of a DiffID (the layer store's layout). */
export function layerDiffPath(graphRoot: string, diffId: string): string {
  const hex = /^sha256:([a-f0-9]{64})$/.exec(diffId)?.[1];
  if (!hex) throw new PodbayError('ErrInvalidArg', `invalid layer digest "${diffId}"`);
  return join(graphRoot, 'layers', hex, 'diff');
}

/**
 * The lower dirs of an image's layers, top first. A DiffID that occurs twice keeps only its upper
 * occurrence: everything the lower one holds is shadowed by the identical upper one, and overlay
 * refuses to stack one directory twice.
 */
export function lowerDirs(graphRoot: string, diffIdsBottomFirst: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const diffId of [...diffIdsBottomFirst].reverse()) {
    if (seen.has(diffId)) continue;
    seen.add(diffId);
    out.push(layerDiffPath(graphRoot, diffId));
  }
  return out;
}

/**
 * Applies an image to a container draft (libpod WithRootFSFromImage after specgen's image merge): records
 * the image ID and its layers, and — with useImageConfig — merges the image config into the spec as
 * podman does at create time (entrypoint/cmd, env, workdir, user, stop signal unless the user chose
 * one, labels; VOLUME paths noted in `imageVolumes`). The spec's args are then the final argv.
 */
export function applyImage(draft: ContainerConfigDraft, image: ImageRecord): void {
  const rootfsImage = draft.rootfsImage;
  if (!rootfsImage) return;
  const config = (image.config.config ?? {}) as ImageProcessConfig;
  const resolved = resolvedImageName(rootfsImage.name, image);
  if (resolved !== rootfsImage.name) {
    rootfsImage.rawName = rootfsImage.name;
    rootfsImage.name = resolved;
  }
  rootfsImage.id = image.id;
  rootfsImage.layers = image.layers.map((l) => l.diffId);
  foldProcess(draft, rootfsImage.useImageConfig ? config : null);
}

/**
 * The stored name `input` resolved to, as libimage's LookupImage reports it: a short or partial name
 * becomes the image's full `domain/path:tag`; an ID, an ID prefix or a digest reference stays as given.
 */
export function resolvedImageName(input: string, image: Pick<ImageRecord, 'id' | 'names'>): string {
  const bare = input.replace(/^sha256:/, '');
  if (/^[a-f0-9]+$/.test(bare) && image.id.startsWith(bare)) return input;
  if (input.includes('@')) return input;
  const tagged = /:[\w][\w.-]*$/.test(input.slice(input.lastIndexOf('/') + 1)) ? input : `${input}:latest`;
  return image.names.find((n) => n === tagged) ?? image.names.find((n) => n.endsWith(`/${tagged}`)) ?? input;
}

/** Merges the user's options (and the image config, if any) into the draft's final process. */
export function foldProcess(draft: ContainerConfigDraft, image: ImageProcessConfig | null): void {
  const proc = draft.spec.process;
  const merged = mergeImageConfig(image, {
    ...(proc.entrypoint ? { entrypoint: proc.entrypoint } : {}),
    command: proc.args,
    env: envRecord(proc.env),
    ...(proc.cwd ? { workdir: proc.cwd } : {}),
    ...(proc.user ? { user: proc.user } : {}),
    ...(draft.stopSignalSet ? { stopSignal: draft.stopSignal } : {}),
    labels: draft.labels,
  });
  proc.args = merged.args;
  draft.entrypoint = merged.entrypoint;
  draft.command = merged.command;
  delete proc.entrypoint;
  proc.env = merged.env;
  if (merged.cwd !== '/' || proc.cwd) proc.cwd = merged.cwd;
  if (merged.user) proc.user = merged.user;
  if (!draft.stopSignalSet) draft.stopSignal = merged.stopSignal;
  draft.labels = merged.labels;
  if (merged.volumes.length > 0) draft.imageVolumes = merged.volumes;
}

export function envRecord(entries: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
    else if (eq === -1 && entry) out[entry] = '';
  }
  return out;
}

function run(file: string, args: readonly string[], cwd?: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { ...(cwd ? { cwd } : {}), env: { ...process.env, LC_ALL: 'C' }, timeout: 30_000 }, (error, _stdout, stderr) => {
      if (error && typeof (error as { code?: unknown }).code !== 'number') {
        reject(new PodbayError('ErrInternal', `running ${file}: ${error.message}`, { cause: error }));
        return;
      }
      resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, stderr: String(stderr).trim() });
    });
  });
}

/** Octal escapes of mountinfo (`\040` for a space). */
export function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Whether `path` is a mount point in this process's mount namespace. */
export function isMounted(path: string, mountinfo?: string): boolean {
  const text = mountinfo ?? readFileSync('/proc/self/mountinfo', 'utf8');
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length > 4 && unescapeMountinfo(fields[4] as string) === path) return true;
  }
  return false;
}

/** The kernel's limit on mount data (one page; 4 KiB on x86-64). Kept a little under it. */
export const mountDataLimit = 4096 - 1;

/** The `l/<short>` link name of a layer dir (26 hex chars of its DiffID, as c/storage's 26-char IDs). */
function shortLink(layersRoot: string, lowerDir: string): string {
  const hex = /([a-f0-9]{64})\/diff$/.exec(lowerDir)?.[1];
  if (!hex) throw new PodbayError('ErrInternal', `unexpected layer path ${lowerDir}`);
  const name = `l/${hex.slice(0, 26)}`;
  const link = join(layersRoot, name);
  const target = `../${hex}/diff`;
  try {
    if (readlinkSync(link) === target) return name;
    rmSync(link, { force: true });
  } catch {
    mkdirSync(join(layersRoot, 'l'), { recursive: true, mode: 0o700 });
  }
  try {
    symlinkSync(target, link);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return name;
}

/**
 * The `mount -o` data for `lowers` (top first) and where `mount` must run: absolute paths when they
 * fit in a page, else relative short links from the layer store (see the header).
 */
export function overlayMountData(graphRoot: string, lowers: readonly string[], paths: RootfsPaths, makeLink: (layersRoot: string, lowerDir: string) => string = shortLink): { data: string; cwd?: string } {
  // In the rootless user namespace overlay keeps its whiteout/opaque marks in user.overlay.* (5.11+).
  const tail = `,upperdir=${paths.upper},workdir=${paths.work}${hostIdentity().inUserNamespace ? ',userxattr' : ''}`;
  const absolute = `lowerdir=${lowers.join(':')}${tail}`;
  if (absolute.length <= mountDataLimit) return { data: absolute };
  const layersRoot = join(graphRoot, 'layers');
  const relative = `lowerdir=${lowers.map((l) => makeLink(layersRoot, l)).join(':')}${tail}`;
  if (relative.length > mountDataLimit) {
    throw new PodbayError('ErrInvalidArg', `the image has too many layers (${lowers.length}) to mount: the overlay options exceed one page`);
  }
  return { data: relative, cwd: layersRoot };
}

export interface MountOptions {
  graphRoot: string;
  driver: StorageDriver;
}

/**
 * Makes the container's root ready and returns its path (`merged`): for overlay, mounts it (already
 * mounted → left as it is); for vfs, copies the layers once. Missing layer dirs → ErrNoSuchImage
 * (the image's layers were removed).
 */
export async function mountRootfs(config: Pick<ContainerConfig, 'id' | 'rootfsImage'>, options: MountOptions): Promise<string> {
  const image = config.rootfsImage;
  if (!image?.layers) throw new PodbayError('ErrInternal', `container ${config.id} records no image layers`);
  const paths = rootfsPaths(options.graphRoot, config.id);
  const lowers = lowerDirs(options.graphRoot, image.layers);
  for (const lower of lowers) {
    if (!existsSync(lower)) throw new PodbayError('ErrNoSuchImage', `layer ${lower} of image ${image.name} is missing: pull the image again`);
  }
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  if (options.driver === 'vfs') {
    vfsCopy(lowers, paths);
    return paths.merged;
  }
  mkdirSync(paths.upper, { recursive: true, mode: 0o755 });
  mkdirSync(paths.work, { recursive: true, mode: 0o700 });
  mkdirSync(paths.merged, { recursive: true, mode: 0o700 });
  if (isMounted(paths.merged)) return paths.merged;
  // An image without layers still needs one lower dir.
  if (lowers.length === 0) {
    const empty = join(paths.dir, 'empty');
    mkdirSync(empty, { recursive: true, mode: 0o755 });
    lowers.push(empty);
  }
  const { data, cwd } = overlayMountData(options.graphRoot, lowers, paths);
  const result = await run('mount', ['-t', 'overlay', 'overlay', '-o', data, paths.merged], cwd);
  if (result.code !== 0) {
    throw new PodbayError('ErrInternal', `mounting the rootfs of container ${config.id} (overlay, ${lowers.length} layers): ${result.stderr || `mount exited with ${result.code}`}`);
  }
  return paths.merged;
}

/**
 * Unmounts the container's root if it is mounted (detached, as c/storage's overlay Put with MNT_DETACH:
 * a process still holding it does not block cleanup). The writable layer stays.
 */
export async function unmountRootfs(graphRoot: string, id: string): Promise<void> {
  const { merged } = rootfsPaths(graphRoot, id);
  if (!isMounted(merged)) return;
  const result = await run('umount', ['-l', merged]);
  if (result.code !== 0 && isMounted(merged)) {
    throw new PodbayError('ErrInternal', `unmounting the rootfs of container ${id}: ${result.stderr || `umount exited with ${result.code}`}`);
  }
}

/** Unmounts and deletes upper, work and merged (removal); the caller removes the rest of the dir. */
export async function removeRootfs(graphRoot: string, id: string): Promise<void> {
  await unmountRootfs(graphRoot, id);
  const paths = rootfsPaths(graphRoot, id);
  for (const dir of [paths.merged, paths.work, paths.upper, join(paths.dir, 'empty')]) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

// vfs: a full copy, bottom layer first, applying overlay-format whiteouts (a 0/0 char device deletes
// the path below it; a `trusted.overlay.opaque=y` dir hides the lower dir's children) as c/storage's
// vfs driver applies a layer (`archive.UnpackLayer`). Ownership, modes and times are kept; xattrs other
// than the opaque marker (security.capability) are not copied.

const vfsDone = '.podbay-vfs-complete';

function vfsCopy(lowersTopFirst: readonly string[], paths: RootfsPaths): void {
  const marker = join(paths.dir, vfsDone);
  if (existsSync(marker)) return;
  rmSync(paths.merged, { recursive: true, force: true });
  mkdirSync(paths.merged, { mode: 0o755 });
  for (const layer of [...lowersTopFirst].reverse()) {
    const opaque = opaqueDirs(layer);
    applyTree(layer, paths.merged, '', opaque);
  }
  writeFileSync(marker, '');
}

/**
 * Copies the tree under `source` into the existing directory `target`, keeping ownership, modes and
 * times and never following a symlink (links are copied as links): a volume's copy-up of the image
 * content at its destination (libpod copyUp). Device nodes and FIFOs are skipped.
 */
export function copyTree(source: string, target: string): void {
  applyTree(source, target, '', new Set());
}

/** Whether the vfs copy of the container with these paths is complete (made at its first mount). */
export function vfsCopyMade(paths: RootfsPaths): boolean {
  return existsSync(join(paths.dir, vfsDone));
}

/** Dirs of `layer` (relative, '' = its root) marked opaque, from one `getfattr -R` run. */
export function opaqueDirs(layer: string): Set<string> {
  const out = new Set<string>();
  let text: string;
  try {
    text = execFileSyncText('getfattr', ['-R', '-h', '--absolute-names', '-n', 'trusted.overlay.opaque', layer]);
  } catch {
    return out;
  }
  let current: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) current = line.slice(8);
    else if (current && /^trusted\.overlay\.opaque="y"$/.test(line.trim())) out.add(current === layer ? '' : current.slice(layer.length + 1));
  }
  return out;
}

function execFileSyncText(file: string, args: string[]): string {
  // getfattr exits 1 when some files lack the attribute; its stdout still lists those that have it.
  const result = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result.stdout;
}

function applyTree(layer: string, target: string, rel: string, opaque: ReadonlySet<string>): void {
  const src = rel ? join(layer, rel) : layer;
  const dst = rel ? join(target, rel) : target;
  if (opaque.has(rel)) {
    for (const name of readdirSync(dst)) rmSync(join(dst, name), { recursive: true, force: true });
  }
  for (const name of readdirSync(src)) {
    const childRel = rel ? join(rel, name) : name;
    const from = join(src, name);
    const to = join(target, childRel);
    const st = lstatSync(from);
    if (st.isCharacterDevice() && st.rdev === 0) {
      rmSync(to, { recursive: true, force: true });
      continue;
    }
    let existing: ReturnType<typeof lstatSync> | null;
    try {
      existing = lstatSync(to);
    } catch {
      existing = null;
    }
    if (st.isDirectory()) {
      if (existing && !existing.isDirectory()) rmSync(to, { force: true });
      if (!existing || !existing.isDirectory()) mkdirSync(to);
      chownSync(to, st.uid, st.gid);
      chmodSync(to, st.mode & 0o7777);
      applyTree(layer, target, childRel, opaque);
      utimesSync(to, st.atime, st.mtime);
      continue;
    }
    if (existing) rmSync(to, { recursive: true, force: true });
    if (st.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
      lchownSync(to, st.uid, st.gid);
    } else if (st.isFile()) {
      copyFileSync(from, to, fsConstants.COPYFILE_FICLONE);
      chownSync(to, st.uid, st.gid);
      chmodSync(to, st.mode & 0o7777);
      utimesSync(to, st.atime, st.mtime);
    }
    // Device nodes and FIFOs of an image are skipped by the copy (runtimes provide /dev).
  }
}
