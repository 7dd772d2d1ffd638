// The Pods page's list: what an event means for it, its order, the search, and the rows shown
// when pods are expanded to their members — pure functions over PodListItem.
import type { TypedClient } from '../../../shared/client.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import type { PodListItem, PodMember } from '../../../shared/types/pods.ts';
import { noEffect } from '../containers/live-list-model.ts';
import type { EventEffect, ListRequest, LiveListState } from '../containers/live-list-model.ts';
import type { LiveListSource } from '../containers/live-list.ts';

/** Newest first, as `podman pod ps`; ties by id. */
export function comparePods(a: PodListItem, b: PodListItem): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A pod event names the pod: `remove` drops it, anything else fetches it again. A container event
 * changes its pod's members and status: the pod (from the event's `podId` attribute, or the pod
 * listing that container) is fetched again — if the pod went with it, the fetch finds nothing and
 * the row goes.
 */
export function podEventEffect(event: Pick<PodbayEvent, 'type' | 'action' | 'id' | 'attributes'>, state: LiveListState<PodListItem>): EventEffect {
  if (event.type === 'pod') return event.action === 'remove' ? { remove: [event.id], refresh: [] } : { remove: [], refresh: [event.id] };
  if (event.type === 'container') {
    const podId = event.attributes.podId;
    if (podId) return { remove: [], refresh: [podId] };
    const owner = state.items.find((pod) => pod.containers.some((c) => c.id === event.id));
    return owner ? { remove: [], refresh: [owner.id] } : noEffect;
  }
  return noEffect;
}

export function podListInput(request: ListRequest): { filters?: Record<string, string[]> } {
  return request.kind === 'full' ? {} : { filters: { id: [...request.ids] } };
}

export function podSource(client: TypedClient): LiveListSource<PodListItem> {
  return {
    list: (request) => client.call('pods.list', podListInput(request)),
    effect: podEventEffect,
    compare: comparePods,
  };
}

/** Every word must match the pod's name, a member's name, a label, or prefix its id. */
export function matchesPodSearch(pod: PodListItem, text: string): boolean {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [pod.name, pod.status, ...pod.containers.map((c) => c.name), ...Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`)].join('\n').toLowerCase();
  return words.every((word) => pod.id.startsWith(word) || haystack.includes(word));
}

export function filterPods(items: readonly PodListItem[], text: string): readonly PodListItem[] {
  return text.trim() === '' ? items : items.filter((pod) => matchesPodSearch(pod, text));
}

export type PodRow =
  | { readonly kind: 'pod'; readonly key: string; readonly pod: PodListItem }
  | { readonly kind: 'member'; readonly key: string; readonly pod: PodListItem; readonly member: PodMember };

/** The rows of the table: each pod, followed by its members when it is expanded. */
export function podRows(pods: readonly PodListItem[], expanded: ReadonlySet<string>): PodRow[] {
  const rows: PodRow[] = [];
  for (const pod of pods) {
    rows.push({ kind: 'pod', key: pod.id, pod });
    if (expanded.has(pod.id)) for (const member of pod.containers) rows.push({ kind: 'member', key: `${pod.id}/${member.id}`, pod, member });
  }
  return rows;
}

export function toggleExpanded(expanded: ReadonlySet<string>, podId: string, open?: boolean): ReadonlySet<string> {
  const isOpen = expanded.has(podId);
  const want = open ?? !isOpen;
  if (want === isOpen) return expanded;
  const next = new Set(expanded);
  if (want) next.add(podId);
  else next.delete(podId);
  return next;
}
