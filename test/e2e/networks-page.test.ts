// Networks in Chromium against the real `podbay serve`, netavark and crun: the Networks page lists
// the store's networks live (one made by the CLI appears by itself), creates one in its dialog and
// removes it after asking; a container made in the Create dialog with a published port shows that
// port as a link in the list and its details, and the link opens the page the container serves.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { runPodbay } from '../helpers/e2e-host.ts';
import { networkHostProblems } from '../helpers/network-host.ts';
import { crunRefusalReason, ociSkipReason } from '../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../helpers/oci-rootfs.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? (networkHostProblems().join('; ') || null);
const app = useServedApp();
const base = mkdtempSync(join(tmpdir(), 'podbay-e2e-networks-'));
const rootfs = makeBusyboxRootfs(join(base, 'rootfs'));
writeFileSync(join(rootfs, 'index.html'), 'served from the container\n');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]).trim();
const networkNames = () => (JSON.parse(podbay('network', 'ls', '--format', 'json')) as { name: string }[]).map((n) => n.name);

async function openAt(route: string, heading: string): Promise<Page> {
  const page = await app.openPage();
  await page.goto(`${app.host.url}#/${route}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
  return page;
}

const grid = (page: Page, name: string) => page.getByRole('grid', { name });
const row = (page: Page, table: string, name: string) => grid(page, table).getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });

describe.skipIf(skip !== null)(`Networks${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('lists the default network and one the CLI creates, live', async () => {
    const page = await openAt('networks', 'Networks');
    // The e2e tests' own default network (test/fixtures/podbay-e2e.conf).
    const fallback = row(page, 'Networks', 'podbay-e2e');
    await fallback.waitFor();
    expect(await fallback.innerText()).toContain('default');
    expect(await fallback.innerText()).toContain('10.89.241.0/24');

    podbay('network', 'create', '--subnet', '10.89.243.0/24', '--label', 'made=cli', 'from-cli');
    const made = row(page, 'Networks', 'from-cli');
    await made.waitFor({ timeout: 2_000 });
    const cells = (await made.getByRole('gridcell').allInnerTexts()).map((c) => c.trim());
    expect(cells.slice(1, 8)).toEqual(['from-cli', 'bridge', '10.89.243.0/24', '10.89.243.1', 'Yes', 'No', '—']);
    podbay('network', 'rm', 'from-cli');
    await made.waitFor({ state: 'detached', timeout: 2_000 });
    expect(pageErrors(page)).toEqual([]);
  });

  it('creates a network in the dialog, checks its fields first, and removes it after asking', async () => {
    const page = await openAt('networks', 'Networks');
    await page.getByRole('button', { name: 'Create network' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create network' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('made-in-ui');
    await dialog.getByRole('textbox', { name: 'Subnet' }).fill('10.89.244.0');
    await dialog.getByRole('button', { name: 'Create network' }).click();
    await dialog.getByText('A subnet in CIDR notation, e.g. 10.89.40.0/24').waitFor();
    await dialog.getByRole('textbox', { name: 'Subnet' }).fill('10.89.244.0/24');
    await dialog.getByRole('textbox', { name: 'Gateway' }).fill('10.89.244.254');
    await dialog.getByRole('checkbox', { name: /Internal/ }).check();
    await dialog.getByRole('checkbox', { name: /DNS/ }).uncheck();
    await dialog.getByRole('button', { name: 'Create network' }).click();
    await dialog.waitFor({ state: 'detached' });

    const made = row(page, 'Networks', 'made-in-ui');
    await made.waitFor();
    const cells = (await made.getByRole('gridcell').allInnerTexts()).map((c) => c.trim());
    expect(cells.slice(3, 7)).toEqual(['10.89.244.0/24', '10.89.244.254', 'No', 'Yes']);
    expect(networkNames()).toContain('made-in-ui');

    // A container on it: the confirmation names it, and it goes with the network.
    podbay('create', '--name', 'on-made', '--network', 'made-in-ui', '--rootfs', rootfs, 'true');
    await made.getByText('on-made').waitFor({ timeout: 2_000 });
    await made.getByRole('checkbox', { name: 'Select made-in-ui' }).check();
    await page.getByRole('button', { name: /^Remove/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove network made-in-ui?' });
    await confirm.getByText(/on-made/).waitFor();
    await confirm.getByRole('button', { name: 'Remove with its containers' }).click();
    await made.waitFor({ state: 'detached', timeout: 5_000 });
    expect(networkNames()).not.toContain('made-in-ui');
    expect(podbay('ps', '-a', '-q')).toBe('');
    expect(pageErrors(page)).toEqual([]);
  });

  it('shows a container\'s published port as a link that opens what it serves', async () => {
    const page = await openAt('containers', 'Containers');
    await page.getByRole('button', { name: 'Create container' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create container' });
    await dialog.getByRole('textbox', { name: 'Root filesystem' }).fill(rootfs);
    await dialog.getByRole('textbox', { name: 'Command' }).fill('httpd -f -p 80 -h /');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('web');
    await dialog.getByRole('checkbox', { name: /Interactive terminal/ }).uncheck();
    expect(await dialog.getByRole('combobox', { name: 'Network' }).inputValue()).toBe('');
    await dialog.getByRole('textbox', { name: 'Published ports' }).fill('127.0.0.1::80');
    await dialog.getByRole('button', { name: 'Create and start' }).click();
    await dialog.waitFor({ state: 'detached' });

    const link = row(page, 'Containers', 'web').getByRole('link', { name: /^127\.0\.0\.1:\d+->80\/tcp$/ });
    await link.waitFor();
    const href = await link.getAttribute('href');
    const port = Number(/^http:\/\/127\.0\.0\.1:(\d+)\/$/.exec(href ?? '')?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(podbay('port', 'web')).toBe(`80/tcp -> 127.0.0.1:${port}`);

    // The details offer the same link in tab order; it opens the container's page in a new tab.
    const details = page.getByRole('complementary', { name: /web$/ });
    const detailsLink = details.getByRole('link', { name: `127.0.0.1:${port}->80/tcp` });
    await detailsLink.waitFor();
    const [opened] = await Promise.all([page.context().waitForEvent('page'), detailsLink.click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(`http://127.0.0.1:${port}/`);
    const served = await opened.request.get(`http://127.0.0.1:${port}/index.html`);
    expect(await served.text()).toBe('served from the container\n');
    await opened.close();
    podbay('rm', '-f', '-t', '0', 'web');
    expect(pageErrors(page)).toEqual([]);
  });
});
