import { describe, expect, it } from 'vitest';
import type { PodbayBridge } from '../../../shared/bridge.ts';
import type { StreamFrame } from '../../../shared/wire.ts';
import type { ConnectionMonitor, ConnectionState } from '../../../renderer/src/bridge/connection-state.ts';
import { createEngine } from '../../../renderer/src/query/engine.ts';
import { pathsToInvalidate } from '../../../renderer/src/query/event-invalidation.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';

function fakeBridge() {
  const calls: string[] = [];
  const streams = new Map<string, { path: string; onFrame: (frame: StreamFrame<unknown>) => void }>();
  let n = 0;
  const bridge: PodbayBridge = {
    call: async (path) => {
      calls.push(path);
      return { n: calls.length };
    },
    stream: (path, _input, onFrame) => {
      const id = `s${++n}`;
      streams.set(id, { path, onFrame });
      return id;
    },
    cancel: (id) => void streams.delete(id),
  };
  return { bridge, calls, streams };
}

function fakeConnection(initial: ConnectionState['status']) {
  let state: ConnectionState = { status: initial, attempt: 0, retryAt: null, everConnected: initial === 'connected' };
  const listeners = new Set<() => void>();
  const monitor: ConnectionMonitor = {
    get: () => state,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    retryNow: () => {},
  };
  const set = (status: ConnectionState['status']) => {
    state = { ...state, status, everConnected: state.everConnected || status === 'connected' };
    listeners.forEach((l) => l());
  };
  return { monitor, set };
}

const event = (seq: number, type: PodbayEvent['type'], action = 'test'): PodbayEvent => ({ seq, time: '2026-01-01T00:00:00.000Z', type, action, id: 'x', name: 'e2e', attributes: {} });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createEngine', () => {
  it('follows system.events from the start', () => {
    const { bridge, streams } = fakeBridge();
    createEngine(bridge, fakeConnection('connected').monitor);
    expect([...streams.values()].map((s) => s.path)).toEqual(['system.events']);
  });

  it('refetches the queries an event names, and keeps the event for the Events page', async () => {
    const { bridge, calls, streams } = fakeBridge();
    const engine = createEngine(bridge, fakeConnection('connected').monitor);
    engine.queries.subscribe('system.info', {}, () => {});
    await flush();
    expect(calls).toEqual(['system.info']);
    const events = [...streams.values()][0];
    events?.onFrame({ type: 'data', value: event(1, 'system') });
    events?.onFrame({ type: 'data', value: event(2, 'volume') });
    await flush();
    expect(calls).toEqual(['system.info', 'system.info']);
    expect(engine.events.getState().recent.map((e) => e.seq)).toEqual([2, 1]);
  });

  it('refetches watched queries when the connection comes back, not on the first connection', async () => {
    const { bridge, calls } = fakeBridge();
    const connection = fakeConnection('connecting');
    const engine = createEngine(bridge, connection.monitor);
    engine.queries.subscribe('system.info', {}, () => {});
    await flush();
    connection.set('connected');
    await flush();
    expect(calls).toHaveLength(1);
    connection.set('reconnecting');
    connection.set('connected');
    await flush();
    expect(calls).toHaveLength(2);
  });

  it('shows a failed event stream and resubscribes on request', () => {
    const { bridge, streams } = fakeBridge();
    const engine = createEngine(bridge, fakeConnection('connected').monitor);
    [...streams.values()][0]?.onFrame({ type: 'error', error: { code: 'ErrInternal', category: 'internal', message: 'boom' } });
    expect(engine.events.getState()).toMatchObject({ status: 'failed', error: { code: 'ErrInternal' } });
    engine.events.restart();
    expect(engine.events.getState().status).toBe('live');
    expect(streams.size).toBe(2);
  });

  it('stops following on dispose', () => {
    const { bridge, streams } = fakeBridge();
    createEngine(bridge, fakeConnection('connected').monitor).dispose();
    expect(streams.size).toBe(0);
  });
});

describe('pathsToInvalidate', () => {
  it('maps a system event to system.info', () => {
    expect(pathsToInvalidate({ type: 'system', action: 'refresh' })).toEqual(['system.info']);
  });

  it('honours action lists and removes duplicates', () => {
    const rules = [
      { type: 'container', actions: ['start', 'died'], paths: ['system.info'] },
      { type: 'container', paths: ['system.info'] },
    ] as const;
    expect(pathsToInvalidate({ type: 'container', action: 'start' }, rules)).toEqual(['system.info']);
    expect(pathsToInvalidate({ type: 'image', action: 'pull' }, rules)).toEqual([]);
  });
});
