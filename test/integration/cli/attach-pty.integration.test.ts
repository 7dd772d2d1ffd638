// `podbay run -it` and `podbay attach` through a real pseudo-terminal, as a person at a terminal uses
// them: the shell's prompt appears, typing reaches it, its output comes back, the window size follows
// a resize, ctrl-p ctrl-q detaches and leaves the container running, and attach gives its exit code.
// (Lines end in \r\r\n: the container's pty adds one \r, and Node's raw mode keeps ONLCR on ours.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, podbay, requireBuiltCli } from '../../helpers/cli.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';
import { PtySession, ptyMissing } from '../../helpers/pty.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? ptyMissing();

/** Asks the shell for its size until it reports `size` (the resize travels SIGWINCH → ctl FIFO → pty). */
async function untilSize(term: PtySession, size: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const mark = term.output.length;
    term.type('stty size\r');
    const [, seen] = await term.waitFor(/\r+\n(\d+ \d+)\r+\n/, mark);
    if (seen === size) return;
    if (attempt >= 20) throw new Error(`the shell still reports ${seen}, not ${size}`);
  }
}

describe.skipIf(skip !== null)(`run -it and attach through a pty${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let rootfs: string;
  let globals: string[];
  const sessions: PtySession[] = [];
  const cli = (...args: string[]) => podbay([...globals, ...args]);
  const onPty = (args: string[], size = { rows: 30, cols: 100 }) => {
    const session = new PtySession([process.execPath, cliPath, ...globals, ...args], size);
    sessions.push(session);
    return session;
  };
  const state = (name: string) => (JSON.parse(cli('container', 'inspect', name).stdout) as { State: { Status: string; ExitCode: number } }[])[0]?.State;

  beforeAll(() => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'podbay-cli-pty-'));
    rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    globals = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')];
  });
  afterAll(async () => {
    for (const s of sessions) s.kill();
    cli('rm', '-f', '-t', '0', '-a');
    await sleep(500); // exit commands of the last containers
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  });

  it('run -it busybox sh: types, reads, follows a resize, detaches with ctrl-p ctrl-q and the container keeps running', async () => {
    const term = onPty(['run', '-it', '--name', 'shell', '--rootfs', rootfs, 'sh']);
    await term.waitFor(/\/ # /);
    let mark = term.output.length;
    term.type('echo hi\r');
    await term.waitFor(/\r+\nhi\r+\n/, mark);

    // The initial size was the terminal's.
    mark = term.output.length;
    term.type('stty size\r');
    await term.waitFor(/\r+\n30 100\r+\n/, mark);

    // A resize reaches the shell (SIGWINCH → conmon's ctl FIFO → TIOCSWINSZ on the container's pty).
    term.resize(42, 132);
    await untilSize(term, '42 132');

    term.type('\x10\x11');
    expect(await term.exited).toBe(0);
    expect(state('shell')?.Status).toBe('running');
  });

  it('attach: reaches the running shell, detaches, attaches again and returns the exit code of the shell', async () => {
    const first = onPty(['attach', 'shell'], { rows: 25, cols: 90 });
    await sleep(300);
    first.type('echo again-$((20+1))\r');
    await first.waitFor(/\r+\nagain-21\r+\n/);
    const mark = first.output.length;
    first.type('stty size\r');
    await first.waitFor(/\r+\n25 90\r+\n/, mark);
    first.type('\x10\x11');
    expect(await first.exited).toBe(0);
    expect(state('shell')?.Status).toBe('running');

    const second = onPty(['attach', 'shell']);
    await sleep(300);
    second.type('exit 7\r');
    expect(await second.exited).toBe(7);
    expect(state('shell')).toMatchObject({ Status: 'exited', ExitCode: 7 });
  });
});
