// podman pod stats: the resource use of each running container of the pods (infra included), one row
// per container with its pod, sampled as `podman stats` samples (container-stats.ts). The members are
// re-listed every round, so a container started in the pod later joins the stream and one that
// stops drops out.
import type { PodStats } from '../../shared/types/pods.ts';
import type { LifecycleContext } from './container-internal.ts';
import { containerStats } from './container-stats.ts';
import type { StatsOptions } from './container-stats.ts';

/** `podIds`: full pod IDs; null: every pod. Yields one array per round, ordered by pod, then container name. */
export async function* podStats(ctx: LifecycleContext, podIds: readonly string[] | null, options: StatsOptions = {}): AsyncGenerator<PodStats[]> {
  const state = ctx.state();
  const wanted = podIds === null ? null : new Set(podIds);
  for await (const round of containerStats(ctx, null, options)) {
    const podOf = new Map<string, { id: string; name: string }>();
    for (const pod of state.allPods()) {
      if (wanted && !wanted.has(pod.config.id)) continue;
      for (const ctr of state.podContainers(pod.config.id)) podOf.set(ctr.config.id, { id: pod.config.id, name: pod.config.name });
    }
    const rows: PodStats[] = [];
    for (const sample of round) {
      const pod = podOf.get(sample.id);
      if (pod) rows.push({ ...sample, podId: pod.id, podName: pod.name });
    }
    rows.sort((a, b) => a.podName.localeCompare(b.podName) || a.name.localeCompare(b.name));
    yield rows;
  }
}
