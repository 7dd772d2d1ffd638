// What a desktop user feels, measured in headless Chromium against `podbay serve` (no peer can run
// here; goals from PERFORMANCE.md): the Containers page ready with 1,000 rows from navigation, a CLI
// change reaching the open page, the serving process's idle CPU and resident memory, and how much
// that memory grows while the user pulls `big` from the Pull dialog (streamed, never buffered).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { withName, withRootFSFromPath } from '../../main/core/container-config.ts';
import { parseNormalizedReference } from '../../main/core/image/reference.ts';
import { pushImage } from '../../main/core/image/push.ts';
import { Runtime } from '../../main/core/runtime.ts';
import { defaultPaths, detectMode } from '../../main/core/runtime-paths.ts';
import { bigLayers, busyboxLayer, buildImage, storeImage } from '../../test/helpers/image-builder.ts';
import { startRegistry } from '../../test/helpers/registry-server.ts';
import { cliPath } from '../paths.ts';
import type { BenchCase, BenchGroup } from '../types.ts';

const clockTicks = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function residentMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function startServe(argv: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(out);
      if (match) resolve(match[0]);
    });
    child.on('exit', (code) => reject(new Error(`podbay serve exited ${code}: ${out}`)));
  });
  return { child, url };
}

export const desktopGroup: BenchGroup = {
  name: 'desktop',
  async setup(context) {
    const count = context.scale(1000);
    const idleSeconds = context.idleSeconds(Number(process.env.PODBAY_BENCH_IDLE_SECONDS ?? 60));
    const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-desktop-'));
    const rootfs = join(dir, 'rootfs');
    mkdirSync(rootfs);
    const root = join(dir, 'root');
    const runRoot = join(dir, 'run');
    const globals = ['--root', root, '--runroot', runRoot];
    const runtime = Runtime.forPaths({ ...defaultPaths(detectMode()), graphRoot: root, runRoot });
    process.stdout.write(`creating ${count} containers…\n`);
    for (let i = 0; i < count; i++) await runtime.newContainer({ process: { args: ['true'] } }, [withName(`desk-${i}`), withRootFSFromPath(rootfs)]);
    runtime.shutdown(true);

    // `big` on a loopback registry, for the pull the memory row watches.
    const registry = await startRegistry();
    const big = buildImage([busyboxLayer(), ...bigLayers(4, context.smoke ? 1024 * 1024 : 25 * 1024 * 1024)]);
    const sourceRoot = join(dir, 'source');
    await storeImage(sourceRoot, big);
    const bigRef = `${registry.host}/bench/big:latest`;
    await pushImage(parseNormalizedReference(bigRef), { graphRoot: sourceRoot, manifestDigest: big.manifestDigest, tlsVerify: false });

    // The toolbar's count ("1,000 containers") appears once the list is loaded and rendered.
    const rowsShown = (page: Page) => page.getByText(`${count.toLocaleString('en-US')} containers`, { exact: false }).first().waitFor({ timeout: 30_000 });
    const { child, url } = await startServe(context.podbayArgv([...globals, 'serve', '--port', '0', '--no-open']));
    const containersUrl = `${url}#/containers`;
    let browser: Browser | null = null;
    const teardown = async () => {
      await browser?.close();
      child.kill('SIGTERM');
      await registry.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    };
    let openPage: Page;
    try {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      });
      // One window stays open on the Containers page, as a user would leave it.
      openPage = await (await browser.newContext()).newPage();
      await openPage.goto(containersUrl);
      await rowsShown(openPage);
    } catch (error) {
      // A setup that fails half-way must not leave `podbay serve` or Chromium running.
      await teardown();
      throw error;
    }
    const windows: Browser = browser;
    let created = 0;
    const cases: BenchCase[] = [
      {
        group: 'desktop',
        work: `UI ready with ${count} containers listed, from navigation`,
        podbay: {
          label: 'Chromium, fresh context',
          run: async () => {
            const fresh = await windows.newContext();
            const page = await fresh.newPage();
            await page.goto(containersUrl);
            await rowsShown(page);
            await fresh.close();
          },
        },
        goalMax: 1000,
        runs: 5,
        warmups: 1,
      },
      {
        group: 'desktop',
        work: 'a `podbay create` in another process visible in the open window (after the CLI exits)',
        podbay: {
          label: 'event → row',
          measure: async () => {
            const name = `late-${created++}`;
            const result = spawnSync(process.execPath, [cliPath, ...globals, 'create', '--name', name, '--rootfs', rootfs, 'true']);
            if (result.status !== 0) throw new Error(`podbay create failed: ${result.stderr}`);
            const committed = performance.now();
            await openPage.getByRole('main').getByText(name, { exact: true }).first().waitFor({ timeout: 10_000 });
            return performance.now() - committed;
          },
          run: () => undefined,
        },
        goalMax: 500,
      },
      {
        group: 'desktop',
        work: `idle CPU of the serving process over ${idleSeconds} s (window open)`,
        unit: '%',
        podbay: {
          label: 'podbay serve',
          measure: async () => {
            const before = cpuTicks(child.pid!);
            await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
            return ((cpuTicks(child.pid!) - before) / clockTicks / idleSeconds) * 100;
          },
          run: () => undefined,
        },
        goalMax: 1,
        runs: 1,
        warmups: 0,
      },
      {
        group: 'desktop',
        work: `resident memory of the serving process, idle with ${count} containers`,
        unit: 'MB',
        podbay: { label: 'podbay serve', measure: async () => residentMb(child.pid!), run: () => undefined },
        goalMax: 200,
        runs: 1,
        warmups: 0,
      },
      {
        group: 'desktop',
        work: 'resident memory growth of the serving process while the Pull dialog pulls `big`',
        unit: 'MB',
        podbay: {
          label: 'podbay serve',
          measure: async () => {
            const images = await windows.newContext();
            const page = await images.newPage();
            await page.goto(`${url}#/images`);
            const dialog = page.getByRole('dialog');
            await page.getByRole('button', { name: 'Pull image' }).click();
            await dialog.getByRole('textbox', { name: 'Image' }).fill(bigRef);
            await dialog.getByRole('checkbox', { name: /Skip TLS verification/ }).check();
            const before = residentMb(child.pid!);
            let peak = before;
            const sampler = setInterval(() => (peak = Math.max(peak, residentMb(child.pid!))), 20);
            try {
              await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
              await dialog.getByRole('heading', { name: /^Pulled / }).waitFor({ timeout: 120_000 });
            } finally {
              clearInterval(sampler);
            }
            await images.close();
            return peak - before;
          },
          run: () => undefined,
        },
        goalMax: 64,
        runs: 1,
        warmups: 0,
      },
    ];
    return {
      cases,
      teardown,
    };
  },
};
