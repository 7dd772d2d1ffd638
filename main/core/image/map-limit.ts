// Bounded parallelism for the layers of one image (pull downloads them, load and import extract
// them): at most `limit` in flight, results in input order, the first failure stops the rest.
import { throwIfAborted } from './blob-store.ts';

/** Runs `fn` over items with at most `limit` in flight; the first failure aborts the rest and is the one thrown. */
export async function mapLimit<T, R>(items: T[], limit: number, controller: AbortController, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const signal = controller.signal;
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      throwIfAborted(signal, 'pulling layers');
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        if (failed === undefined) {
          failed = error;
          controller.abort(error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}
