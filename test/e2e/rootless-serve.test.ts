// Rootless end to end: `podbay serve` run as the unprivileged test user, driven in Chromium. The
// System page must say rootless with the user's subordinate ranges, and the Containers page must
// show a container the same user made with the CLI — one store, inside one user namespace. The create
// dialogs offer only what works rootless (slirp4netns, none, host; keep-id), the Networks page says why.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newContext } from '../helpers/e2e-browser.ts';
import { assertBuilt, cliPath } from '../helpers/e2e-host.ts';
import { busyboxLayer, busyboxMissing } from '../helpers/image-builder.ts';
import { makeRootlessUserDirs, podbayAs, removeRootlessUserDirs, rootlessSkipReason, rootlessTestUser } from '../helpers/rootless-cli.ts';
import type { RootlessUserDirs } from '../helpers/rootless-cli.ts';

const skip = rootlessSkipReason() ?? busyboxMissing() ?? null;

describe.skipIf(skip !== null)(`rootless podbay serve${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dirs: RootlessUserDirs;
  let serve: ChildProcess | undefined;
  let browser: Browser;
  let url: string;
  let rootfs: string;

  beforeAll(async () => {
    assertBuilt();
    browser = await launchChromium();
    dirs = makeRootlessUserDirs('podbay-rootless-e2e-');
    const tar = join(dirs.dir, 'busybox.tar');
    writeFileSync(tar, busyboxLayer().tar);
    chmodSync(tar, 0o644);
    // A root filesystem directory of the user's for the Create container dialog.
    rootfs = join(dirs.home, 'rootfs');
    mkdirSync(rootfs);
    spawnSync('tar', ['-xf', tar, '-C', rootfs]);
    spawnSync('chown', ['-R', `${statSync(dirs.home).uid}:${statSync(dirs.home).gid}`, rootfs]);
    for (const args of [['import', tar, 'localhost/rootless-e2e:latest'], ['create', '--name', 'rootless-made', '--network', 'none', 'localhost/rootless-e2e:latest', 'true']]) {
      const result = podbayAs(dirs, args);
      if (result.code !== 0) throw new Error(`podbay ${args.join(' ')}: ${result.stderr}`);
    }
    const env = [`HOME=${dirs.home}`, `XDG_RUNTIME_DIR=${dirs.runtimeDir}`, 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NO_COLOR=1'];
    serve = spawn('runuser', ['-u', rootlessTestUser, '--', 'env', '-i', ...env, process.execPath, cliPath, 'serve', '--port', '0', '--no-open'], { cwd: dirs.home, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`rootless podbay serve printed no URL: ${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      };
      serve?.stdout?.on('data', onData);
      serve?.stderr?.on('data', onData);
      serve?.once('exit', (code) => reject(new Error(`rootless podbay serve exited ${code}: ${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve?.once('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    if (dirs) {
      podbayAs(dirs, ['rm', '-f', '-a', '-t', '0']);
      removeRootlessUserDirs(dirs);
    }
  });

  it('the System page says rootless, with the user’s subordinate ranges and no rootless problem', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('heading', { level: 1, name: 'System' }).waitFor();
    const card = page.getByRole('region', { name: 'Rootless' });
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain(rootlessTestUser);
    expect(text).toMatch(/Subordinate UIDs\s*\d+–\d+/);
    expect(text).toContain('native overlay in the user namespace');
    expect(text).toContain('Everything rootless containers need is in place.');
    expect(await page.getByRole('region', { name: 'Overview' }).innerText()).toContain('Rootless');
    await context.close();
  });

  it('the Containers page lists the container the user created with the CLI', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('link', { name: 'Containers' }).click();
    await page.getByRole('checkbox', { name: 'Select rootless-made', exact: true }).waitFor();
    await context.close();
  });

  // The options come once system.info has answered: polled, as a user would see them settle.
  const optionsOf = (page: Page, label: string) => page.getByRole('dialog').getByRole('combobox', { name: new RegExp(`^${label}`) }).locator('option').allInnerTexts();
  const rootlessChoices = ['slirp4netns (default, rootless)', 'None (loopback only)', "Host (the host's network)"];

  it('the Create container dialog offers slirp4netns, none and host, and keep-id', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('link', { name: 'Containers' }).click();
    await page.getByRole('button', { name: 'Create container' }).click();
    await expect.poll(() => optionsOf(page, 'Network')).toEqual(rootlessChoices);
    // Made and started from the dialog with keep-id, it runs as the user's own uid.
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Root filesystem/ }).fill(rootfs);
    await dialog.getByRole('textbox', { name: /^Command/ }).fill('id -u');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('kept-ui');
    await dialog.getByRole('checkbox', { name: /Interactive terminal/ }).uncheck();
    await dialog.getByRole('checkbox', { name: /Keep my user ID/ }).check();
    await dialog.getByRole('button', { name: 'Create and start' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => podbayAs(dirs, ['logs', 'kept-ui']).stdout).toBe(`${statSync(dirs.home).uid}\n`);
    await context.close();
  });

  it('the Create pod dialog offers no bridge network either', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('link', { name: 'Pods' }).click();
    await page.getByRole('button', { name: 'Create pod' }).click();
    await expect.poll(() => optionsOf(page, 'Network')).toEqual(rootlessChoices);
    await context.close();
  });

  it('the Networks page says bridge networks need root and offers no Create network', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('link', { name: 'Networks' }).click();
    await expect.poll(() => page.getByRole('note').innerText()).toContain('cannot join these bridge networks');
    expect(await page.getByRole('button', { name: 'Create network' }).isDisabled()).toBe(true);
    await context.close();
  });
});
