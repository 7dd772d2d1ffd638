// A long-lived Podbay process (the desktop window, the web host) cleans up the containers it starts
// itself when they exit. Otherwise conmon's exit command starts a whole Node process for each exit
// (`podbay container cleanup`, ~100 ms of CPU on a 2-core machine), which competes with the app for
// the CPU and for the container's lease just when the user's next click needs both. On this machine,
// with the claim, one click (create, start, wait, remove) went from a median of about 100 ms to
// 70–85 ms side by side.
//
// The claim is exit-command.ts's cleaner file, holding this process's pid. It is written before the
// OCI runtime starts the container's process, so the exit command can never miss it. While this
// process lives, the exit command stands down and this process cleans up: it watches conmon's exit
// directory (inotify, with a slow poll in case a watch is lost) and runs the same cleanup the exit
// command would (`cleanup`, container-lifecycle.ts cleanupContainer: runtime delete, unmount,
// restart policy, --rm). If this process dies, the pid is dead and exit commands clean up again.
// A container that exits in the moment between this process closing and its claim being released is
// left to the next verb on it, as exit-command.ts describes for a claimant that goes away.
import { existsSync, mkdirSync, readFileSync, rmSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { claimCleanup, cleanerFileName } from './exit-command.ts';

/** How often claimed containers are checked without an inotify event (a dropped watch, a full queue). */
const pollMs = 1000;

export class ExitCleaner {
  /** Claimed container id → its run dir. */
  private readonly claimed = new Map<string, string>();
  /** Claims made again while a cleanup ran (a restart policy's start): that cleanup must not drop them. */
  private readonly reclaimed = new Set<string>();
  private readonly cleaning = new Set<string>();
  private watcher: FSWatcher | null = null;
  private poll: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly exitDir: string,
    private readonly clean: (id: string) => Promise<void>,
  ) {}

  /** Called before the container's process starts: its exit is this process's to clean up. */
  claim(id: string, runDir: string): void {
    if (this.closed || !claimCleanup(runDir)) return;
    if (this.cleaning.has(id)) this.reclaimed.add(id);
    this.claimed.set(id, runDir);
    this.watch();
  }

  /** The start failed or the container went away: its exit command (if any) is on its own again. */
  drop(id: string): void {
    const runDir = this.claimed.get(id);
    if (runDir === undefined) return;
    this.claimed.delete(id);
    this.reclaimed.delete(id);
    releaseOwnClaim(runDir);
    if (this.claimed.size === 0) this.unwatch();
  }

  /** Every claim released: exit commands clean up after this process again. */
  close(): void {
    this.closed = true;
    for (const runDir of this.claimed.values()) releaseOwnClaim(runDir);
    this.claimed.clear();
    this.unwatch();
  }

  private watch(): void {
    if (this.watcher || this.poll) return;
    try {
      mkdirSync(this.exitDir, { recursive: true });
      this.watcher = watch(this.exitDir, { persistent: false }, (_event, file) => {
        if (file !== null && this.claimed.has(file.toString())) void this.check(file.toString());
      });
      this.watcher.on('error', () => {
        // the poll below still notices exits
      });
    } catch {
      // no inotify here: the poll alone notices exits
    }
    this.poll = setInterval(() => this.checkAll(), pollMs);
    this.poll.unref();
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  private checkAll(): void {
    for (const [id, runDir] of [...this.claimed]) {
      // Removed by another process (its run dir went with it): nothing will ever exit.
      if (!existsSync(runDir)) this.drop(id);
      else void this.check(id);
    }
  }

  private async check(id: string): Promise<void> {
    if (this.cleaning.has(id) || !this.claimed.has(id) || !existsSync(join(this.exitDir, id))) return;
    this.cleaning.add(id);
    try {
      await this.clean(id);
    } catch {
      // What failed (a removal refused, a restart that could not start) is recorded on the container
      // by the cleanup itself, as the exit command's would be; the next verb tries again.
    } finally {
      this.cleaning.delete(id);
      // A restart policy's start claimed the container again during the cleanup: that claim stays.
      if (this.reclaimed.has(id)) this.reclaimed.delete(id);
      else this.drop(id);
    }
  }
}

/** Removes the cleaner file only while it still names this process (another may have claimed since). */
function releaseOwnClaim(runDir: string): void {
  const path = join(runDir, cleanerFileName);
  try {
    if (readFileSync(path, 'utf8').trim() !== String(process.pid)) return;
  } catch {
    return;
  }
  rmSync(path, { force: true });
}
