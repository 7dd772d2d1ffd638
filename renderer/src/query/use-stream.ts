// `useStream(path, input, onData)`: a stream procedure open while the component is mounted (and its
// input unchanged, and `enabled`), cancelled on unmount. Frames go to `onData`; the hook reports the
// stream's status (`ended` while not enabled).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Contract } from '../../../shared/contract.ts';
import type { DataOf, InputOf, StreamPaths } from '../../../shared/contract/define.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import { queryKey } from './query-key.ts';
import { useEngine } from './use-engine.ts';

export interface StreamStatus {
  readonly status: 'open' | 'ended' | 'failed';
  readonly error: ErrorData | null;
}

export function useStream<P extends StreamPaths<Contract>>(path: P, input: InputOf<Contract[P]>, onData: (value: DataOf<Contract[P]>) => void, enabled = true): StreamStatus {
  const { client } = useEngine();
  const key = queryKey(path, input);
  const stableInput = useMemo(() => input, [key]);
  const handler = useRef(onData);
  handler.current = onData;
  const [status, setStatus] = useState<StreamStatus>({ status: enabled ? 'open' : 'ended', error: null });

  useEffect(() => {
    if (!enabled) {
      setStatus((s) => (s.status === 'open' ? { status: 'ended', error: s.error } : s));
      return;
    }
    setStatus({ status: 'open', error: null });
    return client.stream(path, stableInput, (frame) => {
      if (frame.type === 'data') handler.current(frame.value);
      else setStatus({ status: frame.type === 'end' ? 'ended' : 'failed', error: frame.type === 'error' ? frame.error : null });
    });
  }, [client, path, stableInput, enabled]);

  return status;
}
