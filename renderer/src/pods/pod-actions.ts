// Which pod verbs a pod allows, from its status and its members' states, and what a batch verb did —
// pure functions behind the Pods page's selection buttons (tested without a DOM).
import type { PodActionReport, PodListItem } from '../../../shared/types/pods.ts';
import type { ContainerActionReport } from '../../../shared/types/containers.ts';
import { summarizeAction } from '../containers/container-actions.ts';
import type { ActionSummary, ContainerAction } from '../containers/container-actions.ts';

export type PodAction = Exclude<ContainerAction, 'remove'>;

/** In the order the toolbar shows them. */
export const podActionOrder: readonly PodAction[] = ['start', 'stop', 'restart', 'pause', 'unpause', 'kill'];

/**
 * As the engine's pod verbs accept them: start while something is not running (and nothing is
 * paused); stop and kill while something runs or is paused; pause while something runs; unpause while
 * something is paused; restart unless paused. A pod without containers has nothing to act on.
 */
export function podActionAllowed(action: PodAction, pod: Pick<PodListItem, 'status' | 'containers'>): boolean {
  if (pod.containers.length === 0) return false;
  const states = pod.containers.map((c) => c.state);
  const running = states.some((s) => s === 'running');
  const paused = states.some((s) => s === 'paused');
  switch (action) {
    case 'start':
      return !paused && states.some((s) => s !== 'running');
    case 'stop':
    case 'kill':
      return running || paused;
    case 'pause':
      return running;
    case 'unpause':
      return paused;
    case 'restart':
      return !paused;
  }
}

/** The selected pods `action` applies to (the others are left alone, not failed). */
export function podsForAction<T extends Pick<PodListItem, 'status' | 'containers'>>(action: PodAction, pods: readonly T[]): T[] {
  return pods.filter((p) => podActionAllowed(action, p));
}

/** One line per pod that failed: its own error, or its first failed member's (and how many more). */
export function summarizePodAction(action: PodAction, reports: readonly PodActionReport[], nameOf: (idOrName: string) => string): ActionSummary {
  const flat: ContainerActionReport[] = reports.map((r) => {
    const first = r.containerErrors[0];
    const more = r.containerErrors.length > 1 ? `, and ${r.containerErrors.length - 1} more` : '';
    const error = r.error ?? (first ? { ...first.error, message: `${first.error.message} (member ${first.name}${more})` } : null);
    return { nameOrId: r.nameOrId, id: r.id, error };
  });
  return summarizeAction(action, flat, nameOf, 'pod');
}
