import { describe, expect, it } from 'vitest';
import { QueryClient } from '../../../renderer/src/query/query-client.ts';
import { queryKey } from '../../../renderer/src/query/query-key.ts';

/** A caller whose answers the test releases one by one. */
function controlledCaller() {
  const calls: { path: string; input: unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  const caller = (path: string, input: unknown) => new Promise<unknown>((resolve, reject) => calls.push({ path, input, resolve, reject }));
  return { calls, caller };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('QueryClient', () => {
  it('fetches when a query is first watched and shares the result between watchers', async () => {
    const { calls, caller } = controlledCaller();
    const queries = new QueryClient(caller, () => 1000);
    queries.subscribe('system.info', {}, () => {});
    queries.subscribe('system.info', {}, () => {});
    expect(calls).toHaveLength(1);
    expect(queries.getState('system.info', {})).toMatchObject({ loading: true, fetching: true });
    calls[0]?.resolve({ v: 1 });
    await flush();
    expect(queries.getState('system.info', {})).toMatchObject({ data: { v: 1 }, loading: false, fetching: false, updatedAt: 1000, error: null });
  });

  it('keys by path and input, whatever the key order', () => {
    expect(queryKey('a.b', { x: 1, y: [2, { z: 3, w: 4 }] })).toBe(queryKey('a.b', { y: [2, { w: 4, z: 3 }], x: 1 }));
    expect(queryKey('a.b', { x: 1 })).not.toBe(queryKey('a.b', { x: 2 }));
    expect(queryKey('a.b', {})).not.toBe(queryKey('a.c', {}));
  });

  it('refetches watched queries of an invalidated path, and only those', async () => {
    const { calls, caller } = controlledCaller();
    const queries = new QueryClient(caller);
    queries.subscribe('system.info', {}, () => {});
    queries.subscribe('containers.list', {}, () => {});
    calls.forEach((c) => c.resolve(1));
    await flush();
    queries.invalidate(['system.info']);
    expect(calls.map((c) => c.path)).toEqual(['system.info', 'containers.list', 'system.info']);
  });

  it('coalesces a burst of invalidations into one more fetch', async () => {
    const { calls, caller } = controlledCaller();
    const queries = new QueryClient(caller);
    queries.subscribe('system.info', {}, () => {});
    for (let i = 0; i < 10; i++) queries.invalidate(['system.info']);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve('old');
    await flush();
    expect(calls).toHaveLength(2);
    // The first answer may predate the invalidation: it is not shown.
    expect(queries.getState('system.info', {}).data).toBeUndefined();
    calls[1]?.resolve('new');
    await flush();
    expect(queries.getState('system.info', {}).data).toBe('new');
  });

  it('marks unwatched queries stale and fetches them when watched again', async () => {
    const { calls, caller } = controlledCaller();
    const queries = new QueryClient(caller);
    const unwatch = queries.subscribe('system.info', {}, () => {});
    calls[0]?.resolve('a');
    await flush();
    unwatch();
    queries.invalidate(['system.info']);
    expect(calls).toHaveLength(1);
    queries.subscribe('system.info', {}, () => {});
    expect(calls).toHaveLength(2);
  });

  it('does not refetch a fresh query when it is watched again', async () => {
    const { calls, caller } = controlledCaller();
    const queries = new QueryClient(caller);
    queries.subscribe('system.info', {}, () => {})();
    calls[0]?.resolve('a');
    await flush();
    queries.subscribe('system.info', {}, () => {});
    expect(calls).toHaveLength(1);
  });

  it('keeps the last data beside a new error', async () => {
    const { calls, caller } = controlledCaller();
    const queries = new QueryClient(caller);
    queries.subscribe('system.info', {}, () => {});
    calls[0]?.resolve('good');
    await flush();
    const refetched = queries.refetch('system.info', {});
    calls[1]?.reject(new Error('down'));
    await refetched;
    const state = queries.getState('system.info', {});
    expect(state.data).toBe('good');
    expect((state.error as Error).message).toBe('down');
    expect(state.fetching).toBe(false);
  });

  it('notifies watchers on every change, with a new state object each time', async () => {
    const { calls, caller } = controlledCaller();
    const queries = new QueryClient(caller);
    const seen: unknown[] = [];
    queries.subscribe('system.info', {}, () => seen.push(queries.getState('system.info', {})));
    calls[0]?.resolve('x');
    await flush();
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(new Set(seen).size).toBe(seen.length);
    const before = queries.getState('system.info', {});
    expect(queries.getState('system.info', {})).toBe(before);
  });

  it('refetches everything watched after invalidateAll (a reconnect)', async () => {
    const { calls, caller } = controlledCaller();
    const queries = new QueryClient(caller);
    queries.subscribe('a.x', {}, () => {});
    queries.subscribe('b.y', { n: 1 }, () => {});
    calls.forEach((c) => c.resolve(0));
    await flush();
    queries.invalidateAll();
    expect(calls).toHaveLength(4);
  });
});
