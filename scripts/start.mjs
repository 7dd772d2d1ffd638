#!/usr/bin/env node
// `npm start [-- args]`: builds when the build is missing or stale, then opens the Electron window
// where Electron's binary is installed and a display exists; otherwise says so in one line and runs
// the loopback web host (`podbay serve`), which prints its URL and opens a Chromium app window.
// Extra arguments go to whichever starts (`npm start -- --port 8080 --no-open`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What the build makes: one file per part (see scripts/build.mjs). */
export const buildOutputs = ['dist/main/index.cjs', 'dist/preload/index.cjs', 'dist/cli/podbay.js', 'dist/renderer/index.html'];
const buildInputs = ['main', 'preload', 'renderer', 'shared', 'scripts/build.mjs', 'vite.config.ts', 'package.json', 'package-lock.json'];

function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** True when an output is missing or any source is newer than the oldest output. */
export function needsBuild(root = repoRoot) {
  let oldestOutput = Infinity;
  for (const output of buildOutputs) {
    const path = join(root, output);
    if (!existsSync(path)) return true;
    oldestOutput = Math.min(oldestOutput, statSync(path).mtimeMs);
  }
  return buildInputs.some((input) => newestMtime(join(root, input)) > oldestOutput);
}

/**
 * The Electron executable if it is installed, else null. This mirrors the lookup of the electron
 * package's index.js without requiring it: requiring it downloads the binary when it is missing.
 */
export function electronBinary(root = repoRoot, env = process.env) {
  const packageDir = join(root, 'node_modules', 'electron');
  let relative;
  try {
    relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  if (!relative) return null;
  const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist'), relative);
  return existsSync(binary) ? binary : null;
}

export function hasDisplay(env = process.env) {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * The command `npm start` runs: Electron with the app directory, or the web host. Chromium refuses
 * to run as root with its sandbox on; there (and only there) Electron gets --no-sandbox, and the
 * renderers keep Electron's own sandbox settings.
 */
export function startCommand({ root = repoRoot, env = process.env, args = [], uid = process.getuid?.() ?? 0, node = process.execPath } = {}) {
  const electron = electronBinary(root, env);
  if (electron && hasDisplay(env)) {
    return { kind: 'electron', command: electron, args: [...(uid === 0 ? ['--no-sandbox'] : []), root, ...args] };
  }
  const notice = electron
    ? 'No display ($DISPLAY / $WAYLAND_DISPLAY) for the Electron window: serving the UI on loopback instead.'
    : "Electron's binary is not installed (its installer downloads it from outside): serving the UI on loopback instead.";
  return { kind: 'web', notice, command: node, args: [join(root, 'dist', 'cli', 'podbay.js'), 'serve', ...args] };
}

function run() {
  if (needsBuild()) {
    const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const start = startCommand({ args: process.argv.slice(2) });
  if (start.notice) console.log(start.notice);
  // Running Electron as Node would start main/index.cjs without a window.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(start.command, start.args, { cwd: repoRoot, env, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`Error: starting ${start.command}: ${error.message}`);
    process.exit(125);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, forward);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) run();
