import type { BenchContext } from './context.ts';
import type { Contender } from './measure.ts';

/** One line of the results table: Podbay against its peer, with the goal from PERFORMANCE.md. */
export interface BenchCase {
  group: string;
  work: string;
  podbay: Contender;
  /** The peer (podman, skopeo) or a physical floor; absent where no peer can run. */
  peer?: Contender;
  /** Podbay median ÷ peer median must be ≤ this; absent for figures that are only reported. */
  goalRatio?: number;
  /** Or an absolute goal in the case's unit, for figures with no peer. */
  goalMax?: number;
  /** Unit of the figures: ms (timed, the default), or what a `measure` contender returns. */
  unit?: 'ms' | '%' | 'MB';
  /** For work too slow to repeat many times (refilling 1,000 containers): overrides --runs. */
  runs?: number;
  warmups?: number;
}

export interface BenchResult {
  group: string;
  /** When this row was measured (ISO 8601). */
  measuredAt: string;
  runs: number;
  work: string;
  podbayLabel: string;
  unit: 'ms' | '%' | 'MB';
  podbayValue: number;
  peerLabel: string | null;
  peerValue: number | null;
  ratio: number | null;
  goal: string;
  met: boolean | null;
}

export interface BenchGroup {
  name: string;
  /** Sets up fixtures; returns the cases and a teardown. Throws with what is missing to run. */
  setup(context: BenchContext): Promise<{ cases: BenchCase[]; teardown(): Promise<void> }>;
}
