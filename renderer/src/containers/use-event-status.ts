// The event feed's status alone ('live', 'failed'…): unlike useEvents, a page using it re-renders
// when the feed starts or stops, not on every event.
import { useCallback, useSyncExternalStore } from 'react';
import type { EventHubStatus } from '../query/event-hub.ts';
import { useEngine } from '../query/use-engine.ts';

export function useEventStatus(): EventHubStatus {
  const { events } = useEngine();
  const subscribe = useCallback((listener: () => void) => events.subscribe(listener), [events]);
  return useSyncExternalStore(subscribe, () => events.getState().status);
}
