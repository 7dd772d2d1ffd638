// The crash-consistency harness: SIGKILLs a `podbay` command at each of its crash points (main/core/
// crash-point.ts) and proves, for every one, that
//   1. the store opens and `podbay system check --repair` leaves nothing unresolved, saying what it did;
//   2. a second check finds nothing at all;
//   3. nothing that was complete before the kill is lost (containers, pods, images, with their IDs);
//   4. the interrupted operation can be repeated and reaches its end state;
//   5. after that, the store is clean again.
// Kill points are found by tracing one uninterrupted run of the operation (PODBAY_CRASH_TRACE): every
// point it passes, each occurrence counted, is a kill point. Each kill runs on its own copy of a
// baseline store, so points never see each other's damage.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SystemCheckReport } from '../../shared/types/system-check.ts';
import { ImageStore } from '../../main/core/image/image-store.ts';
import { openSqliteState } from '../../main/core/state/sqlite-state.ts';
import { cliPath, requireBuiltCli } from './cli.ts';
import type { CliResult } from './cli.ts';
import { removeStoreDir } from './core-store.ts';

export interface CrashStore {
  dir: string;
  root: string;
  runRoot: string;
}

/** What a store holds, by identity: what must survive a kill that did not mean to remove it. */
export interface StoreFacts {
  containers: Map<string, string>;
  pods: Map<string, string>;
  images: Map<string, string[]>;
  volumes: Set<string>;
}

export interface CrashScenario {
  name: string;
  /** Commands run (uninterrupted) on each copy before the operation: what the operation works on. */
  setup?: (store: CrashStore) => string[][];
  /** The operation, as `podbay` arguments. */
  operation: (store: CrashStore) => string[];
  /** How a user carries on after the kill; default: the operation again. May look at the store. */
  repeat?: (store: CrashStore, facts: StoreFacts) => string[];
  /** Whether the repeat's outcome is success (default exit 0; a removal may find its work done). */
  repeatOk?: (result: CliResult) => boolean;
  /** The operation's end state, checked after the repeat; throws when it is not reached. */
  verify: (store: CrashStore, facts: StoreFacts) => void;
  /** Records the operation is meant to remove: not counted as lost. */
  removes?: (kind: 'container' | 'pod' | 'image' | 'volume', name: string) => boolean;
}

export interface CrashReport {
  scenario: string;
  /** Every kill point the operation passes (the full list; `tried` says how many were used). */
  points: string[];
  tried: number;
  /** Kill points where the process really died of the SIGKILL (the rest finished first). */
  reached: number;
  /** Issues `system check --repair` repaired, by kind. */
  repairs: Record<string, number>;
  dataLost: string[];
  failures: string[];
}

export function storeIn(dir: string): CrashStore {
  return { dir, root: join(dir, 'root'), runRoot: join(dir, 'run') };
}

const globals = (s: CrashStore) => ['--root', s.root, '--runroot', s.runRoot];

/** Runs the built CLI on `store`; the exit signal is kept (a killed command has code null). */
export function cliOn(store: CrashStore, args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): CliResult & { signal: NodeJS.Signals | null } {
  requireBuiltCli();
  const result = spawnSync(process.execPath, [cliPath, ...globals(store), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs });
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '', signal: result.signal };
}

export function mustCli(store: CrashStore, args: readonly string[]): string {
  const result = cliOn(store, args);
  if (result.code !== 0) throw new Error(`podbay ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** Reads the store without repairing anything (no image runtime recovery, no sync). */
export function readFacts(store: CrashStore): StoreFacts {
  const facts: StoreFacts = { containers: new Map(), pods: new Map(), images: new Map(), volumes: new Set() };
  const dbPath = join(store.root, 'podbay.db');
  if (existsSync(dbPath)) {
    const state = openSqliteState(dbPath);
    try {
      for (const c of state.allContainers()) facts.containers.set(c.config.name, c.config.id);
      for (const p of state.allPods()) facts.pods.set(p.config.name, p.config.id);
      for (const v of state.allVolumes()) facts.volumes.add(v.config.name);
    } finally {
      state.close();
    }
  }
  if (existsSync(join(store.root, 'storage.db'))) {
    const images = ImageStore.open(store.root);
    try {
      for (const image of images.list()) facts.images.set(image.id, image.names);
    } finally {
      images.close();
    }
  }
  return facts;
}

/** What `before` had that `after` lacks (name → id changes count as lost too). */
export function lostFacts(before: StoreFacts, after: StoreFacts, removes: CrashScenario['removes'] = () => false): string[] {
  const lost: string[] = [];
  for (const [name, id] of before.containers) if (after.containers.get(name) !== id && !removes('container', name)) lost.push(`container ${name}`);
  for (const [name, id] of before.pods) if (after.pods.get(name) !== id && !removes('pod', name)) lost.push(`pod ${name}`);
  for (const name of before.volumes) if (!after.volumes.has(name) && !removes('volume', name)) lost.push(`volume ${name}`);
  for (const [id, names] of before.images) {
    const now = after.images.get(id);
    if (removes('image', names[0] ?? id)) continue;
    if (!now) lost.push(`image ${names[0] ?? id}`);
    else for (const name of names) if (!now.includes(name)) lost.push(`name ${name} of image ${id.slice(0, 12)}`);
  }
  return lost;
}

/** Every occurrence of every point the operation passed, in order: `name:n`. */
export function killPointsOf(trace: string): string[] {
  const seen = new Map<string, number>();
  return trace
    .split('\n')
    .filter(Boolean)
    .map((name) => {
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      return `${name}:${n}`;
    });
}

/** `count` points spread evenly over the list, first and last included (all when count ≥ length). */
export function samplePoints(points: readonly string[], count: number): string[] {
  if (count >= points.length) return [...points];
  if (count <= 1) return points.slice(-1);
  return [...new Set(Array.from({ length: count }, (_, i) => points[Math.round((i * (points.length - 1)) / (count - 1))] as string))];
}

/** Removes what runs under conmon on `store` (its exit commands need the store), then the store. */
export async function discardStore(store: CrashStore): Promise<void> {
  // Only a store whose containers ever reached the OCI runtime can have conmons running.
  const runtimes = join(store.runRoot, 'runtime');
  const ran = existsSync(runtimes) && readdirSync(runtimes).some((name) => readdirSync(join(runtimes, name)).length > 0);
  if (ran && existsSync(join(store.root, 'podbay.db'))) {
    const pods = cliOn(store, ['pod', 'ps', '-q']).stdout.split('\n').filter(Boolean);
    if (pods.length > 0) cliOn(store, ['pod', 'rm', '-f', ...pods]);
    cliOn(store, ['rm', '-f', '-a', '-t', '0']);
  }
  await removeStoreDir(store.dir);
}

function copyStore(from: CrashStore, prefix: string): CrashStore {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const to = storeIn(dir);
  // --reflink where the file system can; SQLite files are closed (no process has the baseline open).
  const copied = spawnSync('cp', ['-a', '--reflink=auto', `${from.dir}/.`, dir], { encoding: 'utf8' });
  if (copied.status !== 0) {
    mkdirSync(dir, { recursive: true });
    cpSync(from.dir, dir, { recursive: true });
  }
  return to;
}

function parseReport(text: string): SystemCheckReport | null {
  try {
    return JSON.parse(text) as SystemCheckReport;
  } catch {
    return null;
  }
}

/** Spawns the operation with the kill switch and waits for it to end (by the signal or by itself). */
function runKilled(store: CrashStore, args: string[], point: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...globals(store), ...args], { env: { ...process.env, PODBAY_KILL_AT: point }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 120_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/**
 * Runs `scenario` on copies of `baseline`: one traced run to find its kill points, then one killed
 * run per point chosen (`sample` of them, or all), each followed by the checks in the header.
 */
export async function runCrashScenario(baseline: CrashStore, scenario: CrashScenario, sample: number | 'all'): Promise<CrashReport> {
  const report: CrashReport = { scenario: scenario.name, points: [], tried: 0, reached: 0, repairs: {}, dataLost: [], failures: [] };
  const prepare = (): CrashStore => {
    const store = copyStore(baseline, `podbay-crash-${scenario.name.replace(/\W+/g, '-')}-`);
    for (const step of scenario.setup?.(store) ?? []) mustCli(store, step);
    return store;
  };

  const traced = prepare();
  try {
    const trace = join(traced.dir, 'crash-trace');
    const run = cliOn(traced, scenario.operation(traced), { PODBAY_CRASH_TRACE: trace });
    if (run.code !== 0) throw new Error(`${scenario.name}: the uninterrupted operation failed (${run.code}): ${run.stderr}`);
    scenario.verify(traced, readFacts(traced));
    report.points = killPointsOf(existsSync(trace) ? readFileSync(trace, 'utf8') : '');
  } finally {
    await discardStore(traced);
  }

  for (const point of sample === 'all' ? report.points : samplePoints(report.points, sample)) {
    report.tried++;
    const store = prepare();
    const fail = (what: string) => report.failures.push(`${scenario.name} killed at ${point}: ${what}`);
    try {
      const before = readFacts(store);
      const killed = await runKilled(store, scenario.operation(store), point);
      if (killed.signal === 'SIGKILL') report.reached++;
      else if (killed.code !== 0) fail(`the operation failed instead of being killed (${killed.code ?? killed.signal}): ${killed.stderr.trim()}`);

      // 1. The store opens and a repair leaves nothing unresolved.
      const repaired = cliOn(store, ['system', 'check', '--repair', '--format', 'json']);
      const repairReport = parseReport(repaired.stdout);
      if (!repairReport) {
        fail(`system check --repair could not run (${repaired.code}): ${repaired.stderr.trim()}`);
        continue;
      }
      for (const issue of repairReport.issues) {
        if (issue.repaired) report.repairs[issue.kind] = (report.repairs[issue.kind] ?? 0) + 1;
        else fail(`left unrepaired: ${issue.kind}: ${issue.problem}`);
      }
      if (repaired.code !== 0) fail(`system check --repair exited ${repaired.code}`);
      // 2. A second check finds nothing.
      const again = parseReport(cliOn(store, ['system', 'check', '--format', 'json']).stdout);
      for (const issue of again?.issues ?? [{ kind: 'database', problem: 'the second check did not run' }]) fail(`found after the repair: ${issue.kind}: ${issue.problem}`);
      // 3. Nothing complete before the kill is lost.
      const lost = lostFacts(before, readFacts(store), scenario.removes);
      report.dataLost.push(...lost.map((l) => `${point}: ${l}`));
      // 4. The operation can be repeated.
      const repeat = scenario.repeat?.(store, readFacts(store)) ?? scenario.operation(store);
      const repeated = cliOn(store, repeat);
      if (!(scenario.repeatOk ?? ((r: CliResult) => r.code === 0))(repeated)) fail(`repeating (podbay ${repeat.join(' ')}) failed (${repeated.code}): ${repeated.stderr.trim()}`);
      try {
        scenario.verify(store, readFacts(store));
      } catch (error) {
        fail(`after the repeat: ${(error as Error).message}`);
      }
      // 5. And the store is clean.
      const final = parseReport(cliOn(store, ['system', 'check', '--format', 'json']).stdout);
      for (const issue of final?.issues ?? [{ kind: 'database', problem: 'the final check did not run' }]) fail(`after the repeat: ${issue.kind}: ${issue.problem}`);
    } catch (error) {
      fail(`harness error: ${(error as Error).message}`);
    } finally {
      await discardStore(store);
    }
  }
  return report;
}

export function discardDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
}
