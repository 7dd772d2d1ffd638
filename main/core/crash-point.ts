// Named points between the steps of multi-step writes (pull, push, load, save, create, remove, pod
// remove …) where the crash-consistency harness (test/integration/reliability/) SIGKILLs the process.
// The names are stable: the harness and the README's reliability table refer to them.
//
//   PODBAY_KILL_AT=<point>:<n>   SIGKILL this process the n-th time (1-based) <point> is reached
//   PODBAY_CRASH_TRACE=<file>    append every point reached to <file>, one name a line
//
// Both are read once, when this module loads. With neither set, `crashPoint` is an empty function:
// a point costs one call of a no-op in production. SIGKILL (not an exception) is the point: nothing
// runs after it — no finally, no exit handler, no buffered write — exactly as a power cut or an OOM
// kill would leave the store. conmon never passes these variables on (oci/conmon.ts), so a container's
// exit command is not killed by a point meant for the command that started it.
import { appendFileSync } from 'node:fs';

export const crashEnv = { killAt: 'PODBAY_KILL_AT', trace: 'PODBAY_CRASH_TRACE' } as const;

/** `<point>:<n>` → the point and its 1-based occurrence; null when malformed. */
export function parseKillAt(value: string): { point: string; occurrence: number } | null {
  const match = /^([a-z0-9][a-z0-9.-]*):([1-9]\d{0,8})$/.exec(value.trim());
  return match ? { point: match[1] as string, occurrence: Number(match[2]) } : null;
}

type CrashPoint = (name: string) => void;

/** The crash point for `env`; `kill` is what reaching the kill point does (tests pass their own). */
export function makeCrashPoint(env: NodeJS.ProcessEnv, kill: () => void = () => process.kill(process.pid, 'SIGKILL')): CrashPoint {
  const killAt = env[crashEnv.killAt] ? parseKillAt(env[crashEnv.killAt] as string) : null;
  const trace = env[crashEnv.trace] || null;
  if (!killAt && !trace) return () => undefined;
  const seen = new Map<string, number>();
  return (name) => {
    if (trace) appendFileSync(trace, `${name}\n`);
    if (!killAt || name !== killAt.point) return;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count === killAt.occurrence) kill();
  };
}

/** Marks a point between two steps of a write (see the header). A no-op unless the harness asks. */
export const crashPoint: CrashPoint = makeCrashPoint(process.env);
