// The Containers page's list: what an event means for it, its order, and the search and state
// filters — pure functions over ContainerListItem (tested without a DOM).
import type { TypedClient } from '../../../shared/client.ts';
import type { ContainerListItem, ContainerStateName } from '../../../shared/types/containers.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import { noEffect } from './live-list-model.ts';
import type { EventEffect, ListRequest, LiveListState } from './live-list-model.ts';
import type { LiveListSource } from './live-list.ts';

/** Newest first, as `podman ps` lists them; ties by id so the order is stable. */
export function compareContainers(a: ContainerListItem, b: ContainerListItem): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A container event names the container: `remove` drops its row, any other action (create, rename,
 * state changes…) fetches its row again. A pod event other than create/remove (e.g. a rename) may
 * change the pod name shown on its members' rows: they are fetched again.
 */
export function containerEventEffect(event: Pick<PodbayEvent, 'type' | 'action' | 'id'> & { readonly attributes?: Readonly<Record<string, string>> }, state: LiveListState<ContainerListItem>): EventEffect {
  if (event.type === 'container') {
    return event.action === 'remove' ? { remove: [event.id], refresh: [] } : { remove: [], refresh: [event.id] };
  }
  if (event.type === 'pod' && event.action !== 'create' && event.action !== 'remove') {
    const members = state.items.filter((item) => item.podId === event.id).map((item) => item.id);
    return { remove: [], refresh: members };
  }
  // Connecting or disconnecting a container changes its networks column.
  if (event.type === 'network' && (event.action === 'connect' || event.action === 'disconnect')) {
    const container = event.attributes?.container;
    return container && state.byId.has(container) ? { remove: [], refresh: [container] } : noEffect;
  }
  return noEffect;
}

/** `containers.list` for the whole store, or narrowed to ids (the `id` filter matches by prefix: full ids are exact). */
export function containerListInput(request: ListRequest): { all: true; filters?: Record<string, string[]> } {
  return request.kind === 'full' ? { all: true } : { all: true, filters: { id: [...request.ids] } };
}

export function containerSource(client: TypedClient): LiveListSource<ContainerListItem> {
  return {
    list: (request) => client.call('containers.list', containerListInput(request)),
    effect: containerEventEffect,
    compare: compareContainers,
  };
}

// ---------- filters ----------

export type StateFilter = 'all' | 'running' | 'exited' | 'created';

export const stateFilters: readonly { readonly value: StateFilter; readonly label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'running', label: 'Running' },
  { value: 'exited', label: 'Exited' },
  { value: 'created', label: 'Created' },
];

/** Which state filter a container falls under ('other' for unknown and removing: only under All). */
export function stateGroup(state: ContainerStateName): Exclude<StateFilter, 'all'> | 'other' {
  switch (state) {
    case 'running':
    case 'paused':
    case 'stopping':
      return 'running';
    case 'exited':
    case 'stopped':
      return 'exited';
    case 'configured':
    case 'created':
      return 'created';
    default:
      return 'other';
  }
}

export function stateCounts(items: readonly ContainerListItem[]): Record<StateFilter, number> {
  const counts: Record<StateFilter, number> = { all: items.length, running: 0, exited: 0, created: 0 };
  for (const item of items) {
    const group = stateGroup(item.state);
    if (group !== 'other') counts[group]++;
  }
  return counts;
}

/**
 * Whether a container matches what was typed: every word must match its name, pod name, image or
 * rootfs, command, a label (`key`, `value` or `key=value`), or be a prefix of its id. Case-insensitive.
 */
export function matchesSearch(item: ContainerListItem, text: string): boolean {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [item.name, item.podName ?? '', item.image, item.rootfs ?? '', item.command.join(' '), ...Object.entries(item.labels).map(([k, v]) => `${k}=${v}`)]
    .join('\n')
    .toLowerCase();
  return words.every((word) => item.id.startsWith(word) || haystack.includes(word));
}

export function filterContainers(items: readonly ContainerListItem[], filter: { text: string; state: StateFilter }): readonly ContainerListItem[] {
  if (filter.state === 'all' && filter.text.trim() === '') return items;
  return items.filter((item) => (filter.state === 'all' || stateGroup(item.state) === filter.state) && matchesSearch(item, filter.text));
}
