// A list kept up to date from `system.events` without re-listing per event, as pure functions
// (tested without a DOM). Two halves:
//
// - the rows (`LiveListState`): replaced whole by a full list, upserted in place by a narrow one,
//   dropped on a `remove` event;
// - the sync plan (`SyncState`): which ids must be fetched again, whether a full list is owed, and
//   the one request in flight. Events that arrive while a request is in flight only add to the
//   plan, so a burst of events costs one request per round trip, not one per event (the same
//   coalescing as the query layer's `again`): no timer, no debounce delay.
//
// When more than `narrowLimit` ids are pending, one full list is cheaper than a narrow one (and the
// contract caps a filter at 64 values per key), so the plan asks for a full list instead.

export interface Keyed {
  readonly id: string;
}

export interface LiveListState<T extends Keyed> {
  /** In display order. */
  readonly items: readonly T[];
  readonly byId: ReadonlyMap<string, T>;
  /** Whether a first full list has arrived. */
  readonly loaded: boolean;
}

export type Compare<T> = (a: T, b: T) => number;

export function emptyList<T extends Keyed>(): LiveListState<T> {
  return { items: [], byId: new Map(), loaded: false };
}

/** The answer of a full list: every row, in display order. */
export function replaceAll<T extends Keyed>(items: readonly T[], compare: Compare<T>): LiveListState<T> {
  const sorted = [...items].sort(compare);
  return { items: sorted, byId: new Map(sorted.map((item) => [item.id, item])), loaded: true };
}

/**
 * Rows fetched again: a known id is replaced where it stands (moved only if its sort position
 * changed), a new id is inserted at its place. Returns `state` itself when nothing changed.
 */
export function upsertItems<T extends Keyed>(state: LiveListState<T>, fetched: readonly T[], compare: Compare<T>): LiveListState<T> {
  if (fetched.length === 0) return state;
  const items = [...state.items];
  const byId = new Map(state.byId);
  const positions = new Map(items.map((item, index) => [item.id, index]));
  const inserts: T[] = [];
  let resort = false;
  for (const item of fetched) {
    const at = positions.get(item.id);
    if (at === undefined) {
      if (!byId.has(item.id)) inserts.push(item);
      byId.set(item.id, item);
      continue;
    }
    items[at] = item;
    byId.set(item.id, item);
    const before = items[at - 1];
    const after = items[at + 1];
    if ((before && compare(before, item) > 0) || (after && compare(item, after) > 0)) resort = true;
  }
  if (resort) items.sort(compare);
  for (const item of inserts) items.splice(insertionIndex(items, item, compare), 0, item);
  return { items, byId, loaded: state.loaded };
}

/** Drops rows by id; returns `state` itself when none of them is listed. */
export function removeItems<T extends Keyed>(state: LiveListState<T>, ids: Iterable<string>): LiveListState<T> {
  const gone = new Set([...ids].filter((id) => state.byId.has(id)));
  if (gone.size === 0) return state;
  const byId = new Map(state.byId);
  for (const id of gone) byId.delete(id);
  return { items: state.items.filter((item) => !gone.has(item.id)), byId, loaded: state.loaded };
}

/** First index whose item sorts after `item` (binary search over a sorted array). */
export function insertionIndex<T>(items: readonly T[], item: T, compare: Compare<T>): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(items[mid] as T, item) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

// ---------- the sync plan ----------

/** What to ask the engine for: every row, or the rows of these ids. */
export type ListRequest = { readonly kind: 'full' } | { readonly kind: 'ids'; readonly ids: readonly string[] };

/** Above this many pending ids, one full list replaces the narrow one (the contract's filter cap). */
export const narrowLimit = 64;

export interface SyncState {
  /** Ids whose rows must be fetched again. */
  readonly pending: ReadonlySet<string>;
  /** A full list is owed (first load, reconnect, a failed full list). */
  readonly fullPending: boolean;
  readonly inFlight: ListRequest | null;
  /** Ids removed while the request in flight was out: its answer must not bring them back. */
  readonly removedSince: ReadonlySet<string>;
}

export const initialSync: SyncState = { pending: new Set(), fullPending: true, inFlight: null, removedSince: new Set() };

/** These ids changed (created, renamed, changed state…): fetch their rows again. */
export function noteChanged(sync: SyncState, ids: readonly string[]): SyncState {
  if (ids.length === 0) return sync;
  return { ...sync, pending: new Set([...sync.pending, ...ids]) };
}

/** These ids are gone: nothing to fetch for them, and an answer in flight must not restore them. */
export function noteRemoved(sync: SyncState, ids: readonly string[]): SyncState {
  if (ids.length === 0) return sync;
  const pending = new Set(sync.pending);
  for (const id of ids) pending.delete(id);
  const removedSince = sync.inFlight ? new Set([...sync.removedSince, ...ids]) : sync.removedSince;
  return { ...sync, pending, removedSince };
}

/** Anything may have changed (reconnect, the event feed restarted): one full list. */
export function noteFullNeeded(sync: SyncState): SyncState {
  return { ...sync, fullPending: true };
}

/**
 * The request to send now, if any: nothing while one is in flight (what arrives meanwhile waits for
 * it to settle); a full list when one is owed or more than `limit` ids wait; else the pending ids.
 */
export function nextRequest(sync: SyncState, limit = narrowLimit): { sync: SyncState; request: ListRequest | null } {
  if (sync.inFlight) return { sync, request: null };
  let request: ListRequest | null = null;
  if (sync.fullPending || sync.pending.size > limit) request = { kind: 'full' };
  else if (sync.pending.size > 0) request = { kind: 'ids', ids: [...sync.pending] };
  if (!request) return { sync, request: null };
  return { sync: { pending: new Set(), fullPending: false, inFlight: request, removedSince: new Set() }, request };
}

/** Applies the answer to the request in flight; returns the new rows and the settled plan. */
export function settle<T extends Keyed>(
  list: LiveListState<T>,
  sync: SyncState,
  fetched: readonly T[],
  compare: Compare<T>,
): { list: LiveListState<T>; sync: SyncState } {
  const request = sync.inFlight;
  const settled: SyncState = { ...sync, inFlight: null, removedSince: new Set() };
  if (!request) return { list, sync: settled };
  const kept = sync.removedSince.size === 0 ? fetched : fetched.filter((item) => !sync.removedSince.has(item.id));
  if (request.kind === 'full') return { list: replaceAll(kept, compare), sync: settled };
  // An id asked for and not returned no longer exists (its remove event may still be on its way).
  const returned = new Set(fetched.map((item) => item.id));
  const missing = request.ids.filter((id) => !returned.has(id));
  return { list: removeItems(upsertItems(list, kept, compare), missing), sync: settled };
}

/** The request in flight failed: it is owed again, but not retried until something else happens. */
export function fail(sync: SyncState): SyncState {
  const request = sync.inFlight;
  if (!request) return sync;
  const settled: SyncState = { ...sync, inFlight: null, removedSince: new Set() };
  if (request.kind === 'full') return { ...settled, fullPending: true };
  return { ...settled, pending: new Set([...request.ids.filter((id) => !sync.removedSince.has(id)), ...sync.pending]) };
}

/** What one event means for a list: rows to drop now and rows to fetch again. */
export interface EventEffect {
  readonly remove: readonly string[];
  readonly refresh: readonly string[];
}

export const noEffect: EventEffect = { remove: [], refresh: [] };
