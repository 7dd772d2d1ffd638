import { describe, expect, it } from 'vitest';
import { createWindowConnections } from '../../../main/electron/window-connections.ts';
import type { Router } from '../../../main/ipc/router.ts';
import { PodbayError } from '../../../shared/errors.ts';
import { maxMessageBytes } from '../../../shared/wire.ts';
import type { ServerMessage } from '../../../shared/wire.ts';

/** A router with one call that echoes and one stream that runs until aborted. */
function fakeRouter() {
  const aborted: string[] = [];
  const router: Router = {
    async call(path, input) {
      if (path !== 'echo') throw new PodbayError('ErrInvalidArg', `unknown procedure ${path}`);
      return input;
    },
    async *stream(path, _input, signal) {
      yield `${path}:first`;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.push(path);
    },
  };
  return { router, aborted };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createWindowConnections', () => {
  it('answers each window on its own way back', async () => {
    const { router } = fakeRouter();
    const connections = createWindowConnections(router);
    const toOne: ServerMessage[] = [];
    const toTwo: ServerMessage[] = [];
    connections.receive(1, (m) => toOne.push(m), { t: 'call', id: 'a', path: 'echo', input: { n: 1 } });
    connections.receive(2, (m) => toTwo.push(m), { t: 'call', id: 'b', path: 'echo', input: { n: 2 } });
    await tick();
    expect(toOne).toEqual([{ t: 'result', id: 'a', ok: true, value: { n: 1 } }]);
    expect(toTwo).toEqual([{ t: 'result', id: 'b', ok: true, value: { n: 2 } }]);
    expect(connections.size).toBe(2);
  });

  it('aborts the streams of a window that closes, and only those', async () => {
    const { router, aborted } = fakeRouter();
    const connections = createWindowConnections(router);
    const sent: ServerMessage[] = [];
    connections.receive(1, (m) => sent.push(m), { t: 'stream', id: 's1', path: 'events-one', input: {} });
    connections.receive(2, (m) => sent.push(m), { t: 'stream', id: 's2', path: 'events-two', input: {} });
    await tick();
    expect(sent).toContainEqual({ t: 'data', id: 's1', value: 'events-one:first' });
    connections.close(1);
    await tick();
    expect(aborted).toEqual(['events-one']);
    expect(connections.size).toBe(1);
    connections.close(2);
    connections.close(99);
    await tick();
    expect(aborted).toEqual(['events-one', 'events-two']);
  });

  it('refuses an oversized message with ErrInvalidArg and keeps serving', async () => {
    const { router } = fakeRouter();
    const connections = createWindowConnections(router);
    const sent: ServerMessage[] = [];
    const send = (m: ServerMessage) => sent.push(m);
    connections.receive(1, send, { t: 'call', id: 'big', path: 'echo', input: 'x'.repeat(maxMessageBytes) });
    connections.receive(1, send, { t: 'call', id: 'small', path: 'echo', input: 'ok' });
    await tick();
    expect(sent[0]).toMatchObject({ t: 'result', id: 'big', ok: false, error: { code: 'ErrInvalidArg' } });
    expect(sent).toContainEqual({ t: 'result', id: 'small', ok: true, value: 'ok' });
  });

  it('refuses what JSON cannot carry, as the WebSocket transport would', async () => {
    const { router } = fakeRouter();
    const connections = createWindowConnections(router);
    const sent: ServerMessage[] = [];
    connections.receive(1, (m) => sent.push(m), { t: 'call', id: 'n', path: 'echo', input: 10n });
    const cyclic: Record<string, unknown> = { t: 'call', id: 'c', path: 'echo' };
    cyclic.input = cyclic;
    connections.receive(1, (m) => sent.push(m), cyclic);
    await tick();
    expect(sent).toEqual([
      expect.objectContaining({ t: 'result', id: 'n', ok: false, error: expect.objectContaining({ code: 'ErrInvalidArg' }) }),
      expect.objectContaining({ t: 'result', id: 'c', ok: false, error: expect.objectContaining({ code: 'ErrInvalidArg' }) }),
    ]);
  });

  it('passes values as JSON would: a Map arrives as an empty object', async () => {
    const { router } = fakeRouter();
    const connections = createWindowConnections(router);
    const sent: ServerMessage[] = [];
    connections.receive(1, (m) => sent.push(m), { t: 'call', id: 'm', path: 'echo', input: { m: new Map([[1, 2]]) } });
    await tick();
    expect(sent).toEqual([{ t: 'result', id: 'm', ok: true, value: { m: {} } }]);
  });

  it('answers malformed envelopes with ErrInvalidArg', async () => {
    const { router } = fakeRouter();
    const connections = createWindowConnections(router);
    const sent: ServerMessage[] = [];
    connections.receive(1, (m) => sent.push(m), { t: 'call', id: 'x', path: 'echo', input: 1, extra: true });
    connections.receive(1, (m) => sent.push(m), null);
    await tick();
    expect(sent).toHaveLength(2);
    for (const message of sent) expect(message).toMatchObject({ t: 'result', ok: false, error: { code: 'ErrInvalidArg' } });
  });
});
