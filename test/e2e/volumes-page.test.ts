// The Volumes page and the Create dialog's mounts in Chromium against the real `podbay serve` (and crun
// for the run): a volume made in the dialog appears in the list, one made by the CLI in another process
// appears by itself, the Inspect panel shows it, removing a volume in use names its container and needs
// force, prune takes what no container uses; a container created from the dialog with a volume writes
// into it — checked against `podbay volume ls`, `inspect` and the volume's files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { repoRoot, runPodbay } from '../helpers/e2e-host.ts';
import { crunRefusalReason, ociSkipReason } from '../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../helpers/oci-rootfs.ts';

const app = useServedApp();
const base = mkdtempSync(join(tmpdir(), 'podbay-e2e-volumes-'));
const rootfs = makeBusyboxRootfs(join(base, 'rootfs'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]).trim();
const volumes = () => JSON.parse(podbay('volume', 'ls', '--format', 'json')) as { Name: string; Labels: Record<string, string>; Options: Record<string, string>; Mountpoint: string; UsedBy: string[] }[];
const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');

async function openVolumes(): Promise<Page> {
  const page = await app.openPage();
  await page.goto(`${app.host.url}#/volumes`);
  await page.getByRole('heading', { level: 1, name: 'Volumes' }).waitFor();
  await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
  return page;
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Volumes' });
const row = (page: Page, name: string) => grid(page).getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });

describe('Volumes page', () => {
  it('creates a volume in the dialog, shows one the CLI makes, inspects, and removes one in use only with force', async () => {
    const page = await openVolumes();
    await page.getByText('No volumes yet').waitFor();

    await page.getByRole('button', { name: 'Create volume' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create volume' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('../bad');
    await dialog.getByRole('button', { name: 'Create volume' }).click();
    await dialog.getByText('Use letters, digits, _ . and -, starting with a letter or digit').waitFor();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('ui-data');
    await dialog.getByRole('textbox', { name: 'Labels' }).fill('app=shop');
    await dialog.getByRole('textbox', { name: 'Driver options' }).fill('colour=blue');
    await dialog.getByRole('button', { name: 'Create volume' }).click();
    await dialog.getByText(/invalid mount option colour/i).waitFor();
    await dialog.getByRole('textbox', { name: 'Driver options' }).fill('uid=1000');
    await dialog.getByRole('button', { name: 'Create volume' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row(page, 'ui-data').waitFor();
    expect(volumes()).toEqual([expect.objectContaining({ Name: 'ui-data', Labels: { app: 'shop' }, Options: { uid: '1000' } })]);

    // Made by the CLI in another process: it shows up by itself.
    podbay('volume', 'create', '--label', 'tier=cache', 'cli-cache');
    await row(page, 'cli-cache').waitFor({ timeout: 2_000 });
    const cells = (await row(page, 'cli-cache').getByRole('gridcell').allInnerTexts()).map((c) => c.trim());
    expect(cells.slice(1, 5)).toEqual(['cli-cache', 'local', '—', 'tier=cache']);

    // A container using it (made by the CLI): its row says so.
    podbay('create', '--name', 'user-of-cache', '-v', 'cli-cache:/cache', '--rootfs', rootfs, 'true');
    await row(page, 'cli-cache').getByText('user-of-cache').waitFor({ timeout: 2_000 });
    await page.screenshot({ path: join(repoRoot, 'docs', 'volumes.png') });

    // What the volume holds shows beside its mountpoint (a disk usage walk at inspect).
    const mountpoint = volumes().find((v) => v.Name === 'cli-cache')!.Mountpoint;
    writeFileSync(join(mountpoint, 'two-kib'), Buffer.alloc(2048));
    await page.getByRole('button', { name: 'Inspect cli-cache', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'Inspect cli-cache' });
    await panel.getByText('"user-of-cache"').waitFor();
    await panel.getByText(`${mountpoint} · 2 KiB`).waitFor();
    await panel.getByRole('button', { name: 'Close' }).click();

    // Removing a volume in use: the dialog names the container; without force it stays.
    await row(page, 'cli-cache').getByRole('checkbox', { name: 'Select cli-cache' }).check();
    await page.getByRole('button', { name: /^Remove/ }).click();
    let confirm = page.getByRole('dialog', { name: 'Remove volume cli-cache?' });
    await confirm.getByText(/In use by user-of-cache/).waitFor();
    await confirm.getByRole('button', { name: 'Remove volume' }).click();
    await page.getByRole('alert', { name: 'Removal results' }).getByText(/is being used by the following container\(s\): user-of-cache/).waitFor();
    expect(volumes().map((v) => v.Name).sort()).toEqual(['cli-cache', 'ui-data']);

    await page.getByRole('button', { name: /^Remove/ }).click();
    confirm = page.getByRole('dialog', { name: 'Remove volume cli-cache?' });
    await confirm.getByRole('checkbox', { name: /Force: also remove container user-of-cache/ }).check();
    await confirm.getByRole('button', { name: 'Remove volume' }).click();
    await row(page, 'cli-cache').waitFor({ state: 'detached' });
    expect(volumes().map((v) => v.Name)).toEqual(['ui-data']);
    expect(podbay('ps', '-a', '-q')).toBe('');

    // Prune: ui-data is used by nothing.
    await page.getByRole('button', { name: 'Prune unused' }).click();
    await page.getByRole('dialog', { name: 'Remove all unused volumes?' }).getByRole('button', { name: 'Prune volumes' }).click();
    await page.getByRole('status', { name: 'Prune results' }).getByText('Removed 1 unused volume').waitFor();
    await page.getByText('No volumes yet').waitFor();
    expect(volumes()).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  });

  it.skipIf(skip !== null)(`runs a container made in the Create dialog with a volume and a read-only host path${skip ? ` (skipped: ${skip})` : ''}`, async () => {
    const page = await app.openPage();
    await page.goto(`${app.host.url}#/containers`);
    await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
    await page.getByRole('button', { name: 'Create container' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create container' });
    await dialog.getByRole('textbox', { name: 'Root filesystem' }).fill(rootfs);
    await dialog.getByRole('textbox', { name: 'Command' }).fill(`sh -c 'cat /site/etc/passwd | head -1 > /data/seen; touch /site/x 2>/dev/null || echo ro >> /data/seen'`);
    await dialog.getByRole('textbox', { name: 'Name' }).fill('with-volume');
    await dialog.getByRole('checkbox', { name: /Interactive terminal/ }).uncheck();

    await dialog.getByRole('button', { name: 'Add volume' }).click();
    await dialog.getByRole('combobox', { name: 'Mount 1 volume' }).fill('from-dialog');
    await dialog.getByRole('textbox', { name: 'Mount 1 destination' }).fill('data');
    await dialog.getByRole('button', { name: 'Add host path' }).click();
    await dialog.getByRole('textbox', { name: 'Mount 2 host path' }).fill(rootfs);
    await dialog.getByRole('textbox', { name: 'Mount 2 destination' }).fill('/site');
    await dialog.getByRole('checkbox', { name: 'Mount 2 read-only' }).check();
    await dialog.getByRole('combobox', { name: 'Restart policy' }).selectOption('on-failure');
    await dialog.getByRole('button', { name: 'Create and start' }).click();
    await dialog.getByText('Use an absolute path (starting with /)').waitFor();
    await dialog.getByRole('textbox', { name: 'Mount 1 destination' }).fill('/data');
    await dialog.getByRole('button', { name: 'Create and start' }).click();
    await dialog.waitFor({ state: 'detached' });

    expect(podbay('wait', 'with-volume')).toBe('0');
    const [vol] = volumes().filter((v) => v.Name === 'from-dialog');
    expect(vol?.UsedBy).toEqual(['with-volume']);
    expect(readFileSync(join(vol?.Mountpoint as string, 'seen'), 'utf8')).toBe('root:x:0:0:root:/root:/bin/sh\nro\n');
    const [inspect] = JSON.parse(podbay('container', 'inspect', 'with-volume')) as { HostConfig: { RestartPolicy: { Name: string } }; Mounts: { Type: string; Destination: string; RW: boolean }[] }[];
    expect(inspect?.HostConfig.RestartPolicy.Name).toBe('on-failure');
    expect(inspect?.Mounts.map((m) => [m.Type, m.Destination, m.RW])).toEqual([
      ['bind', '/site', false],
      ['volume', '/data', true],
    ]);
    podbay('rm', '-f', '-t', '0', 'with-volume');
  });
});
