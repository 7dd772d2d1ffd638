// `dist/cli/podbay.js`: starts the CLI bundle from V8's code cache. Compiling the 2.4 MB bundle from
// source cost a CLI start about 60 ms here (V8 pre-parses all of it); deserializing the cache the
// build wrote, about 8 ms, and functions the cache lacks are still compiled lazily. A missing or
// rejected cache (another Node version, other V8 flags) only costs that time: V8 checks the cache's
// version and flags itself, and the cache file is named after the bundle's size and mtime so a
// rebuilt bundle never meets a stale cache.
// Run with PODBAY_WRITE_CODE_CACHE=1 (the build does), it evaluates every command module instead of
// running a command and writes the cache.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { bundleName, codeCachePath } from './code-cache-path.ts';

interface BundleExports {
  main: () => Promise<void>;
  loadEveryCommand: () => Promise<void>;
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function loadBundle(dir: string, writeCache: boolean): { exports: BundleExports; script: Script; cachePath: string } {
  const file = join(dir, bundleName);
  const cachePath = codeCachePath(dir, statSync(file));
  // esbuild writes the bundle as ASCII (non-ASCII characters escaped), so latin1 decodes it exactly
  // and faster than UTF-8.
  const source = readFileSync(file, 'latin1');
  const script = new Script(wrap(source), {
    filename: file,
    // The build turns every import() into require() (see scripts/build.mjs), so no dynamic-import
    // callback is needed.
    cachedData: writeCache ? undefined : readCache(cachePath),
  });
  const module = { exports: {} as BundleExports, filename: file, id: file, loaded: false };
  const compiled = script.runInThisContext() as (...args: unknown[]) => void;
  compiled.call(module.exports, module.exports, createRequire(file), module, file, dir);
  module.loaded = true;
  return { exports: module.exports, script, cachePath };
}

async function start(): Promise<void> {
  const writeCache = process.env.PODBAY_WRITE_CODE_CACHE === '1';
  const { exports, script, cachePath } = loadBundle(__dirname, writeCache);
  if (!writeCache) return exports.main();
  await exports.loadEveryCommand();
  const partial = `${cachePath}.${process.pid}.tmp`;
  writeFileSync(partial, script.createCachedData());
  renameSync(partial, cachePath);
}

start().catch((error: unknown) => {
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  // podman's exit code for an error of the engine itself
  process.exitCode = 125;
});
