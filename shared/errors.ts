// Error codes copy libpod's names word for word (libpod/define/errors.go); each carries an
// errdefs-style category so callers branch on data, never on message text.

export const errorCategories = [
  'not-found',
  'already-exists',
  'failed-precondition',
  'invalid-argument',
  'unavailable',
  'permission-denied',
  'canceled',
  'internal',
  'not-implemented',
  'resource-exhausted',
] as const;

export type ErrorCategory = (typeof errorCategories)[number];

export const errorCodes = {
  ErrNoSuchCtr: 'not-found',
  ErrNoSuchPod: 'not-found',
  ErrNoSuchImage: 'not-found',
  ErrNoSuchVolume: 'not-found',
  ErrNoSuchNetwork: 'not-found',
  ErrNoSuchExecSession: 'not-found',
  ErrNoSuchLayer: 'not-found',
  ErrCtrExists: 'already-exists',
  ErrPodExists: 'already-exists',
  ErrImageExists: 'already-exists',
  ErrVolumeExists: 'already-exists',
  ErrNetworkExists: 'already-exists',
  ErrCtrStateInvalid: 'failed-precondition',
  ErrCtrStopped: 'failed-precondition',
  ErrCtrRemoved: 'failed-precondition',
  ErrCtrFinalized: 'failed-precondition',
  ErrPodFinalized: 'failed-precondition',
  ErrPodRemoved: 'failed-precondition',
  ErrRuntimeFinalized: 'failed-precondition',
  ErrRuntimeStopped: 'failed-precondition',
  ErrImageInUse: 'failed-precondition',
  ErrVolumeBeingUsed: 'failed-precondition',
  ErrNetworkInUse: 'failed-precondition',
  ErrDetach: 'canceled',
  ErrCanceled: 'canceled',
  ErrInvalidArg: 'invalid-argument',
  ErrNotImplemented: 'not-implemented',
  ErrOCIRuntime: 'unavailable',
  ErrOCIRuntimeNotFound: 'unavailable',
  ErrOCIRuntimeUnavailable: 'unavailable',
  ErrConmonNotFound: 'unavailable',
  /** Podbay's own: a registry did not answer (connection refused, DNS, TLS handshake), as opposed to refusing credentials. */
  ErrRegistryUnreachable: 'unavailable',
  ErrUnauthorized: 'permission-denied',
  ErrPermission: 'permission-denied',
  ErrStoreCorrupt: 'internal',
  /** The disk (or quota) under the store is full: ENOSPC / EDQUOT / SQLITE_FULL (errdefs ResourceExhausted). */
  ErrNoSpace: 'resource-exhausted',
  ErrStoreTooNew: 'failed-precondition',
  ErrInternal: 'internal',
} as const satisfies Record<string, ErrorCategory>;

export type ErrorCode = keyof typeof errorCodes;

/** What crosses a process boundary: plain data, never a class instance. */
export interface ErrorData {
  code: ErrorCode;
  category: ErrorCategory;
  message: string;
}

/** The one error class of the project. `code` is the contract; `message` is for people. */
export class PodbayError extends Error {
  readonly code: ErrorCode;
  readonly category: ErrorCategory;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PodbayError';
    this.code = code;
    this.category = errorCodes[code];
  }

  toData(): ErrorData {
    return { code: this.code, category: this.category, message: this.message };
  }

  static fromData(data: ErrorData): PodbayError {
    return new PodbayError(isErrorCode(data.code) ? data.code : 'ErrInternal', data.message);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

/** Walks the `cause` chain, as errors.Is does in Go: wrapping never hides a code. */
export function hasCode(error: unknown, code: ErrorCode): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 32; depth++) {
    if (e instanceof PodbayError && e.code === code) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

/** System and SQLite error codes that mean the disk or quota is full. */
const noSpaceCodes = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** Whether `error` or one of its causes says the disk is full. */
export function isNoSpace(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 32; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && noSpaceCodes.has(code)) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

/**
 * Wraps an error with what was being done ("saving container 3f2a… state: …"), keeping its code. An
 * untyped (or ErrInternal) error caused by a full disk becomes ErrNoSpace, wherever it was thrown.
 */
export function wrap(error: unknown, doing: string): PodbayError {
  const inner = error instanceof Error ? error.message : String(error);
  const typed = error instanceof PodbayError ? error.code : 'ErrInternal';
  const code = typed === 'ErrInternal' && isNoSpace(error) ? 'ErrNoSpace' : typed;
  return new PodbayError(code, `${doing}: ${inner}`, { cause: error });
}

/** Turns anything thrown into data for the wire. Unknown errors become ErrInternal (ErrNoSpace for a full disk). */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof PodbayError && !(error.code === 'ErrInternal' && isNoSpace(error))) return error.toData();
  const message = error instanceof Error ? error.message : String(error);
  return isNoSpace(error) ? { code: 'ErrNoSpace', category: 'resource-exhausted', message } : { code: 'ErrInternal', category: 'internal', message };
}
