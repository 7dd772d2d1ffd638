// The two sizes of the reliability suites: `npm test` runs a fast subset of every kill point, fault
// and hostile-input corpus; `npm run test:soak` (scripts/soak.mjs) sets PODBAY_SOAK=1 for the whole
// of each. Every suite appends what it tried to $PODBAY_SOAK_SUMMARY (JSON lines), from which the soak
// script prints its summary table.
import { appendFileSync } from 'node:fs';

export const soak = process.env.PODBAY_SOAK === '1';

/** `fast` in `npm test`, `full` under `npm run test:soak`. */
export function scale(fast: number, full: number): number {
  return soak ? full : fast;
}

export interface SoakEntry {
  /** Which suite: 'crash: pull', 'fuzz: IPC schemas', 'tar: hostile layers' … */
  suite: string;
  killPoints?: number;
  repairs?: number;
  /** Records that were complete before a kill and missing after it (must be 0). */
  dataLost?: number;
  hostileInputs?: number;
  /** Writes outside the place an input may write to, or a value that crossed a boundary unchecked (must be 0). */
  escapes?: number;
  /** Refusals as PodbayErrors with a code, the right answer to a hostile input. */
  typedErrors?: number;
  /** Untyped exceptions, hangs, dead processes (must be 0). */
  crashes?: number;
  /** Free text: the kinds repaired, faults tried. */
  notes?: string;
}

/** Appends one line to the soak summary, when a soak run collects one. */
export function recordSoak(entry: SoakEntry): void {
  const file = process.env.PODBAY_SOAK_SUMMARY;
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}
