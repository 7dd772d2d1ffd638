// Journey: add my own registry and push to it. On the Registries page a person adds a plain-HTTP
// registry behind htpasswd with credentials, tests it (reachable, login works, push allowed), then
// on the Images page pushes an image there and watches the byte progress reach 100 % and the digest.
// Real `podbay serve` (its HOME and XDG_RUNTIME_DIR in a temp dir, so the drop-in, certs.d and
// auth.json it writes are its own), Debian's docker-registry, Chromium.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNormalizedReference } from '../../main/core/image/reference.ts';
import { pushImage } from '../../main/core/image/push.ts';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { runPodbay } from '../helpers/e2e-host.ts';
import { bigLayers, busyboxLayer, busyboxMissing, buildImage, storeImage } from '../helpers/image-builder.ts';
import type { BuiltImage } from '../helpers/image-builder.ts';
import { freePort, registryMissing, startRegistry } from '../helpers/registry-server.ts';
import type { RegistryServer } from '../helpers/registry-server.ts';

const missing = registryMissing({ auth: true }) ?? busyboxMissing();
if (missing) console.warn(`skipping the Registries page browser tests: ${missing}`);
const credentials = { username: 'pusher', password: 'push-secret' };

const home = mkdtempSync(join(tmpdir(), 'podbay-e2e-home-'));

describe.skipIf(missing !== undefined)('Registries page and Push', () => {
  const app = useServedApp([], { HOME: home, XDG_RUNTIME_DIR: join(home, 'run') });
  let source: RegistryServer;
  let target: RegistryServer;
  let image: BuiltImage;
  const blobs = mkdtempSync(join(tmpdir(), 'podbay-e2e-registries-'));
  const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]).trim();

  beforeAll(async () => {
    [source, target] = await Promise.all([startRegistry(), startRegistry({ auth: credentials })]);
    image = buildImage([busyboxLayer(), ...bigLayers(1, 8 * 1024 * 1024)]);
    await storeImage(blobs, image);
    await pushImage(parseNormalizedReference(`${source.host}/team/app:1`), { graphRoot: blobs, manifestDigest: image.manifestDigest, tlsVerify: false });
    podbay('pull', '--tls-verify=false', '-q', `${source.host}/team/app:1`);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    rmSync(blobs, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('adds a registry with credentials, tests it, then pushes an image to it from the Images page', async () => {
    const page = await app.openPage();
    await page.goto(`${app.host.url}#/registries`);
    await page.getByRole('heading', { level: 1, name: 'Registries' }).waitFor();

    // An unreachable registry first: the test says so, distinct from a refused login.
    await page.getByRole('button', { name: 'Add registry' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a registry' });
    await dialog.getByRole('textbox', { name: 'Registry' }).fill(`127.0.0.1:${await freePort()}`);
    await dialog.getByRole('checkbox', { name: /Insecure/ }).check();
    await dialog.getByRole('button', { name: 'Test', exact: true }).click();
    await dialog.getByText(/: reachable failed$/).waitFor();
    await dialog.getByText(/^No answer/).waitFor();

    await dialog.getByRole('textbox', { name: 'Registry' }).fill(target.host);
    await dialog.getByRole('textbox', { name: /Username/ }).fill(credentials.username);
    await dialog.getByLabel('Password or token').fill(credentials.password);
    await dialog.getByRole('button', { name: 'Test', exact: true }).click();
    await dialog.getByText(`${target.host}: ready to push`).waitFor();
    await dialog.getByText(`Logged in as ${credentials.username}.`).waitFor();
    await dialog.getByText(/^May push to podbay-push-check/).waitFor();
    await dialog.getByRole('button', { name: 'Add registry' }).click();
    await dialog.waitFor({ state: 'detached' });

    const grid = page.getByRole('grid', { name: 'Registries' });
    const row = grid.getByRole('row').filter({ hasText: target.host });
    await row.getByText('Added in Podbay').waitFor();
    await row.getByText(credentials.username, { exact: true }).waitFor();
    // The standard files, as podman reads them.
    expect(readFileSync(join(home, '.config/containers/registries.conf.d/50-podbay.conf'), 'utf8')).toContain(`location = "${target.host}"`);
    expect(JSON.parse(readFileSync(join(home, 'run/containers/auth.json'), 'utf8')).auths[target.host]).toBeDefined();

    // Test from the list uses the stored login.
    await row.getByRole('button', { name: `Test ${target.host}` }).click();
    await page.getByRole('status', { name: `Test of ${target.host}` }).getByText(`${target.host}: ready to push`).waitFor();

    // Push from the Images page.
    await page.goto(`${app.host.url}#/images`);
    await page.getByRole('heading', { level: 1, name: 'Images' }).waitFor();
    await page.getByRole('button', { name: `Push ${source.host}/team/app:1` }).click();
    const push = page.getByRole('dialog', { name: `Push ${source.host}/team/app:1` });
    await push.getByRole('combobox', { name: 'Registry' }).fill(target.host);
    await expect.poll(() => push.getByRole('textbox', { name: 'Repository' }).inputValue()).toBe('team/app');
    await push.getByRole('textbox', { name: 'Tag' }).fill('pushed');
    await push.getByRole('button', { name: 'Test', exact: true }).click();
    await push.getByText(/^May push to team\/app/).waitFor();
    await push.getByRole('button', { name: 'Push', exact: true }).click();

    const done = page.getByRole('dialog', { name: `Pushed ${target.host}/team/app:pushed` });
    await done.waitFor({ timeout: 30_000 });
    expect(await done.getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')).toBe('100');
    await done.getByText(image.manifestDigest).waitFor();
    await done.getByRole('button', { name: 'Close' }).click();

    // The task tray keeps the finished push; the registry holds the same manifest digest.
    await page.getByRole('button', { name: /^Tasks/ }).click();
    await page.getByRole('region', { name: 'Tasks' }).getByText(`Pushed ${target.host}/team/app:pushed`).waitFor();
    const response = await fetch(`http://${target.host}/v2/team/app/manifests/pushed`, {
      method: 'HEAD',
      headers: { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`, accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    expect(response.headers.get('docker-content-digest')).toBe(image.manifestDigest);

    // Remove the registry again: its drop-in entry goes, the login stays until logged out.
    await page.goto(`${app.host.url}#/registries`);
    await row.getByRole('button', { name: `Log out of ${target.host}` }).click();
    await row.getByRole('button', { name: `Log in to ${target.host}` }).waitFor();
    await row.getByRole('button', { name: `Remove ${target.host}` }).click();
    await page.getByRole('dialog', { name: `Remove ${target.host}?` }).getByRole('button', { name: 'Remove registry' }).click();
    await grid.getByRole('row').filter({ hasText: target.host }).waitFor({ state: 'detached' });
    expect(existsSync(join(home, '.config/containers/registries.conf.d/50-podbay.conf'))).toBe(true);
    expect(readFileSync(join(home, '.config/containers/registries.conf.d/50-podbay.conf'), 'utf8')).not.toContain(target.host);
    expect(pageErrors(page)).toEqual([]);
  });
});
