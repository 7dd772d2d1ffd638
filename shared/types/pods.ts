// What the pods procedures return (podman ListPodsReport, InspectPodData), camelCase.
import type { ErrorData } from '../errors.ts';
import type { ContainerStats } from './container-files.ts';
import type { ContainerLogLine, ContainerStateName } from './containers.ts';
import type { PublishedPort } from './networks.ts';

export type PodStatusName = 'Created' | 'Running' | 'Degraded' | 'Paused' | 'Stopped' | 'Exited' | 'Error';

export interface PodMember {
  id: string;
  name: string;
  state: ContainerStateName;
}

export interface PodListItem {
  id: string;
  name: string;
  status: PodStatusName;
  /** RFC 3339. */
  createdAt: string;
  labels: Record<string, string>;
  infraContainerId: string | null;
  /** The namespaces members join from the infra container (podman --share); absent in older records. */
  sharedNamespaces?: string[];
  containers: PodMember[];
  /** Published on the infra container (pod create -p); the members serve them. */
  ports: PublishedPort[];
  /** The networks of the pod (its infra container's). */
  networks: string[];
}

export type PodInspect = PodListItem;

export interface PodRemoveReport {
  nameOrId: string;
  id: string | null;
  /** Ids of the containers removed with the pod. */
  removedContainers: string[];
  error: ErrorData | null;
}

/** A member's failure in a pod verb (podman's per-container errors of PodStartReport, PodStopReport…). */
export interface PodMemberError {
  id: string;
  name: string;
  error: ErrorData;
}

/**
 * One per pod named in pods.start/stop/kill/restart. `error`: the pod itself was not found or the verb
 * could not begin; `containerErrors`: members that failed while the others went ahead (exit 125 in the CLI).
 */
export interface PodActionReport {
  nameOrId: string;
  id: string | null;
  containerErrors: PodMemberError[];
  error: ErrorData | null;
}

/**
 * What `pods.create` takes (podman pod create): a pod with an infra container by default, holding
 * the namespaces it shares and — on the default bridge network unless `network` says otherwise —
 * the pod's network and published ports.
 */
export interface PodCreateOptions {
  name?: string | undefined;
  labels?: Record<string, string> | undefined;
  hostname?: string | undefined;
  /** podman -p, on the infra container: `[ip:][hostPort:]containerPort[/protocol]`. */
  publish?: string[] | undefined;
  /** podman --share: some of net, ipc, uts, pid, cgroup; [] shares nothing. Default net, ipc, uts. */
  share?: string[] | undefined;
  /** podman --infra; default true. */
  infra?: boolean | undefined;
  /** podman --network (as containers.create takes it); default the default bridge network. */
  network?: string | string[] | undefined;
}

export interface PodCreateReport {
  id: string;
  name: string;
  infraContainerId: string | null;
}

/** One row of pods.stats: a running container's sample with its pod (podman pod stats). */
export interface PodStats extends ContainerStats {
  podId: string;
  podName: string;
}

/** One line of pods.logs: a member's log line with the member it came from (podman pod logs). */
export interface PodLogLine extends ContainerLogLine {
  containerId: string;
  containerName: string;
}
