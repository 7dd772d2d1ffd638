// One `system.events` subscription for the whole window: it keeps the most recent events for the
// Events page and tells the query layer what to refetch. Reconnects are the transport's business
// (it resumes the stream after the last seq); an error frame from the engine stops the hub until
// `restart()` — there is no timer that retries behind the user's back.
import type { TypedClient } from '../../../shared/client.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import { appendEvents } from '../presenters/event-presenters.ts';

export type EventHubStatus = 'idle' | 'live' | 'ended' | 'failed';

export interface EventHubState {
  readonly status: EventHubStatus;
  /** Newest first, at most `capacity`. */
  readonly recent: readonly PodbayEvent[];
  /** Events received since the hub started (the list may hold fewer). */
  readonly received: number;
  readonly error: ErrorData | null;
}

export class EventHub {
  private state: EventHubState = { status: 'idle', recent: [], received: 0, error: null };
  private readonly stateListeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: PodbayEvent) => void>();
  private stop: (() => void) | null = null;
  private readonly client: TypedClient;
  private readonly capacity: number;

  constructor(client: TypedClient, capacity = 1000) {
    this.client = client;
    this.capacity = capacity;
  }

  getState(): EventHubState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Runs for every event as it arrives (the query layer's invalidation hangs here). */
  onEvent(listener: (event: PodbayEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  start(): void {
    if (this.stop) return;
    this.set({ ...this.state, status: 'live', error: null });
    this.stop = this.client.stream('system.events', {}, (frame) => {
      if (frame.type === 'data') {
        const event = frame.value;
        this.set({ ...this.state, recent: appendEvents(this.state.recent, [event], this.capacity), received: this.state.received + 1 });
        for (const listener of [...this.eventListeners]) listener(event);
      } else {
        this.stop = null;
        this.set({ ...this.state, status: frame.type === 'end' ? 'ended' : 'failed', error: frame.type === 'error' ? frame.error : null });
      }
    });
  }

  restart(): void {
    this.close();
    this.start();
  }

  /** Forgets the events shown so far (the Clear button); the subscription stays open. */
  clear(): void {
    this.set({ ...this.state, recent: [] });
  }

  close(): void {
    const stop = this.stop;
    this.stop = null;
    stop?.();
  }

  private set(state: EventHubState): void {
    this.state = state;
    for (const listener of [...this.stateListeners]) listener();
  }
}
