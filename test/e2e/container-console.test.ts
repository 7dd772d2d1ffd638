// Journey 3 (run it and look inside) in Chromium against the real `podbay serve` and real conmon +
// crun: a tty `sh` container made by the CLI is started from the UI, its Console (xterm attached through
// console.attach) takes typing and a paste, follows a window resize (`stty size` inside agrees), a
// Terminal tab runs a shell by exec, the Logs tab shows and searches output, and Stop and Remove do
// what they say — checked against `podbay ps`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { repoRoot, runPodbay } from '../helpers/e2e-host.ts';
import { crunRefusalReason, ociSkipReason } from '../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../helpers/oci-rootfs.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');
const app = useServedApp();
const base = mkdtempSync(join(tmpdir(), 'podbay-e2e-console-'));
const rootfs = makeBusyboxRootfs(join(base, 'rootfs'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const podbay = (...args: string[]) => runPodbay([...app.host.storeArgs, ...args]).trim();
const ps = () => JSON.parse(podbay('ps', '-a', '--format', 'json')) as { Names: string[]; State: string; ExitCode: number }[];

async function openContainers(): Promise<Page> {
  const page = await app.openPage();
  await page.goto(`${app.host.url}#/containers`);
  await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
  await page.getByRole('main').getByText('Live', { exact: true }).waitFor();
  return page;
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Containers' });
const row = (page: Page, name: string) => grid(page).getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${name}`, exact: true }) });
/** The row's Status cell (found by its badge: columns narrow while the details panel is open). */
const statusCell = (page: Page, name: string) => row(page, name).getByRole('gridcell').filter({ has: page.locator('.badge') });

/** The text an xterm shows (its DOM renderer's rows), lines joined with "\n". */
async function screenText(term: Locator): Promise<string> {
  return term.locator('.xterm-rows').evaluate((rows) => [...rows.children].map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n'));
}

async function waitForScreen(term: Locator, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await screenText(term);
    const match = pattern.exec(text);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(skip !== null)(`Container console${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('starts a tty shell from the UI, types and pastes into its Console, follows a resize, opens a Terminal, stops and removes it', async () => {
    podbay('create', '-i', '-t', '--name', 'con', '--rootfs', rootfs, 'sh');
    const page = await openContainers();
    await row(page, 'con').waitFor();
    expect(await statusCell(page, 'con').innerText()).toMatch(/Created/);

    await page.getByRole('button', { name: 'Start con', exact: true }).click();
    await statusCell(page, 'con').getByText(/^Up /).waitFor();

    await page.getByRole('button', { name: 'Inspect con', exact: true }).click();
    const details = page.getByRole('complementary', { name: /con$/ });
    await details.getByRole('tab', { name: 'Console' }).click();
    const consolePanel = details.getByRole('tabpanel', { name: 'Console' });
    await consolePanel.getByRole('status').getByText('Attached', { exact: true }).waitFor();
    const term = consolePanel.getByRole('group', { name: 'Console of con' });

    // Typing, as a person does.
    await term.click();
    await page.keyboard.type('echo hello-$((6*7))');
    await page.keyboard.press('Enter');
    await waitForScreen(term, /^hello-42\s*$/m);

    // A paste: the browser's paste event with clipboard text reaches the shell whole.
    await page.evaluate(() => {
      const area = document.querySelector<HTMLTextAreaElement>('[role=tabpanel] .xterm-helper-textarea');
      const data = new DataTransfer();
      data.setData('text/plain', 'echo pasted-$((2+3)) && echo second-line\n');
      area?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await waitForScreen(term, /^pasted-5\s*\n\s*second-line\s*$/m);

    // The initial size was the panel's: the shell agrees with what the terminal shows.
    const sizeLabel = consolePanel.getByLabel('Terminal size');
    const sizeOf = async () => {
      const [cols, rows] = (await sizeLabel.innerText()).split('×').map(Number);
      return { cols: cols as number, rows: rows as number };
    };
    const before = await sizeOf();
    await page.keyboard.type('stty size');
    await page.keyboard.press('Enter');
    await waitForScreen(term, new RegExp(`^${before.rows} ${before.cols}\\s*$`, 'm'));

    // docs/console.png: the Console open on a shell with some colour in it.
    await page.keyboard.type('ls --color=always -p /; cat /etc/passwd | head -3');
    await page.keyboard.press('Enter');
    await waitForScreen(term, /^root:x:0:0/m);
    await page.screenshot({ path: join(repoRoot, 'docs', 'console.png') });
    // xterm's own style elements never become inline styles the CSP would block (and log).
    expect(pageErrors(page)).toEqual([]);

    // Find in the scrollback (addon-search): a match is selected, a miss says so; Escape goes back to typing.
    await consolePanel.getByRole('button', { name: 'Find in the terminal' }).click();
    const find = consolePanel.getByRole('searchbox', { name: 'Find in the terminal' });
    await find.fill('second-line');
    expect(await consolePanel.getByText('No match').count()).toBe(0);
    await find.fill('no-such-text-anywhere');
    await consolePanel.getByText('No match').waitFor();
    await find.press('Escape');
    expect(await details.count()).toBe(1);

    // Selecting copies: a double-click on a word puts it on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.host.origin });
    const target = await term.locator('.xterm-screen').evaluate((screen) => {
      const rows = [...screen.querySelectorAll('.xterm-rows > div')];
      const index = rows.findIndex((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trim() === 'hello-42');
      const box = screen.getBoundingClientRect();
      const height = box.height / rows.length;
      return { x: box.left + 12, y: box.top + (index + 0.5) * height, index };
    });
    expect(target.index).toBeGreaterThanOrEqual(0);
    await page.mouse.dblclick(target.x, target.y);
    await consolePanel.getByText('Copied', { exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('hello-42');
    await term.click();

    // A smaller window: the terminal fits again and tells the shell.
    await page.setViewportSize({ width: 1200, height: 700 });
    await expect.poll(async () => (await sizeOf()).cols, { timeout: 5_000 }).toBeLessThan(before.cols);
    const after = await sizeOf();
    expect(after.rows).toBeLessThan(before.rows);
    await page.keyboard.type('clear; stty size');
    await page.keyboard.press('Enter');
    await waitForScreen(term, new RegExp(`^${after.rows} ${after.cols}\\s*$`, 'm'));
    await page.setViewportSize({ width: 1440, height: 900 });

    // A shell inside, by exec.
    await details.getByRole('tab', { name: 'Terminal' }).click();
    const terminalPanel = details.getByRole('tabpanel', { name: 'Terminal' });
    await terminalPanel.getByRole('status').getByText('Shell running', { exact: true }).waitFor();
    const shell = terminalPanel.getByRole('group', { name: 'Terminal in con' });
    await shell.click();
    await page.keyboard.type('ls /bin | wc -l');
    await page.keyboard.press('Enter');
    const [, count] = await waitForScreen(shell, /^\s*(\d+)\s*$/m);
    expect(Number(count)).toBeGreaterThan(100);

    // The shell lives on while another tab is shown, at its size (not shrunk by the hidden tab).
    await details.getByRole('tab', { name: 'Inspect' }).click();
    await details.getByRole('tab', { name: 'Terminal' }).click();
    const [tcols, trows] = (await terminalPanel.getByLabel('Terminal size').innerText()).split('×');
    await shell.click();
    await page.keyboard.type('clear; stty size');
    await page.keyboard.press('Enter');
    await waitForScreen(shell, new RegExp(`^${trows} ${tcols}\\s*$`, 'm'));

    // Stop: sh as PID 1 ignores SIGTERM, so the stop timeout ends in SIGKILL (137).
    await details.getByRole('button', { name: 'Stop', exact: true }).click();
    await statusCell(page, 'con').getByText(/^Exited \((137|143)\)/).waitFor({ timeout: 20_000 });
    const stopped = ps().find((c) => c.Names[0] === 'con');
    expect(stopped?.State).toBe('exited');
    expect([137, 143]).toContain(stopped?.ExitCode);
    await terminalPanel.getByText('A shell runs inside a running container: start it first.').waitFor();

    // Remove: it has run, so the UI asks first.
    await details.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('dialog', { name: 'Remove container con?' }).getByRole('button', { name: 'Remove container' }).click();
    await row(page, 'con').waitFor({ state: 'detached' });
    expect(ps().some((c) => c.Names[0] === 'con')).toBe(false);
  });

  it('reconnects the Console by itself after a Restart from the UI', async () => {
    podbay('create', '-i', '-t', '--name', 'phoenix', '--stop-signal', 'KILL', '--rootfs', rootfs, 'sh');
    podbay('start', 'phoenix');
    const page = await openContainers();
    await page.getByRole('button', { name: 'Inspect phoenix', exact: true }).click();
    const details = page.getByRole('complementary', { name: /phoenix$/ });
    await details.getByRole('tab', { name: 'Console' }).click();
    const consolePanel = details.getByRole('tabpanel', { name: 'Console' });
    await consolePanel.getByRole('status').getByText('Attached', { exact: true }).waitFor();
    const term = consolePanel.getByRole('group', { name: 'Console of phoenix' });
    await term.click();
    await page.keyboard.type('echo first-$((1+1))');
    await page.keyboard.press('Enter');
    await waitForScreen(term, /^first-2\s*$/m);

    await details.getByRole('button', { name: 'Restart', exact: true }).click();
    await waitForScreen(term, /\[exited with code 137\]/);
    await consolePanel.getByRole('status').getByText('Attached', { exact: true }).waitFor({ timeout: 15_000 });
    await term.click();
    await page.keyboard.type('echo second-$((2+2))');
    await page.keyboard.press('Enter');
    await waitForScreen(term, /^second-4\s*$/m);
    podbay('rm', '-f', '-t', '0', 'phoenix');
  });

  it('shows a container’s output in the Logs tab, with search highlights and timestamps', async () => {
    podbay('create', '--name', 'printer', '--rootfs', rootfs, 'sh', '-c', 'for i in 1 2 3; do echo line-$i; done');
    podbay('start', 'printer');
    podbay('wait', 'printer');
    const page = await openContainers();
    await page.getByRole('button', { name: 'Inspect printer', exact: true }).click();
    const details = page.getByRole('complementary', { name: /printer$/ });
    await details.getByRole('tab', { name: 'Logs' }).click();
    const log = details.getByRole('log', { name: 'Container log' });
    await log.getByText('line-3').waitFor();
    expect((await log.innerText()).split('\n').filter(Boolean)).toEqual(['line-1', 'line-2', 'line-3']);

    await details.getByRole('searchbox', { name: 'Search the log' }).fill('line-2');
    await details.getByText('1 match in 1 line').waitFor();
    expect(await log.locator('mark').allInnerTexts()).toEqual(['line-2']);

    await details.getByRole('checkbox', { name: 'Timestamps' }).check();
    expect(await log.locator('.logs-time').count()).toBe(3);
    expect(await log.locator('.logs-time').first().innerText()).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
  });
});
