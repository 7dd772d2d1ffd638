// Where the build writes the CLI bundle's V8 code cache, and where the loader looks for it.
import { join } from 'node:path';

export const bundleName = 'podbay-bundle.cjs';

/** Beside the bundle, named after what changes when it is rebuilt (its size and mtime). */
export function codeCachePath(dir: string, bundle: { size: number; mtimeMs: number }): string {
  return join(dir, `${bundleName}.${bundle.size}-${Math.trunc(bundle.mtimeMs)}.v8cache`);
}
