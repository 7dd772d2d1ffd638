// A container's mounts at init and cleanup (libpod mountStorage, mountNamedVolume, fixVolumePermissions
// and the mount part of generateSpec): every destination resolved inside the rootfs as if the rootfs
// were "/" (SecureJoin: a symlink in the image cannot send a mount to the host), volumes made ready —
// their directory, their own mount (type/device/o), the copy-up of the image content at the
// destination into an empty new volume, its owner — and the OCI spec mounts that result. All of it
// runs under the container's lease, before its process exists.
import { lchownSync, lstatSync, chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerConfig, ContainerNamedVolume } from './container-config.ts';
import { nonMountOptions } from './container-mounts.ts';
import { copyTree } from './container-rootfs.ts';
import type { LifecycleContext } from './container-internal.ts';
import { hasMonitor } from './container-state.ts';
import { currentProcessIdentity, holderAlive } from './lock/lock-manager.ts';
import type { SpecMount } from './oci/spec-generator.ts';
import { resolveInRoot } from './oci/user-resolver.ts';
import { ensureVolumeDirs, mountVolumeData, unmountVolumeData } from './runtime-volume.ts';
import { needsMount } from './volume-config.ts';
import type { VolumeRecord } from './volume-config.ts';

/** `/run`, `/tmp` and `/var/tmp` of a read-only container (podman --read-only-tmpfs). */
export const readOnlyTmpfsDirs = ['/tmp', '/var/tmp', '/run'] as const;

/** The container path `resolveInRoot` landed on ("/" for the root itself). */
function inRoot(rootfs: string, resolved: string): string {
  const rel = resolved.slice(rootfs.length).replace(/^\/+/, '');
  return `/${rel}`;
}

function specOptions(options: readonly string[]): string[] {
  return options.filter((o) => !nonMountOptions.has(o));
}

/** chown -R without following links (the 'U' option), as libpod's chown of a volume source. */
function chownTree(path: string, uid: number, gid: number): void {
  const st = lstatSync(path);
  lchownSync(path, uid, gid);
  if (!st.isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid, gid);
}

function isEmptyDir(path: string): boolean {
  return readdirSync(path).length === 0;
}

export interface ContainerUser {
  uid: number;
  gid: number;
}

/**
 * The spec mounts of the container's binds, tmpfs and named volumes, each destination resolved in
 * `rootfs`, plus podman's writable tmpfs on /tmp, /var/tmp and /run of a read-only container. Volumes
 * are readied on the way (see the header). A volume that no longer exists → ErrNoSuchVolume.
 */
export async function prepareContainerMounts(ctx: LifecycleContext, config: ContainerConfig, rootfs: string, user: ContainerUser): Promise<SpecMount[]> {
  const mounts: SpecMount[] = [];
  const resolve = async (destination: string) => {
    const host = await resolveInRoot(rootfs, destination);
    return { host, destination: inRoot(rootfs, host) };
  };
  for (const mount of config.mounts ?? []) {
    const { destination } = await resolve(mount.destination);
    if (mount.type === 'bind') {
      const source = mount.source as string;
      if (mount.options.includes('U')) chownTree(source, user.uid, user.gid);
      mounts.push({ type: 'bind', source, destination, options: specOptions(mount.options) });
    } else {
      mounts.push({ type: 'tmpfs', destination, options: specOptions(mount.options) });
    }
  }
  for (const named of config.namedVolumes ?? []) {
    const { host, destination } = await resolve(named.destination);
    const source = await readyVolume(ctx, config, named, host, user);
    mounts.push({ type: 'bind', source, destination, options: specOptions(named.options) });
  }
  if (config.readOnlyRootfs && config.readOnlyTmpfs !== false) {
    const taken = new Set(mounts.map((m) => m.destination));
    for (const dir of readOnlyTmpfsDirs) {
      const { destination } = await resolve(dir);
      if (taken.has(destination) || taken.has(dir)) continue;
      const extra = dir === '/run' ? ['noexec', 'size=65536k'] : ['exec'];
      mounts.push({ type: 'tmpfs', destination, options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup', ...extra] });
    }
  }
  return mounts;
}

/** Volume mounts need this lock: mounting and the last user's unmount never interleave. */
const volumeLockId = (name: string) => `volume:${name}`;

/** Makes one named volume ready for this container and returns the host path to bind. */
async function readyVolume(ctx: LifecycleContext, config: ContainerConfig, named: ContainerNamedVolume, hostDestination: string, user: ContainerUser): Promise<string> {
  const store = ctx.state();
  const graphRoot = ctx.settings().storage.graphRoot;
  let record: VolumeRecord;
  try {
    record = store.volume(named.name);
  } catch (error) {
    throw new PodbayError('ErrNoSuchVolume', `volume ${named.name} of container ${config.name} no longer exists`, { cause: error });
  }
  let data = ensureVolumeDirs(graphRoot, record.config);
  if (needsMount(record.config)) {
    const handle = await ctx.locks().acquire([volumeLockId(named.name)]);
    try {
      await mountVolumeData(graphRoot, record.config);
    } finally {
      handle.release();
    }
  }
  let source: ReturnType<typeof lstatSync> | null;
  try {
    source = lstatSync(hostDestination);
  } catch {
    source = null;
  }
  // Copy-up is wanted while nothing was copied yet, the image has content there and the volume is empty
  // (never into a volume with content: CVE-2020-1726). The flags are cleared in the store before the
  // work, so two containers starting on one new volume never both copy (libpod saves NeedsCopyUp first).
  const canCopy = !named.options.includes('nocopy') && source?.isDirectory() === true && !isEmptyDir(hostDestination) && isEmptyDir(data);
  const todo = store.writeTransaction(() => {
    const current = store.volume(named.name);
    const copyUp = current.state.needsCopyUp && canCopy;
    const chown = current.state.needsChown;
    if (copyUp || chown) store.saveVolume(named.name, { ...current.state, needsCopyUp: current.state.needsCopyUp && !copyUp, needsChown: false });
    return { copyUp, chown };
  });
  if (todo.copyUp) copyTree(hostDestination, data);
  if (todo.chown && !named.options.includes('U')) {
    // The volume takes the owner and mode of the directory it covers, else the container's user (podman #10188).
    if (source?.isDirectory()) {
      lchownSync(data, source.uid, source.gid);
      chmodSync(data, source.mode & 0o7777);
    } else {
      lchownSync(data, user.uid, user.gid);
    }
  }
  if (named.options.includes('U')) chownTree(data, user.uid, user.gid);
  if (named.subPath) {
    data = await resolveInRoot(data, named.subPath);
    try {
      lstatSync(data);
    } catch {
      throw new PodbayError('ErrInvalidArg', `subpath ${named.subPath} does not exist in volume ${named.name}`);
    }
  }
  return data;
}

/**
 * libpod cleanupStorage's volume half: a volume with its own mount is unmounted once no other container
 * using it runs or is being started (a live lease on it). Errors are left to the next cleanup.
 */
export async function releaseContainerVolumes(ctx: LifecycleContext, config: ContainerConfig): Promise<void> {
  const store = ctx.state();
  const graphRoot = ctx.settings().storage.graphRoot;
  const self = currentProcessIdentity();
  for (const named of config.namedVolumes ?? []) {
    if (!store.hasVolume(named.name)) continue;
    const record = store.volume(named.name);
    if (!needsMount(record.config)) continue;
    const handle = await ctx.locks().acquire([volumeLockId(named.name)]);
    try {
      const others = store.volumeUsers(named.name).filter((id) => id !== config.id && store.hasContainer(id));
      const busy = others.some((id) => hasMonitor(store.container(id).state.status)) || store.locksOn(others).some((lock) => holderAlive(lock, self));
      if (!busy) await unmountVolumeData(graphRoot, named.name);
    } finally {
      handle.release();
    }
  }
}

/** Whether cleanup has anything of this container's volumes to undo. */
export function hasVolumeMounts(config: Pick<ContainerConfig, 'namedVolumes'>): boolean {
  return (config.namedVolumes?.length ?? 0) > 0;
}
