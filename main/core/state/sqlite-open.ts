// Opens a SQLite file through better-sqlite3 with the path of its native addon handed over. Left to
// itself, better-sqlite3 finds the addon with the `bindings` package, which walks a dozen candidate
// paths and builds stack traces to do it: several milliseconds of every CLI command.
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import type { Database as Db, Options } from 'better-sqlite3';

let addonPath: string | null | undefined;

/** The addon in better-sqlite3's own build directory; null (better-sqlite3 searches) when not there. */
function findAddon(): string | null {
  try {
    // CommonJS bundles (the CLI, Electron's main) have require; the sources under test are ESM.
    const resolver = typeof require === 'function' ? require : createRequire(import.meta.url);
    return resolver.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return null;
  }
}

export function openDatabase(path: string, options: Omit<Options, 'nativeBinding'> = {}): Db {
  if (addonPath === undefined) addonPath = findAddon();
  return new Database(path, addonPath ? { ...options, nativeBinding: addonPath } : options);
}
