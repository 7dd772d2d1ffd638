// What list and inspect report about volumes (libpod Volume.Inspect, podman volume ls): built from one
// query of the volumes and one of their users, whatever the number of volumes.
import type { VolumeListItem, VolumeRemoveReport } from '../../shared/types/volumes.ts';
import { PodbayError, toErrorData } from '../../shared/errors.ts';
import { hasMonitor } from './container-state.ts';
import type { Runtime } from './runtime.ts';
import type { State } from './state/state.ts';
import { needsMount } from './volume-config.ts';
import type { VolumeRecord } from './volume-config.ts';
import { volumeMountPoint } from './volume.ts';
import type { Volume } from './volume.ts';

export function volumeListItem(record: VolumeRecord, users: readonly string[], state: State, graphRoot: string): VolumeListItem {
  const { config } = record;
  const containers = users.filter((id) => state.hasContainer(id)).map((id) => state.container(id));
  return {
    name: config.name,
    driver: config.driver,
    mountpoint: volumeMountPoint(graphRoot, config.name),
    createdAt: config.createdAt,
    labels: { ...config.labels },
    options: { ...config.options },
    scope: 'local',
    anonymous: config.anonymous,
    usedBy: containers.map((c) => ({ id: c.config.id, name: c.config.name })),
    mountCount: needsMount(config) ? containers.filter((c) => hasMonitor(c.state.status)).length : 0,
    needsCopyUp: record.state.needsCopyUp,
    needsChown: record.state.needsChown,
  };
}

/** `podman volume ls` in the core: the volumes passing `filters`, oldest first. */
export function listVolumeItems(runtime: Runtime, filters: Record<string, readonly string[]> = {}): VolumeListItem[] {
  const state = runtime.state();
  const users = state.allVolumeUsers();
  const graphRoot = runtime.settings().storage.graphRoot;
  return runtime.listVolumes(filters).map((v) => volumeListItem({ config: v.config(), state: v.cachedState() }, users.get(v.name()) ?? [], state, graphRoot));
}

export function inspectVolume(runtime: Runtime, vol: Volume): VolumeListItem {
  const state = runtime.state();
  const current = vol.sync();
  return volumeListItem({ config: vol.config(), state: current }, state.volumeUsers(vol.name()), state, runtime.settings().storage.graphRoot);
}

/** podman volume rm: each name resolved and removed on its own, with its own report. */
export async function removeVolumes(runtime: Runtime, nameOrIds: readonly string[], force: boolean, options: { timeout?: number | undefined; signal?: AbortSignal | undefined } = {}): Promise<VolumeRemoveReport[]> {
  const reports: VolumeRemoveReport[] = [];
  for (const nameOrId of nameOrIds) {
    let name: string | null = null;
    try {
      options.signal?.throwIfAborted();
      const vol = runtime.lookupVolume(nameOrId);
      name = vol.name();
      const removedContainers = await runtime.removeVolume(vol, force, options);
      reports.push({ nameOrId, name, removedContainers, error: null });
    } catch (error) {
      reports.push({ nameOrId, name, removedContainers: [], error: toErrorData(options.signal?.aborted ? new PodbayError('ErrCanceled', 'canceled') : error) });
    }
  }
  return reports;
}
