// What a fuzzed reader may do with a hostile input: return, or refuse with a PodbayError whose code
// is one of the contract's. Anything else (a TypeError, a RangeError, a string) is an escape of an
// untyped exception: the property fails on it. Counts go to the soak summary.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PodbayError, errorCodes } from '../../shared/errors.ts';

export interface FuzzCounts {
  inputs: number;
  typed: number;
  accepted: number;
}

export function fuzzCounts(): FuzzCounts {
  return { inputs: 0, typed: 0, accepted: 0 };
}

/** Runs `read` on one input; rethrows anything that is not a typed refusal. */
export async function typedOrValue<T>(counts: FuzzCounts, read: () => T | Promise<T>): Promise<T | undefined> {
  counts.inputs++;
  try {
    const value = await read();
    counts.accepted++;
    return value;
  } catch (error) {
    if (error instanceof PodbayError && Object.hasOwn(errorCodes, error.code)) {
      counts.typed++;
      return undefined;
    }
    throw new Error(`an untyped exception escaped: ${String((error as Error)?.stack ?? error)}`, { cause: error });
  }
}

/**
 * A scratch directory for one fuzz suite (files the reader under test is pointed at), and a report of
 * what the suite tried to the soak summary when it ends.
 */
export function useFuzzDir(prefix: string, report: () => void): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    report();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}
