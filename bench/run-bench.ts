// `npm run bench [-- --only GROUP[,GROUP]] [--runs N] [--warmups N] [--profile GROUP] [--smoke]`:
// Podbay side by side with podman, skopeo and the bare OCI runtime in one run, reported as ratios —
// never as timed assertions in tests. `--smoke` runs every case once on small fixtures and writes
// nothing (npm test runs it so the bench cannot rot); `--profile GROUP` runs one group with CPU
// profiles of Podbay's side under bench/results/profiles/ and writes no figures (profiling slows it).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchContext } from './context.ts';
import { interleave } from './measure.ts';
import { usePodmanBenchConfig } from './podman-config.ts';
import { repoRoot } from './paths.ts';
import { startProfile } from './profile.ts';
import { resultTable, writeResults } from './report.ts';
import type { BenchGroup, BenchResult } from './types.ts';
import { cliGroup } from './groups/cli.ts';
import { desktopGroup } from './groups/desktop.ts';
import { listGroup } from './groups/list.ts';
import { podsGroup } from './groups/pods.ts';
import { removeGroup } from './groups/remove.ts';
import { transferGroup } from './groups/transfer.ts';
import { startGroup } from './groups/start.ts';
import { rootlessGroup } from './groups/rootless.ts';

export const groups: BenchGroup[] = [cliGroup, startGroup, listGroup, removeGroup, transferGroup, podsGroup, desktopGroup, rootlessGroup];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      runs: { type: 'string', default: '15' },
      warmups: { type: 'string', default: '3' },
      profile: { type: 'string' },
      smoke: { type: 'boolean', default: false },
    },
  });
  const smoke = values.smoke === true;
  const runs = smoke ? 1 : Number(values.runs);
  const warmups = smoke ? 0 : Number(values.warmups);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmups) || warmups < 0) {
    process.stderr.write('Error: --runs must be ≥ 1 and --warmups ≥ 0\n');
    return 125;
  }
  const known = groups.map((g) => g.name);
  const only = values.profile !== undefined ? [values.profile] : values.only?.split(',').filter(Boolean);
  const selected = only ? groups.filter((g) => only.includes(g.name)) : groups;
  if (only && selected.length !== only.length) {
    process.stderr.write(`Error: unknown group in ${values.profile !== undefined ? '--profile' : '--only'} ${values.profile ?? values.only}: groups are ${known.join(', ')}\n`);
    return 125;
  }
  if (spawnSync('podman', ['--version']).status !== 0) {
    process.stderr.write('Error: podman is the peer of this benchmark and is not installed: apt-get install -y podman skopeo\n');
    return 125;
  }
  usePodmanBenchConfig();
  const profileDir = values.profile !== undefined ? join(repoRoot, 'bench', 'results', 'profiles', values.profile) : null;
  const context = benchContext({ smoke, profileDir });

  const results: BenchResult[] = [];
  for (const group of selected) {
    process.stdout.write(`\n## ${group.name}\n`);
    const groupStarted = performance.now();
    const { cases, teardown } = await group.setup(context);
    const profile = profileDir ? await startProfile(profileDir, group.name) : null;
    try {
      for (const benchCase of cases) {
        const contenders = benchCase.peer ? [benchCase.podbay, benchCase.peer] : [benchCase.podbay];
        const caseRuns = smoke ? 1 : (benchCase.runs ?? runs);
        const [mine, theirs] = await interleave(contenders, caseRuns, smoke ? 0 : (benchCase.warmups ?? warmups));
        const ratio = theirs ? mine!.median / theirs.median : null;
        const unit = benchCase.unit ?? 'ms';
        const goal = benchCase.goalRatio !== undefined ? `≤ ${benchCase.goalRatio}×` : benchCase.goalMax !== undefined ? `≤ ${benchCase.goalMax} ${unit}` : '—';
        const met =
          benchCase.goalRatio !== undefined && ratio !== null ? ratio <= benchCase.goalRatio : benchCase.goalMax !== undefined ? mine!.median <= benchCase.goalMax : null;
        const result: BenchResult = {
          group: group.name,
          measuredAt: new Date().toISOString(),
          runs: caseRuns,
          work: benchCase.work,
          podbayLabel: benchCase.podbay.label,
          unit,
          podbayValue: mine!.median,
          peerLabel: theirs?.label ?? null,
          peerValue: theirs?.median ?? null,
          ratio,
          goal,
          met,
        };
        results.push(result);
        process.stdout.write(`${resultTable([result]).at(-1)}\n`);
      }
    } finally {
      if (profile) process.stdout.write(`profile: ${await profile.stop()} (CLI processes: ${join(profileDir!, 'cli')})\n`);
      await teardown();
      process.stdout.write(`(${group.name}: ${((performance.now() - groupStarted) / 1000).toFixed(1)} s)\n`);
    }
  }
  process.stdout.write(`\n${resultTable(results).join('\n')}\n`);
  if (smoke || profileDir) {
    process.stdout.write(`\n${smoke ? 'smoke run' : 'profiled run'}: figures not written\n`);
    return 0;
  }
  writeResults(repoRoot, results, runs, known);
  process.stdout.write('\nwrote bench/results/latest.json and the README performance section\n');
  return 0;
}

process.exitCode = await main();
