// Journey 1 (first start): the System page reads system.info through the bridge and says what is
// there, what is missing and how to fix it.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SystemInfo } from '../../shared/types/system-info.ts';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { repoRoot, runPodbay } from '../helpers/e2e-host.ts';

const app = useServedApp();

function crunVersion(): string {
  let output: string;
  try {
    output = execFileSync('crun', ['--version'], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`crun is needed on this machine for the System page test: apt-get install crun (${(error as Error).message})`, { cause: error });
  }
  const version = /crun version (\S+)/.exec(output)?.[1];
  if (!version) throw new Error(`cannot read a version from \`crun --version\`: ${output}`);
  return version;
}

describe('System page', () => {
  it('shows the crun version read through the bridge', async () => {
    const version = crunVersion();
    const page = await app.openApp();

    const components = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Path' }) });
    const crunRow = components.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^crun/ }) });
    expect(await crunRow.getByRole('cell').allInnerTexts()).toContain(version);
    expect(await crunRow.innerText()).toContain('/crun');
    expect(pageErrors(page)).toEqual([]);

    mkdirSync(join(repoRoot, 'docs'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'docs', 'screenshot.png') });
  });

  it('shows what `podbay info` reports: versions, host, cgroups and storage paths', async () => {
    const info = JSON.parse(runPodbay([...app.host.storeArgs, 'info', '--format', 'json'])) as SystemInfo;
    const page = await app.openApp();
    const main = page.getByRole('main');
    const text = await main.innerText();

    for (const component of info.components) {
      const row = main.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${component.name}`) }) });
      expect(await row.count(), component.name).toBe(1);
      const expected = component.status === 'ok' ? 'Ready' : component.status === 'missing' ? 'Missing' : 'Unusable';
      expect(await row.innerText()).toContain(expected);
    }
    expect(text).toContain(info.host.kernel);
    expect(text).toContain(info.host.os);
    expect(text).toContain(info.store.graphRoot);
    expect(text).toContain(info.store.runRoot);
    expect(text).toContain(info.podbay.version);
    const limits = main.getByRole('region', { name: 'Resource limits' });
    expect(await limits.getByRole('row').count()).toBe(info.host.rlimits.length + 1);
  });

  it('names each missing or unusable component with the command that fixes it', async () => {
    const info = JSON.parse(runPodbay([...app.host.storeArgs, 'info', '--format', 'json'])) as SystemInfo;
    const page = await app.openApp();
    const alerts = page.getByRole('main').getByRole('alert');
    const broken = info.components.filter((c) => c.status !== 'ok');

    expect(await alerts.count()).toBe(broken.length + (info.ociRuntime.usable || broken.some((c) => c.name === info.ociRuntime.default) ? 0 : 1));
    for (const component of broken) {
      const panel = alerts.filter({ hasText: component.name });
      expect(await panel.count(), component.name).toBeGreaterThan(0);
      if (component.problem) expect(await panel.first().innerText()).toContain(component.problem);
      const command = component.fix?.command;
      if (command) {
        expect(await panel.first().locator('code').innerText()).toContain(command);
        expect(await panel.first().getByRole('button', { name: /^Copy the command/ }).count()).toBe(1);
      }
    }
  });

  it('tells in the header whether the engine can run containers', async () => {
    const info = JSON.parse(runPodbay([...app.host.storeArgs, 'info', '--format', 'json'])) as SystemInfo;
    const page = await app.openApp();
    const status = page.getByRole('status', { name: 'Engine status' });
    await status.getByText('Connected').waitFor();
    expect(await status.innerText()).toContain(info.ociRuntime.usable ? 'Engine ready' : 'Engine not ready');
  });
});
