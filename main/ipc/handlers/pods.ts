// The pods procedures over the core: list, inspect, remove.
import type { Handlers } from '../../../shared/contract/define.ts';
import type { podProcedures } from '../../../shared/contract/pods.ts';
import { inspectPod, listPodItems } from '../../core/pod-inspect.ts';
import { removePods } from '../../core/runtime-batch.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

export function createPodHandlers(deps: RuntimeDeps) {
  return {
    'pods.list': async (input) => listPodItems(runtimeFor(deps), input.filters),
    'pods.inspect': async (input) => {
      const runtime = runtimeFor(deps);
      return inspectPod(runtime.lookupPod(input.nameOrId), runtime.state());
    },
    'pods.remove': async (input, { signal }) => removePods(runtimeFor(deps), input.nameOrIds, input.force, signal),
  } satisfies Handlers<typeof podProcedures>;
}
