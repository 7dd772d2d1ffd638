// Turns a core function that reports through a callback into the async iterable a stream handler returns.
/**
 * Runs `work`, yielding each frame it emits as it comes; ends when `work` resolves, throws what it
 * throws. Frames wait in a queue while the consumer is slow (they are coalesced upstream, ~10/s).
 */
export async function* framesOf<F>(work: (emit: (frame: F) => void) => Promise<unknown>): AsyncGenerator<F> {
  const queue: F[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  let failure: { error: unknown } | null = null;
  const done = work((frame) => {
    queue.push(frame);
    wake?.();
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = { error };
      finished = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    await done;
    if (failure) throw (failure as { error: unknown }).error;
  } finally {
    queue.length = 0;
  }
}
