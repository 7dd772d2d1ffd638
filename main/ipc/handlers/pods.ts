// The pods procedures over the core: list, inspect, create, remove, the lifecycle verbs, top, stats, logs.
import type { Handlers } from '../../../shared/contract/define.ts';
import type { podProcedures } from '../../../shared/contract/pods.ts';
import { inspectPodWithNetwork, listPodItems } from '../../core/pod-inspect.ts';
import { podActions } from '../../core/pod-lifecycle.ts';
import { createPod } from '../../core/pod-create.ts';
import { podLogs } from '../../core/pod-logs.ts';
import { podStats } from '../../core/pod-stats.ts';
import { topPod } from '../../core/pod-top.ts';
import type { PodLogLine } from '../../../shared/types/pods.ts';
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
    'pods.pause': async (input, { signal }) => podActions(runtimeFor(deps), 'pause', input.nameOrIds, { signal }),
    'pods.unpause': async (input, { signal }) => podActions(runtimeFor(deps), 'unpause', input.nameOrIds, { signal }),
    'pods.top': async (input, { signal }) => {
      const runtime = runtimeFor(deps);
      return topPod(runtime, runtime.lookupPod(input.nameOrId).id(), input.descriptors, { signal });
    },
    'pods.stats': (input, { signal }) => {
      const runtime = runtimeFor(deps);
      const ids = input.nameOrIds ? input.nameOrIds.map((n) => runtime.lookupPod(n).id()) : null;
      return podStats(runtime, ids, { stream: input.stream, intervalMs: input.intervalMs, signal });
    },
    'pods.logs': (input, { signal }) => podLogLines(deps, input, signal),
  } satisfies Handlers<typeof podProcedures>;
}

async function* podLogLines(deps: RuntimeDeps, input: { nameOrId: string; container?: string | undefined; follow: boolean; since?: string | undefined; until?: string | undefined; tail?: number | undefined }, signal: AbortSignal): AsyncGenerator<PodLogLine> {
  const runtime = runtimeFor(deps);
  for await (const entry of podLogs(runtime, runtime.lookupPod(input.nameOrId).id(), {
    follow: input.follow,
    signal,
    ...(input.container !== undefined ? { container: input.container } : {}),
    ...(input.since ? { sinceMs: Date.parse(input.since) } : {}),
    ...(input.until ? { untilMs: Date.parse(input.until) } : {}),
    ...(input.tail !== undefined ? { tail: input.tail } : {}),
  })) {
    const { line } = entry;
    yield { containerId: entry.containerId, containerName: entry.containerName, stream: line.stream, time: line.time, text: line.text, full: line.full };
  }
}
