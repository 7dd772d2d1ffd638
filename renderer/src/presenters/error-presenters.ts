// Errors as people read them: a title from the category, the engine's message, and the code for
// anyone reporting a bug. Branches on `category`/`code`, never on message text.
import { PodbayError, isErrorCode } from '../../../shared/errors.ts';
import type { ErrorCategory, ErrorData } from '../../../shared/errors.ts';

export interface ErrorView {
  readonly title: string;
  readonly message: string;
  /** The libpod-style code (ErrNoSuchCtr…), or null for errors that did not come from the engine. */
  readonly code: string | null;
  /** Whether trying again can help (the Retry button is shown). */
  readonly retryable: boolean;
}

const titles: Record<ErrorCategory, string> = {
  'not-found': 'Not found',
  'already-exists': 'Already exists',
  'failed-precondition': 'Not possible in the current state',
  'invalid-argument': 'Invalid request',
  unavailable: 'A component is unavailable',
  'permission-denied': 'Permission denied',
  canceled: 'Interrupted',
  internal: 'Internal engine error',
  'not-implemented': 'Not implemented yet',
  'resource-exhausted': 'Out of disk space',
};

const retryableCategories = new Set<ErrorCategory>(['unavailable', 'canceled', 'internal', 'resource-exhausted']);

export function describeError(error: unknown): ErrorView {
  const data = asErrorData(error);
  if (data) {
    const title = data.code === 'ErrCanceled' && /connection/.test(data.message) ? 'Connection lost' : titles[data.category];
    return { title, message: sentence(data.message), code: data.code, retryable: retryableCategories.has(data.category) };
  }
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'An unexpected error happened.';
  return { title: 'Something went wrong', message: sentence(message), code: null, retryable: true };
}

function asErrorData(error: unknown): ErrorData | null {
  if (error instanceof PodbayError) return error.toData();
  if (typeof error === 'object' && error !== null) {
    const { code, category, message } = error as Partial<ErrorData>;
    if (isErrorCode(code) && typeof category === 'string' && typeof message === 'string') return { code, category, message };
  }
  return null;
}

/** Engine messages are lower-case clauses ("reading cgroups: …"); the UI shows them as a sentence. */
function sentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return 'No details were given.';
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
