// `podbay stats [-a] [--no-stream] [--format json] [-i SECONDS] [CONTAINER…]`: CPU, memory, network,
// block I/O and PIDs of running containers from their cgroups, as podman prints them (decimal units
// with four significant digits, "-- / --" for nothing measured). Without --no-stream a new table
// every interval until interrupted.
import { PodbayError } from '../../../shared/errors.ts';
import type { ContainerStats } from '../../../shared/types/container-files.ts';
import { humanSize } from '../../../shared/types/images.ts';
import { goDuration } from '../../core/system/proc-info.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime, tabulate } from './ps.ts';

/** go-units HumanSize: decimal units, 4 significant digits ("1.434MB", "796B"). */
export function statsSize(bytes: number): string {
  return humanSize(bytes, 4, '');
}

/** podman's combineHumanValues. */
export function pairOfSizes(a: number | null, b: number | null): string {
  if (a === null || b === null || (a === 0 && b === 0)) return '-- / --';
  return `${statsSize(a)} / ${statsSize(b)}`;
}

const percent = (value: number) => `${value.toFixed(2)}%`;

/** The strings podman shows for one sample (its `stats --format json` fields). */
export function statsFields(s: ContainerStats) {
  return {
    id: s.id.slice(0, 12),
    name: s.name,
    cpu_time: goDuration(s.cpuNanos),
    cpu_percent: percent(s.cpuPercent),
    avg_cpu: percent(s.avgCpuPercent),
    mem_usage: pairOfSizes(s.memUsage, s.memLimit),
    mem_percent: percent(s.memPercent),
    net_io: pairOfSizes(s.netInput, s.netOutput),
    block_io: pairOfSizes(s.blockInput, s.blockOutput),
    pids: String(s.pids),
  };
}

export const command: CommandSpec = {
  name: 'stats',
  aliases: ['container stats'],
  summary: 'Display a live stream of container resource usage statistics',
  usage: 'stats [options] [CONTAINER...]',
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Show all running containers (the default without names)' },
    'no-stream': { type: 'boolean', description: 'Disable streaming stats and only pull the first result' },
    format: { type: 'string', description: "Pretty-print container statistics: 'table' (default) or 'json'", valueName: 'FORMAT' },
    interval: { type: 'string', short: 'i', description: 'Time in seconds between stats reports (default 5)', valueName: 'SECONDS' },
    'no-reset': { type: 'boolean', description: 'Do not clear the terminal between reports' },
  },
  examples: ['podbay stats --no-stream', 'podbay stats --no-stream --format json web', 'podbay stats -i 2 web db'],
  async run(run) {
    const { flags, args, io } = run;
    const format = (flags.format as string | undefined) ?? 'table';
    if (format !== 'table' && format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use table or json`);
    const intervalText = (flags.interval as string | undefined) ?? '5';
    if (!/^\d+$/.test(intervalText) || Number(intervalText) < 1) throw new PodbayError('ErrInvalidArg', `invalid interval "${intervalText}": whole seconds, 1 or more`);
    const runtime = await openCliRuntime(run);
    try {
      const ids = args.length > 0 ? args.map((a) => runtime.lookupContainer(a).id()) : null;
      const { containerStats } = await import('../../core/container-stats.ts');
      let first = true;
      for await (const round of containerStats(runtime, ids, { stream: flags['no-stream'] !== true, intervalMs: Number(intervalText) * 1000, signal: run.signal })) {
        const rows = round.map(statsFields);
        if (format === 'json') {
          io.stdout(`${JSON.stringify(rows, null, 1)}\n`);
          continue;
        }
        if (!first && io.isTTY && flags['no-reset'] !== true) io.stdout('\x1b[2J\x1b[H');
        first = false;
        io.stdout(tabulate([
          ['ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET IO', 'BLOCK IO', 'PIDS', 'CPU TIME', 'AVG CPU %'],
          ...rows.map((r) => [r.id, r.name, r.cpu_percent, r.mem_usage, r.mem_percent, r.net_io, r.block_io, r.pids, r.cpu_time, r.avg_cpu]),
        ]));
      }
    } catch (error) {
      if (!run.signal.aborted) throw error;
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
