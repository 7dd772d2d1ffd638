// A console session's life as a pure state machine (tested without a DOM or a terminal): what the
// Console and Terminal tabs show above the terminal, whether typing reaches the process, and when to
// connect again. The component feeds it the stream's frames and the user's intents.
import type { ErrorData } from '../../../shared/errors.ts';
import type { ConsoleFrame } from '../../../shared/types/console.ts';
import { maxConsoleInput } from '../../../shared/types/console.ts';

export type ConsoleStatus =
  /** Waiting for the stream's `session` frame. */
  | 'connecting'
  /** Input and resizes go to the session. */
  | 'open'
  /** The process ended (exit frame), or the stream ended without one. */
  | 'exited'
  /** The stream failed (not running, no such container, the connection dropped). */
  | 'failed'
  /** The user closed it (tab closed, Disconnect): nothing more happens. */
  | 'closed';

export interface ConsoleState {
  readonly status: ConsoleStatus;
  readonly sessionId: string | null;
  readonly tty: boolean;
  readonly stdin: boolean;
  readonly exitCode: number | null;
  readonly error: ErrorData | null;
  /** Connections made so far (1 for the first); a reconnect adds one. */
  readonly attempt: number;
}

export type ConsoleEvent =
  | { readonly type: 'connect' }
  | { readonly type: 'frame'; readonly frame: ConsoleFrame }
  | { readonly type: 'end' }
  | { readonly type: 'error'; readonly error: ErrorData }
  | { readonly type: 'close' };

export const initialConsole: ConsoleState = { status: 'closed', sessionId: null, tty: false, stdin: false, exitCode: null, error: null, attempt: 0 };

export function consoleReducer(state: ConsoleState, event: ConsoleEvent): ConsoleState {
  switch (event.type) {
    case 'connect':
      return { status: 'connecting', sessionId: null, tty: false, stdin: false, exitCode: null, error: null, attempt: state.attempt + 1 };
    case 'frame': {
      if (state.status !== 'connecting' && state.status !== 'open') return state;
      const frame = event.frame;
      if (frame.type === 'session') return { ...state, status: 'open', sessionId: frame.sessionId, tty: frame.tty, stdin: frame.stdin };
      if (frame.type === 'exit') return { ...state, status: 'exited', sessionId: null, exitCode: frame.exitCode };
      return state;
    }
    case 'end':
      return state.status === 'connecting' || state.status === 'open' ? { ...state, status: 'exited', sessionId: null } : state;
    case 'error':
      return state.status === 'closed' ? state : { ...state, status: 'failed', sessionId: null, error: event.error };
    case 'close':
      return { ...state, status: 'closed', sessionId: null };
  }
}

/** Whether keystrokes and pastes may be sent now. */
export function acceptsInput(state: ConsoleState): boolean {
  return state.status === 'open' && state.sessionId !== null && state.stdin;
}

/**
 * A console whose session ended while its container still shows as running (a restart faster than the
 * list noticed) connects again by itself, a few times at most; a failure (not running, refused) never
 * loops. A container that stops and starts again reconnects through its availability instead.
 */
export function shouldReconnect(state: ConsoleState, containerRunning: boolean, autoAttempts: number, maxAttempts = 5): boolean {
  return containerRunning && state.status === 'exited' && state.attempt > 0 && autoAttempts < maxAttempts;
}

/** The line above the terminal: what is happening, in words. */
export function consoleStatusText(state: ConsoleState, what: 'console' | 'terminal'): string {
  switch (state.status) {
    case 'connecting':
      return state.attempt > 1 ? 'Reconnecting…' : 'Connecting…';
    case 'open':
      if (!state.stdin) return 'Attached (read-only: the container was created without -i)';
      return what === 'console' ? 'Attached' : 'Shell running';
    case 'exited':
      if (what === 'terminal') return state.exitCode === null ? 'Shell ended' : `Shell exited with code ${state.exitCode}`;
      return state.exitCode === null ? 'Detached: the container stopped' : `Container exited with code ${state.exitCode}`;
    case 'failed':
      return state.error?.message ?? 'Could not connect';
    case 'closed':
      return 'Closed';
  }
}

/**
 * Splits input into pieces the contract accepts (≤ maxConsoleInput UTF-16 units), never between the
 * two halves of a surrogate pair. Order is kept: send them one after another.
 */
export function chunkInput(data: string, max = maxConsoleInput): string[] {
  if (data.length <= max) return data ? [data] : [];
  const chunks: string[] = [];
  let at = 0;
  while (at < data.length) {
    let end = Math.min(at + max, data.length);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end--;
    chunks.push(data.slice(at, end));
    at = end;
  }
  return chunks;
}

/** Clamps a measured terminal size into what the contract accepts (1…1000). */
export function clampSize(rows: number, cols: number): { rows: number; cols: number } {
  const clamp = (n: number) => Math.min(1000, Math.max(1, Math.floor(Number.isFinite(n) ? n : 1)));
  return { rows: clamp(rows), cols: clamp(cols) };
}
