// The containers procedures over the core: list, inspect, remove, create and the lifecycle verbs.
import type { Handlers } from '../../../shared/contract/define.ts';
import type { containerProcedures } from '../../../shared/contract/containers.ts';
import type { ContainerLogLine } from '../../../shared/types/containers.ts';
import { containerAction } from '../../core/container-batch.ts';
import { createContainer } from '../../core/container-create.ts';
import { inspectContainer, listContainerItems } from '../../core/container-inspect.ts';
import { removeContainers } from '../../core/runtime-batch.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

export function createContainerHandlers(deps: RuntimeDeps) {
  return {
    'containers.list': async (input) => listContainerItems(runtimeFor(deps), { all: input.all, filters: input.filters }),
    'containers.inspect': async (input) => {
      const runtime = runtimeFor(deps);
      const ctr = runtime.lookupContainer(input.nameOrId);
      return inspectContainer(ctr, runtime.state(), { ...runtime.containerPaths(ctr.id()), graphRoot: runtime.settings().storage.graphRoot });
    },
    'containers.remove': async (input, { signal }) => removeContainers(runtimeFor(deps), input.nameOrIds, input.force, signal, input.timeout, input.volumes),
    'containers.create': async (input, { signal }) => {
      const ctr = await createContainer(runtimeFor(deps), input, [], { signal });
      return { id: ctr.id(), name: ctr.name() };
    },
    'containers.start': async (input, { signal }) => containerAction(runtimeFor(deps), input.nameOrIds, (c) => c.start({ signal }), signal),
    'containers.stop': async (input, { signal }) =>
      containerAction(runtimeFor(deps), input.nameOrIds, (c) => c.stop({ signal, ...(input.timeout !== undefined ? { timeout: input.timeout } : {}) }), signal),
    'containers.kill': async (input, { signal }) => containerAction(runtimeFor(deps), input.nameOrIds, (c) => c.kill(input.signal, { signal }), signal),
    'containers.restart': async (input, { signal }) =>
      containerAction(runtimeFor(deps), input.nameOrIds, (c) => c.restart({ signal, ...(input.timeout !== undefined ? { timeout: input.timeout } : {}) }), signal),
    'containers.pause': async (input, { signal }) => containerAction(runtimeFor(deps), input.nameOrIds, (c) => c.pause({ signal }), signal),
    'containers.unpause': async (input, { signal }) => containerAction(runtimeFor(deps), input.nameOrIds, (c) => c.unpause({ signal }), signal),
    'containers.wait': async (input, { signal }) => ({ exitCode: await runtimeFor(deps).lookupContainer(input.nameOrId).wait({ signal }) }),
    'containers.logs': (input, { signal }) => logLines(deps, input, signal),
  } satisfies Handlers<typeof containerProcedures>;
}

async function* logLines(deps: RuntimeDeps, input: { nameOrId: string; follow: boolean; since?: string | undefined; until?: string | undefined; tail?: number | undefined }, signal: AbortSignal): AsyncGenerator<ContainerLogLine> {
  const ctr = runtimeFor(deps).lookupContainer(input.nameOrId);
  for await (const line of ctr.logs({
    follow: input.follow,
    signal,
    ...(input.since ? { sinceMs: Date.parse(input.since) } : {}),
    ...(input.until ? { untilMs: Date.parse(input.until) } : {}),
    ...(input.tail !== undefined ? { tail: input.tail } : {}),
  })) {
    yield { stream: line.stream, time: line.time, text: line.text, full: line.full };
  }
}
