// `podbay volume rm [-f] [-a] [-t SECONDS] VOLUME…` (podman volume rm): prints each name removed and an
// `Error:` line for each that was not. Exit 0 when all went, 1 when some did not exist, 2 when some
// were in use by a container, 125 otherwise (podman's codes). With --force the containers using a
// volume are removed first, as podman does.
import { PodbayError } from '../../../shared/errors.ts';
import { removeVolumes } from '../../core/volume-inspect.ts';
import type { CommandSpec } from '../command.ts';
import { timeoutFlag } from './container-action.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'volume rm',
  aliases: ['volume remove'],
  summary: 'Remove one or more volumes',
  usage: 'volume rm [options] VOLUME [VOLUME...]',
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Remove all volumes' },
    force: { type: 'boolean', short: 'f', description: 'Remove a volume in use: the containers using it are removed first' },
    time: { type: 'string', short: 't', description: 'Seconds to wait for those containers to stop before killing them', valueName: 'SECONDS' },
  },
  examples: ['podbay volume rm data', 'podbay volume rm -f data', 'podbay volume rm -a'],
  async run(run) {
    const { flags, args, io } = run;
    const all = flags.all === true;
    if (all && args.length > 0) throw new PodbayError('ErrInvalidArg', 'choose either one or more volumes or all');
    if (!all && args.length === 0) throw new PodbayError('ErrInvalidArg', "volume rm requires at least 1 argument\nSee 'podbay volume rm --help'");
    const runtime = await openCliRuntime(run);
    let reports;
    try {
      const names = all ? runtime.listVolumes().map((v) => v.name()) : args;
      reports = await removeVolumes(runtime, names, flags.force === true, { timeout: timeoutFlag(flags.time), signal: run.signal });
    } finally {
      runtime.shutdown(true);
    }
    let exit = 0;
    for (const report of reports) {
      if (!report.error) {
        io.stdout(`${report.name ?? report.nameOrId}\n`);
        continue;
      }
      io.stderr(`Error: ${report.error.message}\n`);
      exit = Math.max(exit, report.error.code === 'ErrNoSuchVolume' ? 1 : report.error.code === 'ErrVolumeBeingUsed' ? 2 : 125);
    }
    return exit;
  },
};
