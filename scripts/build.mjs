#!/usr/bin/env node
// Builds every part: the CLI and web host (one ESM bundle with lazily loaded chunks per command, so
// `podbay --version` loads almost nothing), the Electron main process and preload (CJS, as Electron's
// sandboxed preload requires), and the renderer with Vite. Usage: node scripts/build.mjs [--no-renderer]
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
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
  build({
    ...common,
    entryPoints: { podbay: 'main/cli/podbay.ts' },
    outdir: 'dist/cli',
    platform: 'node',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Native addons load from node_modules; electron is never part of the CLI.
    external: ['better-sqlite3', 'electron'],
    banner: { js: "import { createRequire as __podbayCreateRequire } from 'node:module'; const require = __podbayCreateRequire(import.meta.url);" },
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

if (withRenderer) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}
console.log(`built in ${Date.now() - started} ms`);
