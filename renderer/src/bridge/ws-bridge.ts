// The browser transport: the wire protocol over a WebSocket to the loopback web host, as one
// PodbayBridge that outlives any single socket. When the socket drops it reconnects with backoff and
// re-opens every open stream (resuming where it can, see stream-resume.ts); calls made while
// disconnected wait for the next connection. Calls in flight when the socket drops reject with
// ErrCanceled and are never retried here (they may not be idempotent) — the query layer refetches.
import type { PodbayBridge } from '../../../shared/bridge.ts';
import { createPipeClient } from '../../../shared/client.ts';
import type { PipeClient } from '../../../shared/client.ts';
import { PodbayError } from '../../../shared/errors.ts';
import type { ServerMessage, StreamFrame } from '../../../shared/wire.ts';
import { defaultBackoff, reconnectDelay } from './backoff.ts';
import type { BackoffPolicy } from './backoff.ts';
import { afterFailure, afterOpen, afterRefusal, initialConnectionState } from './connection-state.ts';
import type { ConnectionMonitor, ConnectionState } from './connection-state.ts';
import { resumeInput, streamResumers } from './stream-resume.ts';
import type { ResumeInput } from './stream-resume.ts';

/** The part of the DOM WebSocket this transport uses (tests pass a fake). */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface WebSocketBridgeOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
  random?: () => number;
  backoff?: BackoffPolicy;
  resumers?: Readonly<Record<string, ResumeInput>>;
}

export interface WebSocketBridge extends PodbayBridge {
  readonly connection: ConnectionMonitor;
  /** Closes the socket for good: queued calls reject, no more reconnects. */
  close(): void;
}

/** Close codes by which the web host says "not you" (policy violation, or 4401/4403 as HTTP's). */
const refusalCodes = new Set([1008, 4401, 4403]);

interface OpenStream {
  readonly path: string;
  readonly input: unknown;
  readonly onFrame: (frame: StreamFrame<unknown>) => void;
  client: PipeClient | null;
  innerId: string | null;
  lastData: unknown;
  hasData: boolean;
}

interface QueuedCall {
  readonly path: string;
  readonly input: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export function createWebSocketBridge(options: WebSocketBridgeOptions): WebSocketBridge {
  const {
    url,
    createSocket = (socketUrl: string) => new WebSocket(socketUrl) as unknown as SocketLike,
    setTimer = (callback: () => void, ms: number) => setTimeout(callback, ms),
    clearTimer = (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now = () => Date.now(),
    random = Math.random,
    backoff = defaultBackoff,
    resumers = streamResumers,
  } = options;

  let state: ConnectionState = initialConnectionState;
  const listeners = new Set<() => void>();
  let socket: SocketLike | null = null;
  let client: PipeClient | null = null;
  let timer: unknown = null;
  let closed = false;
  const streams = new Map<string, OpenStream>();
  const queued: QueuedCall[] = [];
  const idPrefix = `ws${Math.floor(random() * 1e9).toString(36)}`;
  let idCounter = 0;

  const setState = (next: ConnectionState) => {
    state = next;
    for (const listener of [...listeners]) listener();
  };

  const openOn = (pipe: PipeClient, outerId: string, entry: OpenStream) => {
    entry.client = pipe;
    const input = resumeInput(entry.path, entry.input, entry.lastData, entry.hasData, resumers);
    entry.innerId = pipe.stream(entry.path, input, (frame) => {
      if (entry.client !== pipe || streams.get(outerId) !== entry) return;
      if (frame.type === 'data') {
        entry.lastData = frame.value;
        entry.hasData = true;
      } else {
        streams.delete(outerId);
      }
      entry.onFrame(frame);
    });
  };

  const scheduleRetry = (refused: boolean) => {
    if (closed) return;
    const delay = reconnectDelay(refused ? Math.max(state.attempt, 4) : state.attempt, backoff, random);
    setState(refused ? afterRefusal(state, now() + delay) : afterFailure(state, now() + delay));
    timer = setTimer(connect, delay);
  };

  function connect(): void {
    timer = null;
    if (closed) return;
    let sock: SocketLike;
    try {
      sock = createSocket(url);
    } catch {
      scheduleRetry(false);
      return;
    }
    socket = sock;
    const pipe = createPipeClient({ send: (message) => sock.send(JSON.stringify(message)) }, () => `${idPrefix}-${++idCounter}`);
    sock.onopen = () => {
      if (socket !== sock) return;
      client = pipe;
      setState(afterOpen());
      for (const [outerId, entry] of streams) openOn(pipe, outerId, entry);
      for (const call of queued.splice(0)) pipe.call(call.path, call.input).then(call.resolve, call.reject);
    };
    sock.onmessage = (event) => {
      if (socket !== sock) return;
      const message = parseServerMessage(event.data);
      if (message) pipe.receive(message);
    };
    sock.onerror = () => {
      // A close event always follows; reconnecting is decided there.
    };
    sock.onclose = (event) => {
      if (socket !== sock) return;
      socket = null;
      client = null;
      for (const entry of streams.values()) {
        if (entry.client === pipe) {
          entry.client = null;
          entry.innerId = null;
        }
      }
      pipe.disconnect('the connection to the engine dropped');
      scheduleRetry(refusalCodes.has(event.code));
    };
  }

  const connection: ConnectionMonitor = {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    retryNow() {
      if (closed || timer === null) return;
      clearTimer(timer);
      connect();
    },
  };

  connect();

  return {
    connection,
    call(path, input) {
      if (closed) return Promise.reject(new PodbayError('ErrCanceled', 'connection closed'));
      if (client) return client.call(path, input);
      return new Promise((resolve, reject) => queued.push({ path, input, resolve, reject }));
    },
    stream(path, input, onFrame) {
      const outerId = `${idPrefix}-s${++idCounter}`;
      const entry: OpenStream = { path, input, onFrame, client: null, innerId: null, lastData: undefined, hasData: false };
      if (closed) {
        queueMicrotask(() => onFrame({ type: 'error', error: new PodbayError('ErrCanceled', 'connection closed').toData() }));
        return outerId;
      }
      streams.set(outerId, entry);
      if (client) openOn(client, outerId, entry);
      return outerId;
    },
    cancel(id) {
      const entry = streams.get(id);
      if (!entry) return;
      streams.delete(id);
      if (entry.client && entry.innerId) entry.client.cancel(entry.innerId);
    },
    close() {
      closed = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const sock = socket;
      socket = null;
      client = null;
      sock?.close();
      const error = new PodbayError('ErrCanceled', 'connection closed');
      for (const call of queued.splice(0)) call.reject(error);
      streams.clear();
    },
  };
}

const serverMessageTypes = new Set(['result', 'data', 'end', 'error']);

/** Decodes one frame from the socket; anything that is not a server message is dropped. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { t, id } = value as { t?: unknown; id?: unknown };
  if (typeof t !== 'string' || !serverMessageTypes.has(t) || typeof id !== 'string') return null;
  return value as ServerMessage;
}
