// Runs test/helpers/core-child.ts as real processes: bundled once with esbuild (CommonJS, with the
// native better-sqlite3 left to node_modules through NODE_PATH), then spawned with `node`.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function buildCoreChild(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'podbay-child-')), 'core-child.cjs');
  await build({
    entryPoints: [join(repoRoot, 'test/helpers/core-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'error',
  });
  return outfile;
}

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the next stdout line that satisfies `match`. */
  line(match?: (line: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function spawnChild(bundle: string, args: string[]): Child {
  const child = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, NODE_PATH: join(repoRoot, 'node_modules') } });
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let errText = '';
  child.stderr.on('data', (chunk: Buffer) => (errText += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const index = waiters.findIndex((w) => w.match(line));
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(line);
    else lines.push(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    process: child,
    exited,
    stderr: () => errText,
    line: (match = () => true) =>
      new Promise<string>((resolve, reject) => {
        const index = lines.findIndex(match);
        if (index >= 0) return resolve(lines.splice(index, 1)[0] as string);
        waiters.push({ match, resolve });
        void exited.then(({ code, signal }) => reject(new Error(`child exited (${code ?? signal}) before the expected line; stderr: ${errText}`)));
      }),
  };
}
