// The one query layer of the renderer (STYLE.md): results of `call` procedures cached by contract
// path + input, fetched when first watched, and refetched only when invalidated — by an event that
// names their path, by a reconnect, or by the user. Never by a timer. No React here: hooks wrap it.
import { queryKey } from './query-key.ts';

export interface QueryState<T = unknown> {
  readonly data: T | undefined;
  /** The last fetch's error; cleared by the next success. Data from an earlier success is kept. */
  readonly error: unknown;
  /** True while the first result is awaited (no data yet). */
  readonly loading: boolean;
  /** True while any fetch is in flight, including refetches over existing data. */
  readonly fetching: boolean;
  /** When data last arrived (epoch ms), or null. */
  readonly updatedAt: number | null;
}

export type Caller = (path: string, input: unknown) => Promise<unknown>;

interface Entry {
  readonly path: string;
  readonly input: unknown;
  state: QueryState;
  readonly listeners: Set<() => void>;
  inFlight: boolean;
  /** An invalidation arrived during a fetch: fetch once more when it settles (bursts coalesce). */
  again: boolean;
  /** Invalidated while nobody watched: fetch on the next subscription. */
  stale: boolean;
}

const emptyState: QueryState = { data: undefined, error: null, loading: true, fetching: false, updatedAt: null };

export class QueryClient {
  private readonly entries = new Map<string, Entry>();
  private readonly caller: Caller;
  private readonly now: () => number;

  constructor(caller: Caller, now: () => number = () => Date.now()) {
    this.caller = caller;
    this.now = now;
  }

  /** The current state; a new object after every change, the same object otherwise. */
  getState(path: string, input: unknown): QueryState {
    return this.entries.get(queryKey(path, input))?.state ?? emptyState;
  }

  /** Watches a query: the first watcher (or a stale entry) triggers a fetch. Returns the unwatch. */
  subscribe(path: string, input: unknown, listener: () => void): () => void {
    const entry = this.entry(path, input);
    entry.listeners.add(listener);
    if (entry.state.updatedAt === null && !entry.inFlight) void this.fetch(entry);
    else if (entry.stale) void this.fetch(entry);
    return () => {
      entry.listeners.delete(listener);
    };
  }

  /** Fetches now (coalesced with a fetch in flight); resolves when the state is updated. */
  refetch(path: string, input: unknown): Promise<void> {
    return this.fetch(this.entry(path, input));
  }

  /** Refetches watched queries of these paths; unwatched ones refetch when next watched. */
  invalidate(paths: Iterable<string>): void {
    const wanted = new Set(paths);
    if (wanted.size === 0) return;
    for (const entry of this.entries.values()) {
      if (wanted.has(entry.path)) this.invalidateEntry(entry);
    }
  }

  /** After a reconnect: anything may have changed while the link was down. */
  invalidateAll(): void {
    for (const entry of this.entries.values()) this.invalidateEntry(entry);
  }

  /** Number of cached queries (diagnostics and tests). */
  get size(): number {
    return this.entries.size;
  }

  private invalidateEntry(entry: Entry): void {
    if (entry.listeners.size === 0) {
      entry.stale = true;
      return;
    }
    void this.fetch(entry);
  }

  private entry(path: string, input: unknown): Entry {
    const key = queryKey(path, input);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { path, input, state: emptyState, listeners: new Set(), inFlight: false, again: false, stale: false };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private set(entry: Entry, state: QueryState): void {
    entry.state = state;
    for (const listener of [...entry.listeners]) listener();
  }

  private pending = new WeakMap<Entry, Promise<void>>();

  private fetch(entry: Entry): Promise<void> {
    entry.stale = false;
    if (entry.inFlight) {
      entry.again = true;
      return this.pending.get(entry) ?? Promise.resolve();
    }
    entry.inFlight = true;
    this.set(entry, { ...entry.state, loading: entry.state.updatedAt === null, fetching: true });
    const run = async (): Promise<void> => {
      do {
        entry.again = false;
        try {
          const data = await this.caller(entry.path, entry.input);
          if (!entry.again) this.set(entry, { data, error: null, loading: false, fetching: false, updatedAt: this.now() });
        } catch (error) {
          if (!entry.again) this.set(entry, { ...entry.state, error, loading: false, fetching: false });
        }
      } while (entry.again);
      entry.inFlight = false;
    };
    const promise = run();
    this.pending.set(entry, promise);
    return promise;
  }
}
