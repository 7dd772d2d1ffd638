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
