// What the Pods page says about a pod, its members and a removal, as pure functions.
import type { ContainerStateName } from '../../../shared/types/containers.ts';
import type { PodListItem, PodRemoveReport, PodStatusName } from '../../../shared/types/pods.ts';
import { summarizeRemoval } from '../containers/container-presenters.ts';
import type { RemovalSummary } from '../containers/container-presenters.ts';
import type { Tone } from '../presenters/system-presenters.ts';

/** The pod status the engine derives from its members (libpod pod-status), as a badge tone. */
export function podStatusTone(status: PodStatusName): Tone {
  switch (status) {
    case 'Running':
      return 'ok';
    case 'Degraded':
    case 'Paused':
      return 'warning';
    case 'Error':
      return 'danger';
    default:
      return 'neutral';
  }
}

const stateWords: Record<ContainerStateName, string> = {
  unknown: 'Unknown',
  configured: 'Created',
  created: 'Initialized',
  running: 'Running',
  stopped: 'Stopped',
  paused: 'Paused',
  exited: 'Exited',
  removing: 'Removing',
  stopping: 'Stopping',
};

/** A member's state in podman's words ("configured" is what podman calls Created). */
export function memberStateLabel(state: ContainerStateName): string {
  return stateWords[state] ?? state;
}

/** "2 containers · 1 running" for the containers cell. */
export function membersLabel(pod: Pick<PodListItem, 'containers'>): string {
  const total = pod.containers.length;
  const running = pod.containers.filter((c) => c.state === 'running').length;
  const base = `${total} container${total === 1 ? '' : 's'}`;
  return running > 0 ? `${base} · ${running} running` : base;
}

export interface PodRemovalPlan {
  readonly pods: readonly PodListItem[];
  /** Containers removed with the pods. */
  readonly containerCount: number;
  /** Members running, paused or stopping: the removal needs force. */
  readonly activeMembers: readonly string[];
}

export function podRemovalPlan(pods: readonly PodListItem[]): PodRemovalPlan {
  const active = pods.flatMap((p) => p.containers.filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'stopping').map((c) => c.name));
  return { pods, containerCount: pods.reduce((n, p) => n + p.containers.length, 0), activeMembers: active };
}

/** Per-pod results; the title also counts the containers that went with the pods. */
export function summarizePodRemoval(reports: readonly PodRemoveReport[], nameOf: (idOrName: string) => string): RemovalSummary {
  const summary = summarizeRemoval(reports, nameOf, 'pod');
  const containers = reports.filter((r) => !r.error).reduce((n, r) => n + r.removedContainers.length, 0);
  if (containers === 0) return summary;
  const them = summary.removedIds.length === 1 ? 'it' : 'them';
  return { ...summary, title: `${summary.title}, and ${containers} container${containers === 1 ? '' : 's'} with ${them}` };
}
