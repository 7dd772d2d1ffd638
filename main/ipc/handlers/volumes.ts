// The volumes procedures over the core: list, inspect, create, remove, prune.
import type { Handlers } from '../../../shared/contract/define.ts';
import type { volumeProcedures } from '../../../shared/contract/volumes.ts';
import { withVolumeLabels, withVolumeName, withVolumeOptions } from '../../core/volume-config.ts';
import type { VolumeOption } from '../../core/volume-config.ts';
import { inspectVolume, listVolumeItems, removeVolumes } from '../../core/volume-inspect.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

export function createVolumeHandlers(deps: RuntimeDeps) {
  return {
    'volumes.list': async (input) => listVolumeItems(runtimeFor(deps), input.filters),
    'volumes.inspect': async (input) => {
      const runtime = runtimeFor(deps);
      return inspectVolume(runtime, runtime.lookupVolume(input.name));
    },
    'volumes.create': async (input) => {
      const runtime = runtimeFor(deps);
      const options: VolumeOption[] = [];
      if (input.name !== undefined) options.push(withVolumeName(input.name));
      if (input.labels) options.push(withVolumeLabels(input.labels));
      if (input.options) options.push(withVolumeOptions(input.options));
      const vol = await runtime.newVolume(options, { ignoreIfExists: input.ignoreIfExists === true });
      return inspectVolume(runtime, vol);
    },
    'volumes.remove': async (input, { signal }) => removeVolumes(runtimeFor(deps), input.names, input.force, { timeout: input.timeout, signal }),
    'volumes.prune': async (input) => runtimeFor(deps).pruneVolumes(input.filters ?? {}),
  } satisfies Handlers<typeof volumeProcedures>;
}
