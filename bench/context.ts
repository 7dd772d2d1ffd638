// What every group gets from the command line: a smoke run (one run of every case, small fixtures,
// nothing written — what `npm test` runs so the bench cannot rot) and the profile switch (CPU
// profiles of Podbay's side, so a slow figure can be explained).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { command } from './measure.ts';
import type { Work } from './measure.ts';
import { cliPath } from './paths.ts';

export interface BenchContext {
  /** One run of each case on small fixtures; the figures mean nothing and are not written. */
  readonly smoke: boolean;
  /** Where CPU profiles go (`--profile`), or null. */
  readonly profileDir: string | null;
  /** `count` for a real run, a small stand-in for a smoke run (fixtures of 1,000 take a while to fill). */
  scale(count: number, smokeCount?: number): number;
  /** How long an idle window lasts, in seconds (a smoke run waits 2 s). */
  idleSeconds(seconds: number): number;
  /** Node's argv for a `podbay` CLI process: profiled (`--cpu-prof`) when profiling. */
  podbayArgv(args: readonly string[]): string[];
  /** A `podbay …` command run to completion (a failure stops the benchmark). */
  podbay(args: readonly string[]): Work;
}

export function benchContext(options: { smoke: boolean; profileDir: string | null }): BenchContext {
  const { smoke, profileDir } = options;
  if (profileDir) mkdirSync(join(profileDir, 'cli'), { recursive: true });
  const podbayArgv = (args: readonly string[]) => [
    process.execPath,
    // One .cpuprofile per CLI process; open them in Chrome DevTools or speedscope.
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, 'cli')] : []),
    cliPath,
    ...args,
  ];
  return {
    smoke,
    profileDir,
    scale: (count, smokeCount = Math.min(count, 20)) => (smoke ? smokeCount : count),
    idleSeconds: (seconds) => (smoke ? 2 : seconds),
    podbayArgv,
    podbay: (args) => command(podbayArgv(args)),
  };
}
