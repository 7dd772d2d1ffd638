// `podbay serve` opens the UI as an app window (its own Chromium profile, no tabs or address bar)
// when a display and a Chromium or Chrome exist — still a desktop window, with the same bridge.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const browsers = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findAppBrowser(): string | null {
  return browsers.find((path) => existsSync(path)) ?? null;
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Returns what happened, in words, for the serve command to print. */
export function openAppWindow(url: string, profileDir: string): string {
  const browser = findAppBrowser();
  if (!hasDisplay()) return 'no display: open the URL in a browser';
  if (!browser) return 'no Chromium found (apt-get install chromium): open the URL in a browser';
  mkdirSync(profileDir, { recursive: true, mode: 0o700 });
  const args = [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  // Chromium refuses to run as root without --no-sandbox; a root user gets it, nobody else does.
  if (process.geteuid?.() === 0) args.push('--no-sandbox');
  const child = spawn(browser, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
  return `opened in ${browser} (profile ${join(profileDir)})`;
}
