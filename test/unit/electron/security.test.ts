// setupSecurity against a fake Electron: the handlers it installs are run with hostile inputs.
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    appHandlers: new Map<string, Handler>(),
    sessionHandlers: new Map<string, Handler>(),
    permissionRequest: undefined as Handler | undefined,
    permissionCheck: undefined as Handler | undefined,
    devicePermission: undefined as Handler | undefined,
    headers: undefined as Handler | undefined,
    sandboxed: false,
  };
  const opened: string[] = [];
  const electron = {
    shell: { openExternal: async (url: string) => void opened.push(url) },
    app: {
      on: (name: string, handler: Handler) => state.appHandlers.set(name, handler),
      enableSandbox: () => {
        state.sandboxed = true;
      },
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (handler: Handler) => (state.headers = handler) },
        setPermissionRequestHandler: (handler: Handler) => (state.permissionRequest = handler),
        setPermissionCheckHandler: (handler: Handler) => (state.permissionCheck = handler),
        setDevicePermissionHandler: (handler: Handler) => (state.devicePermission = handler),
        on: (name: string, handler: Handler) => state.sessionHandlers.set(name, handler),
      },
    },
  };
  return { state, electron, opened };
});

vi.mock('electron', () => fake.electron);

const { setupSandbox, setupSecurity } = await import('../../../main/electron/security.ts');
const { appFiles } = await import('../../../main/electron/app-files.ts');

const files = appFiles('/opt/Podbay/resources/app.asar');

/** A webContents that records its handlers, created the way Electron announces new contents. */
function createdContents() {
  const handlers = new Map<string, Handler>();
  let openHandler: Handler | undefined;
  const contents = {
    on: (name: string, handler: Handler) => handlers.set(name, handler),
    setWindowOpenHandler: (handler: Handler) => (openHandler = handler),
  };
  const created = fake.state.appHandlers.get('web-contents-created');
  if (!created) throw new Error('setupSecurity did not watch web-contents-created');
  created({}, contents);
  return { handlers, openWindow: (url: string) => openHandler?.({ url }) };
}

function navigationEvent(url: string) {
  return { url, prevented: false, preventDefault() { this.prevented = true; } };
}

describe('setupSecurity', () => {
  beforeEach(() => {
    fake.state.appHandlers.clear();
    fake.state.sessionHandlers.clear();
    setupSecurity(files);
  });

  it('sandboxes every renderer', () => {
    setupSandbox();
    expect(fake.state.sandboxed).toBe(true);
  });

  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])('%s: blocks foreign URLs and lets the app page through', (name) => {
    const { handlers } = createdContents();
    const handler = handlers.get(name);
    expect(handler).toBeTypeOf('function');
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const event = navigationEvent(url);
      handler?.(event);
      expect(event.prevented, url).toBe(true);
    }
    const own = navigationEvent(`${files.rendererUrl}#/images`);
    handler?.(own);
    expect(own.prevented).toBe(false);
  });

  it('denies every new window', () => {
    const { openWindow } = createdContents();
    expect(openWindow('https://example.com/')).toEqual({ action: 'deny' });
    expect(openWindow(files.rendererUrl)).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual([]);
  });

  it('hands a published port\'s loopback link to the desktop browser, and nothing else', () => {
    const { openWindow } = createdContents();
    for (const url of ['http://127.0.0.1:8080/', 'http://[::1]:8443/x', 'http://localhost:3000/']) expect(openWindow(url)).toEqual({ action: 'deny' });
    for (const url of ['https://127.0.0.1:8080/', 'http://127.0.0.1/', 'http://user:pw@127.0.0.1:8080/', 'http://10.0.0.1:8080/', 'file:///etc/passwd', 'javascript:alert(1)', 'http://127.0.0.1.evil.example:80/']) openWindow(url);
    expect(fake.opened).toEqual(['http://127.0.0.1:8080/', 'http://[::1]:8443/x', 'http://localhost:3000/']);
  });

  it('prevents attaching webviews', () => {
    const { handlers } = createdContents();
    const event = navigationEvent('');
    handlers.get('will-attach-webview')?.(event, {}, {});
    expect(event.prevented).toBe(true);
  });

  it('denies every permission request and check', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      fake.state.permissionRequest?.({}, permission, (granted: boolean) => answers.push(granted), {});
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(fake.state.permissionCheck?.({}, 'media', 'file://', {})).toBe(false);
    expect(fake.state.devicePermission?.({})).toBe(false);
  });

  it('cancels downloads, except the app\'s own blob: downloads', () => {
    for (const [url, prevented] of [['https://example.com/x.tar', true], ['data:text/plain,hi', true], ['blob:https://evil.example/0b9c1e0e-6a2f-4e55-9f7e-3d1f1a2b3c4d', true], ['blob:file:///0b9c1e0e-6a2f-4e55-9f7e-3d1f1a2b3c4d', false]] as const) {
      const event = navigationEvent('');
      fake.state.sessionHandlers.get('will-download')?.(event, { getURL: () => url });
      expect(event.prevented, url).toBe(prevented);
    }
  });

  it('adds the CSP header to every response', () => {
    let answer: unknown;
    fake.state.headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response: unknown) => (answer = response));
    expect(answer).toEqual({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [expect.stringContaining("default-src 'none'")] },
    });
  });
});
