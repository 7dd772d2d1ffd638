// `useCall('system.info', {})`: the result of a call procedure through the query layer, refetched
// when an event invalidates its path or the connection comes back.
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { Contract } from '../../../shared/contract.ts';
import type { CallPaths, InputOf, OutputOf } from '../../../shared/contract/define.ts';
import { queryKey } from './query-key.ts';
import { useEngine } from './use-engine.ts';

export interface CallResult<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly fetching: boolean;
  readonly updatedAt: number | null;
  readonly refetch: () => Promise<void>;
}

export function useCall<P extends CallPaths<Contract>>(path: P, input: InputOf<Contract[P]>): CallResult<OutputOf<Contract[P]>> {
  const { queries } = useEngine();
  const key = queryKey(path, input);
  // The input object may be new on every render; the key says whether it changed.
  const stableInput = useMemo(() => input, [key]);
  const subscribe = useCallback((listener: () => void) => queries.subscribe(path, stableInput, listener), [queries, path, stableInput]);
  const getSnapshot = useCallback(() => queries.getState(path, stableInput), [queries, path, stableInput]);
  const state = useSyncExternalStore(subscribe, getSnapshot);
  const refetch = useCallback(() => queries.refetch(path, stableInput), [queries, path, stableInput]);
  return { ...state, data: state.data as OutputOf<Contract[P]> | undefined, refetch };
}
