// What the UI knows about its link to the engine. Electron's preload is always `connected`; the
// WebSocket transport moves between the states as the socket opens, drops and comes back.

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** Failed attempts since the last successful connection. */
  readonly attempt: number;
  /** When the next attempt starts (epoch ms), while waiting to retry. */
  readonly retryAt: number | null;
  /** Whether a connection was ever established in this page's life. */
  readonly everConnected: boolean;
}

export interface ConnectionMonitor {
  get(): ConnectionState;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Skips the wait and tries to connect now (the "Retry now" button). */
  retryNow(): void;
}

/** After this many failed attempts without ever connecting, the host is reported unreachable. */
export const unreachableAfterAttempts = 3;

/** The next state after a failed or dropped attempt. */
export function afterFailure(state: ConnectionState, retryAt: number): ConnectionState {
  const attempt = state.attempt + 1;
  const status: ConnectionStatus = state.everConnected ? 'reconnecting' : attempt >= unreachableAfterAttempts ? 'unreachable' : 'connecting';
  return { status, attempt, retryAt, everConnected: state.everConnected };
}

/** The host answered but refused this page (wrong or missing token): no use retrying quickly. */
export function afterRefusal(state: ConnectionState, retryAt: number): ConnectionState {
  return { status: 'unreachable', attempt: state.attempt + 1, retryAt, everConnected: state.everConnected };
}

export function afterOpen(): ConnectionState {
  return { status: 'connected', attempt: 0, retryAt: null, everConnected: true };
}

export const initialConnectionState: ConnectionState = { status: 'connecting', attempt: 0, retryAt: null, everConnected: false };

const connectedForGood: ConnectionState = { status: 'connected', attempt: 0, retryAt: null, everConnected: true };

/** Electron's preload: the IPC link lives as long as the window. `get` returns one object, always. */
export const alwaysConnected: ConnectionMonitor = {
  get: () => connectedForGood,
  subscribe: () => () => {},
  retryNow: () => {},
};
