// What the pods procedures return (podman ListPodsReport, InspectPodData), camelCase.
import type { ErrorData } from '../errors.ts';
import type { ContainerStateName } from './containers.ts';

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
