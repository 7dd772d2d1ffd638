// Journey 4's create half in Chromium against the real `podbay serve` and real conmon + crun: the
// Create pod dialog makes a pod with two containers from a local busybox image, which talk over the
// pod's localhost; the pod shows Running, its Logs tab shows both members' lines named by member
// (and filtered to one), Processes and Stats list them, and Pause / Resume act on the selected pod. The CLI
// in its own process is the oracle.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface PodJson {
  Name: string;
  Status: string;
  Containers: { Names: string; Status: string }[];
}
const pods = () => JSON.parse(podbay('pod', 'ps', '--format', 'json')) as PodJson[];

async function openPods(): Promise<Page> {
  const page = await app.openPage();
  await page.goto(`${app.host.url}#/pods`);
  await page.getByRole('heading', { level: 1, name: 'Pods' }).waitFor();
  await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
  return page;
}

const podRow = (page: Page, name: string) =>
  page.getByRole('treegrid', { name: 'Pods' }).getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });

describe.skipIf(skip !== null)(`Create pod dialog, pod logs and pod actions${skip ? ` (skipped: ${skip})` : ''}`, () => {
  beforeAll(async () => {
    const seed = Runtime.create(storeOptions({ dir: '', graphRoot: app.host.root, runRoot: app.host.runRoot, rootfs: '', eventsLog: app.host.eventLogPath, cleanup: () => undefined }), { cliScript: null });
    await addImage(seed, buildImage([busyboxLayer()], { oci: true }), ['localhost/busybox:latest']);
    seed.shutdown(true);
  });
  afterAll(() => {
    try {
      podbay('pod', 'rm', '-f', '-t', '0', 'duo');
    } catch {
      // not made
    }
  });

  it('creates a pod with two containers that talk over localhost, sees it Running and both members in its Logs tab', async () => {
    const page = await openPods();
    await page.getByRole('button', { name: 'Create pod' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create pod' });
    await dialog.waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill('duo');
    await dialog.getByRole('combobox', { name: /^Network/ }).selectOption('none');
    await dialog.getByLabel('Labels').fill('app=duo');

    await dialog.getByRole('button', { name: 'Add container' }).click();
    await dialog.getByRole('button', { name: 'Add container' }).click();
    // Container 1 answers on the pod's localhost; container 2 asks it and logs the answer.
    await dialog.getByLabel('Container 1 image').selectOption('localhost/busybox:latest');
    await dialog.getByLabel('Container 1 name').fill('ping');
    await dialog.getByLabel('Container 1 command').fill("sh -c 'echo ping-ready; echo pong-over-localhost | nc -l -p 7000; sleep 1000'");
    await dialog.getByLabel('Container 2 name').fill('pong');
    await dialog.getByLabel('Container 2 command').fill("sh -c 'for i in $(seq 1 100); do nc 127.0.0.1 7000 && break; sleep 0.1; done; echo \"$GREETING\"; sleep 1000'");
    await dialog.getByLabel('Container 2 environment').fill('GREETING=hello-from-pong');
    await dialog.getByRole('button', { name: 'Create and start' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByRole('status', { name: 'Action results' }).getByText('Created pod duo with 2 containers and started it').waitFor();

    await podRow(page, 'duo').getByText('Running', { exact: true }).waitFor({ timeout: 10_000 });
    const duo = pods().find((p) => p.Name === 'duo');
    expect(duo?.Status).toBe('Running');
    expect(duo?.Containers.filter((c) => !c.Names.endsWith('-infra')).map((c) => c.Names).sort()).toEqual(['ping', 'pong']);

    await page.getByRole('button', { name: 'Inspect duo' }).click();
    const details = page.getByRole('complementary', { name: /duo$/ });
    await details.getByRole('tab', { name: 'Logs' }).click();
    const log = details.getByRole('log', { name: 'Pod log' });
    await log.getByText('pong-over-localhost').waitFor({ timeout: 15_000 });
    await log.getByText('hello-from-pong').waitFor();
    await log.getByText('ping-ready').waitFor();
    const lineOf = (text: string) => log.locator('.logs-line').filter({ hasText: text }).innerText();
    expect(await lineOf('ping-ready')).toMatch(/^ping\s/);
    expect(await lineOf('pong-over-localhost')).toMatch(/^pong\s/);
    // The member filter keeps one container's lines.
    await details.getByRole('combobox', { name: 'Filter by container' }).selectOption('ping');
    await log.getByText('pong-over-localhost').waitFor({ state: 'detached' });
    expect(await log.getByText('ping-ready').count()).toBe(1);

    await details.getByRole('tab', { name: 'Processes' }).click();
    const table = details.getByRole('table', { name: 'Processes' });
    await table.getByText('/catatonit -P').waitFor();
    expect(await table.getByText('sleep 1000').count()).toBeGreaterThanOrEqual(1);

    await details.getByRole('tab', { name: 'Stats' }).click();
    const usage = details.getByRole('table', { name: 'Resource use per container' });
    await usage.getByRole('cell', { name: 'pong', exact: true }).waitFor();
    expect(await usage.getByRole('cell', { name: 'ping', exact: true }).count()).toBe(1);
    expect(pageErrors(page)).toEqual([]);
  });

  it('pauses and resumes the selected pod', async () => {
    const page = await openPods();
    await podRow(page, 'duo').waitFor();
    await page.getByRole('checkbox', { name: 'Select duo', exact: true }).check();
    const bar = page.getByRole('toolbar', { name: 'Actions for the selected pods' });
    await bar.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status', { name: 'Action results' }).getByText('Paused 1 pod').waitFor();
    await podRow(page, 'duo').getByText('Paused', { exact: true }).waitFor({ timeout: 5_000 });
    expect(pods().find((p) => p.Name === 'duo')?.Status).toBe('Paused');
    await bar.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('status', { name: 'Action results' }).getByText('Resumed 1 pod').waitFor();
    await podRow(page, 'duo').getByText('Running', { exact: true }).waitFor({ timeout: 5_000 });
    expect(pods().find((p) => p.Name === 'duo')?.Status).toBe('Running');
    expect(pageErrors(page)).toEqual([]);
  });
});
