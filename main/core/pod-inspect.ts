// What list and inspect report about pods (podman ListPodsReport / InspectPodData), from one read of
// the pods and one of the containers.
import type { PodInspect, PodListItem, PodMember } from '../../shared/types/pods.ts';
import type { Pod } from './pod.ts';
import { podStatus } from './pod-status.ts';
import type { Runtime } from './runtime.ts';
import type { ContainerRecord, State } from './state/state.ts';

export function podListItem(pod: Pod, members: readonly ContainerRecord[]): PodListItem {
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

export function inspectPod(pod: Pod, state: State): PodInspect {
  return podListItem(pod, state.podContainers(pod.id()));
}

/** `podman pod ps` in the core: filtered pods with their members, oldest first. */
export function listPodItems(runtime: Runtime, filters: Record<string, readonly string[]> = {}): PodListItem[] {
  const state = runtime.state();
  const members = membersByPod(state);
  return runtime.listPods(filters).map((pod) => podListItem(pod, members.get(pod.id()) ?? []));
}
