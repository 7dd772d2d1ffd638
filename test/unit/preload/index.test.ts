// The preload as Electron runs it: bundled the way scripts/build.mjs bundles it, then evaluated in a
// fresh VM context whose `require` knows nothing but a fake `electron` — so the test also proves the
// sandboxed preload needs no other module. The fake records what reaches the page.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PodbayBridge } from '../../../shared/bridge.ts';
import { bridgeKeys } from '../../../shared/bridge.ts';
import type { ClientMessage, ServerMessage, StreamFrame } from '../../../shared/wire.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
let bundle = '';

beforeAll(async () => {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: ['preload/index.ts'],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]?.text ?? '';
});

interface FakeElectron {
  exposed: Array<{ key: string; api: unknown }>;
  sent: Array<{ channel: string; message: ClientMessage }>;
  listeners: Map<string, (event: unknown, message: unknown) => void>;
  required: string[];
  /** Delivers a message from main, as ipcRenderer would, with an event object the page must not see. */
  reply(message: ServerMessage): void;
}

function loadPreload(): FakeElectron {
  const fake: FakeElectron = {
    exposed: [],
    sent: [],
    listeners: new Map(),
    required: [],
    reply(message) {
      const listener = fake.listeners.get('podbay:msg');
      if (!listener) throw new Error('the preload registered no listener on podbay:msg');
      listener({ sender: { secret: 'ipcRenderer' }, ports: [] }, message);
    },
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => fake.exposed.push({ key, api }),
    },
    ipcRenderer: {
      send: (channel: string, message: ClientMessage) => {
        fake.sent.push({ channel, message });
        return 'ipcRenderer.send result';
      },
      on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
        fake.listeners.set(channel, listener);
      },
    },
  };
  const module = { exports: {} };
  const require = (name: string) => {
    fake.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  runInNewContext(bundle, { require, module, exports: module.exports, queueMicrotask, console }, { filename: 'preload.cjs' });
  return fake;
}

function exposedBridge(fake: FakeElectron): PodbayBridge {
  expect(fake.exposed).toHaveLength(1);
  return fake.exposed[0]?.api as PodbayBridge;
}

describe('preload', () => {
  it('requires nothing but electron', () => {
    const fake = loadPreload();
    expect(new Set(fake.required)).toEqual(new Set(['electron']));
  });

  it('exposes exactly window.podbay with call, stream and cancel functions', () => {
    const fake = loadPreload();
    expect(fake.exposed.map((e) => e.key)).toEqual(['podbay']);
    const api = exposedBridge(fake) as unknown as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...bridgeKeys].sort());
    expect(Object.getOwnPropertySymbols(api)).toEqual([]);
    for (const key of bridgeKeys) expect(typeof api[key]).toBe('function');
  });

  it('listens on the podbay:msg channel only', () => {
    const fake = loadPreload();
    expect([...fake.listeners.keys()]).toEqual(['podbay:msg']);
  });

  it('round-trips a call through ipcRenderer', async () => {
    const fake = loadPreload();
    const podbay = exposedBridge(fake);
    const result = podbay.call('system.info', {});
    expect(fake.sent).toHaveLength(1);
    const sent = fake.sent[0];
    expect(sent?.channel).toBe('podbay:msg');
    expect(sent?.message).toMatchObject({ t: 'call', path: 'system.info', input: {} });
    fake.reply({ t: 'result', id: sent?.message.id ?? '', ok: true, value: { version: '0.1.0' } });
    await expect(result).resolves.toEqual({ version: '0.1.0' });
  });

  it('rejects a failed call with plain error data, which crosses the context bridge whole', async () => {
    const fake = loadPreload();
    const podbay = exposedBridge(fake);
    const result = podbay.call('containers.start', { id: 'nope' });
    const id = fake.sent[0]?.message.id ?? '';
    fake.reply({ t: 'result', id, ok: false, error: { code: 'ErrNoSuchCtr', category: 'not-found', message: 'no container with name or ID "nope" found' } });
    const error: unknown = await result.then(
      () => undefined,
      (e: unknown) => e,
    );
    // The preload runs in its own realm here, as in Electron: check the shape, not instanceof.
    expect(Object.prototype.toString.call(error)).toBe('[object Object]');
    expect(Object.getPrototypeOf(Object.getPrototypeOf(error))).toBeNull();
    expect(error).toEqual({ code: 'ErrNoSuchCtr', category: 'not-found', message: 'no container with name or ID "nope" found' });
  });

  it('delivers stream frames without the IPC event, and cancel sends one cancel message', () => {
    const fake = loadPreload();
    const podbay = exposedBridge(fake);
    const frames: unknown[][] = [];
    const id = podbay.stream('system.events', {}, (...args: unknown[]) => {
      frames.push(args);
    });
    expect(typeof id).toBe('string');
    expect(fake.sent[0]?.message).toEqual({ t: 'stream', id, path: 'system.events', input: {} });
    fake.reply({ t: 'data', id, value: { type: 'container', action: 'start' } });
    expect(frames).toEqual([[{ type: 'data', value: { type: 'container', action: 'start' } } satisfies StreamFrame<unknown>]]);

    expect(podbay.cancel(id)).toBeUndefined();
    expect(fake.sent.map((s) => s.message)).toContainEqual({ t: 'cancel', id });
    fake.reply({ t: 'data', id, value: 'late' });
    expect(frames).toHaveLength(1);
  });

  it('returns nothing from Electron to the page', () => {
    const fake = loadPreload();
    const podbay = exposedBridge(fake);
    const id = podbay.stream('system.events', {}, () => {});
    expect(podbay.cancel(id)).toBeUndefined();
    expect(podbay.cancel('unknown')).toBeUndefined();
    const pending = podbay.call('system.info', {});
    expect(Object.prototype.toString.call(pending)).toBe('[object Promise]');
  });

  it('refuses a stream without a frame callback', () => {
    const fake = loadPreload();
    const podbay = exposedBridge(fake);
    expect(() => podbay.stream('system.events', {}, undefined as never)).toThrow(/needs a frame callback/);
    expect(fake.sent).toEqual([]);
  });
});
