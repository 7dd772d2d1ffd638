// The composition root as Electron would run it: main/index.ts bundled as scripts/build.mjs bundles
// it, then run against a fake `electron` module (real Node for everything else) with throw-away store
// paths. Proves the setup order, the window's settings and a message's way through IPC to the router.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const nodeRequire = createRequire(import.meta.url);
let bundle = '';
let scratch = '';

beforeAll(async () => {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: ['main/index.ts'],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'electron'],
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]?.text ?? '';
  scratch = mkdtempSync(join(tmpdir(), 'podbay-main-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

type Handler = (...args: unknown[]) => unknown;

function fakeElectron(options: { lockGranted: boolean }) {
  const log: string[] = [];
  const ipcHandlers = new Map<string, Handler>();
  const windows: Array<{ options: Record<string, unknown>; loaded: string[] }> = [];
  let ready: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const electron = {
    app: {
      getAppPath: () => repoRoot,
      requestSingleInstanceLock: () => {
        log.push('requestSingleInstanceLock');
        return options.lockGranted;
      },
      quit: () => log.push('quit'),
      exit: (code: number) => log.push(`exit ${code}`),
      enableSandbox: () => log.push('enableSandbox'),
      whenReady: () => readyPromise,
      on: (name: string) => log.push(`app.on ${name}`),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => log.push('csp header') },
        setPermissionRequestHandler: () => log.push('permission requests denied'),
        setPermissionCheckHandler: () => log.push('permission checks denied'),
        setDevicePermissionHandler: () => log.push('device permissions denied'),
        on: (name: string) => log.push(`session.on ${name}`),
      },
    },
    ipcMain: {
      on: (channel: string, handler: Handler) => {
        log.push(`ipcMain.on ${channel}`);
        ipcHandlers.set(channel, handler);
      },
    },
    BrowserWindow: class {
      static getAllWindows = () => [];
      readonly loaded: string[] = [];
      constructor(readonly options: Record<string, unknown>) {
        log.push('new BrowserWindow');
        windows.push(this);
      }
      once() {}
      show() {}
      async loadFile(path: string) {
        this.loaded.push(path);
      }
    },
    dialog: { showErrorBox: (title: string, message: string) => log.push(`error box: ${title}: ${message}`) },
  };
  return { electron, log, ipcHandlers, windows, ready };
}

function runMain(fake: ReturnType<typeof fakeElectron>) {
  const module = { exports: {} };
  const require = (name: string) => (name === 'electron' ? fake.electron : nodeRequire(name));
  const argv = ['/opt/podbay/podbay', repoRoot, '--root', join(scratch, 'root'), '--runroot', join(scratch, 'run')];
  const process = Object.create(globalThis.process, { argv: { value: argv } });
  new Function('require', 'module', 'exports', '__filename', '__dirname', 'process', bundle)(require, module, module.exports, join(repoRoot, 'dist/main/index.cjs'), join(repoRoot, 'dist/main'), process);
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

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
