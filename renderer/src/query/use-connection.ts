import { useSyncExternalStore } from 'react';
import type { ConnectionState } from '../bridge/connection-state.ts';
import { useEngine } from './use-engine.ts';

export function useConnection(): ConnectionState {
  const { connection } = useEngine();
  return useSyncExternalStore(connection.subscribe, connection.get);
}
