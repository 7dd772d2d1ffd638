#!/usr/bin/env node
// Builds every part: the CLI and web host (one CommonJS bundle started from V8's code cache, whose
// commands are evaluated only when run), the Electron main process and preload (CJS, as Electron's
// sandboxed preload requires), and the renderer with Vite. Usage: node scripts/build.mjs [--no-renderer]
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const withRenderer = !process.argv.includes('--no-renderer');
const started = Date.now();

const common = {
  bundle: true,
  sourcemap: 'linked',
  target: 'node20',
  logLevel: 'warning',
  absWorkingDir: root,
  legalComments: 'none',
};

await rm(join(root, 'dist/cli'), { recursive: true, force: true });
await Promise.all([
  // The CLI: one CommonJS bundle (dynamic imports become lazily evaluated modules inside it) and the
  // small loader that starts it from V8's code cache (see main/cli/bundle-loader.ts). CommonJS, not
  // ESM chunks: Node's ESM loader cost every command ~20 ms of resolving and linking.
  build({
    ...common,
    entryPoints: { 'podbay-bundle': 'main/cli/podbay.ts' },
    outdir: 'dist/cli',
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    charset: 'ascii',
    // import() becomes require(): V8 code-cache functions lose the script's dynamic-import host
    // options on Node 20 ("A dynamic import callback was not specified"), and require() is cheaper.
    supported: { 'dynamic-import': false },
    // renderer-dir.ts reads import.meta only where __dirname is missing, which CommonJS never is.
    logOverride: { 'empty-import-meta': 'silent' },
    // better-sqlite3's JavaScript is bundled (and code-cached) too; its native addon loads from
    // node_modules by path (main/core/state/sqlite-open.ts). electron is never part of the CLI.
    external: ['electron'],
    // Whitespace and syntax only (names kept): the bundle shrinks from 2.4 to 1.7 MB, and reading it,
    // deserializing its code cache and evaluating it took 18 ms instead of 27 ms here. Renaming
    // identifiers as well (with keepNames, so `.name` stays right) made the cache slower again.
    minifyWhitespace: true,
    minifySyntax: true,
  }),
  build({
    ...common,
    entryPoints: { podbay: 'main/cli/bundle-loader.ts' },
    outdir: 'dist/cli',
    platform: 'node',
    format: 'cjs',
    sourcemap: false,
  }),
  build({
    ...common,
    entryPoints: { bench: 'bench/run-bench.ts' },
    outdir: 'dist/bench',
    platform: 'node',
    format: 'esm',
    external: ['better-sqlite3', 'electron', 'playwright-core', 'node-unix-socket'],
    banner: { js: "import { createRequire as __podbayCreateRequire } from 'node:module'; const require = __podbayCreateRequire(import.meta.url);" },
  }),
  build({
    ...common,
    entryPoints: { index: 'main/index.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3', 'electron'],
  }),
  build({
    ...common,
    entryPoints: { index: 'preload/index.ts' },
    outdir: 'dist/preload',
    outExtension: { '.js': '.cjs' },
    // A sandboxed preload may require only `electron`: everything else is bundled in.
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
  }),
]);

// dist/cli/podbay.js is CommonJS although the package is "type": "module".
await writeFile(join(root, 'dist/cli/package.json'), '{ "type": "commonjs" }\n');
execFileSync(process.execPath, [join(root, 'dist/cli/podbay.js')], { env: { ...process.env, PODBAY_WRITE_CODE_CACHE: '1' }, stdio: 'inherit' });

if (withRenderer) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}
console.log(`built in ${Date.now() - started} ms`);
