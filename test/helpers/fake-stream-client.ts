// A stream client whose streams a test drives frame by frame (the task list's pulls and pushes).
import type { StreamFrame } from '../../shared/wire.ts';
import type { StreamClient } from '../../renderer/src/tasks/task-list.ts';

export interface FakeStream<F> {
  path: string;
  input: unknown;
  send: (frame: StreamFrame<F>) => void;
  cancelled: boolean;
}

export function fakeStreamClient<F>(): { client: StreamClient; streams: FakeStream<F>[] } {
  const streams: FakeStream<F>[] = [];
  const client = {
    stream: (path: string, input: unknown, onFrame: (frame: StreamFrame<F>) => void) => {
      const entry = { path, input, send: onFrame, cancelled: false };
      streams.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
  } as unknown as StreamClient;
  return { client, streams };
}
