// The results: a table on stdout, bench/results/latest.json with the machine's facts, and the
// README's performance section regenerated between its markers.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './types.ts';

export function formatValue(value: number | null | undefined, unit = 'ms'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const digits = value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2);
  return `${digits} ${unit}`;
}

export function resultTable(results: BenchResult[]): string[] {
  const header = ['work', 'Podbay', 'peer', 'peer', 'ratio', 'goal', 'met'];
  const rows = results.map((r) => [
    r.work,
    formatValue(r.podbayValue, r.unit),
    r.peerLabel ?? '—',
    formatValue(r.peerValue, r.unit),
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.goal,
    r.met === null ? 'reported' : r.met ? 'yes' : 'NO',
  ]);
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

function firstLine(argv: string[]): string | null {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  return result.status === 0 ? (result.stdout.split('\n')[0] ?? '').trim() : null;
}

export function machineFacts(): Record<string, string | number | null> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    kernel: release(),
    node: process.version,
    podman: firstLine(['podman', '--version']),
    skopeo: firstLine(['skopeo', '--version']),
    crun: firstLine(['crun', '--version']),
    runc: firstLine(['runc', '--version']),
    conmon: firstLine(['conmon', '--version']),
    netavark: firstLine(['/usr/lib/podman/netavark', '--version']),
    catatonit: firstLine(['/usr/libexec/podman/catatonit', '--version']),
  };
}

/**
 * Groups that did not run this time (`--only`) keep their previous results, so the file and the
 * README always hold the latest figure of every group; each result carries the date it was measured.
 */
export function mergeResults(previous: BenchResult[], fresh: BenchResult[], knownGroups: readonly string[]): BenchResult[] {
  const ranGroups = new Set(fresh.map((r) => r.group));
  // Rows written by an older bench (without a unit, or of a group that no longer exists) are
  // dropped rather than misread.
  const kept = previous.filter((r) => !ranGroups.has(r.group) && typeof r.unit === 'string' && knownGroups.includes(r.group));
  // In the bench's own group order, so the table reads the same whichever groups ran last.
  return [...kept, ...fresh].sort((a, b) => knownGroups.indexOf(a.group) - knownGroups.indexOf(b.group));
}

export function writeResults(repoRoot: string, fresh: BenchResult[], runs: number, knownGroups: readonly string[]): void {
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const facts = machineFacts();
  let previous: BenchResult[] = [];
  try {
    previous = (JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as { results?: BenchResult[] }).results ?? [];
  } catch {
    // first run, or an unreadable file: start afresh
  }
  const results = mergeResults(previous, fresh, knownGroups);
  const document = { date: new Date().toISOString(), runs, machine: facts, results };
  const tmp = join(dir, 'latest.json.tmp');
  writeFileSync(tmp, `${JSON.stringify(document, null, 2)}\n`);
  renameSync(tmp, join(dir, 'latest.json'));
  updateReadme(repoRoot, results, facts, document.date, runs);
}

const startMarker = '<!-- bench:start -->';
const endMarker = '<!-- bench:end -->';

function updateReadme(repoRoot: string, results: BenchResult[], facts: Record<string, string | number | null>, date: string, runs: number): void {
  const path = join(repoRoot, 'README.md');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  if (start === -1 || end === -1 || end < start) return;
  const section = [
    startMarker,
    `Measured by \`npm run bench\` (last run ${date.slice(0, 10)}, each row dated in \`bench/results/latest.json\`): ${facts.cores} × ${facts.cpu}, kernel ${facts.kernel}, Node ${facts.node}, ${facts.podman ?? 'podman missing'}, ${facts.crun ?? 'crun missing'}. Medians of ${runs} interleaved runs after warm-up (slow cases fewer, as noted in their group); ratio = Podbay ÷ peer, lower is better.`,
    '',
    ...resultTable(results),
    endMarker,
  ].join('\n');
  writeFileSync(path, text.slice(0, start) + section + text.slice(end + endMarker.length));
}
