// `npm run bench [-- --only GROUP[,GROUP]] [--runs N] [--warmups N]`: Podbay side by side with
// podman (and later skopeo) in one run, reported as ratios — never as timed assertions in tests.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { interleave } from './measure.ts';
import { repoRoot } from './paths.ts';
import { resultTable, writeResults } from './report.ts';
import type { BenchGroup, BenchResult } from './types.ts';
import { cliGroup } from './groups/cli.ts';
import { containersGroup } from './groups/containers.ts';
import { desktopGroup } from './groups/desktop.ts';
import { transferGroup } from './groups/transfer.ts';
import { startGroup } from './groups/start.ts';

const groups: BenchGroup[] = [cliGroup, startGroup, containersGroup, transferGroup, desktopGroup];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, runs: { type: 'string', default: '15' }, warmups: { type: 'string', default: '3' } },
  });
  const runs = Number(values.runs);
  const warmups = Number(values.warmups);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmups) || warmups < 0) {
    process.stderr.write('Error: --runs must be ≥ 1 and --warmups ≥ 0\n');
    return 125;
  }
  const only = values.only?.split(',').filter(Boolean);
  const selected = only ? groups.filter((g) => only.includes(g.name)) : groups;
  if (only && selected.length !== only.length) {
    process.stderr.write(`Error: unknown group in --only ${values.only}: groups are ${groups.map((g) => g.name).join(', ')}\n`);
    return 125;
  }
  if (spawnSync('podman', ['--version']).status !== 0) {
    process.stderr.write('Error: podman is the peer of this benchmark and is not installed: apt-get install -y podman skopeo\n');
    return 125;
  }

  const results: BenchResult[] = [];
  for (const group of selected) {
    process.stdout.write(`\n## ${group.name}\n`);
    const { cases, teardown } = await group.setup();
    try {
      for (const benchCase of cases) {
        const contenders = benchCase.peer ? [benchCase.podbay, benchCase.peer] : [benchCase.podbay];
        const [mine, theirs] = await interleave(contenders, benchCase.runs ?? runs, benchCase.warmups ?? warmups);
        const ratio = theirs ? mine!.median / theirs.median : null;
        const unit = benchCase.unit ?? 'ms';
        const goal = benchCase.goalRatio !== undefined ? `≤ ${benchCase.goalRatio}×` : benchCase.goalMax !== undefined ? `≤ ${benchCase.goalMax} ${unit}` : '—';
        const met =
          benchCase.goalRatio !== undefined && ratio !== null ? ratio <= benchCase.goalRatio : benchCase.goalMax !== undefined ? mine!.median <= benchCase.goalMax : null;
        const result: BenchResult = {
          group: group.name,
          measuredAt: new Date().toISOString(),
          runs: benchCase.runs ?? runs,
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
      await teardown();
    }
  }
  process.stdout.write(`\n${resultTable(results).join('\n')}\n`);
  writeResults(repoRoot, results, runs);
  process.stdout.write('\nwrote bench/results/latest.json and the README performance section\n');
  return 0;
}

process.exitCode = await main();
