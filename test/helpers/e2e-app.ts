// One real web host and one Chromium per test file, with helpers that look at the page as a person
// does (roles and visible text). Every test opens a fresh context: no cookie, no state carried over.
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newContext } from './e2e-browser.ts';
import type { ContextOptions } from './e2e-browser.ts';
import { startServedHost } from './e2e-host.ts';
import type { ServedHost } from './e2e-host.ts';

export interface AppHarness {
  readonly host: ServedHost;
  readonly browser: Browser;
  /** A page in a new context; closed after the file's tests. */
  openPage(options?: ContextOptions): Promise<Page>;
  /** Opens the printed URL and waits for the System page to show system.info. */
  openApp(options?: ContextOptions): Promise<Page>;
}

export function useServedApp(globalArgs: readonly string[] = [], env: Record<string, string> = {}): AppHarness {
  let host: ServedHost | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // Chromium first: a missing browser is reported before anything else is started.
    browser = await launchChromium();
    host = await startServedHost(undefined, globalArgs, env);
  });

  afterAll(async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await browser?.close();
    await host?.stop();
  });

  const harness: AppHarness = {
    get host() {
      if (!host) throw new Error('the web host did not start');
      return host;
    },
    get browser() {
      if (!browser) throw new Error('Chromium did not start');
      return browser;
    },
    async openPage(options) {
      const context = await newContext(harness.browser, options);
      contexts.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      (page as Page & { errors?: string[] }).errors = errors;
      return page;
    },
    async openApp(options) {
      const page = await harness.openPage(options);
      await page.goto(harness.host.url);
      await page.getByRole('heading', { level: 1, name: 'System' }).waitFor();
      await page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Path' }) }).waitFor();
      return page;
    },
  };
  return harness;
}

/** Errors the page logged (uncaught exceptions and console.error), for asserting a clean run. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

/** Whether `locator`'s element has the keyboard focus. */
export async function isFocused(page: Page, name: string, role: 'link' | 'button' = 'link'): Promise<boolean> {
  return page.getByRole(role, { name, exact: true }).evaluate((el) => el === document.activeElement);
}
