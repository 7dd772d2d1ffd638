// conmon runs a container's exit command (`podbay container cleanup ID`) when its process ends. That is
// a whole Node process: ~100 ms of CPU. When a Podbay process is about to clean the container up
// itself — `run --rm` waiting in the foreground, `rm -f` stopping it to remove it — the exit command
// would only compete with it for the CPU and the container's lease, then find nothing to do. So the
// exit command goes through /bin/sh: if the container's run dir names a cleaner whose process is alive,
// it ends there (dash's `read` and `kill` are builtins: no fork); otherwise it execs the cleanup.
// The cleaner's pid is checked with kill -0 only; should that pid be reused by an unrelated process
// before the container exits, the cleanup is left to the next verb on the container (start deletes a
// stale runtime state, rm removes all), never done twice. The same holds for a claimant whose removal
// then fails: what its stop did not clean (the runtime's state) waits for that next verb.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const cleanerFileName = 'cleaner';

const shell = '/bin/sh';
// $1 is the cleaner file; the rest is the real exit command. No value is ever spliced into the script.
const deferToCleaner = 'read -r pid 2>/dev/null < "$1" && kill -0 "$pid" 2>/dev/null && exit 0; shift; exec "$@"';

export interface ExitCommand {
  path: string;
  args: string[];
}

/** `command` wrapped so it does not run while the cleaner named in `runDir` lives (as is where /bin/sh is missing). */
export function deferringExitCommand(runDir: string, command: ExitCommand): ExitCommand {
  if (!existsSync(shell)) return command;
  return { path: shell, args: ['-c', deferToCleaner, 'podbay-exit-command', join(runDir, cleanerFileName), command.path, ...command.args] };
}

/**
 * This process cleans the container up itself once it exits: its exit command stands down. False when
 * the container has no run dir (it is not running: there is no exit command to stand down).
 */
export function claimCleanup(runDir: string): boolean {
  try {
    writeFileSync(join(runDir, cleanerFileName), `${process.pid}\n`, { mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The exit command cleans up again (the file goes with the run dir when the container is removed). */
export function releaseCleanup(runDir: string): void {
  rmSync(join(runDir, cleanerFileName), { force: true });
}
