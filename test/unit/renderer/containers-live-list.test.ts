import { describe, expect, it } from 'vitest';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import { LiveList } from '../../../renderer/src/containers/live-list.ts';
import type { LiveListSource } from '../../../renderer/src/containers/live-list.ts';
import type { ListRequest } from '../../../renderer/src/containers/live-list-model.ts';

interface Row {
  id: string;
  name: string;
}

/** A store the test changes, and a list call whose answers the test releases one by one. */
function harness() {
  const store = new Map<string, Row>();
  const calls: { request: ListRequest; release: () => void; reject: (e: unknown) => void }[] = [];
  const source: LiveListSource<Row> = {
    list: (request) =>
      new Promise((resolve, reject) => {
        calls.push({
          request,
          release: () => resolve(request.kind === 'full' ? [...store.values()] : request.ids.flatMap((id) => (store.has(id) ? [store.get(id) as Row] : []))),
          reject,
        });
      }),
    effect: (event) => (event.action === 'remove' ? { remove: [event.id], refresh: [] } : { remove: [], refresh: [event.id] }),
    compare: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  };
  const eventListeners = new Set<(e: PodbayEvent) => void>();
  const resyncListeners = new Set<() => void>();
  const list = new LiveList(source, {
    onEvent: (l) => (eventListeners.add(l), () => eventListeners.delete(l)),
    onResync: (l) => (resyncListeners.add(l), () => resyncListeners.delete(l)),
  });
  let seq = 0;
  const emit = (action: string, id: string) => {
    for (const l of eventListeners) l({ seq: seq++, time: new Date().toISOString(), type: 'container', action, id, name: id, attributes: {} });
  };
  const releaseAll = async () => {
    while (calls.length > 0) {
      calls.shift()?.release();
      await flush();
    }
  };
  return { store, calls, list, emit, releaseAll, resync: () => resyncListeners.forEach((l) => l()), eventListeners };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const names = (list: LiveList<Row>) => list.getState().items.map((r) => r.name);

describe('LiveList', () => {
  it('lists everything once when created', async () => {
    const h = harness();
    h.store.set('1', { id: '1', name: 'web1' });
    expect(h.calls.map((c) => c.request)).toEqual([{ kind: 'full' }]);
    expect(h.list.getState()).toMatchObject({ loaded: false, fetching: true });
    await h.releaseAll();
    expect(names(h.list)).toEqual(['web1']);
    expect(h.list.getState()).toMatchObject({ loaded: true, fetching: false, fullLists: 1, narrowLists: 0 });
  });

  it('fetches only the row an event names, and upserts it in place', async () => {
    const h = harness();
    h.store.set('1', { id: '1', name: 'a' });
    h.store.set('2', { id: '2', name: 'b' });
    await h.releaseAll();
    const untouched = h.list.getState().items[0];
    h.store.set('2', { id: '2', name: 'c' });
    h.emit('rename', '2');
    expect(h.calls.map((c) => c.request)).toEqual([{ kind: 'ids', ids: ['2'] }]);
    await h.releaseAll();
    expect(names(h.list)).toEqual(['a', 'c']);
    expect(h.list.getState().items[0]).toBe(untouched);
  });

  it('drops a removed row at once, without a request', async () => {
    const h = harness();
    h.store.set('1', { id: '1', name: 'a' });
    await h.releaseAll();
    h.store.delete('1');
    h.emit('remove', '1');
    expect(names(h.list)).toEqual([]);
    expect(h.calls).toHaveLength(0);
  });

  it('turns a burst of 1,000 creates into a few requests, not 1,000', async () => {
    const h = harness();
    await h.releaseAll();
    for (let i = 0; i < 1000; i++) {
      const id = `c${String(i).padStart(4, '0')}`;
      h.store.set(id, { id, name: id });
      h.emit('create', id);
    }
    // The first event's narrow request is in flight; the other 999 wait and become one full list.
    expect(h.calls).toHaveLength(1);
    await h.releaseAll();
    const state = h.list.getState();
    expect(state.items).toHaveLength(1000);
    expect(state.fullLists + state.narrowLists).toBeLessThanOrEqual(3);
  });

  it('lists everything again on resync (reconnect)', async () => {
    const h = harness();
    await h.releaseAll();
    h.store.set('9', { id: '9', name: 'missed' });
    h.resync();
    expect(h.calls.map((c) => c.request)).toEqual([{ kind: 'full' }]);
    await h.releaseAll();
    expect(names(h.list)).toEqual(['missed']);
  });

  it('keeps the error and retries only when something else happens', async () => {
    const h = harness();
    h.calls.shift()?.reject(new Error('link down'));
    await flush();
    expect(h.list.getState().error).toBeInstanceOf(Error);
    await flush();
    expect(h.calls).toHaveLength(0);
    h.store.set('1', { id: '1', name: 'a' });
    h.emit('create', '1');
    expect(h.calls.map((c) => c.request)).toEqual([{ kind: 'full' }]);
    await h.releaseAll();
    expect(h.list.getState()).toMatchObject({ error: null, loaded: true });
  });

  it('stops listening when disposed', async () => {
    const h = harness();
    await h.releaseAll();
    h.list.dispose();
    expect(h.eventListeners.size).toBe(0);
  });
});
