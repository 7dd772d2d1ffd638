// Which URLs count as "our app": the built renderer page loaded from disk, and nothing else. Used to
// allow navigation and to trust IPC senders. Pure, so tests can try hostile URLs.

/**
 * True when `url` is the renderer page itself (file:// and the same path). Query and fragment are
 * ignored, since the app may route with them; any other scheme, host or path is foreign.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  let candidate: URL;
  let app: URL;
  try {
    candidate = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  return candidate.protocol === 'file:' && app.protocol === 'file:' && candidate.host === app.host && candidate.pathname === app.pathname;
}

export interface SenderFrame {
  url: string;
  /** False for iframes: only the top frame of our page may use the bridge. */
  isTopFrame: boolean;
}

/**
 * Whether an IPC message comes from our own page. `frame` is null when Electron no longer knows the
 * frame (it navigated away or was destroyed); such messages are dropped too.
 */
export function isTrustedSender(frame: SenderFrame | null, appUrl: string): boolean {
  return frame !== null && frame.isTopFrame && isAppUrl(frame.url, appUrl);
}

/**
 * Whether a download is one the app itself made: a `blob:` URL of the renderer's own page (a file or
 * export it assembled from the contract's chunked transfer). Any other download — a link to the web,
 * a data: URL — stays refused. Chromium names a file:// page's blobs `blob:file:///…` (or `blob:null/…`
 * for its opaque origin).
 */
export function isAppDownload(url: string): boolean {
  return /^blob:(file:\/\/\/|null\/)[0-9a-f-]{36}$/i.test(url);
}

/**
 * A published port's link (renderer PortLinks): plain http to this machine — 127.0.0.1, ::1 or
 * localhost — with an explicit port and no credentials. Only such a URL is handed to the desktop's
 * browser; the app's window itself never navigates there.
 */
export function isLoopbackServiceUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname) && parsed.port !== '' && parsed.username === '' && parsed.password === '';
}
