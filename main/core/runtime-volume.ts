// The runtime's volume verbs (libpod/runtime_volume.go, runtime_volume_common.go): create, remove
// (refusing volumes in use unless forced, when the containers using them go first, as podman does),
// prune, and the volume directories `<graphRoot>/volumes/<name>/_data`. The store's record is the
// truth and is written first; directories follow it and are made again whenever a volume is used, so
// a crash between the two never leaves a volume that cannot be used or removed. A directory is never
// deleted through a mount: a volume whose mount (type/device/o) cannot be undone keeps its files.
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { PodbayError, hasCode, toErrorData } from '../../shared/errors.ts';
import type { VolumePruneReport } from '../../shared/types/volumes.ts';
import { isMounted, unescapeMountinfo } from './container-rootfs.ts';
import { realExec } from './exec.ts';
import { generateId } from './names.ts';
import type { Runtime } from './runtime.ts';
import type { ContainerNamedVolume } from './container-config.ts';
import type { State } from './state/state.ts';
import { initialVolumeState, needsMount, newVolumeDraft, validateLocalOptions } from './volume-config.ts';
import type { VolumeConfig, VolumeConfigDraft, VolumeOption, VolumeRecord } from './volume-config.ts';
import { volumePruneFilterKeys, volumeFilters } from './volume-filters.ts';
import { Volume, volumeDir, volumeMountPoint } from './volume.ts';
import { crashPoint } from './crash-point.ts';

/** A volume's record from a finished draft: driver options checked, a name drawn when none was given. */
export function volumeRecord(draft: VolumeConfigDraft, now: Date): VolumeRecord {
  const config: VolumeConfig = {
    name: draft.name ?? generateId(),
    driver: 'local',
    labels: { ...draft.labels },
    options: validateLocalOptions(draft.options),
    anonymous: draft.anonymous,
    createdAt: now.toISOString(),
  };
  return { config, state: initialVolumeState(config) };
}

/**
 * Inside a transaction: records for the volumes a new container names that the store lacks (one per
 * name; anonymous as the container's mount says). The caller adds them with the container.
 */
export function missingVolumes(state: Pick<State, 'hasVolume'>, volumes: readonly ContainerNamedVolume[], now: Date): VolumeRecord[] {
  const out = new Map<string, VolumeRecord>();
  for (const volume of volumes) {
    if (out.has(volume.name) || state.hasVolume(volume.name)) continue;
    out.set(volume.name, volumeRecord({ ...newVolumeDraft(), name: volume.name, anonymous: volume.anonymous === true }, now));
  }
  return [...out.values()];
}

/** Mount points under `dir` (itself included), from this process's mount table. */
function mountsUnder(dir: string): string[] {
  const text = readFileSync('/proc/self/mountinfo', 'utf8');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    const point = field === undefined ? undefined : unescapeMountinfo(field);
    if (point && (point === dir || point.startsWith(`${dir}/`))) out.push(point);
  }
  return out;
}

/**
 * Makes `<graphRoot>/volumes/<name>/_data` (0755, owned as the uid/gid options say). `fresh`: the
 * record was just created, so a directory already there is a leftover of a removal that did not
 * finish and is emptied first — never through a mount.
 */
export function ensureVolumeDirs(graphRoot: string, config: Pick<VolumeConfig, 'name' | 'options'>, fresh = false): string {
  const dir = volumeDir(graphRoot, config.name);
  const data = volumeMountPoint(graphRoot, config.name);
  if (fresh && existsSync(dir)) deleteVolumeDir(graphRoot, config.name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(data)) {
    mkdirSync(data, { mode: 0o755 });
    const { uid, gid } = config.options;
    if (uid !== undefined || gid !== undefined) chownSync(data, uid !== undefined ? Number(uid) : 0, gid !== undefined ? Number(gid) : 0);
  }
  return data;
}

/** Deletes a volume's directory; anything still mounted under it → ErrVolumeBeingUsed and nothing is deleted. */
export function deleteVolumeDir(graphRoot: string, name: string): void {
  const dir = volumeDir(graphRoot, name);
  const mounted = mountsUnder(dir);
  if (mounted.length > 0) throw new PodbayError('ErrVolumeBeingUsed', `volume ${name} is still mounted at ${mounted.join(', ')}: its files are kept`);
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Undoes a volume's own mount (type/device/o), detached as libpod's forced unmount; still mounted → ErrVolumeBeingUsed. */
export async function unmountVolumeData(graphRoot: string, name: string): Promise<void> {
  const data = volumeMountPoint(graphRoot, name);
  if (!isMounted(data)) return;
  const result = await realExec('umount', ['-l', data], { timeoutMs: 30_000 });
  if (result.exitCode !== 0 && isMounted(data)) {
    throw new PodbayError('ErrVolumeBeingUsed', `unmounting volume ${name}: ${result.stderr || `umount exited with ${result.exitCode}`}`);
  }
}

/** `mount [-t TYPE] [-o O] DEVICE _data` as libpod's Volume.mount does (type=bind becomes -o bind). */
export async function mountVolumeData(graphRoot: string, config: Pick<VolumeConfig, 'name' | 'options'>): Promise<void> {
  const data = ensureVolumeDirs(graphRoot, config);
  if (!needsMount(config) || isMounted(data)) return;
  const { type, o } = config.options;
  const device = config.options.device ?? (type === 'tmpfs' ? 'tmpfs' : undefined);
  if (!device) throw new PodbayError('ErrInvalidArg', `volume ${config.name} has mount options but no device`);
  const args: string[] = [];
  if (o !== undefined && o !== '') args.push('-o', o);
  if (type === 'bind') args.push('-o', 'bind');
  else if (type !== undefined) args.push('-t', type);
  args.push('--', device, data);
  const result = await realExec('mount', args, { timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new PodbayError('ErrInternal', `mounting volume ${config.name}: ${result.stderr || `mount exited with ${result.exitCode}`}`);
}

export function emitVolume(runtime: Pick<Runtime, 'events'>, action: string, config: Pick<VolumeConfig, 'name' | 'driver' | 'labels'>, extra: Record<string, string> = {}): void {
  runtime.events().write({ type: 'volume', action, id: config.name, name: config.name, attributes: { ...config.labels, driver: config.driver, ...extra } });
}

/**
 * libpod NewVolume: name taken → ErrVolumeExists (or, with `ignoreIfExists`, that volume: podman
 * `volume create --ignore`); bad name or driver options → ErrInvalidArg. Emits `create`.
 */
export async function newVolume(runtime: Runtime, options: readonly VolumeOption[], extra: { ignoreIfExists?: boolean } = {}): Promise<Volume> {
  const vol = new Volume(runtime);
  for (const option of options) option(vol);
  const record = volumeRecord(vol.draft, runtime.now());
  const state = runtime.state();
  const existing = state.writeTransaction(() => {
    if (extra.ignoreIfExists && state.hasVolume(record.config.name)) return state.volume(record.config.name);
    state.addVolume(record);
    return null;
  });
  if (existing) return new Volume(runtime, existing);
  crashPoint('volume-create.recorded');
  const graphRoot = runtime.settings().storage.graphRoot;
  try {
    ensureVolumeDirs(graphRoot, record.config, true);
  } catch (error) {
    state.removeVolume(record.config.name);
    throw new PodbayError(hasCode(error, 'ErrVolumeBeingUsed') ? 'ErrVolumeBeingUsed' : 'ErrInternal', `creating the directory of volume ${record.config.name}: ${(error as Error).message}`, { cause: error });
  }
  vol.finalize(record);
  emitVolume(runtime, 'create', record.config);
  return vol;
}

export interface RemoveVolumeOptions {
  /** Seconds a forced removal gives each container using the volume to stop. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * libpod removeVolume: a volume containers use → ErrVolumeBeingUsed naming them, unless `force`: then
 * those containers are removed first (stopped if they run), as podman does. Its mount (if any) is
 * undone, the record removed, then the directory. Removed meanwhile → ErrNoSuchVolume. Emits
 * `remove`. Returns the ids of the containers removed with it.
 */
export async function removeVolume(runtime: Runtime, vol: Volume, force: boolean, options: RemoveVolumeOptions = {}): Promise<string[]> {
  const state = runtime.state();
  const name = vol.name();
  if (!state.hasVolume(name)) {
    vol.invalidate();
    throw new PodbayError('ErrNoSuchVolume', `no volume with name "${name}" found: no such volume`);
  }
  const users = state.volumeUsers(name);
  const removed: string[] = [];
  if (users.length > 0) {
    if (!force) {
      const names = users.map((id) => (state.hasContainer(id) ? state.container(id).config.name : id));
      throw new PodbayError('ErrVolumeBeingUsed', `volume ${name} is being used by the following container(s): ${names.join(', ')}: volume is being used`);
    }
    const ctrs = users.filter((id) => state.hasContainer(id)).map((id) => runtime.getContainer(id));
    const outcome = await runtime.removeContainers(ctrs, true, { ...(options.timeout !== undefined ? { timeout: options.timeout } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    for (const [id, error] of outcome) {
      if (error && !hasCode(error, 'ErrCtrRemoved')) throw new PodbayError(error.code, `removing container ${id} that depends on volume ${name}: ${error.message}`, { cause: error });
      removed.push(id);
    }
  }
  const graphRoot = runtime.settings().storage.graphRoot;
  if (needsMount(vol.config())) await unmountVolumeData(graphRoot, name);
  // The store re-checks: a container that started using it meanwhile keeps it (ErrVolumeBeingUsed).
  state.removeVolume(name);
  crashPoint('volume-remove.recorded');
  vol.invalidate();
  try {
    deleteVolumeDir(graphRoot, name);
  } finally {
    emitVolume(runtime, 'remove', vol.config());
  }
  return removed;
}

/**
 * libpod PruneVolumes: removes every volume no container uses and that passes `filters` (label,
 * label!, until). One that a container started using meanwhile is reported, not removed. Emits
 * `remove`, then `prune`, for each (as libpod's PruneVolumes).
 */
export async function pruneVolumes(runtime: Runtime, filters: Record<string, readonly string[]> = {}): Promise<VolumePruneReport> {
  const state = runtime.state();
  const tests = volumeFilters(filters, { keys: volumePruneFilterKeys });
  const users = state.allVolumeUsers();
  const report: VolumePruneReport = { removed: [], errors: [] };
  for (const record of state.allVolumes()) {
    if ((users.get(record.config.name)?.length ?? 0) > 0) continue;
    if (!tests.every((t) => t(record, []))) continue;
    try {
      await removeVolume(runtime, new Volume(runtime, record), false);
      report.removed.push(record.config.name);
      emitVolume(runtime, 'prune', record.config);
    } catch (error) {
      if (hasCode(error, 'ErrNoSuchVolume')) continue;
      report.errors.push({ name: record.config.name, error: toErrorData(error) });
    }
  }
  return report;
}
