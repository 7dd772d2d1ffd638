// `podbay network prune [-f]` (podman network prune): removes every network no container uses (never
// the default one), printing their names; also takes down idle bridges and what crashed processes
// left behind. Without -f it asks first, as podman does.
import { parseFilterArgs } from '../../core/container-filters.ts';
import { pruneNetworks } from '../../core/networks.ts';
import type { CommandSpec } from '../command.ts';
import { confirmed } from './confirm.ts';
import { openCliRuntime, stringList } from './ps.ts';

export const command: CommandSpec = {
  name: 'network prune',
  summary: 'Remove all unused networks',
  usage: 'network prune [options]',
  maxArgs: 0,
  flags: {
    force: { type: 'boolean', short: 'f', description: 'Do not prompt for confirmation' },
    filter: { type: 'string', multiple: true, description: 'Only networks matching (name, id, label)', valueName: 'KEY=VALUE' },
  },
  examples: ['podbay network prune -f', 'podbay network prune -f --filter label=team=a'],
  async run(run) {
    const { flags, io } = run;
    if (flags.force !== true && !(await confirmed('WARNING! This will remove all networks not used by at least one container.\nAre you sure you want to continue? [y/N] '))) return 0;
    const filters = parseFilterArgs(stringList(flags.filter));
    const runtime = await openCliRuntime(run);
    try {
      const removed = await pruneNetworks(runtime, { filters, signal: run.signal });
      io.stdout(removed.map((name) => `${name}\n`).join(''));
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
