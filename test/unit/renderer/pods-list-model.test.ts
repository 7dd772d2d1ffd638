import { describe, expect, it } from 'vitest';
import type { PodListItem } from '../../../shared/types/pods.ts';
import { replaceAll } from '../../../renderer/src/containers/live-list-model.ts';
import { comparePods, filterPods, podEventEffect, podListInput, podRows, toggleExpanded } from '../../../renderer/src/pods/pod-list-model.ts';

function pod(name: string, fields: Partial<PodListItem> = {}): PodListItem {
  return { id: name.padEnd(64, 'f'), name, status: 'Created', createdAt: '2026-11-28T10:00:00.000Z', labels: {}, infraContainerId: null, containers: [], ports: [], networks: [], ...fields };
}

const shop = pod('shop', {
  labels: { app: 'shop' },
  createdAt: '2026-11-28T11:00:00.000Z',
  containers: [
    { id: 'w'.padEnd(64, '1'), name: 'shop-web', state: 'configured' },
    { id: 'd'.padEnd(64, '2'), name: 'shop-db', state: 'configured' },
  ],
});
const empty = pod('empty');

describe('pod list', () => {
  const state = replaceAll([shop, empty], comparePods);

  it('lists the newest pod first', () => {
    expect(state.items.map((p) => p.name)).toEqual(['shop', 'empty']);
  });

  it('drops a removed pod and fetches a changed one again', () => {
    expect(podEventEffect({ type: 'pod', action: 'remove', id: shop.id, attributes: {} }, state)).toEqual({ remove: [shop.id], refresh: [] });
    expect(podEventEffect({ type: 'pod', action: 'create', id: 'new', attributes: {} }, state)).toEqual({ remove: [], refresh: ['new'] });
  });

  it('fetches the pod of a container that changed, by its podId attribute or its member list', () => {
    expect(podEventEffect({ type: 'container', action: 'create', id: 'c', attributes: { podId: shop.id } }, state)).toEqual({ remove: [], refresh: [shop.id] });
    expect(podEventEffect({ type: 'container', action: 'remove', id: 'd'.padEnd(64, '2'), attributes: {} }, state)).toEqual({ remove: [], refresh: [shop.id] });
    expect(podEventEffect({ type: 'container', action: 'create', id: 'lone', attributes: {} }, state)).toEqual({ remove: [], refresh: [] });
  });

  it('asks pods.list for everything or for the ids', () => {
    expect(podListInput({ kind: 'full' })).toEqual({});
    expect(podListInput({ kind: 'ids', ids: ['x'] })).toEqual({ filters: { id: ['x'] } });
  });

  it('searches pod names, member names, labels and id prefixes', () => {
    expect(filterPods(state.items, 'shop-db').map((p) => p.name)).toEqual(['shop']);
    expect(filterPods(state.items, 'app=shop').map((p) => p.name)).toEqual(['shop']);
    expect(filterPods(state.items, 'emp').map((p) => p.name)).toEqual(['empty']);
    expect(filterPods(state.items, 'ffff').map((p) => p.name)).toEqual([]);
    expect(filterPods(state.items, '')).toBe(state.items);
  });

  it('shows members under an expanded pod only', () => {
    expect(podRows(state.items, new Set()).map((r) => r.kind)).toEqual(['pod', 'pod']);
    const rows = podRows(state.items, new Set([shop.id]));
    expect(rows.map((r) => (r.kind === 'pod' ? r.pod.name : `  ${r.member.name}`))).toEqual(['shop', '  shop-web', '  shop-db', 'empty']);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('expands and collapses, returning the same set when nothing changes', () => {
    const none: ReadonlySet<string> = new Set();
    const one = toggleExpanded(none, 'a');
    expect([...one]).toEqual(['a']);
    expect(toggleExpanded(one, 'a', true)).toBe(one);
    expect([...toggleExpanded(one, 'a')]).toEqual([]);
    expect(toggleExpanded(none, 'a', false)).toBe(none);
  });
});
