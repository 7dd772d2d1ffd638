// The Networks page's list: what an event means for it, its order and the search — pure functions
// over NetworkListItem (tested without a DOM). Networks are few, so a container event that may
// change who is on them refreshes every network that lists the container, and a new container
// (connected as it is created) every network.
import type { TypedClient } from '../../../shared/client.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import type { NetworkListItem } from '../../../shared/types/networks.ts';
import { noEffect } from '../containers/live-list-model.ts';
import type { EventEffect, ListRequest, LiveListState } from '../containers/live-list-model.ts';
import type { LiveListSource } from '../containers/live-list.ts';

/** The default network first, then by name (podman network ls sorts by name). */
export function compareNetworks(a: NetworkListItem, b: NetworkListItem): number {
  if (a.isDefault !== b.isDefault) return a.isDefault ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Container actions that change a network's members or their addresses. */
const memberActions = new Set(['create', 'start', 'died', 'stop', 'cleanup', 'remove', 'rename']);

export function networkEventEffect(event: Pick<PodbayEvent, 'type' | 'action' | 'id'>, state: LiveListState<NetworkListItem>): EventEffect {
  if (event.type === 'network') return event.action === 'remove' ? { remove: [event.id], refresh: [] } : { remove: [], refresh: [event.id] };
  if (event.type === 'container' && memberActions.has(event.action)) {
    if (event.action === 'create') return { remove: [], refresh: state.items.map((n) => n.id) };
    const on = state.items.filter((n) => n.containers.some((c) => c.id === event.id)).map((n) => n.id);
    return on.length ? { remove: [], refresh: on } : noEffect;
  }
  return noEffect;
}

/** `networks.list` for every network, or narrowed to ids (the id filter matches prefixes: full ids are exact). */
export function networkListInput(request: ListRequest): { filters?: Record<string, string[]> } {
  return request.kind === 'full' ? {} : { filters: { id: [...request.ids] } };
}

export function networkSource(client: TypedClient): LiveListSource<NetworkListItem> {
  return {
    list: (request) => client.call('networks.list', networkListInput(request)),
    effect: networkEventEffect,
    compare: compareNetworks,
  };
}

/** Every word must match the name, a subnet, the bridge, a connected container, a label, or prefix the id. */
export function matchesNetworkSearch(network: NetworkListItem, text: string): boolean {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    network.name,
    network.interface,
    ...network.subnets.flatMap((s) => [s.subnet, s.gateway ?? '']),
    ...network.containers.map((c) => c.name),
    ...Object.entries(network.labels).map(([k, v]) => `${k}=${v}`),
  ]
    .join('\n')
    .toLowerCase();
  return words.every((word) => network.id.startsWith(word) || haystack.includes(word));
}

export function filterNetworks(items: readonly NetworkListItem[], text: string): readonly NetworkListItem[] {
  return text.trim() === '' ? items : items.filter((n) => matchesNetworkSearch(n, text));
}
