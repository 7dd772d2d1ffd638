// Interleaved timing, as podman's hack/perf does with hyperfine but side by side in one run: each
// round runs every contender once, in alternating order, so drift of the machine (page cache,
// CPU frequency, another process) lands on both sides alike. Warm-up rounds are discarded.
import { spawnSync } from 'node:child_process';

export type Work = () => Promise<void> | void;

export interface Contender {
  label: string;
  /** Prepares each run outside the timed part (e.g. creates what the run removes). */
  before?: Work;
  run: Work;
  /**
   * For figures that are not durations (CPU %, resident MB, a latency seen by another process):
   * returns the sample itself instead of being timed.
   */
  measure?: () => Promise<number>;
}

export interface Timing {
  label: string;
  samples: number[];
  median: number;
}

export async function interleave(contenders: Contender[], runs: number, warmups: number): Promise<Timing[]> {
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < warmups + runs; round++) {
    const order = contenders.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const contender = contenders[i]!;
      await contender.before?.();
      let sample: number;
      if (contender.measure) sample = await contender.measure();
      else {
        const started = process.hrtime.bigint();
        await contender.run();
        sample = Number(process.hrtime.bigint() - started) / 1e6;
      }
      if (round >= warmups) samples[i]!.push(sample);
    }
  }
  return contenders.map((contender, i) => ({ label: contender.label, samples: samples[i]!, median: median(samples[i]!) }));
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A command run to completion; a failure stops the benchmark (a fast failure is no result). */
export function command(argv: string[], env?: NodeJS.ProcessEnv): Work {
  const [file, ...args] = argv;
  return () => {
    const result = spawnSync(file!, args, { stdio: ['ignore', 'ignore', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
    if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr?.toString().slice(0, 500)}`);
  };
}
