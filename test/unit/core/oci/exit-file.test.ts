import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExitCode, readExitFile, waitForExitFile } from '../../../../main/core/oci/exit-file.ts';

describe('parseExitCode', () => {
  it('reads conmon\'s decimal text with or without a newline, including -1', () => {
    expect(parseExitCode('0')).toBe(0);
    expect(parseExitCode('143\n')).toBe(143);
    expect(parseExitCode('-1')).toBe(-1);
    expect(() => parseExitCode('')).toThrowError(expect.objectContaining({ code: 'ErrInternal' }));
  });
});

describe('exit files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-exit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is null before the container exits, then the code, finish time and OOM flag', async () => {
    expect(await readExitFile(dir, 'abc')).toBeNull();
    mkdirSync(join(dir, 'persist'));
    writeFileSync(join(dir, 'abc'), '137');
    writeFileSync(join(dir, 'persist', 'oom'), '');
    const status = await readExitFile(dir, 'abc', join(dir, 'persist'));
    expect(status).toMatchObject({ exitCode: 137, oomKilled: true });
    expect(Math.abs((status?.finishedAt.getTime() ?? 0) - Date.now())).toBeLessThan(5000);
  });

  it('waits for the file to appear', async () => {
    const waiting = waitForExitFile(dir, 'abc', { timeoutMs: 5000 });
    setTimeout(() => writeFileSync(join(dir, 'abc'), '3'), 50);
    expect((await waiting)?.exitCode).toBe(3);
  });

  it('ends with null once the file is gone and the caller says the exit is recorded elsewhere', async () => {
    let recorded = false;
    // The poll is an hour: only the watch on the directory can end this wait before the timeout.
    const waiting = waitForExitFile(dir, 'abc', { timeoutMs: 60_000, pollMs: 3_600_000, settled: () => recorded });
    setTimeout(() => {
      // Another cleaner: writes down the exit, then removes the file conmon wrote.
      writeFileSync(join(dir, 'abc'), '0');
      recorded = true;
      rmSync(join(dir, 'abc'));
    }, 50);
    expect(await waiting).toBeNull();
  });

  it('gives up after the timeout and on abort', async () => {
    await expect(waitForExitFile(dir, 'abc', { timeoutMs: 50 })).rejects.toMatchObject({ code: 'ErrInternal' });
    const controller = new AbortController();
    const waiting = waitForExitFile(dir, 'abc', { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ErrCanceled' });
  });
});

describe('waitForExitFile without an exit dir', () => {
  it('polls until the directory and the file appear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-exit-'));
    try {
      const exitDir = join(dir, 'exits');
      const waiting = waitForExitFile(exitDir, 'abc', { timeoutMs: 5000, pollMs: 20 });
      setTimeout(() => {
        mkdirSync(exitDir);
        writeFileSync(join(exitDir, 'abc'), '0');
      }, 50);
      expect((await waiting)?.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
