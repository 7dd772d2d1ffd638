// The networks procedures over the core's network verbs (main/core/networks.ts).
import type { Handlers } from '../../../shared/contract/define.ts';
import type { networkProcedures } from '../../../shared/contract/networks.ts';
import { toErrorData } from '../../../shared/errors.ts';
import type { ContainerActionReport } from '../../../shared/types/containers.ts';
import type { Container } from '../../core/container.ts';
import { connectContainer, createNetwork, disconnectContainer, inspectNetwork, listNetworks, pruneNetworks, removeNetworks } from '../../core/networks.ts';
import type { Runtime } from '../../core/runtime.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

/** Each container on its own, one report each (podman's network connect takes one; the UI several). */
async function eachContainer(runtime: Runtime, names: readonly string[], act: (ctr: Container) => Promise<void>): Promise<ContainerActionReport[]> {
  const reports: ContainerActionReport[] = [];
  for (const nameOrId of names) {
    let id: string | null = null;
    try {
      const ctr = runtime.lookupContainer(nameOrId);
      id = ctr.id();
      await act(ctr);
      reports.push({ nameOrId, id, error: null });
    } catch (error) {
      reports.push({ nameOrId, id, error: toErrorData(error) });
    }
  }
  return reports;
}

export function createNetworkHandlers(deps: RuntimeDeps) {
  return {
    'networks.list': async (input) => listNetworks(runtimeFor(deps), { filters: input.filters }),
    'networks.inspect': async (input) => inspectNetwork(runtimeFor(deps), input.nameOrId),
    'networks.create': async (input) => createNetwork(runtimeFor(deps), input),
    'networks.remove': async (input, { signal }) =>
      removeNetworks(runtimeFor(deps), input.nameOrIds, { force: input.force, signal, ...(input.timeout !== undefined ? { timeout: input.timeout } : {}) }),
    'networks.connect': async (input, { signal }) => {
      const runtime = runtimeFor(deps);
      return eachContainer(runtime, input.containers, (ctr) =>
        connectContainer(runtime, input.network, ctr, { aliases: input.aliases, staticIps: input.staticIps, staticMac: input.staticMac, signal }),
      );
    },
    'networks.disconnect': async (input, { signal }) => {
      const runtime = runtimeFor(deps);
      return eachContainer(runtime, input.containers, (ctr) => disconnectContainer(runtime, input.network, ctr, { signal }));
    },
    'networks.prune': async (input, { signal }) => ({ removed: await pruneNetworks(runtimeFor(deps), { signal, ...(input.filters ? { filters: input.filters } : {}) }) }),
  } satisfies Handlers<typeof networkProcedures>;
}
