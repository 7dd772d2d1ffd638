// Changes made by another process reach an open window by themselves: an event appended to the
// store's event log (as any podbay process does) appears on the Events page, and a system event
// makes the System page read system.info again — no reload, no polling.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../helpers/e2e-app.ts';

const app = useServedApp();

function appendEvent(path: string, fields: { action: string; name: string; id: string; type?: string }) {
  mkdirSync(dirname(path), { recursive: true });
  const record = { time: new Date().toISOString(), type: fields.type ?? 'system', action: fields.action, id: fields.id, name: fields.name, attributes: { source: 'e2e' } };
  appendFileSync(path, `${JSON.stringify(record)}\n`);
}

describe('Events page', () => {
  it('shows an event written by another process within a few seconds', async () => {
    const page = await app.openApp();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
    await page.getByText('Waiting for events').waitFor();
    expect(await page.getByRole('main').getByText('Live', { exact: true }).count()).toBe(1);

    const started = Date.now();
    appendEvent(app.host.eventLogPath, { action: 'test', name: 'e2e', id: 'x' });
    const row = page.getByRole('row').filter({ hasText: 'e2e' });
    await row.waitFor({ timeout: 5_000 });
    const latency = Date.now() - started;

    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells[1]).toBe('system');
    expect(cells[2]).toBe('test');
    expect(cells[3]).toBe('e2e');
    expect(cells[4]).toBe('x');
    expect(cells[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    expect(latency).toBeLessThan(5_000);
    expect(await page.getByText('1 event', { exact: true }).count()).toBe(1);
  });

  it('lists events newest first and filters them', async () => {
    const page = await app.openApp();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await page.getByText('Waiting for events').waitFor();
    appendEvent(app.host.eventLogPath, { action: 'create', name: 'alpha', id: 'a1', type: 'volume' });
    appendEvent(app.host.eventLogPath, { action: 'remove', name: 'beta', id: 'b2', type: 'volume' });
    await page.getByRole('row').filter({ hasText: 'beta' }).waitFor({ timeout: 5_000 });
    const body = page.getByRole('table').locator('tbody');
    expect(await body.getByRole('row').allInnerTexts()).toEqual([expect.stringContaining('beta'), expect.stringContaining('alpha')]);

    await page.getByRole('searchbox', { name: /Filter events/ }).fill('alp');
    await page.getByText('1 of 2 events').waitFor();
    expect(await body.getByRole('row').count()).toBe(1);
    await page.getByRole('combobox', { name: 'Type' }).selectOption('container');
    await page.getByText('No event matches the filter').waitFor();
  });

  it('makes the open System page read system.info again after a system event', async () => {
    const page = await app.openApp();
    const checked = page.getByText(/^Checked at /);
    const before = await checked.innerText();
    await page.waitForTimeout(20); // the timestamp has millisecond resolution
    appendEvent(app.host.eventLogPath, { action: 'refresh', name: 'podbay', id: 'system' });
    await page.waitForFunction((text) => [...document.querySelectorAll('span')].some((s) => s.textContent?.startsWith('Checked at ') && s.textContent !== text), before, { timeout: 5_000 });
    expect(await checked.innerText()).not.toBe(before);
  });
});
