// setupIpc against a fake ipcMain and fake windows: who may use the bridge, and what happens to a
// window's work when it goes away.
import { describe, expect, it, vi } from 'vitest';
import type { Router } from '../../../main/ipc/router.ts';
import type { ServerMessage } from '../../../shared/wire.ts';

type Handler = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => ({ ipcHandlers: new Map<string, Handler>() }));

vi.mock('electron', () => ({
  ipcMain: { on: (channel: string, handler: Handler) => fake.ipcHandlers.set(channel, handler) },
}));

const { ipcChannel, setupIpc } = await import('../../../main/electron/ipc-bridge.ts');
const { appFiles } = await import('../../../main/electron/app-files.ts');

const files = appFiles('/opt/Podbay/resources/app.asar');
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

let nextId = 1;
function fakeWindow() {
  const handlers = new Map<string, Handler[]>();
  const sent: Array<{ channel: string; message: ServerMessage }> = [];
  const window = {
    id: nextId++,
    destroyed: false,
    sent,
    isDestroyed: () => window.destroyed,
    send: (channel: string, message: ServerMessage) => sent.push({ channel, message }),
    on: (name: string, handler: Handler) => handlers.set(name, [...(handlers.get(name) ?? []), handler]),
    once: (name: string, handler: Handler) => handlers.set(name, [...(handlers.get(name) ?? []), handler]),
    emit: (name: string, ...args: unknown[]) => handlers.get(name)?.forEach((h) => h(...args)),
  };
  return window;
}

function setup() {
  const calls: string[] = [];
  const aborted: string[] = [];
  const router: Router = {
    async call(path) {
      calls.push(path);
      return 'ok';
    },
    async *stream(path, _input, signal) {
      yield 'first';
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.push(path);
    },
  };
  setupIpc(router, files);
  const handler = fake.ipcHandlers.get(ipcChannel);
  if (!handler) throw new Error('setupIpc did not listen on its channel');
  const topFrame = { url: `${files.rendererUrl}#/system`, parent: null };
  const deliver = (window: ReturnType<typeof fakeWindow>, message: unknown, senderFrame: unknown = topFrame) =>
    handler({ sender: window, senderFrame }, message);
  return { calls, aborted, deliver };
}

describe('setupIpc', () => {
  it('uses the channel the preload uses', () => {
    expect(ipcChannel).toBe('podbay:msg');
  });

  it('answers the app page on the same channel', async () => {
    const { deliver } = setup();
    const window = fakeWindow();
    deliver(window, { t: 'call', id: '1', path: 'system.info', input: {} });
    await tick();
    expect(window.sent).toEqual([{ channel: 'podbay:msg', message: { t: 'result', id: '1', ok: true, value: 'ok' } }]);
  });

  it.each([
    ['a foreign page', { url: 'https://example.com/', parent: null }],
    ['another local file', { url: 'file:///tmp/evil.html', parent: null }],
    ['an iframe of the app page', { url: files.rendererUrl, parent: { url: files.rendererUrl } }],
    ['a frame that is gone', null],
  ])('ignores messages from %s without answering', async (_name, frame) => {
    const { deliver, calls } = setup();
    const window = fakeWindow();
    deliver(window, { t: 'call', id: '1', path: 'system.info', input: {} }, frame);
    await tick();
    expect(calls).toEqual([]);
    expect(window.sent).toEqual([]);
  });

  it.each([
    ['is destroyed', 'destroyed', []],
    ['loads a new page', 'did-start-navigation', [{ isMainFrame: true, isSameDocument: false }]],
    ['loses its renderer', 'render-process-gone', [{}, { reason: 'crashed' }]],
  ])('aborts the streams of a window that %s', async (_name, event, args) => {
    const { deliver, aborted } = setup();
    const window = fakeWindow();
    deliver(window, { t: 'stream', id: 's', path: 'system.events', input: {} });
    await tick();
    expect(window.sent.map((s) => s.message)).toEqual([{ t: 'data', id: 's', value: 'first' }]);
    window.emit(event, ...args);
    await tick();
    expect(aborted).toEqual(['system.events']);
  });

  it('keeps streams open across same-document navigations', async () => {
    const { deliver, aborted } = setup();
    const window = fakeWindow();
    deliver(window, { t: 'stream', id: 's', path: 'system.events', input: {} });
    await tick();
    window.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    window.emit('did-start-navigation', { isMainFrame: false, isSameDocument: false });
    await tick();
    expect(aborted).toEqual([]);
  });

  it('sends nothing to a destroyed window', async () => {
    const { deliver } = setup();
    const window = fakeWindow();
    deliver(window, { t: 'call', id: '1', path: 'system.info', input: {} });
    window.destroyed = true;
    await tick();
    expect(window.sent).toEqual([]);
  });
});
