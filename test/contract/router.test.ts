import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from '../../shared/contract.ts';
import { call, stream } from '../../shared/contract/define.ts';
import type { Handlers } from '../../shared/contract/define.ts';
import { typedClient } from '../../shared/client.ts';
import type { StreamFrame } from '../../shared/wire.ts';
import { createAppContext } from '../../main/app-context.ts';
import { createAppRouter } from '../../main/app-router.ts';
import { EventLog } from '../../main/core/events/event-log.ts';
import { createInMemoryPair } from '../../main/ipc/in-memory-transport.ts';
import type { InMemoryPair } from '../../main/ipc/in-memory-transport.ts';
import { createRouter } from '../../main/ipc/router.ts';
import { createHandlers } from '../../main/ipc/handlers.ts';
import { rejectionCode } from '../helpers/error-codes.ts';
import { makeTempStore } from '../helpers/temp-store.ts';
import type { TempStore } from '../helpers/temp-store.ts';

function collect<D>(onFrame: (register: (frame: StreamFrame<D>) => void) => void) {
  const frames: StreamFrame<D>[] = [];
  const waiters: (() => void)[] = [];
  onFrame((frame) => {
    frames.push(frame);
    waiters.splice(0).forEach((wake) => wake());
  });
  return {
    frames,
    async until(predicate: (frames: StreamFrame<D>[]) => boolean, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!predicate(frames)) {
        if (Date.now() > deadline) throw new Error(`timed out; frames: ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

describe('the contract over the in-memory transport', () => {
  let store: TempStore;
  let pair: InMemoryPair;

  beforeEach(() => {
    store = makeTempStore();
    pair = createInMemoryPair(createAppRouter(createAppContext({ root: store.root, runRoot: store.runRoot })));
  });
  afterEach(() => {
    pair.close();
    store.cleanup();
  });

  it('answers system.info with the store paths it was given', async () => {
    const info = await typedClient(pair.client).call('system.info', {});
    expect(info.store.graphRoot).toBe(store.root);
    expect(info.store.runRoot).toBe(store.runRoot);
    expect(info.components.map((c) => c.name)).toEqual(['crun', 'runc', 'conmon', 'catatonit', 'netavark', 'aardvark-dns']);
    expect(['v1', 'hybrid', 'v2']).toContain(info.host.cgroups.mode);
    expect(info.host.rlimits.find((r) => r.resource === 'RLIMIT_NOFILE')).toBeDefined();
  });

  it.each([
    ['an extra key', { surprise: 1 }],
    ['a string instead of an object', 'info'],
    ['null', null],
    ['an array', []],
  ])('refuses system.info with %s as ErrInvalidArg and keeps serving', async (_what, input) => {
    expect(await rejectionCode(pair.client.call('system.info', input))).toBe('ErrInvalidArg');
    expect((await typedClient(pair.client).call('system.info', {})).podbay.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('checks the network and pod procedures\' input before any handler runs, and creates and lists networks', async () => {
    for (const [path, input] of [
      ['networks.create', { subnets: '10.89.0.0/24' }],
      ['networks.create', { name: 'x', internal: 'yes' }],
      ['networks.remove', { nameOrIds: [] }],
      ['networks.connect', { network: 'x', containers: [] }],
      ['pods.create', { share: ['mnt'] }],
      ['containers.create', { rootfs: '/srv', command: ['true'], network: [] }],
      ['containers.create', { rootfs: '/srv', command: ['true'], publish: '80' }],
    ] as const) {
      expect(await rejectionCode(pair.client.call(path, input))).toBe('ErrInvalidArg');
    }
    const client = typedClient(pair.client);
    // A bridge name no host has: nothing here may touch the host's networking.
    const made = await client.call('networks.create', { name: 'ct-web', subnets: [{ subnet: '10.89.249.0/24' }], interfaceName: 'pbct1' });
    expect(made).toMatchObject({ name: 'ct-web', dnsEnabled: true, subnets: [{ subnet: '10.89.249.0/24', gateway: '10.89.249.1' }] });
    expect((await client.call('networks.list', {})).map((n) => n.name)).toContain('ct-web');
    expect(await rejectionCode(client.call('networks.inspect', { nameOrId: 'nosuch' }))).toBe('ErrNoSuchNetwork');
    expect(await client.call('networks.remove', { nameOrIds: ['ct-web'] })).toEqual([{ nameOrId: 'ct-web', name: 'ct-web', removedContainers: [], error: null }]);
  });

  it('refuses an unknown procedure and a stream called as a call', async () => {
    expect(await rejectionCode(pair.client.call('system.nope', {}))).toBe('ErrInvalidArg');
    expect(await rejectionCode(pair.client.call('system.events', {}))).toBe('ErrInvalidArg');
    expect(await rejectionCode(pair.client.call('__proto__', {}))).toBe('ErrInvalidArg');
    expect(await rejectionCode(pair.client.call('toString', {}))).toBe('ErrInvalidArg');
  });

  it('refuses stream input of the wrong type, a huge string and a negative number', async () => {
    for (const input of [{ sinceSeq: 'x' }, { filter: { id: ['a'.repeat(100_000)] } }, { sinceSeq: -1 }, { filter: { type: ['bogus'] } }]) {
      const result = collect<unknown>((register) => pair.client.stream('system.events', input, register));
      await result.until((frames) => frames.length > 0);
      expect(result.frames[0]).toMatchObject({ type: 'error', error: { code: 'ErrInvalidArg', category: 'invalid-argument' } });
    }
  });

  it('answers a malformed envelope with ErrInvalidArg and keeps the connection', async () => {
    const sent: unknown[] = [];
    const router = createAppRouter(createAppContext({ root: store.root, runRoot: store.runRoot }));
    const { serveConnection } = await import('../../main/ipc/connection.ts');
    const connection = serveConnection(router, (message) => sent.push(message));
    connection.receive({ t: 'call', id: 'x'.repeat(1000), path: 'system.info', input: {} });
    connection.receive({ t: 'launch-missiles', id: 'm1' });
    connection.receive('not an object');
    connection.receive({ t: 'call', id: 'ok', path: 'system.info', input: {} });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sent.slice(0, 3)).toEqual(Array(3).fill(expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'ErrInvalidArg' }) })));
    expect(sent[3]).toMatchObject({ t: 'result', id: 'ok', ok: true });
    connection.close();
  });

  it('delivers an event written by another process-like writer to system.events, then stops on cancel', async () => {
    const client = typedClient(pair.client);
    let stop: () => void = () => undefined;
    const events = collect<{ action: string; name: string }>((register) => {
      stop = client.stream('system.events', {}, register as never);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A second EventLog on the same file stands for the CLI in another process.
    new EventLog(`${store.runRoot}/events/events.log`).write({ type: 'system', action: 'refresh', id: 'abc', name: 'cli' });
    await events.until((frames) => frames.some((f) => f.type === 'data'));
    expect(events.frames[0]).toMatchObject({ type: 'data', value: { type: 'system', action: 'refresh', name: 'cli' } });
    stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pair.connection.openStreams).toBe(0);
  });

  it('replays events after a sequence number, without repeating the one given', async () => {
    const log = new EventLog(`${store.runRoot}/events/events.log`);
    for (const name of ['one', 'two', 'three']) log.write({ type: 'container', action: 'create', id: name, name });
    const all = collect<{ seq: number; name: string }>((register) => pair.client.stream('system.events', { sinceSeq: 0 }, register as never));
    await all.until((frames) => frames.length >= 2);
    const names = all.frames.map((f) => (f.type === 'data' ? f.value.name : f.type));
    // seq 0 is the first record itself: "after 0" starts at the second.
    expect(names).toEqual(['two', 'three']);
  });
});

describe('createRouter', () => {
  const testContract = {
    'test.echo': call<{ text: string }>()(z.strictObject({ text: z.string().max(10) })),
    'test.forever': stream<number>()(z.strictObject({})),
  };

  it('never runs a handler with invalid input', async () => {
    let ran = 0;
    const handlers = {
      'test.echo': async (input) => {
        ran++;
        return { text: input.text };
      },
      'test.forever': async function* () {
        yield 1;
      },
    } satisfies Handlers<typeof testContract>;
    const router = createRouter(testContract, handlers);
    const signal = new AbortController().signal;
    await expect(router.call('test.echo', { text: 'x'.repeat(11) }, signal)).rejects.toMatchObject({ code: 'ErrInvalidArg' });
    expect(ran).toBe(0);
    await expect(router.call('test.echo', { text: 'hi' }, signal)).resolves.toEqual({ text: 'hi' });
    expect(ran).toBe(1);
  });

  it('aborts a stream handler when the client cancels or goes away', async () => {
    let aborted = 0;
    const handlers = {
      'test.echo': async (input) => input,
      'test.forever': async function* (_input, { signal }) {
        let n = 0;
        while (!signal.aborted) {
          yield n++;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        aborted++;
      },
    } satisfies Handlers<typeof testContract>;
    const pair = createInMemoryPair(createRouter(testContract, handlers));
    const seen = collect<number>((register) => {
      const id = pair.client.stream('test.forever', {}, register as never);
      setTimeout(() => pair.client.cancel(id), 100);
    });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(aborted).toBe(1);
    expect(pair.connection.openStreams).toBe(0);
    const count = seen.frames.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.frames.length).toBe(count);

    pair.client.stream('test.forever', {}, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    pair.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(aborted).toBe(2);
  });

  it('has exactly one handler for every procedure of the contract', () => {
    // The compile-time half is `satisfies Handlers<Contract>` in main/ipc/handlers.ts; this is the
    // run-time half: no procedure without a function, no function outside the contract.
    const store = makeTempStore();
    const ctx = createAppContext({ root: store.root, runRoot: store.runRoot });
    const handlers = createHandlers(ctx);
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(contract).sort());
    for (const handler of Object.values(handlers)) expect(typeof handler).toBe('function');
    store.cleanup();
  });
});
