// A pod's status from its containers' (libpod/pod_status.go createPodStatusResults). Pure.
import type { ContainerStatus } from './container-state.ts';

export const podStatuses = ['Created', 'Running', 'Degraded', 'Paused', 'Stopped', 'Exited', 'Error'] as const;
export type PodStatus = (typeof podStatuses)[number];

/**
 * No containers → Created. Some running → Running when all are, else Degraded. All paused → Paused.
 * All stopped or exited → Exited; some (none running) → Stopped. Any unknown/removing → Error.
 * Otherwise (configured/created) → Created.
 */
export function podStatus(statuses: readonly ContainerStatus[]): PodStatus {
  const total = statuses.length;
  if (total === 0) return 'Created';
  let running = 0;
  let paused = 0;
  let stopped = 0;
  let created = 0;
  let errored = 0;
  for (const status of statuses) {
    switch (status) {
      case 'running':
      case 'stopping':
        running++;
        break;
      case 'paused':
        paused++;
        break;
      case 'stopped':
      case 'exited':
        stopped++;
        break;
      case 'configured':
      case 'created':
        created++;
        break;
      default:
        errored++;
    }
  }
  if (running > 0) return running === total ? 'Running' : 'Degraded';
  if (paused === total) return 'Paused';
  if (stopped === total) return 'Exited';
  if (stopped > 0) return 'Stopped';
  if (errored > 0) return 'Error';
  return created > 0 ? 'Created' : 'Error';
}
