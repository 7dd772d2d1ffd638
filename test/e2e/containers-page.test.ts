// Journey 7 (live with it) on the Containers page: containers made, renamed and removed by the
// real CLI in another process show up by themselves, row by row (no reload, no full re-list per
// event); removing from the UI removes from the store; inspect, search, selection and keyboard.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { repoRoot, runPodbay } from '../helpers/e2e-host.ts';

const app = useServedApp();
const rootfs = mkdtempSync(join(tmpdir(), 'podbay-e2e-rootfs-'));
afterAll(() => rmSync(rootfs, { recursive: true, force: true }));
mkdirSync(join(rootfs, 'bin'), { recursive: true });

const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]).trim();
/** `podbay create --name N --rootfs DIR [flags…] [-- CMD…]` (the command is /bin/sh unless given after `--`). */
const create = (name: string, ...rest: string[]) => podbay('create', '--name', name, '--rootfs', rootfs, ...(rest.includes('--') ? rest : [...rest, '/bin/sh']));
const psNames = () => (JSON.parse(podbay('ps', '-a', '--format', 'json')) as { Names: string[] }[]).map((c) => c.Names[0] ?? '');

/** The Containers page, with every containers.list call the page sends recorded. */
async function openContainers(): Promise<{ page: Page; listCalls: { filters?: { id?: string[] } }[] }> {
  const page = await app.openPage();
  const listCalls: { filters?: { id?: string[] } }[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { t?: string; path?: string; input?: { filters?: { id?: string[] } } };
      if (message.t === 'call' && message.path === 'containers.list') listCalls.push(message.input ?? {});
    }),
  );
  await page.goto(`${app.host.url}#/containers`);
  await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
  await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
  return { page, listCalls };
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Containers' });
const row = (page: Page, name: string) => grid(page).getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });

describe('Containers page', () => {
  it('says how to create a container when there is none', async () => {
    const { page } = await openContainers();
    await page.getByText('No containers yet').waitFor();
    expect(await page.getByRole('main').locator('code').first().innerText()).toContain('podbay create --name web --rootfs DIR /bin/sh');
    expect(await page.getByRole('button', { name: 'Copy the command that creates a container' }).count()).toBe(1);
  });

  it('shows a container created by the CLI within 2 s, without a reload or a full re-list', async () => {
    const { page, listCalls } = await openContainers();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const fullBefore = listCalls.filter((c) => !c.filters).length;

    const started = Date.now();
    const id = create('web1', '--label', 'app=shop');
    await row(page, 'web1').waitFor({ timeout: 2_000 });
    expect(Date.now() - started).toBeLessThan(2_000);

    const cells = (await row(page, 'web1').getByRole('gridcell').allInnerTexts()).map((c) => c.trim());
    expect(cells[1]).toBe('web1');
    expect(cells[2]).toContain('rootfs');
    expect(cells[2]).toContain(basename(rootfs));
    expect(await row(page, 'web1').getByRole('gridcell').nth(2).locator('[title]').getAttribute('title')).toBe(`Root filesystem: ${rootfs}`);
    expect(cells[3]).toBe('/bin/sh');
    expect(cells[4]).toMatch(/ ago$/);
    expect(cells[5]).toBe('Created');
    expect(cells[6]).toBe('—'); // no published port
    expect(cells[7]).toBe('—');
    expect(cells[8]).toBe(id.slice(0, 12));
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    // The create event fetched that one row: no second full list.
    expect(listCalls.filter((c) => !c.filters).length).toBe(fullBefore);
    expect(listCalls.some((c) => c.filters?.id?.includes(id))).toBe(true);
    expect(pageErrors(page)).toEqual([]);
  });

  it('renames and drops rows as the CLI renames and removes', async () => {
    const { page } = await openContainers();
    create('rename-me');
    await row(page, 'rename-me').waitFor({ timeout: 2_000 });
    podbay('rename', 'rename-me', 'renamed');
    await row(page, 'renamed').waitFor({ timeout: 2_000 });
    expect(await row(page, 'rename-me').count()).toBe(0);
    podbay('rm', 'renamed');
    await row(page, 'renamed').waitFor({ state: 'detached', timeout: 2_000 });
  });

  it('removes the selected containers from the store (Shift-click range), with results', async () => {
    for (const name of ['bulk-a', 'bulk-b', 'bulk-c', 'bulk-keep']) create(name);
    const { page } = await openContainers();
    await row(page, 'bulk-a').waitFor();
    // Newest first: bulk-keep, bulk-c, bulk-b, bulk-a.
    await row(page, 'bulk-c').getByRole('gridcell').nth(1).click();
    await row(page, 'bulk-a').getByRole('gridcell').nth(1).click({ modifiers: ['Shift'] });
    await page.getByText('3 selected', { exact: false }).waitFor();
    expect(await row(page, 'bulk-b').getAttribute('aria-selected')).toBe('true');
    expect(await row(page, 'bulk-keep').getAttribute('aria-selected')).toBe('false');

    // Ctrl-click takes one out of the selection, the checkbox puts it back.
    await row(page, 'bulk-b').getByRole('gridcell').nth(1).click({ modifiers: ['Control'] });
    await page.getByText('2 selected', { exact: false }).waitFor();
    await page.getByRole('checkbox', { name: 'Select bulk-b', exact: true }).check();
    await page.getByText('3 selected', { exact: false }).waitFor();

    // Never-run containers hold no data: removed without a question.
    await page.getByRole('button', { name: 'Remove 3' }).click();
    await page.getByRole('status', { name: 'Removal results' }).getByText('Removed 3 containers').waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    for (const name of ['bulk-a', 'bulk-b', 'bulk-c']) expect(await row(page, name).count()).toBe(0);
    const left = psNames();
    expect(left).toContain('bulk-keep');
    expect(left).not.toContain('bulk-a');
    expect(left).not.toContain('bulk-b');
    expect(left).not.toContain('bulk-c');
  });

  it('selects all rows shown with the header checkbox', async () => {
    create('sel-1');
    create('sel-2');
    const { page } = await openContainers();
    await page.getByRole('searchbox', { name: /Search containers/ }).fill('sel-');
    await page.getByText(/^2 of \d+ containers$/).waitFor();
    await page.getByRole('checkbox', { name: 'Select all containers shown' }).check();
    await page.getByText('2 selected', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Remove 2' }).isEnabled()).toBe(true);
  });

  it('shows the full inspect JSON with a Copy button, and closes with Escape', async () => {
    const id = create('inspect-me', '--label', 'tier=web', '--env', 'A=1');
    const { page } = await openContainers();
    await page.getByRole('button', { name: 'Inspect inspect-me' }).click();
    const panel = page.getByRole('complementary', { name: 'Inspect inspect-me' });
    await panel.getByText(`"${id}"`).waitFor();
    const json = JSON.parse(await panel.locator('pre').innerText()) as Record<string, unknown>;
    expect(json).toMatchObject({ id, name: 'inspect-me', labels: { tier: 'web' }, env: ['A=1'], rootfs, command: ['/bin/sh'] });
    expect(json).toHaveProperty('annotations');
    expect(await panel.getByRole('button', { name: 'Copy JSON' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('keeps the Inspect panel current as the CLI renames and removes the container', async () => {
    create('watched');
    const { page } = await openContainers();
    await page.getByRole('button', { name: 'Inspect watched' }).click();
    await page.getByRole('complementary', { name: 'Inspect watched' }).getByText('"watched"').waitFor();
    podbay('rename', 'watched', 'watched-2');
    const panel = page.getByRole('complementary', { name: 'Inspect watched-2' });
    await panel.getByText('"watched-2"').waitFor({ timeout: 2_000 });
    podbay('rm', 'watched-2');
    await panel.getByText('watched-2 was removed; this is its last known state.').waitFor({ timeout: 2_000 });
  });

  it('is reachable by keyboard: arrows move, Space selects, Enter inspects', async () => {
    const { page } = await openContainers();
    await grid(page).focus();
    await page.keyboard.press('Home');
    const first = grid(page).locator('[role=row][aria-rowindex="2"]');
    expect(await first.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Control+ArrowDown');
    await page.keyboard.press('Space');
    expect(await grid(page).locator('[role=row][aria-rowindex="3"]').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: /^Inspect / }).waitFor();
  });

  it('narrows the list as you type and by state', async () => {
    create('alpha-web', '--label', 'team=blue');
    create('beta-db');
    const { page } = await openContainers();
    const search = page.getByRole('searchbox', { name: /Search containers/ });
    await search.fill('alpha');
    await page.getByText(/^1 of \d+ containers$/).waitFor();
    expect(await grid(page).getByRole('row').count()).toBe(2);
    await search.fill('team=blue');
    await row(page, 'alpha-web').waitFor();
    await search.fill('zzz-nothing');
    await page.getByText('No container matches').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row(page, 'beta-db').waitFor();
    await page.getByRole('combobox', { name: 'State' }).selectOption('running');
    await page.getByText('No container matches').waitFor();
    await page.getByRole('combobox', { name: 'State' }).selectOption('created');
    await row(page, 'beta-db').waitFor();
  });

  it('looks dense and polished with about twenty containers (docs/containers.png)', async () => {
    const stale = psNames();
    if (stale.length > 0) podbay('rm', ...stale);
    podbay('pod', 'create', '--infra=false', '--name', 'shop', '--label', 'app=shop');
    const services = ['api-gateway', 'auth-service', 'billing-worker', 'cache-warmer', 'db-migrate', 'frontend', 'image-resizer', 'ingest-queue', 'mailer', 'notifier', 'payments-api', 'reports-cron', 'search-indexer', 'session-store', 'static-assets', 'metrics-agent', 'log-shipper'];
    const trees = ['debian-12', 'alpine-3.20', 'nginx-1.27', 'postgres-17'].map((tree) => join(rootfs, 'trees', tree));
    for (const tree of trees) mkdirSync(tree, { recursive: true });
    const from = (tree: number, name: string, ...rest: string[]) => podbay('create', '--name', name, '--rootfs', trees[tree] as string, ...rest);
    services.forEach((name, i) => from(i % 2, name, '--label', `app=${name}`, '--', `/usr/bin/${name}`, '--port', '8080'));
    from(2, 'shop-web', '--pod', 'shop', '--', 'nginx', '-g', 'daemon off;');
    from(3, 'shop-db', '--pod', 'shop', '--', 'postgres', '-c', 'fsync=off');
    const { page } = await openContainers();
    await row(page, 'shop-db').waitFor();
    await page.getByText('19 containers').waitFor();
    await row(page, 'payments-api').getByRole('gridcell').nth(1).click();
    await row(page, 'mailer').getByRole('gridcell').nth(1).click({ modifiers: ['Control'] });
    await page.mouse.move(0, 0);
    mkdirSync(join(repoRoot, 'docs'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'docs', 'containers.png') });
    expect(pageErrors(page)).toEqual([]);
  });
});
