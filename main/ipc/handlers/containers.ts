// The containers procedures over the core: list, inspect, remove.
import type { Handlers } from '../../../shared/contract/define.ts';
import type { containerProcedures } from '../../../shared/contract/containers.ts';
import { inspectContainer, listContainerItems } from '../../core/container-inspect.ts';
import { removeContainers } from '../../core/runtime-batch.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

export function createContainerHandlers(deps: RuntimeDeps) {
  return {
    'containers.list': async (input) => listContainerItems(runtimeFor(deps), { all: input.all, filters: input.filters }),
    'containers.inspect': async (input) => {
      const runtime = runtimeFor(deps);
      return inspectContainer(runtime.lookupContainer(input.nameOrId), runtime.state());
    },
    'containers.remove': async (input, { signal }) => removeContainers(runtimeFor(deps), input.nameOrIds, input.force, signal),
  } satisfies Handlers<typeof containerProcedures>;
}
