// The composition root as Electron would run it: main/index.ts bundled as scripts/build.mjs bundles
// it, then run against a fake `electron` module (real Node for everything else) with throw-away store
// paths. Proves the setup order, the window's settings and a message's way through IPC to the router.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleMain, fakeElectron, repoRoot, runMain as runBundle, settle } from '../../helpers/electron-main.ts';

let bundle = '';
let scratch = '';

beforeAll(async () => {
  bundle = await bundleMain();
  scratch = mkdtempSync(join(tmpdir(), 'podbay-main-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const runMain = (fake: ReturnType<typeof fakeElectron>) => runBundle(bundle, fake, scratch);

describe('main/index.ts', () => {
  it('quits at once when another instance holds the lock', async () => {
    const fake = fakeElectron({ lockGranted: false });
    runMain(fake);
    fake.ready();
    await settle();
    expect(fake.log).toEqual(['requestSingleInstanceLock', 'quit']);
  });

  it('secures the session before it opens the bridge and the window', async () => {
    const fake = fakeElectron({ lockGranted: true });
    runMain(fake);
    expect(fake.log).toContain('enableSandbox');
    expect(fake.log).not.toContain('new BrowserWindow');
    fake.ready();
    await settle();
    const order = (entry: string) => fake.log.indexOf(entry);
    expect(fake.log.filter((e) => e.startsWith('error box'))).toEqual([]);
    for (const step of ['csp header', 'permission requests denied', 'app.on web-contents-created', 'ipcMain.on podbay:msg', 'new BrowserWindow']) {
      expect(order(step), step).toBeGreaterThanOrEqual(0);
    }
    expect(order('app.on web-contents-created')).toBeLessThan(order('new BrowserWindow'));
    expect(order('ipcMain.on podbay:msg')).toBeLessThan(order('new BrowserWindow'));
  });

  it('opens one window with the secure settings, showing the built renderer', async () => {
    const fake = fakeElectron({ lockGranted: true });
    runMain(fake);
    fake.ready();
    await settle();
    expect(fake.windows).toHaveLength(1);
    const [window] = fake.windows;
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: join(repoRoot, 'dist/preload/index.cjs'),
    });
    expect(window?.loaded).toEqual([join(repoRoot, 'dist/renderer/index.html')]);
  });

  it('routes a message from the app page to the router and answers on the same channel', async () => {
    const fake = fakeElectron({ lockGranted: true });
    runMain(fake);
    fake.ready();
    await settle();
    const handler = fake.ipcHandlers.get('podbay:msg');
    const sent: unknown[] = [];
    const contents = { id: 1, isDestroyed: () => false, send: (_channel: string, message: unknown) => sent.push(message), on() {}, once() {} };
    const senderFrame = { url: pathToFileURL(join(repoRoot, 'dist/renderer/index.html')).href, parent: null };
    handler?.({ sender: contents, senderFrame }, { t: 'call', id: 'a', path: 'system.info', input: { unexpected: true } });
    handler?.({ sender: contents, senderFrame }, { t: 'call', id: 'b', path: 'no.such.procedure', input: {} });
    await settle();
    expect(sent).toEqual([
      { t: 'result', id: 'a', ok: false, error: expect.objectContaining({ code: 'ErrInvalidArg' }) },
      { t: 'result', id: 'b', ok: false, error: expect.objectContaining({ code: 'ErrInvalidArg' }) },
    ]);
  });
});
