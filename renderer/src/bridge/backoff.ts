// Reconnect delays for the WebSocket transport: exponential with full jitter, capped, so a restarted
// web host is found again quickly and a dead one is not hammered. Pure: the caller injects `random`.

export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  readonly baseMs: number;
  /** No delay is ever longer than this. */
  readonly maxMs: number;
  /** 0 = exact exponential delays; 1 = full jitter (uniform in [delay/2, delay]). */
  readonly jitter: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 250, maxMs: 5_000, jitter: 0.5 };

/**
 * The delay before reconnect attempt `attempt` (0 for the first retry after a drop).
 * Grows as baseMs·2^attempt up to maxMs; jitter shortens it by up to `jitter`·delay·random().
 */
export function reconnectDelay(attempt: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const n = Math.max(0, Math.floor(attempt));
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n, 30));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(exponential * (1 - jitter * clamp01(random())));
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
