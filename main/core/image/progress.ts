// Typed progress events for pulls and pushes (defined in shared/types/images.ts, the contract's
// frames), and a coalescer that keeps byte updates to about ten per second per layer (the UI and a
// TTY need no more, and the IPC channel must not flood).
import type { PullProgressEvent, PushProgressEvent } from '../../../shared/types/images.ts';

export type { PullProgressEvent, PushProgressEvent };

export type ProgressSink<E> = (event: E) => void;

/**
 * Wraps a sink so byte events for one key are passed at most every `intervalMs` (default 100 ms),
 * always passing the final one (done === total). Other events pass at once, after flushing any
 * pending byte event so order is kept.
 */
export function coalesceProgress<E extends { type: string }>(
  sink: ProgressSink<E>,
  options: { intervalMs?: number; now?: () => number; isBytes?: (e: E) => { key: string; final: boolean } | undefined } = {},
): ProgressSink<E> & { flush(): void } {
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  const isBytes =
    options.isBytes ??
    ((e: E) => {
      const b = e as unknown as { type: string; digest?: string; done?: number; total?: number };
      return b.type.endsWith('-bytes') ? { key: String(b.digest), final: b.done === b.total } : undefined;
    });
  const last = new Map<string, number>();
  const pending = new Map<string, E>();
  const flush = () => {
    for (const [key, e] of pending) {
      last.set(key, now());
      sink(e);
    }
    pending.clear();
  };
  const wrapped = ((event: E) => {
    const bytes = isBytes(event);
    if (!bytes) {
      flush();
      sink(event);
      return;
    }
    const t = now();
    if (bytes.final || t - (last.get(bytes.key) ?? -Infinity) >= interval) {
      pending.delete(bytes.key);
      last.set(bytes.key, t);
      sink(event);
    } else {
      pending.set(bytes.key, event);
    }
  }) as ProgressSink<E> & { flush(): void };
  wrapped.flush = flush;
  return wrapped;
}
