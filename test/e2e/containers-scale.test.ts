// Journey 7 at scale: 1,000 containers stay instant. They are created in one burst by a second
// Podbay process on the same store (this test process opens the core's Runtime on it, as the CLI
// does: a loop of 1,000 `podbay create` processes would take over a minute), while the page is open.
// The page follows the burst with a handful of list calls, keeps only a window of rows in the DOM,
// scrolls to the last one, and search narrows the list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { withName, withLabels, withRootFSFromPath } from '../../main/core/container-config.ts';
import { narrowLimit } from '../../renderer/src/containers/live-list-model.ts';
import { Runtime } from '../../main/core/runtime.ts';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { runPodbay } from '../helpers/e2e-host.ts';

const app = useServedApp();
const rootfs = mkdtempSync(join(tmpdir(), 'podbay-e2e-rootfs-'));
afterAll(() => rmSync(rootfs, { recursive: true, force: true }));
const count = 1000;
const nameOf = (i: number) => `svc-${String(i).padStart(4, '0')}`;

/** Another process's view of the store: the same paths `podbay --root R --runroot RR` uses. */
function openStore(): Runtime {
  return Runtime.forPaths({ mode: process.getuid?.() === 0 ? 'rootful' : 'rootless', graphRoot: app.host.root, runRoot: app.host.runRoot, configFiles: [] });
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Containers' });
const renderedRows = (page: Page) => grid(page).locator('[role=rowgroup].vt-body [role=row]').count();

describe('Containers page with 1,000 containers', () => {
  it('follows a burst of 1,000 creates with a few list calls and renders only a window of rows', async () => {
    const page = await app.openPage();
    const listCalls: { filters?: { id?: string[] } }[] = [];
    page.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { t?: string; path?: string; input?: { filters?: { id?: string[] } } };
        if (message.t === 'call' && message.path === 'containers.list') listCalls.push(message.input ?? {});
      }),
    );
    await page.goto(`${app.host.url}#/containers`);
    await page.getByText('No containers yet').waitFor();

    const runtime = openStore();
    const started = Date.now();
    try {
      for (let i = 0; i < count; i++) {
        await runtime.newContainer({ process: { args: ['/bin/sh', '-c', `serve ${i}`] } }, [withName(nameOf(i)), withRootFSFromPath(rootfs), withLabels({ shard: String(i % 10) })]);
      }
    } finally {
      runtime.shutdown(true);
    }
    const created = Date.now() - started;

    await page.getByText('1,000 containers', { exact: true }).waitFor({ timeout: 15_000 });
    const caughtUp = Date.now() - started;
    // One full list on open, then the burst: each round trip fetches the rows of every event that
    // arrived meanwhile (one full list past 64 pending), so there is never more than one call per
    // event — far fewer when events come faster than round trips — and no full re-list per event.
    const fullLists = listCalls.filter((c) => !c.filters).length;
    const narrowRows = listCalls.reduce((n, c) => n + (c.filters?.id?.length ?? 0), 0);
    // A full list past the first needs more than 64 events waiting: never one per event.
    expect(fullLists).toBeLessThanOrEqual(1 + Math.floor(count / (narrowLimit + 1)));
    expect(listCalls.length).toBeLessThanOrEqual(count);
    expect(narrowRows).toBeLessThanOrEqual(count);
    expect(await grid(page).getAttribute('aria-rowcount')).toBe(String(count + 1));
    const inDom = await renderedRows(page);
    expect(inDom).toBeGreaterThan(10);
    expect(inDom).toBeLessThan(80);
    // Newest first.
    await grid(page).getByRole('row', { name: new RegExp(nameOf(count - 1)) }).waitFor();
    expect(pageErrors(page)).toEqual([]);
    console.log(`created ${count} in ${created} ms; page showed them all ${caughtUp - created} ms later with ${listCalls.length} containers.list calls (${fullLists} full, ${narrowRows} rows by id)`);
  });

  it('scrolls smoothly to the last row, keeping the DOM small', async () => {
    const page = await app.openPage();
    await page.goto(`${app.host.url}#/containers`);
    await page.getByText('1,000 containers', { exact: true }).waitFor();
    const table = grid(page);

    // Scroll in steps as a wheel would. At every step the rows on screen are rendered (the row under
    // the top edge is in the DOM) and the DOM stays small; frame times are only reported — timings
    // belong to the bench, not to a test that a loaded machine would fail.
    const steps = await table.evaluate(async (el) => {
      const seen: { frameMs: number; rows: number; topCovered: boolean }[] = [];
      let last = performance.now();
      for (let top = 0; top < el.scrollHeight - el.clientHeight; top += 600) {
        el.scrollTop = top;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null))));
        const now = performance.now();
        const box = el.getBoundingClientRect();
        const under = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)?.closest('[role=row]');
        seen.push({ frameMs: now - last, rows: el.querySelectorAll('[role=row]').length, topCovered: under !== null && under !== undefined });
        last = now;
      }
      return seen;
    });
    expect(steps.length).toBeGreaterThan(10);
    expect(steps.filter((s) => !s.topCovered)).toEqual([]);
    expect(Math.max(...steps.map((s) => s.rows))).toBeLessThan(80);
    const slowest = Math.max(...steps.slice(1).map((s) => s.frameMs));

    await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await table.getByRole('row', { name: new RegExp(`${nameOf(0)}\\b`) }).waitFor();
    expect(await table.locator('[role=row][aria-rowindex="1001"]').count()).toBe(1);
    expect(await renderedRows(page)).toBeLessThan(80);

    // The keyboard gets there too.
    await table.evaluate((el) => (el.scrollTop = 0));
    await table.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    expect(await table.locator('[role=row][aria-rowindex="1001"]').getAttribute('aria-selected')).toBe('true');
    console.log(`scrolled ${steps.length} steps, slowest frame ${Math.round(slowest)} ms`);
  });

  it('narrows 1,000 rows as you type', async () => {
    const page = await app.openPage();
    await page.goto(`${app.host.url}#/containers`);
    await page.getByText('1,000 containers', { exact: true }).waitFor();
    await grid(page).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await grid(page).getByRole('row', { name: new RegExp(`${nameOf(0)}\\b`) }).waitFor();
    const search = page.getByRole('searchbox', { name: /Search containers/ });
    await search.fill('svc-09');
    await page.getByText('100 of 1,000 containers').waitFor();
    // A new search starts at the top of its results.
    await grid(page).getByRole('row', { name: new RegExp(nameOf(999)) }).waitFor();
    expect(await grid(page).evaluate((el) => el.scrollTop)).toBe(0);
    await search.fill('svc-0999');
    await page.getByText('1 of 1,000 containers').waitFor();
    expect(await renderedRows(page)).toBe(1);
    await search.fill('shard=3');
    await page.getByText('100 of 1,000 containers').waitFor();
  });

  it('removes all 1,000 from the UI and the store agrees', async () => {
    const page = await app.openPage();
    await page.goto(`${app.host.url}#/containers`);
    await page.getByText('1,000 containers', { exact: true }).waitFor();
    await grid(page).focus();
    await page.keyboard.press('Control+a');
    await page.getByText('1,000 selected', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Remove 1,000' }).click();
    await page.getByRole('status', { name: 'Removal results' }).getByText('Removed 1,000 containers').waitFor({ timeout: 30_000 });
    await page.getByText('No containers yet').waitFor();
    expect(runPodbay([...app.host.storeArgs, 'ps', '-a', '-q']).trim()).toBe('');
  });
});
