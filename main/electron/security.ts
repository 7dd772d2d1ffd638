// Electron's security checklist, applied to every webContents the app ever creates: sandboxed
// renderers, a strict CSP, no permissions, no navigation away from the app, no new windows, no
// <webview>, no downloads but the app's own (a published port's loopback link opens in the desktop's
// browser). The renderer talks to the world only through the preload's bridge.
import { app, session, shell } from 'electron';
import type { AppFiles } from './app-files.ts';
import { isAppDownload, isAppUrl, isLoopbackServiceUrl } from './app-origin.ts';
import { contentSecurityPolicy } from './content-security-policy.ts';

/** Before `ready`: every renderer is sandboxed, whatever its webPreferences say. */
export function setupSandbox(): void {
  app.enableSandbox();
}

/** After `ready` (sessions exist then), before the first window. */
export function setupSecurity(files: AppFiles): void {
  const ses = session.defaultSession;

  // The page carries its own <meta> CSP; file:// responses have no headers, but any other response
  // (should one ever be loaded) gets the policy as a header too.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });

  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Only the app's own downloads (a saved image archive, a file copied out, an export), which Electron saves
  // through its save dialog; nothing a page could point at.
  ses.on('will-download', (event, item) => {
    if (!isAppDownload(item.getURL())) event.preventDefault();
  });

  app.on('web-contents-created', (_event, contents) => {
    const denyForeign = (event: { url: string; preventDefault(): void }) => {
      if (!isAppUrl(event.url, files.rendererUrl)) event.preventDefault();
    };
    contents.on('will-navigate', denyForeign);
    contents.on('will-redirect', denyForeign);
    contents.on('will-frame-navigate', denyForeign);
    // No window ever opens; a published port's link goes to the desktop's browser instead.
    contents.setWindowOpenHandler(({ url }) => {
      if (isLoopbackServiceUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
