// `useLiveList(source)`: a LiveList for the life of the component, wired to the window's event hub
// and to the connection (a reconnect, or the event feed starting again, means events may have been
// missed: one full list). The source is created once per mount.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ConnectionMonitor } from '../bridge/connection-state.ts';
import type { EventHub } from '../query/event-hub.ts';
import { useEngine } from '../query/use-engine.ts';
import { LiveList } from './live-list.ts';
import type { LiveListSource, LiveListView, LiveListWiring } from './live-list.ts';
import type { Keyed } from './live-list-model.ts';

/** Calls `listener` when the link comes back after a drop, or the event feed goes live again. */
export function onResync(connection: ConnectionMonitor, events: EventHub, listener: () => void): () => void {
  let before = connection.get();
  const stopConnection = connection.subscribe(() => {
    const now = connection.get();
    // A first connection delivers the calls queued meanwhile; only a later one means missed events.
    if (now.status === 'connected' && before.status !== 'connected' && before.everConnected) listener();
    before = now;
  });
  let live = events.getState().status === 'live';
  const stopEvents = events.subscribe(() => {
    const now = events.getState().status === 'live';
    if (now && !live) listener();
    live = now;
  });
  return () => {
    stopConnection();
    stopEvents();
  };
}

export function useLiveList<T extends Keyed>(makeSource: () => LiveListSource<T>): { view: LiveListView<T>; list: LiveList<T> | null } {
  const engine = useEngine();
  const [list, setList] = useState<LiveList<T> | null>(null);

  useEffect(() => {
    const wiring: LiveListWiring = {
      onEvent: (listener) => engine.events.onEvent(listener),
      onResync: (listener) => onResync(engine.connection, engine.events, listener),
    };
    const created = new LiveList(makeSource(), wiring);
    setList(created);
    return () => created.dispose();
    // The source is fixed for the component's life: only a new engine makes a new list.
  }, [engine]);

  const view = useSyncExternalStore(
    (listener) => list?.subscribe(listener) ?? (() => {}),
    () => list?.getState() ?? emptyView,
  );
  return { view: view as LiveListView<T>, list };
}

const emptyView: LiveListView<Keyed> = { items: [], byId: new Map(), loaded: false, error: null, fetching: true, fullLists: 0, narrowLists: 0 };
