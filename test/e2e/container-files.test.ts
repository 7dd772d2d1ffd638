// Journeys 3 and 6 (look inside, take it elsewhere) in Chromium against the real `podbay serve` and
// real conmon + crun: a running busybox container's Files tab lists its rootfs, downloads a file
// (the browser's own download), enters a directory and takes an upload; Stats shows live samples;
// Processes and Changes show top and diff; the Commit dialog commits it with progress in the task
// tray, and the new image appears on the Images page. The CLI in its own process is the oracle.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../main/core/runtime.ts';
import { storeOptions } from '../helpers/core-store.ts';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { runPodbay } from '../helpers/e2e-host.ts';
import { busyboxLayer, busyboxMissing, buildImage } from '../helpers/image-builder.ts';
import { crunRefusalReason, ociSkipReason } from '../helpers/oci-env.ts';
import { addImage } from '../helpers/stored-image.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? busyboxMissing() ?? null;
const app = useServedApp();
const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]);

async function openDetails(name: string): Promise<{ page: Page; details: ReturnType<Page['getByRole']> }> {
  const page = await app.openPage();
  await page.goto(`${app.host.url}#/containers`);
  await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
  await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
  await page.getByRole('button', { name: `Inspect ${name}`, exact: true }).click();
  const details = page.getByRole('complementary', { name: new RegExp(`${name}$`) });
  await details.waitFor();
  return { page, details };
}

describe.skipIf(skip !== null)(`Container files, stats, processes, changes and commit${skip ? ` (skipped: ${skip})` : ''}`, () => {
  beforeAll(async () => {
    const seed = Runtime.create(storeOptions({ dir: '', graphRoot: app.host.root, runRoot: app.host.runRoot, rootfs: '', eventsLog: app.host.eventLogPath, cleanup: () => undefined }), { cliScript: null });
    await addImage(seed, buildImage([busyboxLayer()], { oci: true }), ['localhost/busybox:latest']);
    seed.shutdown(true);
    podbay('run', '-d', '--name', 'web', '--network', 'none', 'busybox', 'sh', '-c', 'echo hello from web > /hello.txt; rm /etc/group; sleep 1000');
    for (let i = 0; i < 100 && !podbay('diff', 'web').includes('/hello.txt'); i++) await new Promise((r) => setTimeout(r, 50));
  }, 60_000);

  it('browses the Files tab, downloads a file, enters a directory and uploads into it', async () => {
    const { page, details } = await openDetails('web');
    await details.getByRole('tab', { name: 'Files' }).click();
    const files = details.getByRole('grid', { name: 'Files in /' });
    await files.getByRole('row').filter({ hasText: 'hello.txt' }).waitFor();

    const downloading = page.waitForEvent('download');
    await files.getByRole('button', { name: 'Download hello.txt', exact: true }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('hello.txt');
    expect(readFileSync(await download.path(), 'utf8')).toBe('hello from web\n');
    await details.getByRole('status').getByText(/^Downloaded hello\.txt/).waitFor();

    // Into /etc by the keyboard: the row active, Enter opens it.
    await files.getByRole('gridcell', { name: 'etc', exact: true }).click();
    await page.keyboard.press('Enter');
    const etc = details.getByRole('grid', { name: 'Files in /etc' });
    await etc.getByRole('row').filter({ hasText: 'passwd' }).first().waitFor();

    await details.getByLabel('File to upload into /etc').setInputFiles({ name: 'uploaded.conf', mimeType: 'text/plain', buffer: Buffer.from('set=by the browser\n') });
    await details.getByRole('status').getByText(/^Uploaded uploaded\.conf/).waitFor();
    await etc.getByRole('row').filter({ hasText: 'uploaded.conf' }).waitFor();
    expect(podbay('exec', 'web', 'cat', '/etc/uploaded.conf')).toBe('set=by the browser\n');

    const tarring = page.waitForEvent('download');
    await details.getByRole('button', { name: 'Folder as tar' }).click();
    expect((await tarring).suggestedFilename()).toBe('etc.tar');
    expect(pageErrors(page)).toEqual([]);
  });

  it('shows live stats that update while the tab is open, the processes and the changes', async () => {
    const { page, details } = await openDetails('web');
    await details.getByRole('tab', { name: 'Stats' }).click();
    const panel = details.getByRole('tabpanel', { name: 'Stats' });
    await panel.getByRole('status').getByText(/^Live · 1 sample$/).waitFor();
    expect(await panel.getByTestId('stats-memory').innerText()).toMatch(/^\d+(\.\d+)? (B|KiB|MiB) \/ \d+(\.\d+)? (MiB|GiB)$/);
    expect(Number(await panel.getByTestId('stats-pids').innerText())).toBeGreaterThanOrEqual(1);
    await panel.getByRole('status').getByText(/^Live · 2 samples$/).waitFor({ timeout: 10_000 });

    await details.getByRole('tab', { name: 'Processes' }).click();
    const processes = details.getByRole('table', { name: 'Processes' });
    await processes.getByRole('cell', { name: 'sleep 1000' }).waitFor();
    expect(await processes.getByRole('columnheader').allInnerTexts()).toEqual(['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND']);

    await details.getByRole('tab', { name: 'Changes' }).click();
    const changes = details.getByRole('list', { name: 'Changes against the image' });
    await changes.getByRole('listitem').filter({ hasText: '/hello.txt' }).waitFor();
    expect(await changes.getByRole('listitem').filter({ hasText: '/etc/group' }).innerText()).toMatch(/^D\s+\/etc\/group$/);
    expect(pageErrors(page)).toEqual([]);
  });

  it('commits from the dialog with progress in the task tray, and the image appears in Images', async () => {
    const { page, details } = await openDetails('web');
    await details.getByRole('button', { name: 'Commit…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Commit web' });
    await dialog.getByRole('textbox', { name: 'Image name' }).fill('web-snap:1');
    await dialog.getByRole('textbox', { name: 'Author' }).fill('E2E <e2e@example.com>');
    await dialog.getByRole('textbox', { name: 'Changes' }).fill('CMD=cat /hello.txt\nLABEL from=ui');
    await dialog.getByRole('button', { name: 'Commit', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Tasks: 1 finished' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Tasks: 1 finished' }).click();
    await page.getByRole('region', { name: 'Tasks' }).getByText('Committed web').waitFor();
    await page.getByRole('region', { name: 'Tasks' }).getByText('localhost/web-snap:1').waitFor();

    await page.getByRole('region', { name: 'Tasks' }).getByRole('link', { name: 'Show in Images' }).click();
    await page.getByRole('heading', { level: 1, name: 'Images' }).waitFor();
    const grid = page.getByRole('grid', { name: 'Images' });
    await grid.getByRole('row').filter({ has: page.getByRole('checkbox', { name: 'Select localhost/web-snap:1', exact: true }) }).waitFor();
    expect(podbay('run', '--rm', '--network', 'none', 'web-snap:1')).toBe('hello from web\n');
    expect(JSON.parse(podbay('ps', '--format', 'json')).find((c: { Names: string[] }) => c.Names[0] === 'web')?.State).toBe('running');
    expect(pageErrors(page)).toEqual([]);
  });
});
