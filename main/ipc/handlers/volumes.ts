// The volumes procedures over the core: list, inspect, create, remove, prune.
import type { Handlers } from '../../../shared/contract/define.ts';
import type { volumeProcedures } from '../../../shared/contract/volumes.ts';
import type { VolumeInspect, VolumeListItem } from '../../../shared/types/volumes.ts';
import { withVolumeLabels, withVolumeName, withVolumeOptions } from '../../core/volume-config.ts';
import type { VolumeOption } from '../../core/volume-config.ts';
import { inspectVolume, listVolumeItems, removeVolumes } from '../../core/volume-inspect.ts';
import { treeDiskUsage } from '../../core/volume-size.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

/** A volume's inspect with what it holds (a disk usage walk: inspect shows one volume, lists none). */
async function withSize(item: VolumeListItem, signal?: AbortSignal): Promise<VolumeInspect> {
  return { ...item, size: await treeDiskUsage(item.mountpoint, signal) };
}

export function createVolumeHandlers(deps: RuntimeDeps) {
  return {
    'volumes.list': async (input) => listVolumeItems(runtimeFor(deps), input.filters),
    'volumes.inspect': async (input, { signal }) => {
      const runtime = runtimeFor(deps);
      return withSize(inspectVolume(runtime, runtime.lookupVolume(input.name)), signal);
    },
    'volumes.create': async (input) => {
      const runtime = runtimeFor(deps);
      const options: VolumeOption[] = [];
      if (input.name !== undefined) options.push(withVolumeName(input.name));
      if (input.labels) options.push(withVolumeLabels(input.labels));
      if (input.options) options.push(withVolumeOptions(input.options));
      const vol = await runtime.newVolume(options, { ignoreIfExists: input.ignoreIfExists === true });
      return withSize(inspectVolume(runtime, vol));
    },
    'volumes.remove': async (input, { signal }) => removeVolumes(runtimeFor(deps), input.names, input.force, { timeout: input.timeout, signal }),
    'volumes.prune': async (input) => runtimeFor(deps).pruneVolumes(input.filters ?? {}),
  } satisfies Handlers<typeof volumeProcedures>;
}
