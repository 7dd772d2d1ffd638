import { describe, expect, it } from 'vitest';
import {
  emptyList,
  fail,
  initialSync,
  insertionIndex,
  narrowLimit,
  nextRequest,
  noteChanged,
  noteFullNeeded,
  noteRemoved,
  removeItems,
  replaceAll,
  settle,
  upsertItems,
} from '../../../renderer/src/containers/live-list-model.ts';

interface Row {
  id: string;
  at: number;
  v?: number;
}
const row = (id: string, at: number, v = 0): Row => ({ id, at, v });
/** Newest first, as the pages order rows. */
const compare = (a: Row, b: Row) => b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ids = (state: { items: readonly Row[] }) => state.items.map((r) => r.id);

describe('live list rows', () => {
  it('replaces everything with a full list, sorted', () => {
    const state = replaceAll([row('a', 1), row('c', 3), row('b', 2)], compare);
    expect(ids(state)).toEqual(['c', 'b', 'a']);
    expect(state.loaded).toBe(true);
    expect(state.byId.get('b')).toEqual(row('b', 2));
    expect(emptyList().loaded).toBe(false);
  });

  it('upserts a known row where it stands and inserts a new one at its place', () => {
    const state = replaceAll([row('a', 1), row('b', 2), row('d', 4)], compare);
    const b2 = row('b', 2, 7);
    const next = upsertItems(state, [b2, row('c', 3)], compare);
    expect(ids(next)).toEqual(['d', 'c', 'b', 'a']);
    expect(next.byId.get('b')).toBe(b2);
    expect(next.items[2]).toBe(b2);
    // Untouched rows keep their identity (React skips them).
    expect(next.items[0]).toBe(state.items[0]);
  });

  it('keeps order when several new rows arrive at once, and leaves state alone for nothing', () => {
    const state = replaceAll([row('a', 10)], compare);
    const next = upsertItems(state, [row('x', 5), row('y', 20), row('z', 15)], compare);
    expect(ids(next)).toEqual(['y', 'z', 'a', 'x']);
    expect(upsertItems(state, [], compare)).toBe(state);
  });

  it('drops rows by id and returns the same state when none is listed', () => {
    const state = replaceAll([row('a', 1), row('b', 2)], compare);
    expect(ids(removeItems(state, ['a', 'nope']))).toEqual(['b']);
    expect(removeItems(state, ['a']).byId.has('a')).toBe(false);
    expect(removeItems(state, ['nope'])).toBe(state);
  });

  it('finds insertion points by binary search', () => {
    const sorted = [row('d', 4), row('c', 3), row('a', 1)];
    expect(insertionIndex(sorted, row('b', 2), compare)).toBe(2);
    expect(insertionIndex(sorted, row('e', 5), compare)).toBe(0);
    expect(insertionIndex(sorted, row('z', 0), compare)).toBe(3);
  });
});

describe('live list sync plan', () => {
  it('starts with a full list and sends nothing more while it is in flight', () => {
    const first = nextRequest(initialSync);
    expect(first.request).toEqual({ kind: 'full' });
    const during = nextRequest(noteChanged(first.sync, ['x']));
    expect(during.request).toBeNull();
  });

  it('coalesces the events that arrive during a request into one narrow request', () => {
    let sync = nextRequest(initialSync).sync;
    sync = noteChanged(sync, ['a']);
    sync = noteChanged(sync, ['b', 'a']);
    sync = noteChanged(sync, ['c']);
    const settled = settle(emptyList<Row>(), sync, [], compare);
    const next = nextRequest(settled.sync);
    expect(next.request).toEqual({ kind: 'ids', ids: ['a', 'b', 'c'] });
  });

  it(`asks for one full list when more than ${narrowLimit} ids wait`, () => {
    let sync = nextRequest(initialSync).sync;
    sync = settle(emptyList<Row>(), sync, [], compare).sync;
    for (let i = 0; i < 1000; i++) sync = noteChanged(sync, [`id${i}`]);
    expect(nextRequest(sync).request).toEqual({ kind: 'full' });
    const few = noteChanged(settle(emptyList<Row>(), nextRequest(sync).sync, [], compare).sync, Array.from({ length: narrowLimit }, (_, i) => `n${i}`));
    expect(nextRequest(few).request?.kind).toBe('ids');
  });

  it('upserts what a narrow request returns and drops the ids it did not return', () => {
    const list = replaceAll([row('a', 1), row('b', 2)], compare);
    let sync = settle(list, nextRequest(initialSync).sync, [row('a', 1), row('b', 2)], compare).sync;
    sync = noteChanged(sync, ['a', 'b', 'c']);
    const out = nextRequest(sync);
    const result = settle(list, out.sync, [row('a', 1, 9), row('c', 3)], compare);
    expect(ids(result.list)).toEqual(['c', 'a']);
    expect(result.list.byId.get('a')?.v).toBe(9);
    expect(result.sync.inFlight).toBeNull();
  });

  it('does not bring back a row removed while the request was in flight', () => {
    const out = nextRequest(initialSync);
    const sync = noteRemoved(out.sync, ['gone']);
    const result = settle(emptyList<Row>(), sync, [row('gone', 1), row('kept', 2)], compare);
    expect(ids(result.list)).toEqual(['kept']);
    expect(result.sync.removedSince.size).toBe(0);
  });

  it('forgets pending refreshes of a removed id', () => {
    const sync = noteRemoved(noteChanged({ ...initialSync, fullPending: false }, ['a', 'b']), ['a']);
    expect(nextRequest(sync).request).toEqual({ kind: 'ids', ids: ['b'] });
  });

  it('owes a failed request again without sending it by itself', () => {
    const full = nextRequest(initialSync);
    const failed = fail(full.sync);
    expect(failed.inFlight).toBeNull();
    expect(failed.fullPending).toBe(true);
    const narrow = nextRequest(noteChanged({ ...initialSync, fullPending: false }, ['a']));
    const failedNarrow = fail(noteChanged(narrow.sync, ['b']));
    expect(nextRequest(failedNarrow).request).toEqual({ kind: 'ids', ids: ['a', 'b'] });
  });

  it('asks for a full list after a reconnect', () => {
    const settled = settle(emptyList<Row>(), nextRequest(initialSync).sync, [], compare).sync;
    expect(nextRequest(settled).request).toBeNull();
    expect(nextRequest(noteFullNeeded(settled)).request).toEqual({ kind: 'full' });
  });
});
