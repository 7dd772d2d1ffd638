import { useSyncExternalStore } from 'react';
import type { EventHubState } from './event-hub.ts';
import { useEngine } from './use-engine.ts';

/** The window's live event feed (newest first) and its status. */
export function useEvents(): EventHubState {
  const { events } = useEngine();
  return useSyncExternalStore(
    (listener) => events.subscribe(listener),
    () => events.getState(),
  );
}
