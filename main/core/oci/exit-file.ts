// conmon's exit file `<exitDir>/<id>`: the exit code as decimal text, no newline, written atomically
// (glib temp + rename) after the container's output is flushed. Read as libpod's checkExitFile does:
// finished-at is the file's ctime; OOM is the presence of `<persistDir>/oom`.
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';

export interface ExitStatus {
  /** WEXITSTATUS, or 128 + signal; -1 when conmon's --timeout killed it. */
  exitCode: number;
  finishedAt: Date;
  oomKilled: boolean;
}

export function parseExitCode(text: string): number {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new PodbayError('ErrInternal', `exit file holds "${trimmed.slice(0, 40)}", not an exit code`);
  return Number(trimmed);
}

/** null while the container has not exited (no file yet). */
export async function readExitFile(exitDir: string, id: string, persistDir?: string): Promise<ExitStatus | null> {
  const path = join(exitDir, id);
  let text: string;
  let ctime: Date;
  try {
    [text, ctime] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.ctime)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const oomKilled = persistDir ? await stat(join(persistDir, 'oom')).then(() => true, () => false) : false;
  return { exitCode: parseExitCode(text), finishedAt: ctime, oomKilled };
}

export interface ExitWaitOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  persistDir?: string;
  pollMs?: number;
}

/**
 * Resolves when `<exitDir>/<id>` appears (inotify on the directory, with a poll as a safety net for
 * filesystems without it). Rejects with ErrCanceled on abort and with ErrInternal after `timeoutMs`
 * (the caller decides what a timeout means, e.g. podman's 5 s waitForExitFileAndSync).
 * `settled` ends the wait with null when the file is gone and it holds: another process (or this
 * one's exit cleaner) recorded the exit and removed the file between the caller's look and the wait.
 */
export function waitForExitFile(exitDir: string, id: string, options?: ExitWaitOptions): Promise<ExitStatus>;
export function waitForExitFile(exitDir: string, id: string, options: ExitWaitOptions & { settled: () => boolean }): Promise<ExitStatus | null>;
export async function waitForExitFile(exitDir: string, id: string, options: ExitWaitOptions & { settled?: () => boolean } = {}): Promise<ExitStatus | null> {
  const existing = await readExitFile(exitDir, id, options.persistDir);
  if (existing) return existing;
  return new Promise<ExitStatus | null>((resolve, reject) => {
    let done = false;
    const check = async () => {
      if (done) return;
      try {
        const status = await readExitFile(exitDir, id, options.persistDir);
        if (status && !done) finish(null, status);
        else if (!status && !done && options.settled?.()) finish(null, null);
      } catch (error) {
        finish(error as Error);
      }
    };
    let watcher: FSWatcher | null = null;
    try {
      watcher = watch(exitDir, (_event, file) => {
        if (file === null || file.toString() === id) void check();
      });
      watcher.on('error', () => {
        // the poll below still notices the file
      });
    } catch {
      // no exit dir yet (or no inotify): the poll alone notices the file
    }
    const poll = setInterval(() => void check(), options.pollMs ?? 250);
    const timer = options.timeoutMs !== undefined
      ? setTimeout(() => finish(new PodbayError('ErrInternal', `container ${id.slice(0, 12)} did not exit within ${options.timeoutMs} ms`)), options.timeoutMs)
      : null;
    const onAbort = () => finish(new PodbayError('ErrCanceled', `waiting for container ${id.slice(0, 12)} to exit was canceled`));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    function finish(error: Error | null, status?: ExitStatus | null) {
      if (done) return;
      done = true;
      watcher?.close();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(status ?? null);
    }
    if (options.signal?.aborted) onAbort();
    // The file may have landed between the first read and the watch.
    void check();
  });
}
