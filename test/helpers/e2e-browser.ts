// Debian's Chromium, driven headless by playwright-core (no browser download). A missing Chromium
// fails the suite with the command that installs it: browser tests never skip silently.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export function assertChromium(path = chromiumPath): void {
  if (!existsSync(path)) {
    throw new Error(`the browser end-to-end tests need Chromium at ${path}: install it with \`apt-get install chromium\` (as root)`);
  }
}

/** Each launch gets a fresh temporary profile (user-data-dir), removed when the browser closes. */
export async function launchChromium(): Promise<Browser> {
  assertChromium();
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, timeout: 30_000 });
}

export interface ContextOptions {
  colorScheme?: 'light' | 'dark';
}

/** A new context is a new cookie jar: no token cookie from another test leaks in. */
export async function newContext(browser: Browser, options: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(10_000);
  return context;
}
