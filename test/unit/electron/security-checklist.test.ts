// Electron's security checklist, verified on what the composition root (main/index.ts) really sets up
// — not on the helpers it is built from: the bundle is run against a fake Electron that keeps every
// window option and handler the app installs, and each item is checked by running those handlers with
// hostile inputs. (https://www.electronjs.org/docs/latest/tutorial/security)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeElectron, Handler } from '../../helpers/electron-main.ts';
import { bundleMain, fakeElectron, repoRoot, runMain, settle } from '../../helpers/electron-main.ts';

let bundle = '';
let scratch = '';
let app: FakeElectron;
const appPage = pathToFileURL(join(repoRoot, 'dist/renderer/index.html')).href;

beforeAll(async () => {
  bundle = await bundleMain();
  scratch = mkdtempSync(join(tmpdir(), 'podbay-checklist-'));
  app = fakeElectron({ lockGranted: true });
  runMain(bundle, app, scratch);
  app.ready();
  await settle();
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A webContents as Electron announces it (`web-contents-created`), keeping the app's handlers on it. */
function newContents() {
  const handlers = new Map<string, Handler>();
  let openHandler: Handler | undefined;
  const contents = { on: (name: string, handler: Handler) => handlers.set(name, handler), setWindowOpenHandler: (handler: Handler) => (openHandler = handler) };
  app.appHandlers.get('web-contents-created')?.({}, contents);
  return { handlers, open: (url: string) => openHandler?.({ url }) };
}

const event = (url = '') => ({ url, prevented: false, preventDefault() { this.prevented = true; } });

function cspDirectives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name as string, values]));
}

describe('the Electron security checklist, read from the composition root', () => {
  it('opens exactly one window, isolated and sandboxed, with no Node in any frame or worker', () => {
    expect(app.log).toContain('enableSandbox');
    expect(app.windows).toHaveLength(1);
    const prefs = app.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(prefs.preload).toBe(join(repoRoot, 'dist/preload/index.cjs'));
    expect(Object.keys(prefs)).not.toContain('enableRemoteModule');
  });

  it('loads no remote content: the built page from disk, never a URL', () => {
    expect(app.windows[0]!.loaded).toEqual([join(repoRoot, 'dist/renderer/index.html')]);
    expect(app.windows[0]!.loadedUrls).toEqual([]);
  });

  it('sends a strict CSP with every response, and the page carries one without unsafe sources', () => {
    let answer: { responseHeaders: Record<string, string[]> } | undefined;
    app.policies.headers?.({ responseHeaders: {} }, (response: typeof answer) => (answer = response));
    const header = answer?.responseHeaders['Content-Security-Policy']?.[0] ?? '';
    const policy = cspDirectives(header);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync(join(repoRoot, 'renderer/index.html'), 'utf8'))?.[1] ?? '';
    for (const text of [header, meta]) {
      for (const [directive, sources] of cspDirectives(text)) {
        for (const source of sources) {
          expect(["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'blob:'], `${directive} ${source}`).not.toContain(source);
          // The only origins named: the loopback web host's socket (the page served to browsers).
          if (/^[a-z]+:\/\//.test(source)) expect(source, directive).toMatch(/^ws:\/\/(127\.0\.0\.1|localhost):\*$/);
        }
      }
      expect(cspDirectives(text).get('script-src')).toEqual(["'self'"]);
    }
  });

  it('blocks navigation away from the app and every new window, in every webContents', () => {
    const { handlers, open } = newContents();
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>1</script>', `${appPage}/../../../etc`]) {
        const e = event(url);
        handlers.get(name)?.(e);
        expect(e.prevented, `${name} ${url}`).toBe(true);
      }
      const own = event(`${appPage}#/containers`);
      handlers.get(name)?.(own);
      expect(own.prevented, `${name} to the app itself`).toBe(false);
    }
    for (const url of ['https://example.com/', appPage, 'about:blank']) expect(open(url)).toEqual({ action: 'deny' });
    const webview = event();
    handlers.get('will-attach-webview')?.(webview, {}, {});
    expect(webview.prevented).toBe(true);
  });

  it('denies every permission request and check, and every download but the app\'s own blob: files', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'pointerLock', 'midi', 'hid', 'serial', 'usb']) {
      app.policies.permissionRequest?.({}, permission, (granted: boolean) => answers.push(granted), {});
    }
    expect(answers).toHaveLength(12);
    expect(answers.every((granted) => granted === false)).toBe(true);
    expect(app.policies.permissionCheck?.({}, 'media', appPage, {})).toBe(false);
    expect(app.policies.devicePermission?.({})).toBe(false);
    const download = event();
    app.sessionHandlers.get('will-download')?.(download, { getURL: () => 'https://evil.example/payload.deb' });
    expect(download.prevented).toBe(true);
    const dataUrl = event();
    app.sessionHandlers.get('will-download')?.(dataUrl, { getURL: () => 'data:application/octet-stream;base64,AAAA' });
    expect(dataUrl.prevented).toBe(true);
    // A file the renderer assembled from the contract's chunked transfer (Save, export, copy out).
    const own = event();
    app.sessionHandlers.get('will-download')?.(own, { getURL: () => 'blob:file:///0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0' });
    expect(own.prevented).toBe(false);
  });

  it('checks the IPC sender: only the top frame of the app page is answered', async () => {
    const handler = app.ipcHandlers.get('podbay:msg');
    expect(handler).toBeTypeOf('function');
    const sent: unknown[] = [];
    const contents = (id: number) => ({ id, isDestroyed: () => false, send: (_channel: string, message: unknown) => sent.push({ id, message }), on() {}, once() {} });
    const message = (id: string) => ({ t: 'call', id, path: 'no.such.procedure', input: {} });
    handler?.({ sender: contents(1), senderFrame: { url: 'https://evil.example/', parent: null } }, message('foreign'));
    handler?.({ sender: contents(2), senderFrame: { url: appPage, parent: { url: appPage } } }, message('subframe'));
    handler?.({ sender: contents(3), senderFrame: null }, message('gone'));
    handler?.({ sender: contents(4), senderFrame: { url: 'file:///tmp/evil.html', parent: null } }, message('other-file'));
    handler?.({ sender: contents(5), senderFrame: { url: appPage, parent: null } }, message('own'));
    await settle();
    expect(sent).toEqual([{ id: 5, message: expect.objectContaining({ t: 'result', id: 'own', ok: false }) }]);
  });
});
