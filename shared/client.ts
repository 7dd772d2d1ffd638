// The client half of the wire protocol: turns a message pipe into a PodbayBridge, and a bridge into
// a typed API keyed by contract path. Used by the preload, the browser transport and contract tests.
import type { PodbayBridge } from './bridge.ts';
import type { Contract } from './contract.ts';
import type { CallPaths, DataOf, InputOf, OutputOf, StreamPaths } from './contract/define.ts';
import { PodbayError } from './errors.ts';
import type { ClientMessage, ServerMessage, StreamFrame } from './wire.ts';

export interface MessagePipe {
  send(message: ClientMessage): void;
}

export interface PipeClient extends PodbayBridge {
  /** Feed every message that arrives from the server here. */
  receive(message: ServerMessage): void;
  /** The connection is gone: pending calls reject, open streams get an error frame. */
  disconnect(reason: string): void;
}

export function createPipeClient(pipe: MessagePipe, newId: () => string = counterIds()): PipeClient {
  const pendingCalls = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const openStreams = new Map<string, (frame: StreamFrame<unknown>) => void>();
  let gone: string | null = null;

  return {
    call(path, input) {
      if (gone) return Promise.reject(new PodbayError('ErrCanceled', `connection closed: ${gone}`));
      const id = newId();
      return new Promise((resolve, reject) => {
        pendingCalls.set(id, { resolve, reject });
        pipe.send({ t: 'call', id, path, input });
      });
    },
    stream(path, input, onFrame) {
      const id = newId();
      if (gone) {
        queueMicrotask(() => onFrame({ type: 'error', error: { code: 'ErrCanceled', category: 'canceled', message: `connection closed: ${gone}` } }));
        return id;
      }
      openStreams.set(id, onFrame);
      pipe.send({ t: 'stream', id, path, input });
      return id;
    },
    cancel(id) {
      if (!openStreams.delete(id) || gone) return;
      pipe.send({ t: 'cancel', id });
    },
    receive(message) {
      switch (message.t) {
        case 'result': {
          const pending = pendingCalls.get(message.id);
          if (!pending) return;
          pendingCalls.delete(message.id);
          if (message.ok) pending.resolve(message.value);
          else pending.reject(PodbayError.fromData(message.error));
          return;
        }
        case 'data':
          openStreams.get(message.id)?.({ type: 'data', value: message.value });
          return;
        case 'end':
        case 'error': {
          const onFrame = openStreams.get(message.id);
          openStreams.delete(message.id);
          onFrame?.(message.t === 'end' ? { type: 'end' } : { type: 'error', error: message.error });
          return;
        }
      }
    },
    disconnect(reason) {
      gone = reason;
      const error = new PodbayError('ErrCanceled', `connection closed: ${reason}`);
      for (const { reject } of pendingCalls.values()) reject(error);
      pendingCalls.clear();
      for (const onFrame of openStreams.values()) onFrame({ type: 'error', error: error.toData() });
      openStreams.clear();
    },
  };
}

function counterIds(): () => string {
  let n = 0;
  const prefix = Math.random().toString(36).slice(2, 8);
  return () => `${prefix}-${++n}`;
}

/** The typed face of a bridge: paths, inputs and outputs checked against the contract at compile time. */
export interface TypedClient {
  call<P extends CallPaths<Contract>>(path: P, input: InputOf<Contract[P]>): Promise<OutputOf<Contract[P]>>;
  stream<P extends StreamPaths<Contract>>(
    path: P,
    input: InputOf<Contract[P]>,
    onFrame: (frame: StreamFrame<DataOf<Contract[P]>>) => void,
  ): () => void;
}

export function typedClient(bridge: PodbayBridge): TypedClient {
  return {
    call: (path, input) => bridge.call(path, input) as never,
    stream(path, input, onFrame) {
      const id = bridge.stream(path, input, onFrame as (frame: StreamFrame<unknown>) => void);
      return () => bridge.cancel(id);
    },
  };
}
