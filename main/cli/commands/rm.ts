// `podbay rm [-f] CONTAINER…`: each container removed on its own; prints each name as given when it
// is removed, `Error: …` for each that is not. Exit 0 when all went, 1 when some did not exist, 2 when
// some were in a state that forbids removal, 125 otherwise (podman's codes).
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { removeContainers } from '../../core/runtime-batch.ts';
import { timeoutFlag } from './container-action.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'rm',
  aliases: ['container rm', 'container remove'],
  summary: 'Remove one or more containers',
  usage: 'rm [options] CONTAINER [CONTAINER...]',
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Remove all containers' },
    force: { type: 'boolean', short: 'f', description: 'Force removal of a running or unusable container (stops it first)' },
    time: { type: 'string', short: 't', description: 'Seconds to wait for stop before killing the container (with --force)', valueName: 'SECONDS' },
    volumes: { type: 'boolean', short: 'v', description: 'Remove the anonymous volumes of the container' },
  },
  examples: ['podbay rm web', 'podbay rm -f 3f2a', 'podbay rm -v web', 'podbay rm -a'],
  async run(run) {
    const { flags, args, io } = run;
    const all = flags.all === true;
    if (all && args.length > 0) throw new PodbayError('ErrInvalidArg', '--all and containers cannot be given together');
    if (!all && args.length === 0) throw new PodbayError('ErrInvalidArg', "rm requires at least 1 argument\nSee 'podbay rm --help'");
    const runtime = await openCliRuntime(run);
    let reports;
    try {
      const names = all ? runtime.containers().map((c) => c.id()) : args;
      reports = await removeContainers(runtime, names, flags.force === true, run.signal, timeoutFlag(flags.time), flags.volumes === true);
    } finally {
      runtime.shutdown(true);
    }
    let exit = 0;
    for (const report of reports) {
      if (!report.error) {
        // podman prints what was typed; with --all, the full ids.
        io.stdout(`${report.nameOrId}\n`);
        continue;
      }
      io.stderr(`Error: ${report.error.message}\n`);
      const code = report.error.code === 'ErrNoSuchCtr' ? 1 : report.error.code === 'ErrCtrStateInvalid' ? 2 : 125;
      exit = Math.max(exit, code);
    }
    return exit;
  },
};
