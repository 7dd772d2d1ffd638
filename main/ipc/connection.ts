// The server half of the wire protocol for one connection (a window, a WebSocket, a test pipe):
// checks each message's envelope, runs calls and streams through the router, and aborts every open
// stream of the connection when it closes — a window that goes away leaves no work behind.
import { toErrorData, PodbayError } from '../../shared/errors.ts';
import { clientMessageSchema } from '../../shared/wire.ts';
import type { ServerMessage } from '../../shared/wire.ts';
import type { Router } from './router.ts';

export interface Connection {
  /** Hand every decoded message from the client here; malformed ones are answered, never thrown. */
  receive(raw: unknown): void;
  /** The client is gone: abort its calls and streams. */
  close(): void;
  /** Number of streams still open (for tests and diagnostics). */
  readonly openStreams: number;
}

export function serveConnection(router: Router, send: (message: ServerMessage) => void): Connection {
  const streams = new Map<string, AbortController>();
  const calls = new Set<AbortController>();
  /** Handlers see this key as ctx.connection: what a stream of this connection opens, only it may use. */
  const identity = Object.freeze({});
  let closed = false;

  const safeSend = (message: ServerMessage) => {
    if (!closed) send(message);
  };

  const runCall = async (id: string, path: string, input: unknown) => {
    const controller = new AbortController();
    calls.add(controller);
    try {
      const value = await router.call(path, input, controller.signal, identity);
      safeSend({ t: 'result', id, ok: true, value });
    } catch (error) {
      safeSend({ t: 'result', id, ok: false, error: toErrorData(error) });
    } finally {
      calls.delete(controller);
    }
  };

  const runStream = async (id: string, path: string, input: unknown) => {
    if (streams.has(id)) {
      safeSend({ t: 'error', id, error: new PodbayError('ErrInvalidArg', `stream id ${id} is already open`).toData() });
      return;
    }
    const controller = new AbortController();
    streams.set(id, controller);
    try {
      const iterable = router.stream(path, input, controller.signal, identity);
      for await (const value of iterable) {
        if (controller.signal.aborted) break;
        safeSend({ t: 'data', id, value });
      }
      if (!controller.signal.aborted) safeSend({ t: 'end', id });
    } catch (error) {
      if (!controller.signal.aborted) safeSend({ t: 'error', id, error: toErrorData(error) });
    } finally {
      streams.delete(id);
    }
  };

  return {
    receive(raw) {
      if (closed) return;
      const parsed = clientMessageSchema.safeParse(raw);
      if (!parsed.success) {
        const id = typeof (raw as { id?: unknown })?.id === 'string' ? String((raw as { id: string }).id).slice(0, 64) : '?';
        safeSend({ t: 'result', id, ok: false, error: new PodbayError('ErrInvalidArg', 'malformed message').toData() });
        return;
      }
      const message = parsed.data;
      switch (message.t) {
        case 'call':
          void runCall(message.id, message.path, message.input);
          return;
        case 'stream':
          void runStream(message.id, message.path, message.input);
          return;
        case 'cancel':
          streams.get(message.id)?.abort(new PodbayError('ErrCanceled', 'canceled by the client'));
          return;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      const reason = new PodbayError('ErrCanceled', 'client went away');
      for (const controller of streams.values()) controller.abort(reason);
      for (const controller of calls) controller.abort(reason);
      streams.clear();
    },
    get openStreams() {
      return streams.size;
    },
  };
}
