// `podbay volume prune [-f] [--filter K=V]` (podman volume prune): removes every volume no container
// uses and prints the names removed. Without --force it asks first, as podman does.
import { parseFilterArgs } from '../../core/container-filters.ts';
import type { CommandSpec } from '../command.ts';
import { confirmed } from '../confirm.ts';
import { openCliRuntime, stringList } from './ps.ts';

export const command: CommandSpec = {
  name: 'volume prune',
  summary: 'Remove all unused volumes',
  usage: 'volume prune [options]',
  maxArgs: 0,
  flags: {
    force: { type: 'boolean', short: 'f', description: 'Do not prompt for confirmation' },
    filter: { type: 'string', multiple: true, description: 'Only volumes matching: label, label!, until', valueName: 'KEY=VALUE' },
  },
  examples: ['podbay volume prune -f', 'podbay volume prune -f --filter label=tmp'],
  async run(run) {
    const { flags, io } = run;
    const filters = parseFilterArgs(stringList(flags.filter));
    if (flags.force !== true && !(await confirmed('WARNING! This will remove all volumes not used by at least one container.\nAre you sure you want to continue? [y/N] '))) return 0;
    const runtime = await openCliRuntime(run);
    let exit = 0;
    try {
      const report = await runtime.pruneVolumes(filters);
      io.stdout(report.removed.map((name) => `${name}\n`).join(''));
      for (const failure of report.errors) {
        io.stderr(`Error: ${failure.error.message}\n`);
        exit = 125;
      }
    } finally {
      runtime.shutdown(true);
    }
    return exit;
  },
};
