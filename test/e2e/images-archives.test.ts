// Save, Load and Import through the browser: the archive of a selected image downloads through the
// web host's /transfers/ endpoint, is uploaded again (a task in the tray, with byte progress) after
// the image was removed, and a rootfs tarball becomes an image through Import. The CLI in its own
// process is the oracle for what the store holds.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNormalizedReference } from '../../main/core/image/reference.ts';
import { pushImage } from '../../main/core/image/push.ts';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { runPodbay } from '../helpers/e2e-host.ts';
import { busyboxLayer, busyboxMissing, buildImage, layerFromMembers, storeImage } from '../helpers/image-builder.ts';
import type { BuiltImage } from '../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../helpers/registry-server.ts';
import type { RegistryServer } from '../helpers/registry-server.ts';

const missing = registryMissing() ?? busyboxMissing();
if (missing) console.warn(`skipping the archive browser tests: ${missing}`);

describe.skipIf(missing !== undefined)('Save, Load and Import in the browser', () => {
  const app = useServedApp();
  let registry: RegistryServer;
  let image: BuiltImage;
  const dir = mkdtempSync(join(tmpdir(), 'podbay-e2e-archives-'));
  const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]).trim();
  const names = () => (JSON.parse(podbay('images', '--format', 'json')) as { RepoTags: string[] | null }[]).flatMap((i) => i.RepoTags ?? []);

  beforeAll(async () => {
    registry = await startRegistry();
    image = buildImage([busyboxLayer()]);
    await storeImage(join(dir, 'src'), image);
    await pushImage(parseNormalizedReference(`${registry.host}/podbay/busybox:1`), { graphRoot: join(dir, 'src'), manifestDigest: image.manifestDigest, tlsVerify: false });
    podbay('pull', '--tls-verify=false', '-q', `${registry.host}/podbay/busybox:1`);
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('downloads a saved archive, loads it back after removal, and imports a tarball', async () => {
    const name = `${registry.host}/podbay/busybox:1`;
    const page = await app.openPage();
    await page.goto(`${app.host.url}#/images`);
    const grid = page.getByRole('grid', { name: 'Images' });
    await grid.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check();
    await page.getByRole('button', { name: /^Save 1$/ }).click();
    const save = page.getByRole('dialog', { name: `Save ${name}` });
    await save.getByRole('combobox', { name: 'Format' }).selectOption('docker-archive');
    const [download] = await Promise.all([page.waitForEvent('download'), save.getByRole('button', { name: 'Save and download' }).click()]);
    expect(download.suggestedFilename()).toBe('busybox-1.tar');
    const archive = join(dir, 'busybox-1.tar');
    await download.saveAs(archive);
    await save.getByText(/Saved busybox-1\.tar/).waitFor();
    await save.getByRole('button', { name: 'Close' }).click();
    // A docker-archive: manifest.json names the image.
    expect(readFileSync(archive).includes(Buffer.from('manifest.json'))).toBe(true);

    podbay('rmi', name);
    await grid.getByRole('checkbox', { name: `Select ${name}`, exact: true }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Load', exact: true }).click();
    const load = page.getByRole('dialog', { name: 'Load images from an archive' });
    await load.getByLabel(/Archive/).setInputFiles(archive);
    await load.getByRole('button', { name: 'Load', exact: true }).click();
    await load.waitFor({ state: 'detached', timeout: 30_000 });
    await grid.getByRole('checkbox', { name: `Select ${name}`, exact: true }).waitFor();
    expect(names()).toContain(name);
    // The upload ran as a task: the tray keeps it, complete.
    await page.getByRole('button', { name: /^Tasks/ }).click();
    const tray = page.getByRole('region', { name: 'Tasks' });
    await tray.getByText('Loaded busybox-1.tar').waitFor();
    await page.keyboard.press('Escape');

    const tarball = join(dir, 'rootfs.tar.gz');
    writeFileSync(tarball, layerFromMembers([{ name: 'hello.txt', data: 'hi\n' }]).blob);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const imp = page.getByRole('dialog', { name: 'Import a rootfs tarball' });
    await imp.getByLabel(/Tarball/).setInputFiles(tarball);
    await imp.getByRole('textbox', { name: /Image name/ }).fill('from-browser:1');
    await imp.getByRole('textbox', { name: /Changes/ }).fill('CMD ["/hello"]\nENV A=1');
    await imp.getByRole('button', { name: 'Import', exact: true }).click();
    await imp.waitFor({ state: 'detached', timeout: 30_000 });
    await grid.getByRole('checkbox', { name: 'Select localhost/from-browser:1', exact: true }).waitFor();
    const inspect = JSON.parse(podbay('image', 'inspect', 'from-browser:1')) as { Config: { Cmd: string[]; Env: string[] } }[];
    expect(inspect[0]!.Config).toMatchObject({ Cmd: ['/hello'], Env: ['A=1'] });
    expect(pageErrors(page)).toEqual([]);
  });
});
