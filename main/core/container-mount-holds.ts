// The mount holds of a container's rootfs (see container-mount.ts for the verbs): c/storage's mount
// counts, kept in `<runDir>/mount-holds.json`. These helpers assume the caller holds the container's
// lease; they mount and unmount through container-rootfs.ts.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerConfig } from './container-config.ts';
import type { LifecycleContext } from './container-internal.ts';
import { isMounted, mountRootfs, rootfsPaths, unmountRootfs } from './container-rootfs.ts';
import { currentProcessIdentity, holderAlive } from './lock/lock-manager.ts';
import type { ProcessIdentity } from './lock/lock-manager.ts';

export interface MountHolds {
  run: boolean;
  users: number;
  temps: (ProcessIdentity & { token: string })[];
}

export type MountHolder = { kind: 'run' } | { kind: 'user' } | { kind: 'temp'; token: string };

export type HoldContext = Pick<LifecycleContext, 'settings' | 'containerPaths'>;

function holdsPath(ctx: HoldContext, id: string): string {
  return join(ctx.containerPaths(id).runDir, 'mount-holds.json');
}

let self: ProcessIdentity | null = null;

/** The holds recorded for a container, dead processes' temporary holds left out. */
export function readMountHolds(ctx: HoldContext, id: string): MountHolds {
  let raw: Partial<MountHolds>;
  try {
    raw = JSON.parse(readFileSync(holdsPath(ctx, id), 'utf8')) as Partial<MountHolds>;
  } catch {
    return { run: false, users: 0, temps: [] };
  }
  self ??= currentProcessIdentity();
  const me = self;
  return {
    run: raw.run === true,
    users: Number.isInteger(raw.users) && (raw.users as number) > 0 ? (raw.users as number) : 0,
    temps: Array.isArray(raw.temps) ? raw.temps.filter((t) => typeof t?.token === 'string' && holderAlive(t, me)) : [],
  };
}

function writeMountHolds(ctx: HoldContext, id: string, holds: MountHolds): void {
  const path = holdsPath(ctx, id);
  if (!holds.run && holds.users === 0 && holds.temps.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(`${path}.tmp`, JSON.stringify(holds), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

export function holdCount(holds: MountHolds): number {
  return (holds.run ? 1 : 0) + holds.users + holds.temps.length;
}

/**
 * Mounts the container's rootfs if needed and records `holder` (the caller holds the container's
 * lease). A rootfs-directory container (--rootfs) has nothing to mount: its directory is returned.
 */
export async function holdRootfs(ctx: HoldContext, config: Pick<ContainerConfig, 'id' | 'rootfs' | 'rootfsImage'>, holder: MountHolder): Promise<string> {
  if (config.rootfs) return config.rootfs;
  const settings = ctx.settings();
  const merged = await mountRootfs(config, { graphRoot: settings.storage.graphRoot, driver: settings.storage.driver });
  const holds = readMountHolds(ctx, config.id);
  if (holder.kind === 'run') holds.run = true;
  else if (holder.kind === 'user') holds.users++;
  else {
    self ??= currentProcessIdentity();
    holds.temps.push({ ...self, token: holder.token });
  }
  writeMountHolds(ctx, config.id, holds);
  return merged;
}

/**
 * Drops `holder` (the caller holds the lease) and unmounts once nothing holds the rootfs. `force`
 * drops every user hold (podman umount -f). Returns whether the rootfs is now unmounted.
 */
export async function releaseRootfs(ctx: HoldContext, config: Pick<ContainerConfig, 'id' | 'rootfsImage'>, holder: MountHolder, force = false): Promise<boolean> {
  if (!config.rootfsImage) return false;
  const holds = readMountHolds(ctx, config.id);
  if (holder.kind === 'run') holds.run = false;
  else if (holder.kind === 'user') holds.users = force ? 0 : Math.max(0, holds.users - 1);
  else holds.temps = holds.temps.filter((t) => t.token !== holder.token);
  writeMountHolds(ctx, config.id, holds);
  if (holdCount(holds) > 0) return false;
  await unmountRootfs(ctx.settings().storage.graphRoot, config.id);
  return true;
}

/** Forgets every hold (the container is being removed; its rootfs is unmounted by the removal). */
export function dropMountHolds(ctx: HoldContext, id: string): void {
  rmSync(holdsPath(ctx, id), { force: true });
}

/** Whether the rootfs of `config` is mounted now (the vfs copy counts as mounted while held). */
export function rootfsMounted(ctx: HoldContext, config: Pick<ContainerConfig, 'id' | 'rootfsImage'>): boolean {
  if (!config.rootfsImage) return false;
  const settings = ctx.settings();
  if (settings.storage.driver === 'vfs') return holdCount(readMountHolds(ctx, config.id)) > 0;
  return isMounted(rootfsPaths(settings.storage.graphRoot, config.id).merged);
}

