// The exit command conmon runs, executed for real through /bin/sh: it stands down while the cleaner
// named in the run dir lives, and runs the cleanup (with its arguments intact) in every other case.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimCleanup, cleanerFileName, deferringExitCommand, releaseCleanup } from '../../../../main/core/oci/exit-command.ts';

describe('the deferring exit command', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-exit-command-'));
    out = join(dir, 'ran');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // The "cleanup" writes its argv, so a test sees whether it ran and with which arguments.
  const run = () => {
    const command = deferringExitCommand(dir, { path: process.execPath, args: ['-e', 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))', out, 'container', 'cleanup', "id with 'quotes' $HOME"] });
    expect(command.path).toBe('/bin/sh');
    return spawnSync(command.path, command.args, { encoding: 'utf8' });
  };

  it('runs the cleanup, arguments untouched, when no process claimed it', () => {
    expect(run().status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(['container', 'cleanup', "id with 'quotes' $HOME"]);
  });

  it('stands down while the process that claimed the cleanup lives, and runs again once it is released', () => {
    expect(claimCleanup(dir)).toBe(true);
    expect(readFileSync(join(dir, cleanerFileName), 'utf8')).toBe(`${process.pid}\n`);
    expect(run().status).toBe(0);
    expect(existsSync(out)).toBe(false);
    releaseCleanup(dir);
    run();
    expect(existsSync(out)).toBe(true);
  });

  it('runs the cleanup when the claiming process died without releasing it', async () => {
    const child = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(join(dir, cleanerFileName))}, process.pid + '\\n')`]);
    await new Promise((resolve) => child.on('exit', resolve));
    run();
    expect(existsSync(out)).toBe(true);
  });

  it('runs the cleanup when the cleaner file holds garbage', () => {
    spawnSync('/bin/sh', ['-c', 'printf "1; touch $0\\n" > "$1"', join(dir, 'injected'), join(dir, cleanerFileName)]);
    run();
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(dir, 'injected'))).toBe(false);
  });

  it('claims nothing for a container without a run dir', () => {
    expect(claimCleanup(join(dir, 'gone'))).toBe(false);
  });
});
