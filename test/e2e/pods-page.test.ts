// Journey 4's list half: the Pods page shows pods made by the real CLI in another process, with
// their member containers behind an expandable row and the status the engine derives; members
// added or removed by the CLI update the row in place; removing a pod from the UI asks first and
// takes its containers with it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { runPodbay } from '../helpers/e2e-host.ts';

const app = useServedApp();
const rootfs = mkdtempSync(join(tmpdir(), 'podbay-e2e-rootfs-'));
afterAll(() => rmSync(rootfs, { recursive: true, force: true }));

const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]).trim();
const createIn = (pod: string, name: string) => podbay('create', '--pod', pod, '--name', name, '--rootfs', rootfs, '/bin/sh');
const podNames = () => (JSON.parse(podbay('pod', 'ps', '--format', 'json')) as { Name: string }[]).map((p) => p.Name);
const containerNames = () => (JSON.parse(podbay('ps', '-a', '--format', 'json')) as { Names: string[] }[]).map((c) => c.Names[0] ?? '');

async function openPods(): Promise<Page> {
  const page = await app.openPage();
  await page.goto(`${app.host.url}#/pods`);
  await page.getByRole('heading', { level: 1, name: 'Pods' }).waitFor();
  await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
  return page;
}

const grid = (page: Page) => page.getByRole('treegrid', { name: 'Pods' });
const podRow = (page: Page, name: string) => grid(page).getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });
const memberRows = (page: Page) => grid(page).locator('[role=row][aria-level="2"]');

describe('Pods page', () => {
  it('says how to create a pod when there is none', async () => {
    const page = await openPods();
    await page.getByText('No pods yet').waitFor();
    expect(await page.getByRole('main').locator('.command code').innerText()).toContain('podbay pod create --name web');
  });

  it('shows a pod with two containers, expandable to its members, live from the CLI', async () => {
    const page = await openPods();
    const podId = podbay('pod', 'create', '--infra=false', '--name', 'shop', '--label', 'app=shop');
    await podRow(page, 'shop').waitFor({ timeout: 2_000 });
    expect(await podRow(page, 'shop').innerText()).toContain('0 containers');

    createIn('shop', 'shop-web');
    createIn('shop', 'shop-db');
    await podRow(page, 'shop').getByText('2 containers').waitFor({ timeout: 2_000 });
    const cells = (await podRow(page, 'shop').getByRole('gridcell').allInnerTexts()).map((c) => c.trim());
    expect(cells[1]).toBe('shop');
    expect(cells[2]).toBe('Created');
    expect(cells[4]).toBe('—'); // no published port
    expect(cells[5]).toBe('app=shop');
    expect(cells[7]).toBe(podId.slice(0, 12));

    expect(await memberRows(page).count()).toBe(0);
    const expander = page.getByRole('button', { name: 'Show containers of shop' });
    await expander.click();
    await memberRows(page).first().waitFor();
    expect(await podRow(page, 'shop').getAttribute('aria-expanded')).toBe('true');
    expect((await memberRows(page).allInnerTexts()).map((t) => t.split('\n')[0]?.trim()).sort()).toEqual(['shop-db', 'shop-web']);

    // A member removed by the CLI leaves the expanded row in place.
    podbay('rm', 'shop-db');
    await grid(page).getByText('1 container', { exact: true }).waitFor({ timeout: 2_000 });
    expect(await memberRows(page).count()).toBe(1);

    await page.getByRole('button', { name: 'Hide containers of shop' }).click();
    await memberRows(page).first().waitFor({ state: 'detached' });
    expect(pageErrors(page)).toEqual([]);
  });

  it('expands and collapses with the keyboard', async () => {
    const page = await openPods();
    await podRow(page, 'shop').waitFor();
    await grid(page).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await memberRows(page).first().waitFor();
    await page.keyboard.press('ArrowLeft');
    await memberRows(page).first().waitFor({ state: 'detached' });
  });

  it('shows the pod’s inspect JSON', async () => {
    const page = await openPods();
    await page.getByRole('button', { name: 'Inspect shop' }).click();
    const panel = page.getByRole('complementary', { name: 'Inspect shop' });
    await panel.getByText('"shop-web"').waitFor();
    const json = JSON.parse(await panel.locator('pre').innerText()) as { name: string; labels: Record<string, string>; containers: { name: string }[] };
    expect(json.name).toBe('shop');
    expect(json.labels).toEqual({ app: 'shop' });
    expect(json.containers.map((c) => c.name)).toEqual(['shop-web']);
    await panel.getByRole('button', { name: 'Close details' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  it('removes a pod with its containers after a confirmation', async () => {
    podbay('pod', 'create', '--infra=false', '--name', 'doomed');
    createIn('doomed', 'doomed-1');
    createIn('doomed', 'doomed-2');
    const page = await openPods();
    await podRow(page, 'doomed').waitFor();
    await page.getByRole('checkbox', { name: 'Select doomed', exact: true }).check();
    await page.getByRole('button', { name: 'Remove 1' }).click();

    const dialog = page.getByRole('dialog', { name: 'Remove pod doomed?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('2 containers are removed with it');
    // Cancel keeps everything.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(podNames()).toContain('doomed');

    await page.getByRole('button', { name: 'Remove 1' }).click();
    await page.getByRole('dialog', { name: 'Remove pod doomed?' }).getByRole('button', { name: 'Remove pod' }).click();
    await page.getByRole('status', { name: 'Removal results' }).getByText('Removed 1 pod, and 2 containers with it').waitFor();
    await podRow(page, 'doomed').waitFor({ state: 'detached' });
    expect(podNames()).not.toContain('doomed');
    expect(containerNames()).not.toContain('doomed-1');
    expect(containerNames()).not.toContain('doomed-2');
    expect(podNames()).toContain('shop');
  });

  it('drops a pod removed by the CLI and narrows by search', async () => {
    podbay('pod', 'create', '--infra=false', '--name', 'metrics', '--label', 'team=obs');
    const page = await openPods();
    await podRow(page, 'metrics').waitFor();
    const search = page.getByRole('searchbox', { name: /Search pods/ });
    await search.fill('team=obs');
    await page.getByText(/^1 of 2 pods/).waitFor();
    await search.fill('shop-web');
    await podRow(page, 'shop').waitFor();
    expect(await podRow(page, 'metrics').count()).toBe(0);
    await search.fill('');
    podbay('pod', 'rm', 'metrics');
    await podRow(page, 'metrics').waitFor({ state: 'detached', timeout: 2_000 });
  });
});
