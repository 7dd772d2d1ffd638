// The Containers page's lifecycle actions in Chromium against the real `podbay serve` and crun: a
// container made in the Create dialog runs, then Pause, Resume, Restart and Kill (asked first) from the
// selection toolbar and the row — each row's state following the events, and `podbay ps` agreeing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useServedApp } from '../helpers/e2e-app.ts';
import { runPodbay } from '../helpers/e2e-host.ts';
import { crunRefusalReason, ociSkipReason } from '../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../helpers/oci-rootfs.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');
const app = useServedApp();
const base = mkdtempSync(join(tmpdir(), 'podbay-e2e-actions-'));
const rootfs = makeBusyboxRootfs(join(base, 'rootfs'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]).trim();
const psState = (name: string) => (JSON.parse(podbay('ps', '-a', '--format', 'json')) as { Names: string[]; State: string; ExitCode: number }[]).find((c) => c.Names[0] === name);

async function openContainers(): Promise<Page> {
  const page = await app.openPage();
  await page.goto(`${app.host.url}#/containers`);
  await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
  await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
  return page;
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Containers' });
const row = (page: Page, name: string) => grid(page).getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });
const badge = (page: Page, name: string, text: RegExp) => row(page, name).locator('.badge').filter({ hasText: text });

describe.skipIf(skip !== null)(`Container actions${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('creates a container in the dialog, checks its fields first, and starts it', async () => {
    const page = await openContainers();
    await page.getByRole('button', { name: 'Create container' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create container' });
    await dialog.getByRole('textbox', { name: 'Root filesystem' }).fill('relative/path');
    await dialog.getByRole('button', { name: 'Create and start' }).click();
    await dialog.getByText('Use an absolute path (starting with /)').waitFor();

    await dialog.getByRole('textbox', { name: 'Root filesystem' }).fill(rootfs);
    await dialog.getByRole('textbox', { name: 'Command' }).fill(`sh -c 'echo made-in-ui $GREETING; exec sleep 1000'`);
    await dialog.getByRole('textbox', { name: 'Name' }).fill('made-in-ui');
    await dialog.getByRole('textbox', { name: 'Environment' }).fill('GREETING=hello');
    await dialog.getByRole('checkbox', { name: /Interactive terminal/ }).uncheck();
    await dialog.getByRole('button', { name: 'Create and start' }).click();
    await dialog.waitFor({ state: 'detached' });

    await badge(page, 'made-in-ui', /^Up /).waitFor();
    expect(psState('made-in-ui')?.State).toBe('running');
    // The details open on the new container; its log has the greeting.
    const details = page.getByRole('complementary', { name: /made-in-ui$/ });
    await details.getByRole('tab', { name: 'Logs' }).click();
    await details.getByRole('log').getByText('made-in-ui hello').waitFor();
  });

  it('pauses, resumes, restarts and kills from the selection toolbar, each row following', async () => {
    podbay('create', '--name', 'act-a', '--rootfs', rootfs, 'sleep', '1000');
    podbay('create', '--name', 'act-b', '--rootfs', rootfs, 'sleep', '1000');
    const page = await openContainers();
    for (const name of ['act-a', 'act-b']) await page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check();
    await page.getByRole('button', { name: 'Start 2', exact: true }).click();
    await page.getByRole('status', { name: 'Action results' }).getByText('Started 2 containers').waitFor();
    for (const name of ['act-a', 'act-b']) await badge(page, name, /^Up /).waitFor();

    await page.getByRole('button', { name: 'Pause 2', exact: true }).click();
    for (const name of ['act-a', 'act-b']) await badge(page, name, /^Paused$/).waitFor();
    expect(psState('act-a')?.State).toBe('paused');
    // What does not apply to the selection is not offered.
    expect(await page.getByRole('button', { name: /^Pause \d/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Resume 2', exact: true }).click();
    for (const name of ['act-a', 'act-b']) await badge(page, name, /^Up /).waitFor();

    await page.getByRole('button', { name: 'Restart 2', exact: true }).click();
    await page.getByRole('status', { name: 'Action results' }).getByText('Restarted 2 containers').waitFor({ timeout: 30_000 });
    for (const name of ['act-a', 'act-b']) await badge(page, name, /^Up /).waitFor();

    await page.getByRole('button', { name: 'Kill 2', exact: true }).click();
    await page.getByRole('dialog', { name: 'Kill 2 containers?' }).getByRole('button', { name: 'Kill 2 containers' }).click();
    for (const name of ['act-a', 'act-b']) await badge(page, name, /^Exited \(137\)/).waitFor();
    expect(psState('act-b')).toMatchObject({ State: 'exited', ExitCode: 137 });
  });

  it('starts and stops one container from its row', async () => {
    podbay('create', '--name', 'solo', '--rootfs', rootfs, '--stop-signal', 'KILL', 'sleep', '1000');
    const page = await openContainers();
    await page.getByRole('button', { name: 'Start solo', exact: true }).click();
    await badge(page, 'solo', /^Up /).waitFor();
    await page.getByRole('button', { name: 'Stop solo', exact: true }).click();
    await badge(page, 'solo', /^Exited \(137\)/).waitFor();
    expect(psState('solo')?.State).toBe('exited');
  });
});
