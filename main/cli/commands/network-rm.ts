// `podbay network rm [-f] NETWORK…` (podman network rm): each network on its own, printing its name
// when removed and `Error: …` otherwise. With -f the containers using it are removed first. Exit 0
// when all went, 1 when some did not exist, 2 when some were in use, 125 otherwise (podman's codes).
import { removeNetworks } from '../../core/networks.ts';
import type { CommandSpec } from '../command.ts';
import { timeoutFlag } from './container-action.ts';
import { printRemovals } from './print-removals.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'network rm',
  aliases: ['network remove'],
  summary: 'Remove one or more networks',
  usage: 'network rm [options] NETWORK [NETWORK...]',
  minArgs: 1,
  flags: {
    force: { type: 'boolean', short: 'f', description: 'Remove the containers using the network first' },
    time: { type: 'string', short: 't', description: 'Seconds to wait for running containers to stop before killing them (with --force)', valueName: 'SECONDS' },
  },
  examples: ['podbay network rm web', 'podbay network rm -f backend'],
  async run(run) {
    const { flags, args, io } = run;
    const runtime = await openCliRuntime(run);
    let reports;
    try {
      const timeout = timeoutFlag(flags.time);
      reports = await removeNetworks(runtime, args, { force: flags.force === true, signal: run.signal, ...(timeout !== undefined ? { timeout } : {}) });
    } finally {
      runtime.shutdown(true);
    }
    return printRemovals(io, reports, (r) => r.nameOrId, { missing: 'ErrNoSuchNetwork', busy: 'ErrNetworkInUse' });
  },
};
