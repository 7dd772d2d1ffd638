// What list and inspect report about pods (podman ListPodsReport / InspectPodData), from one read of
// the pods and one of the containers.
import type { PodInspect, PodListItem, PodMember } from '../../shared/types/pods.ts';
import type { Pod } from './pod.ts';
import { networkViews } from './network-views.ts';
import type { NetworkView } from './network-views.ts';
import { podStatus } from './pod-status.ts';
import type { Runtime } from './runtime.ts';
import type { ContainerRecord, State } from './state/state.ts';

/** `network`: the infra container's ports and networks (network-views.ts); none when not given. */
export function podListItem(pod: Pod, members: readonly ContainerRecord[], network: NetworkView = { ports: [], networks: [] }): PodListItem {
  const containers: PodMember[] = members.map((c) => ({ id: c.config.id, name: c.config.name, state: c.state.status }));
  return {
    id: pod.id(),
    name: pod.name(),
    status: podStatus(members.map((c) => c.state.status)),
    createdAt: pod.createdAt(),
    labels: pod.labels(),
    infraContainerId: pod.infraContainerId(),
    sharedNamespaces: pod.sharedNamespaces(),
    containers,
    ports: network.ports.map((p) => ({ ...p })),
    networks: [...network.networks],
  };
}

/** Members of every pod, from one scan of the containers. */
export function membersByPod(state: State): Map<string, ContainerRecord[]> {
  const byPod = new Map<string, ContainerRecord[]>();
  for (const record of state.allContainers()) {
    if (record.config.pod) {
      const list = byPod.get(record.config.pod);
      if (list) list.push(record);
      else byPod.set(record.config.pod, [record]);
    }
  }
  return byPod;
}

export function inspectPod(pod: Pod, state: State, network?: NetworkView): PodInspect {
  return podListItem(pod, state.podContainers(pod.id()), network);
}

/** inspectPod with the pod's ports and networks (its infra container's). */
export async function inspectPodWithNetwork(runtime: Runtime, pod: Pod): Promise<PodInspect> {
  const state = runtime.state();
  const infraId = pod.infraContainerId();
  const infra = infraId && state.hasContainer(infraId) ? state.container(infraId) : null;
  const views = infra ? await networkViews(runtime, [infra]) : new Map<string, NetworkView>();
  return inspectPod(pod, state, infraId ? views.get(infraId) : undefined);
}

/** `podman pod ps` in the core: filtered pods with their members, ports and networks, oldest first. */
export async function listPodItems(runtime: Runtime, filters: Record<string, readonly string[]> = {}): Promise<PodListItem[]> {
  const state = runtime.state();
  const members = membersByPod(state);
  const pods = runtime.listPods(filters);
  const infras = pods.flatMap((pod) => (members.get(pod.id()) ?? []).filter((c) => c.config.id === pod.infraContainerId()));
  const views = await networkViews(runtime, infras);
  return pods.map((pod) => podListItem(pod, members.get(pod.id()) ?? [], views.get(pod.infraContainerId() ?? '')));
}
