// Kubernetes YAML in the UI, in Chromium against `podbay serve` with real crun: a pod's Kube tab
// shows what generate kube writes (and saves it as a file), and Play Kubernetes YAML on the Pods
// page plays a pasted YAML — the pod appears Running, the ignored fields are listed, and a second
// play of the same YAML is refused with the engine's typed error.
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

async function openPods(): Promise<Page> {
  const page = await app.openPage();
  await page.goto(`${app.host.url}#/pods`);
  await page.getByRole('heading', { level: 1, name: 'Pods' }).waitFor();
  await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
  return page;
}

const played = `apiVersion: v1
kind: Pod
metadata:
  name: pasted
spec:
  restartPolicy: Never
  containers:
    - name: app
      image: localhost/busybox:latest
      command: [sleep, "1000"]
      readinessProbe: { exec: { command: ["true"] } }
`;

describe.skipIf(skip !== null)(`Kubernetes YAML in the UI${skip ? ` (skipped: ${skip})` : ''}`, () => {
  beforeAll(async () => {
    const seed = Runtime.create(storeOptions({ dir: '', graphRoot: app.host.root, runRoot: app.host.runRoot, rootfs: '', eventsLog: app.host.eventLogPath, cleanup: () => undefined }), { cliScript: null });
    await addImage(seed, buildImage([busyboxLayer()], { oci: true }), ['localhost/busybox:latest']);
    seed.shutdown(true);
    podbay('pod', 'create', '--name', 'kubed', '--network', 'none');
    podbay('create', '--pod', 'kubed', '--name', 'kubed-web', '-e', 'SHOWN=yes', 'localhost/busybox:latest', 'httpd', '-f');
  }, 60_000);

  it("shows a pod's Kube YAML and saves it as a file", async () => {
    const page = await openPods();
    await page.getByRole('button', { name: 'Inspect kubed' }).click();
    const panel = page.getByRole('complementary', { name: 'Inspect kubed' });
    await panel.getByRole('tab', { name: 'Kube' }).click();
    const yaml = page.getByRole('complementary', { name: 'Kube kubed' }).getByLabel('Kubernetes YAML of kubed');
    await yaml.getByText('kind: Pod').waitFor();
    const text = await yaml.innerText();
    expect(text).toContain('name: kubed\n');
    expect(text).toMatch(/- name: web\n\s+image: localhost\/busybox:latest\n\s+args:\n\s+- httpd\n\s+- -f\n/);
    expect(text).toMatch(/- name: SHOWN\n\s+value: "?yes"?\n/);

    const downloading = page.waitForEvent('download');
    await page.getByRole('complementary', { name: 'Kube kubed' }).getByRole('button', { name: 'Save' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('kubed.yaml');
    expect(readFileSync(await download.path(), 'utf8')).toBe(`${text.trimEnd()}\n`);
    expect(pageErrors(page)).toEqual([]);
  });

  it('plays a pasted YAML: the pod appears Running and the ignored field is listed; a second play is refused', async () => {
    const page = await openPods();
    await page.getByRole('button', { name: 'Play Kubernetes YAML' }).click();
    const dialog = page.getByRole('dialog', { name: 'Play Kubernetes YAML' });
    await dialog.getByLabel('Kubernetes YAML').fill(played);
    await dialog.getByRole('button', { name: 'Play' }).click();
    const result = dialog.getByRole('status', { name: 'Played pods' });
    await result.getByText('Played 1 pod: pasted (1 container)').waitFor({ timeout: 30_000 });
    await result.getByText('Pod pasted: spec.containers[0].readinessProbe: field not supported').waitFor();
    const row = page.getByRole('treegrid', { name: 'Pods' }).getByRole('row').filter({ has: page.getByRole('checkbox', { name: 'Select pasted', exact: true }) });
    await row.getByText('Running', { exact: true }).first().waitFor({ timeout: 20_000 });

    await dialog.getByRole('button', { name: 'Play' }).click();
    await dialog.getByRole('alert').getByText(/already exists/).waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((JSON.parse(podbay('pod', 'ps', '--format', 'json')) as { Name: string }[]).map((p) => p.Name).sort()).toEqual(['kubed', 'pasted']);
    podbay('pod', 'rm', '-f', 'pasted', 'kubed');
    expect(pageErrors(page)).toEqual([]);
  });
});
