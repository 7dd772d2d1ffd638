// Which queries an event makes stale: the one place that ties `system.events` to the query layer.
// Each later issue adds the rules of its domain (a `container` event refetches an open `containers.inspect`, …).
import type { Contract } from '../../../shared/contract.ts';
import type { CallPaths } from '../../../shared/contract/define.ts';
import type { EventType, PodbayEvent } from '../../../shared/types/events.ts';

export interface InvalidationRule {
  readonly type: EventType;
  /** Only these actions; every action of the type when absent. */
  readonly actions?: readonly string[];
  readonly paths: readonly CallPaths<Contract>[];
}

export const invalidationRules: readonly InvalidationRule[] = [
  // A system event (refresh, migrate, renumber, reset…) may change anything system.info reports.
  { type: 'system', paths: ['system.info'] },
  // An open Inspect panel reads its object again when it changes. The Containers and Pods lists are
  // not here: they update row by row from the events themselves (containers/live-list.ts), never
  // by a full re-list per event.
  { type: 'container', paths: ['containers.inspect', 'pods.inspect'] },
  { type: 'pod', paths: ['pods.inspect', 'containers.inspect'] },
  // The Images list updates row by row too (images/image-list-model.ts); an open image Inspect
  // panel reads the image again when it is tagged, untagged or pulled anew.
  { type: 'image', paths: ['images.inspect'] },
  // The Networks list updates row by row (networks/network-list-model.ts); an open network Inspect
  // reads again, as do container and pod Inspects (their networks and addresses), and the network
  // picker of the Create dialog (networks.list through the query layer) on create and remove.
  { type: 'network', paths: ['networks.inspect', 'containers.inspect', 'pods.inspect'] },
  { type: 'network', actions: ['create', 'remove'], paths: ['networks.list'] },
  { type: 'container', paths: ['networks.inspect'] },
  // The Volumes list updates row by row (volumes/volume-list-model.ts); an open volume Inspect panel
  // reads it again when it or a container using it changes (its "used by"); the Run dialog's
  // volume picker lists volumes afresh.
  { type: 'volume', paths: ['volumes.inspect', 'volumes.list'] },
  { type: 'container', actions: ['create', 'remove'], paths: ['volumes.inspect', 'volumes.list'] },
  // An open Kube tab writes its pod again when a member comes or goes.
  { type: 'container', actions: ['create', 'remove'], paths: ['kube.generate'] },
];

/** The contract paths to refetch after `event`, without duplicates. */
export function pathsToInvalidate(event: Pick<PodbayEvent, 'type' | 'action'>, rules: readonly InvalidationRule[] = invalidationRules): string[] {
  const paths = new Set<string>();
  for (const rule of rules) {
    if (rule.type !== event.type) continue;
    if (rule.actions && !rule.actions.includes(event.action)) continue;
    for (const path of rule.paths) paths.add(path);
  }
  return [...paths];
}
