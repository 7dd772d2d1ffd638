// The composition root (main/index.ts) as Electron would run it, for tests: bundled as
// scripts/build.mjs bundles it, then run against a fake `electron` module (real Node for everything
// else) with throw-away store paths. The fake records the order of setup calls and keeps every
// handler the app installs (window options, session policies, IPC, web-contents hooks) for tests to run.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const nodeRequire = createRequire(import.meta.url);

export type Handler = (...args: unknown[]) => unknown;

export async function bundleMain(): Promise<string> {
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
  return result.outputFiles[0]?.text ?? '';
}

export interface FakeWindow {
  options: Record<string, unknown>;
  loaded: string[];
  loadedUrls: string[];
}

export function fakeElectron(options: { lockGranted: boolean }) {
  const log: string[] = [];
  const ipcHandlers = new Map<string, Handler>();
  const appHandlers = new Map<string, Handler>();
  const sessionHandlers = new Map<string, Handler>();
  const policies: { headers?: Handler; permissionRequest?: Handler; permissionCheck?: Handler; devicePermission?: Handler } = {};
  const windows: FakeWindow[] = [];
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
      on: (name: string, handler: Handler) => {
        log.push(`app.on ${name}`);
        appHandlers.set(name, handler);
      },
    },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (handler: Handler) => {
            log.push('csp header');
            policies.headers = handler;
          },
        },
        setPermissionRequestHandler: (handler: Handler) => {
          log.push('permission requests denied');
          policies.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: Handler) => {
          log.push('permission checks denied');
          policies.permissionCheck = handler;
        },
        setDevicePermissionHandler: (handler: Handler) => {
          log.push('device permissions denied');
          policies.devicePermission = handler;
        },
        on: (name: string, handler: Handler) => {
          log.push(`session.on ${name}`);
          sessionHandlers.set(name, handler);
        },
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
      readonly loadedUrls: string[] = [];
      constructor(readonly options: Record<string, unknown>) {
        log.push('new BrowserWindow');
        windows.push(this);
      }
      once() {}
      show() {}
      async loadFile(path: string) {
        this.loaded.push(path);
      }
      async loadURL(url: string) {
        this.loadedUrls.push(url);
      }
    },
    dialog: { showErrorBox: (title: string, message: string) => log.push(`error box: ${title}: ${message}`) },
  };
  return { electron, log, ipcHandlers, appHandlers, sessionHandlers, policies, windows, ready };
}

export type FakeElectron = ReturnType<typeof fakeElectron>;

/** Runs the bundle as Electron's main process would, with `--root`/`--runroot` under `scratch`. */
export function runMain(bundle: string, fake: FakeElectron, scratch: string): void {
  const module = { exports: {} };
  const require = (name: string) => (name === 'electron' ? fake.electron : nodeRequire(name));
  const argv = ['/opt/podbay/podbay', repoRoot, '--root', join(scratch, 'root'), '--runroot', join(scratch, 'run')];
  const process = Object.create(globalThis.process, { argv: { value: argv } });
  new Function('require', 'module', 'exports', '__filename', '__dirname', 'process', bundle)(require, module, module.exports, join(repoRoot, 'dist/main/index.cjs'), join(repoRoot, 'dist/main'), process);
}

/** Lets the app's `whenReady().then(…)` chain run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}
