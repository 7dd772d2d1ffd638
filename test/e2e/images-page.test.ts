// Journey 2 (pull an image) on the Images page, against Debian's docker-registry on 127.0.0.1 with
// images built offline (busybox-static, incompressible `big` layers) and, for pulls that must last
// long enough to close a dialog or cancel, a throttling proxy in front of it. The real `podbay
// serve` from dist/ and Chromium; the CLI in its own process is the oracle for what the store holds.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withName, withRootFSFromImage } from '../../main/core/container-config.ts';
import { parseNormalizedReference } from '../../main/core/image/reference.ts';
import { pushImage } from '../../main/core/image/push.ts';
import { openRuntime, sleepSpec } from '../helpers/core-store.ts';
import type { TempStore } from '../helpers/core-store.ts';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { repoRoot, runPodbay } from '../helpers/e2e-host.ts';
import { bigLayers, busyboxLayer, busyboxMissing, buildImage, layerFromMembers, storeImage } from '../helpers/image-builder.ts';
import type { BuiltImage } from '../helpers/image-builder.ts';
import { freePort, registryMissing, startRegistry } from '../helpers/registry-server.ts';
import type { RegistryServer } from '../helpers/registry-server.ts';

const MiB = 1024 * 1024;
const missing = registryMissing() ?? busyboxMissing();
if (missing) console.warn(`skipping the Images page browser tests: ${missing}`);

/**
 * An HTTP proxy on 127.0.0.1 that passes everything to `upstream` and sends response bodies at
 * `bytesPerSecond` per connection: a loopback pull of 50 MiB then lasts seconds, not milliseconds.
 */
async function startThrottle(upstream: string, bytesPerSecond: number): Promise<{ host: string; close(): Promise<void> }> {
  const [upHost, upPort] = upstream.split(':');
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const upstreamReq = request({ host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: { ...req.headers, host: upstream } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.on('data', (chunk: Buffer) => {
        upRes.pause();
        const drained = res.write(chunk) ? Promise.resolve() : new Promise((resolve) => res.once('drain', resolve));
        const waited = new Promise((resolve) => setTimeout(resolve, (chunk.length / bytesPerSecond) * 1000));
        void Promise.all([drained, waited]).then(() => upRes.resume());
      });
      upRes.on('end', () => res.end());
      upRes.on('error', () => res.destroy());
    });
    upstreamReq.on('error', () => res.destroy());
    res.on('close', () => upstreamReq.destroy());
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface PodmanImageJson {
  Id: string;
  RepoTags: string[] | null;
}

describe.skipIf(missing !== undefined)('Images page', () => {
  const app = useServedApp();
  let registry: RegistryServer;
  let slow: { host: string; close(): Promise<void> };
  let busybox: BuiltImage;
  let big: BuiltImage;
  let cancelMe: BuiltImage;
  const source = mkdtempSync(join(tmpdir(), 'podbay-e2e-images-'));

  const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]).trim();
  const storedImages = () => JSON.parse(podbay('images', '--format', 'json')) as PodmanImageJson[];

  beforeAll(async () => {
    registry = await startRegistry();
    busybox = buildImage([busyboxLayer()]);
    big = buildImage([busyboxLayer(), ...bigLayers(2, 25 * MiB)]);
    cancelMe = buildImage([layerFromMembers([{ name: 'data/', type: 'dir' }, { name: 'data/cancel.bin', data: randomBytes(40 * MiB), mode: 0o644 }])]);
    for (const [image, path] of [
      [busybox, 'podbay/busybox:latest'],
      [big, 'bench/big:latest'],
      [cancelMe, 'podbay/cancel-me:latest'],
    ] as const) {
      await storeImage(source, image);
      await pushImage(parseNormalizedReference(`${registry.host}/${path}`), { graphRoot: source, manifestDigest: image.manifestDigest, tlsVerify: false });
    }
    // Two parallel layers at 8 MiB/s each: `big` (50 MiB) takes about 3 s, cancel-me (40 MiB) 5 s.
    slow = await startThrottle(registry.host, 8 * MiB);
  }, 120_000);

  afterAll(async () => {
    await slow?.close();
    await registry?.stop();
    rmSync(source, { recursive: true, force: true });
  });

  /** The Images page, with every images.list call the page sends recorded. */
  async function openImages(): Promise<{ page: Page; listCalls: { filters?: { id?: string[] } }[] }> {
    const page = await app.openPage();
    const listCalls: { filters?: { id?: string[] } }[] = [];
    page.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { t?: string; path?: string; input?: { filters?: { id?: string[] } } };
        if (message.t === 'call' && message.path === 'images.list') listCalls.push(message.input ?? {});
      }),
    );
    await page.goto(`${app.host.url}#/images`);
    await page.getByRole('heading', { level: 1, name: 'Images' }).waitFor();
    await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
    return { page, listCalls };
  }

  const grid = (page: Page) => page.getByRole('grid', { name: 'Images' });
  const row = (page: Page, name: string) => grid(page).getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });
  const dialog = (page: Page) => page.getByRole('dialog');

  /** Opens the Pull dialog, types `reference`, skips TLS verification (plain-HTTP registry) and pulls. */
  async function startPull(page: Page, reference: string): Promise<void> {
    await page.getByRole('button', { name: 'Pull image' }).click();
    await dialog(page).getByRole('textbox', { name: 'Image' }).fill(reference);
    await dialog(page).getByRole('checkbox', { name: /Skip TLS verification/ }).check();
    await dialog(page).getByRole('button', { name: 'Pull', exact: true }).click();
  }

  it('says how to pull when the store is empty', async () => {
    const { page } = await openImages();
    await page.getByText('No images yet').waitFor();
    expect(await page.getByRole('button', { name: 'Pull an image' }).count()).toBe(1);
    expect(pageErrors(page)).toEqual([]);
  });

  it('shows where a name resolves as you type, pulls with layer bytes, and the row appears the moment it lands', async () => {
    const { page, listCalls } = await openImages();
    const name = `${registry.host}/podbay/busybox`;
    await page.getByRole('button', { name: 'Pull image' }).click();
    const input = dialog(page).getByRole('textbox', { name: 'Image' });
    await input.fill(name);
    await dialog(page).getByText(`Pulls ${name}:latest as written.`).waitFor();
    // A malformed reference says so before anything is pulled.
    await input.fill('Not A Valid/Name');
    await dialog(page).locator('.form-hint-danger').waitFor();
    await input.fill(name);
    await dialog(page).getByRole('checkbox', { name: /Skip TLS verification/ }).check();
    await dialog(page).getByRole('button', { name: 'Pull', exact: true }).click();

    await dialog(page).getByRole('heading', { name: `Pulled ${name}:latest` }).waitFor({ timeout: 20_000 });
    const layerSize = busybox.layers[0]!.blob.length;
    const layerRow = dialog(page).getByRole('row', { name: `Layer ${busybox.layers[0]!.digest.slice(7, 19)}` });
    expect(await layerRow.innerText()).toContain('Complete');
    expect(await layerRow.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(await layerRow.getByRole('progressbar').getAttribute('aria-valuetext')).toMatch(new RegExp(`^${(layerSize / MiB).toFixed(1)} MiB / ${(layerSize / MiB).toFixed(1)} MiB$`));
    expect(await dialog(page).getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')).toBe('100');
    // The row is in the list behind the dialog already: the pull event fetched that one image.
    await row(page, `${name}:latest`).waitFor({ state: 'attached', timeout: 2_000 });
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    await dialog(page).waitFor({ state: 'detached' });

    const cells = (await row(page, `${name}:latest`).getByRole('gridcell').allInnerTexts()).map((c) => c.trim());
    const id = busybox.configDigest.slice(7);
    expect(cells.slice(1, 4)).toEqual([name, 'latest', id.slice(0, 12)]);
    expect(cells[4]).toMatch(/years ago$/);
    expect(cells[5]).toMatch(/^[\d.]+ MB$/);
    expect(listCalls.filter((c) => !c.filters)).toHaveLength(1);
    expect(listCalls.some((c) => c.filters?.id?.includes(id))).toBe(true);
    expect(storedImages().map((i) => i.Id)).toContain(id);
    expect(pageErrors(page)).toEqual([]);
  });

  it('keeps a pull running in the task tray when its dialog closes, on every page, until it completes (docs/images.png)', async () => {
    // Names from the CLI show up by themselves, row by row.
    podbay('tag', `${registry.host}/podbay/busybox:latest`, 'localhost/web:1.4', 'quay.io/podbay/tools:stable', 'registry.example.com/team/api:2026.11');
    const { page } = await openImages();
    await row(page, 'registry.example.com/team/api:2026.11').waitFor({ timeout: 2_000 });

    const name = `${slow.host}/bench/big`;
    await startPull(page, name);
    // Byte progress mid-pull: a layer downloading, with bytes done of its total and a speed.
    const downloading = dialog(page).getByRole('row').filter({ hasText: 'Downloading' }).first();
    await downloading.waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => {
      const bar = document.querySelector('[role=progressbar][aria-label="Overall progress"]');
      const value = Number(bar?.getAttribute('aria-valuenow') ?? 0);
      return value >= 20 && value < 90;
    });
    expect(await downloading.innerText()).toMatch(/MiB \/ 25 MiB[\s\S]*MiB\/s/);
    expect(await dialog(page).locator('.dialog-subtitle').innerText()).toMatch(/MiB of [\d.]+ MiB · [\d.]+ MiB\/s · [\d.]+ s left/);
    await page.mouse.move(0, 0);
    mkdirSync(join(repoRoot, 'docs'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'docs', 'images.png') });

    await dialog(page).getByRole('button', { name: 'Hide' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    const tray = page.getByRole('button', { name: /^Tasks: 1 pull · \d+ %$/ });
    await tray.waitFor();
    await page.getByRole('link', { name: 'Containers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
    await tray.click();
    await page.getByRole('region', { name: 'Tasks' }).getByText(`Pulling ${name}:latest`).waitFor();
    // It finishes with no dialog open and on another page.
    await page.getByRole('button', { name: 'Tasks: 1 finished' }).waitFor({ timeout: 30_000 });
    await page.getByRole('region', { name: 'Tasks' }).getByRole('button', { name: 'Show' }).click();
    await dialog(page).getByRole('heading', { name: `Pulled ${name}:latest` }).waitFor();
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Images' }).click();
    await row(page, `${name}:latest`).waitFor();
    expect(storedImages().map((i) => i.Id)).toContain(big.configDigest.slice(7));
    expect(pageErrors(page)).toEqual([]);
  });

  it('cancels a pull: nothing lands in the list or the store', async () => {
    const { page } = await openImages();
    const name = `${slow.host}/podbay/cancel-me`;
    await startPull(page, name);
    await page.waitForFunction(() => Number(document.querySelector('[role=progressbar][aria-label="Overall progress"]')?.getAttribute('aria-valuenow') ?? 0) >= 5);
    await dialog(page).getByRole('button', { name: 'Cancel pull' }).click();
    await dialog(page).getByRole('heading', { name: `Cancelled pull of ${name}:latest` }).waitFor();
    await dialog(page).getByText('nothing half-pulled was kept').waitFor();
    // Long enough for the remaining 30+ MiB to have arrived had the pull gone on.
    await page.waitForTimeout(6_000);
    expect(storedImages().map((i) => i.Id)).not.toContain(cancelMe.configDigest.slice(7));
    expect(await row(page, `${name}:latest`).count()).toBe(0);
  });

  it('explains a name that does not exist, a registry that cannot be reached, and a plain-HTTP registry; what it suggests works', async () => {
    const { page } = await openImages();
    await startPull(page, `${registry.host}/podbay/does-not-exist`);
    const alert = dialog(page).getByRole('alert');
    await alert.getByText('No such image').waitFor({ timeout: 20_000 });
    expect(await alert.innerText()).toContain('Check the spelling');
    expect(await alert.locator('code').innerText()).toBe('ErrNoSuchImage');
    await dialog(page).getByRole('button', { name: 'Change the name' }).click();
    const input = dialog(page).getByRole('textbox', { name: 'Image' });
    expect(await input.inputValue()).toBe(`${registry.host}/podbay/does-not-exist`);

    // Nothing listens on this port.
    const closed = await freePort();
    await input.fill(`127.0.0.1:${closed}/podbay/busybox`);
    await dialog(page).getByRole('button', { name: 'Pull', exact: true }).click();
    await alert.getByText('The registry could not be reached', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await alert.innerText()).toContain(`127.0.0.1:${closed}`);
    expect(await alert.locator('code').innerText()).toBe('ErrRegistryUnreachable');

    // A plain-HTTP registry with TLS verification on: the advice names the checkbox, which works.
    await dialog(page).getByRole('button', { name: 'Change the name' }).click();
    await input.fill(`${registry.host}/podbay/busybox`);
    await dialog(page).getByRole('checkbox', { name: /Skip TLS verification/ }).uncheck();
    await dialog(page).getByRole('button', { name: 'Pull', exact: true }).click();
    await alert.getByText('The registry could not be reached', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await alert.innerText()).toContain('tick “Skip TLS verification”');
    await dialog(page).getByRole('button', { name: 'Change the name' }).click();
    await dialog(page).getByRole('checkbox', { name: /Skip TLS verification/ }).check();
    await dialog(page).getByRole('button', { name: 'Pull', exact: true }).click();
    await dialog(page).getByRole('heading', { name: `Pulled ${registry.host}/podbay/busybox:latest` }).waitFor({ timeout: 20_000 });
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    expect(pageErrors(page)).toEqual([]);
  });

  it('tags an image from the UI and removes an image, with results, from the list and the store', async () => {
    const { page } = await openImages();
    const bigName = `${slow.host}/bench/big:latest`;
    await page.getByRole('button', { name: `Tag ${bigName}` }).click();
    await dialog(page).getByRole('textbox', { name: 'New name' }).fill('localhost/big-copy:v2');
    await dialog(page).getByRole('button', { name: 'Add name' }).click();
    await row(page, 'localhost/big-copy:v2').waitFor({ timeout: 2_000 });

    await page.getByRole('searchbox', { name: /Search images/ }).fill('big');
    await page.getByText('2 of', { exact: false }).waitFor();
    await page.getByRole('checkbox', { name: 'Select all images shown' }).check();
    await page.getByRole('button', { name: 'Remove 2' }).click();
    await dialog(page).getByRole('button', { name: 'Remove 2 images' }).click();
    await page.getByRole('status', { name: 'Removal results' }).getByText('Removed 1 image, untagged 1 name').waitFor();
    await row(page, bigName).waitFor({ state: 'detached', timeout: 2_000 });
    expect(storedImages().map((i) => i.Id)).not.toContain(big.configDigest.slice(7));
    expect(podbay('images')).not.toContain('bench/big');
  });

  it('inspects an image: its layers and the full JSON', async () => {
    const { page } = await openImages();
    const name = `${registry.host}/podbay/busybox:latest`;
    await page.getByRole('button', { name: `Inspect ${name}` }).click();
    const panel = page.getByRole('complementary', { name: `Inspect ${name}` });
    await panel.getByText(`"${busybox.configDigest.slice(7)}"`).first().waitFor();
    const json = JSON.parse(await panel.locator('pre').innerText()) as { id: string; layers: { digest: string }[]; os: string };
    expect(json.id).toBe(busybox.configDigest.slice(7));
    expect(json.layers.map((l) => l.digest)).toEqual([busybox.layers[0]!.digest]);
    await page.getByRole('region', { name: `Layers of ${name}` }).getByText(busybox.layers[0]!.digest.slice(7, 19)).waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('removes the names of an image a container uses, and shows the typed in-use error for the last one', async () => {
    const id = busybox.configDigest.slice(7);
    // A container record made from the image, by another process of the same store (daemonless).
    const store = { graphRoot: app.host.root, runRoot: app.host.runRoot } as TempStore;
    const runtime = openRuntime(store);
    try {
      await runtime.newContainer(sleepSpec, [withName('uses-busybox'), withRootFSFromImage(id, true)]);
    } finally {
      runtime.shutdown(true);
    }
    const names = storedImages().find((i) => i.Id === id)?.RepoTags ?? [];
    expect(names.length).toBeGreaterThan(1);

    const { page } = await openImages();
    await page.getByRole('searchbox', { name: /Search images/ }).fill(id.slice(0, 12));
    await page.getByText(new RegExp(`^${names.length} (of \\d+ )?names`)).waitFor();
    await page.getByRole('checkbox', { name: 'Select all images shown' }).check();
    await page.getByRole('button', { name: `Remove ${names.length}` }).click();
    await dialog(page).getByRole('button', { name: `Remove ${names.length} images` }).click();
    const results = page.getByRole('alert', { name: 'Removal results' });
    await results.getByText(`Untagged ${names.length - 1} names; 1 failed`).waitFor();
    expect(await results.locator('code').innerText()).toBe('ErrImageInUse');
    expect(await results.innerText()).toMatch(/in use by a container/);
    // The image stays, under its last name, in the list and in the store.
    const left = storedImages().find((i) => i.Id === id)?.RepoTags ?? [];
    expect(left).toHaveLength(1);
    await row(page, left[0]!).waitFor();
    expect(await grid(page).getByRole('row').count()).toBe(2);
    expect(pageErrors(page)).toEqual([]);
  });
});
