import { PodbayError } from '../../shared/errors.ts';
import type { ErrorCode } from '../../shared/errors.ts';

/** Awaits a promise expected to reject and returns its error code (tests never match message text). */
export async function rejectionCode(promise: Promise<unknown>): Promise<ErrorCode | 'resolved' | 'not-a-podbay-error'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof PodbayError ? error.code : 'not-a-podbay-error';
  }
}

/** Runs `fn`, expected to throw, and returns the error's code (undefined when it did not throw). */
export function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

/** Awaits a promise expected to reject and returns what it rejected with (undefined when it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}
