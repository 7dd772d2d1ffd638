import { describe, expect, it } from 'vitest';
import type { TypedClient } from '../../../shared/client.ts';
import type { StreamFrame } from '../../../shared/wire.ts';
import { afterFailure, afterOpen, initialConnectionState } from '../../../renderer/src/bridge/connection-state.ts';
import type { ConnectionMonitor, ConnectionState } from '../../../renderer/src/bridge/connection-state.ts';
import { onResync } from '../../../renderer/src/containers/use-live-list.ts';
import { EventHub } from '../../../renderer/src/query/event-hub.ts';

function fakeConnection(initial: ConnectionState) {
  let state = initial;
  const listeners = new Set<() => void>();
  const monitor: ConnectionMonitor = {
    get: () => state,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    retryNow: () => {},
  };
  return { monitor, set: (next: ConnectionState) => ((state = next), listeners.forEach((l) => l())) };
}

function fakeHub() {
  let onFrame: ((frame: StreamFrame<unknown>) => void) | null = null;
  const client = { stream: (_path: string, _input: unknown, cb: (frame: StreamFrame<unknown>) => void) => ((onFrame = cb), () => {}) } as unknown as TypedClient;
  const hub = new EventHub(client);
  hub.start();
  return { hub, frame: (frame: StreamFrame<unknown>) => onFrame?.(frame) };
}

describe('onResync (the live lists’ full refetch)', () => {
  it('ignores the first connection and fires on every reconnect', () => {
    const link = fakeConnection(initialConnectionState);
    const { hub } = fakeHub();
    let resyncs = 0;
    const stop = onResync(link.monitor, hub, () => resyncs++);
    link.set(afterOpen());
    expect(resyncs).toBe(0);
    link.set(afterFailure(afterOpen(), 0));
    link.set(afterOpen());
    expect(resyncs).toBe(1);
    stop();
    link.set(afterFailure(afterOpen(), 0));
    link.set(afterOpen());
    expect(resyncs).toBe(1);
  });

  it('fires when the event feed goes live again after failing', () => {
    const link = fakeConnection(afterOpen());
    const { hub, frame } = fakeHub();
    let resyncs = 0;
    onResync(link.monitor, hub, () => resyncs++);
    frame({ type: 'error', error: { code: 'ErrInternal', category: 'internal', message: 'log gone' } });
    expect(hub.getState().status).toBe('failed');
    expect(resyncs).toBe(0);
    hub.restart();
    expect(resyncs).toBe(1);
  });
});
