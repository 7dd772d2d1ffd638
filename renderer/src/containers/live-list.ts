// The live list store behind the Containers and Pods pages: one full list when opened, then rows
// fetched again or dropped as `system.events` says (live-list-model.ts holds the logic), and one full
// list again after a reconnect or a restarted event feed. No timer anywhere: requests follow events.
import type { PodbayEvent } from '../../../shared/types/events.ts';
import { emptyList, fail, initialSync, nextRequest, noteChanged, noteFullNeeded, noteRemoved, removeItems, settle } from './live-list-model.ts';
import type { Compare, EventEffect, Keyed, ListRequest, LiveListState, SyncState } from './live-list-model.ts';

export interface LiveListSource<T extends Keyed> {
  /** Fetches every row (`full`) or the rows of these ids (a missing one no longer exists). */
  list(request: ListRequest): Promise<readonly T[]>;
  /** What an event means for this list, given the rows shown now. */
  effect(event: PodbayEvent, state: LiveListState<T>): EventEffect;
  compare: Compare<T>;
}

export interface LiveListWiring {
  /** Calls the listener for every event; returns the unsubscribe. */
  onEvent(listener: (event: PodbayEvent) => void): () => void;
  /** Calls the listener when anything may have been missed (reconnect, feed restarted). */
  onResync(listener: () => void): () => void;
  /** Ids above which a burst is fetched as one full list (live-list-model.ts `narrowLimit`). */
  narrowLimit?: number;
}

export interface LiveListView<T extends Keyed> extends LiveListState<T> {
  /** The last request's error; cleared by the next success. */
  readonly error: unknown;
  readonly fetching: boolean;
  /** Requests sent so far, by kind (diagnostics, tests). */
  readonly fullLists: number;
  readonly narrowLists: number;
}

export class LiveList<T extends Keyed> {
  private view: LiveListView<T> = { ...emptyList<T>(), error: null, fetching: false, fullLists: 0, narrowLists: 0 };
  private sync: SyncState = initialSync;
  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  private disposed = false;
  private readonly source: LiveListSource<T>;
  private readonly wiring: LiveListWiring;

  constructor(source: LiveListSource<T>, wiring: LiveListWiring) {
    this.source = source;
    this.wiring = wiring;
    this.stops.push(wiring.onEvent((event) => this.onEvent(event)));
    this.stops.push(wiring.onResync(() => this.resync()));
    this.pump();
  }

  getState(): LiveListView<T> {
    return this.view;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetches everything again (reconnect, Retry). */
  resync(): void {
    this.sync = noteFullNeeded(this.sync);
    this.pump();
  }

  /** Drops rows known to be gone (a remove report said so) without waiting for their events. */
  forget(ids: readonly string[]): void {
    this.sync = noteRemoved(this.sync, ids);
    const list = removeItems(this.view, ids);
    if (list !== this.view) this.set({ ...this.view, ...list });
  }

  dispose(): void {
    this.disposed = true;
    for (const stop of this.stops.splice(0)) stop();
    this.listeners.clear();
  }

  private onEvent(event: PodbayEvent): void {
    const effect = this.source.effect(event, this.view);
    if (effect.remove.length > 0) this.forget(effect.remove);
    if (effect.refresh.length > 0) {
      this.sync = noteChanged(this.sync, effect.refresh);
      this.pump();
    }
  }

  private pump(): void {
    if (this.disposed) return;
    const { sync, request } = nextRequest(this.sync, this.wiring.narrowLimit);
    if (!request) return;
    this.sync = sync;
    this.set({
      ...this.view,
      fetching: true,
      fullLists: this.view.fullLists + (request.kind === 'full' ? 1 : 0),
      narrowLists: this.view.narrowLists + (request.kind === 'ids' ? 1 : 0),
    });
    this.source.list(request).then(
      (fetched) => {
        if (this.disposed) return;
        const result = settle(this.view, this.sync, fetched, this.source.compare);
        this.sync = result.sync;
        this.set({ ...this.view, ...result.list, error: null, fetching: false });
        this.pump();
      },
      (error: unknown) => {
        if (this.disposed) return;
        this.sync = fail(this.sync);
        // Not retried here: the next event, a reconnect or the user's Retry sends it again.
        this.set({ ...this.view, error, fetching: false });
      },
    );
  }

  private set(view: LiveListView<T>): void {
    this.view = view;
    for (const listener of [...this.listeners]) listener();
  }
}
