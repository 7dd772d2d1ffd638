import { useSyncExternalStore } from 'react';
import { routeFromHash } from './routes.ts';
import type { RouteId } from './routes.ts';

const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};

export function useRoute(): RouteId {
  return useSyncExternalStore(subscribe, () => routeFromHash(window.location.hash));
}
