// The pods procedures over the core: list, inspect, remove, start, stop, kill, restart.
import type { Handlers } from '../../../shared/contract/define.ts';
import type { podProcedures } from '../../../shared/contract/pods.ts';
import { inspectPodWithNetwork, listPodItems } from '../../core/pod-inspect.ts';
import { podActions } from '../../core/pod-lifecycle.ts';
import { createPod } from '../../core/pod-create.ts';
import { removePods } from '../../core/runtime-batch.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

export function createPodHandlers(deps: RuntimeDeps) {
  return {
    'pods.list': async (input) => listPodItems(runtimeFor(deps), input.filters),
    'pods.inspect': async (input) => {
      const runtime = runtimeFor(deps);
      return inspectPodWithNetwork(runtime, runtime.lookupPod(input.nameOrId));
    },
    'pods.create': async (input) => {
      const pod = await createPod(runtimeFor(deps), input);
      return { id: pod.id(), name: pod.name(), infraContainerId: pod.infraContainerId() };
    },
    'pods.remove': async (input, { signal }) => removePods(runtimeFor(deps), input.nameOrIds, input.force, signal),
    'pods.start': async (input, { signal }) => podActions(runtimeFor(deps), 'start', input.nameOrIds, { signal }),
    'pods.stop': async (input, { signal }) => podActions(runtimeFor(deps), 'stop', input.nameOrIds, { signal, ...(input.timeout !== undefined ? { timeout: input.timeout } : {}) }),
    'pods.kill': async (input, { signal }) => podActions(runtimeFor(deps), 'kill', input.nameOrIds, { signal, ...(input.signal !== undefined ? { killSignal: input.signal } : {}) }),
    'pods.restart': async (input, { signal }) => podActions(runtimeFor(deps), 'restart', input.nameOrIds, { signal, ...(input.timeout !== undefined ? { timeout: input.timeout } : {}) }),
  } satisfies Handlers<typeof podProcedures>;
}
