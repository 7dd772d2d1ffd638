import { describe, expect, it } from 'vitest';
import { createWebSocketBridge, parseServerMessage } from '../../../renderer/src/bridge/ws-bridge.ts';
import type { SocketLike } from '../../../renderer/src/bridge/ws-bridge.ts';
import { PodbayError, hasCode } from '../../../shared/errors.ts';
import type { ClientMessage, ServerMessage, StreamFrame } from '../../../shared/wire.ts';

class FakeSocket implements SocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: ClientMessage[] = [];
  closed = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.onopen?.({});
  }
  drop(code = 1006): void {
    this.onclose?.({ code });
  }
  reply(message: ServerMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const bridge = createWebSocketBridge({
    url: 'ws://127.0.0.1:1/ws?token=t',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
    now: () => 0,
    random: () => 0,
  });
  const latest = () => sockets[sockets.length - 1] as FakeSocket;
  /** Fires the pending reconnect timer. */
  const elapse = () => {
    const timer = timers.filter((t) => !t.cleared).pop();
    if (!timer) throw new Error('no reconnect scheduled');
    timer.cleared = true;
    timer.callback();
  };
  return { bridge, sockets, timers, latest, elapse };
}

describe('createWebSocketBridge', () => {
  it('connects to the given URL and answers calls from the socket', async () => {
    const { bridge, latest } = harness();
    expect(latest().url).toBe('ws://127.0.0.1:1/ws?token=t');
    latest().open();
    const result = bridge.call('system.info', {});
    const sent = latest().sent[0] as Extract<ClientMessage, { t: 'call' }>;
    expect(sent).toMatchObject({ t: 'call', path: 'system.info', input: {} });
    latest().reply({ t: 'result', id: sent.id, ok: true, value: { podbay: { version: '0.1.0' } } });
    await expect(result).resolves.toEqual({ podbay: { version: '0.1.0' } });
  });

  it('rebuilds engine errors as PodbayError with their code', async () => {
    const { bridge, latest } = harness();
    latest().open();
    const result = bridge.call('system.info', { extra: 1 });
    const sent = latest().sent[0] as { id: string };
    latest().reply({ t: 'result', id: sent.id, ok: false, error: { code: 'ErrInvalidArg', category: 'invalid-argument', message: 'input: unrecognized key' } });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PodbayError);
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
  });

  it('holds calls made before the socket opens and sends them once it does', async () => {
    const { bridge, latest } = harness();
    const result = bridge.call('system.info', {});
    expect(latest().sent).toHaveLength(0);
    latest().open();
    const sent = latest().sent[0] as { id: string };
    latest().reply({ t: 'result', id: sent.id, ok: true, value: 42 });
    await expect(result).resolves.toBe(42);
  });

  it('rejects calls in flight when the socket drops, with ErrCanceled', async () => {
    const { bridge, latest } = harness();
    latest().open();
    const result = bridge.call('system.info', {});
    latest().drop();
    expect(hasCode(await result.catch((e: unknown) => e), 'ErrCanceled')).toBe(true);
  });

  it('reconnects with backoff and reports the state', () => {
    const { bridge, latest, timers, elapse, sockets } = harness();
    const states: string[] = [];
    bridge.connection.subscribe(() => states.push(bridge.connection.get().status));
    latest().open();
    latest().drop();
    expect(bridge.connection.get().status).toBe('reconnecting');
    expect(timers.at(-1)?.ms).toBe(250);
    elapse();
    expect(sockets).toHaveLength(2);
    latest().drop();
    expect(timers.at(-1)?.ms).toBe(500);
    elapse();
    latest().open();
    expect(states).toEqual(['connected', 'reconnecting', 'reconnecting', 'connected']);
  });

  it('re-opens an open events stream after a reconnect, resuming after the last seq', () => {
    const { bridge, latest, elapse } = harness();
    const frames: StreamFrame<unknown>[] = [];
    latest().open();
    bridge.stream('system.events', {}, (frame) => frames.push(frame));
    const first = latest().sent[0] as { id: string };
    latest().reply({ t: 'data', id: first.id, value: { seq: 120, type: 'system', action: 'test' } });
    latest().drop();
    // The drop is invisible to the stream's consumer: no error frame.
    expect(frames.map((f) => f.type)).toEqual(['data']);
    elapse();
    latest().open();
    const reopened = latest().sent[0] as Extract<ClientMessage, { t: 'stream' }>;
    expect(reopened).toMatchObject({ t: 'stream', path: 'system.events', input: { sinceSeq: 120 } });
    latest().reply({ t: 'data', id: reopened.id, value: { seq: 121 } });
    expect(frames).toHaveLength(2);
  });

  it('does not re-open a stream that was cancelled or ended', () => {
    const { bridge, latest, elapse } = harness();
    latest().open();
    const cancelled = bridge.stream('system.events', {}, () => {});
    bridge.stream('system.events', { filter: { type: ['pod'] } }, () => {});
    const ended = latest().sent[1] as { id: string };
    latest().reply({ t: 'end', id: ended.id });
    bridge.cancel(cancelled);
    expect(latest().sent.at(-1)).toMatchObject({ t: 'cancel' });
    latest().drop();
    elapse();
    latest().open();
    expect(latest().sent).toHaveLength(0);
  });

  it('passes an error frame from the engine to the stream and stops it', () => {
    const { bridge, latest } = harness();
    latest().open();
    const frames: StreamFrame<unknown>[] = [];
    bridge.stream('system.events', {}, (frame) => frames.push(frame));
    const sent = latest().sent[0] as { id: string };
    latest().reply({ t: 'error', id: sent.id, error: { code: 'ErrInternal', category: 'internal', message: 'boom' } });
    expect(frames).toEqual([{ type: 'error', error: { code: 'ErrInternal', category: 'internal', message: 'boom' } }]);
  });

  it('calls the host unreachable when it refuses the socket (bad token)', () => {
    const { bridge, latest } = harness();
    latest().drop(4401);
    expect(bridge.connection.get().status).toBe('unreachable');
  });

  it('calls the host unreachable after repeated failures without ever connecting', () => {
    const { bridge, latest, elapse } = harness();
    latest().drop();
    expect(bridge.connection.get().status).toBe('connecting');
    elapse();
    latest().drop();
    elapse();
    latest().drop();
    expect(bridge.connection.get().status).toBe('unreachable');
  });

  it('retries at once on "Retry now"', () => {
    const { bridge, latest, sockets } = harness();
    latest().drop();
    bridge.connection.retryNow();
    expect(sockets).toHaveLength(2);
  });

  it('stops for good on close', async () => {
    const { bridge, latest, timers } = harness();
    const pending = bridge.call('system.info', {});
    bridge.close();
    expect(latest().closed).toBe(true);
    expect(hasCode(await pending.catch((e: unknown) => e), 'ErrCanceled')).toBe(true);
    expect(timers.every((t) => t.cleared)).toBe(true);
  });
});

describe('parseServerMessage', () => {
  it('accepts the four server messages', () => {
    expect(parseServerMessage('{"t":"end","id":"a"}')).toEqual({ t: 'end', id: 'a' });
  });

  it('drops anything else', () => {
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage('{"t":"call","id":"a"}')).toBeNull();
    expect(parseServerMessage('{"t":"end"}')).toBeNull();
    expect(parseServerMessage('null')).toBeNull();
    expect(parseServerMessage(new ArrayBuffer(2))).toBeNull();
  });
});
