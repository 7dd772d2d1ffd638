// `podbay pod stats [-a] [--no-stream] [--format json] [POD…]` (podman pod stats): one row per running
// container of the pods, with its pod, in `podbay stats`' units; without --no-stream a new table
// every five seconds until interrupted.
import { PodbayError } from '../../../shared/errors.ts';
import { podStats } from '../../core/pod-stats.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime, tabulate } from './ps.ts';
import { statsFields } from './stats.ts';

export const command: CommandSpec = {
  name: 'pod stats',
  summary: 'Display a live stream of resource usage statistics for the containers in one or more pods',
  usage: 'pod stats [options] [POD...]',
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Provide stats for all pods (the default without names)' },
    'no-stream': { type: 'boolean', description: 'Disable streaming stats and only pull the first result' },
    format: { type: 'string', description: "Pretty-print container statistics: 'table' (default) or 'json'", valueName: 'FORMAT' },
    'no-reset': { type: 'boolean', description: 'Do not clear the terminal between reports' },
  },
  examples: ['podbay pod stats --no-stream', 'podbay pod stats --no-stream --format json web'],
  async run(run) {
    const { flags, args, io } = run;
    const format = (flags.format as string | undefined) ?? 'table';
    if (format !== 'table' && format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use table or json`);
    if (flags.all === true && args.length > 0) throw new PodbayError('ErrInvalidArg', '--all and pods cannot be given together');
    const runtime = await openCliRuntime(run);
    try {
      const ids = args.length > 0 ? args.map((a) => runtime.lookupPod(a).id()) : null;
      let first = true;
      for await (const round of podStats(runtime, ids, { stream: flags['no-stream'] !== true, intervalMs: 5_000, signal: run.signal })) {
        const rows = round.map((s) => ({ pod: s.podId.slice(0, 12), ...statsFields(s) }));
        if (format === 'json') {
          io.stdout(`${JSON.stringify(rows, null, 1)}\n`);
          continue;
        }
        if (!first && io.isTTY && flags['no-reset'] !== true) io.stdout('\x1b[2J\x1b[H');
        first = false;
        io.stdout(tabulate([
          ['POD', 'CID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET IO', 'BLOCK IO', 'PIDS'],
          ...rows.map((r) => [r.pod, r.id, r.name, r.cpu_percent, r.mem_usage, r.mem_percent, r.net_io, r.block_io, r.pids]),
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
