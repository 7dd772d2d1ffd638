// `podbay volume inspect VOLUME…` (or `--all`): a JSON array as podman prints it, one entry per volume
// found; names not found are reported after it, and the exit code is 125.
import { PodbayError } from '../../../shared/errors.ts';
import { inspectVolume, listVolumeItems } from '../../core/volume-inspect.ts';
import type { CommandSpec } from '../command.ts';
import { inspectEach } from './inspect-each.ts';
import { openCliRuntime } from './ps.ts';
import { toPodmanVolumeJson } from './volume-ls.ts';

export const command: CommandSpec = {
  name: 'volume inspect',
  summary: 'Display detailed information on one or more volumes',
  usage: 'volume inspect [options] VOLUME [VOLUME...]',
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Inspect all volumes' },
    format: { type: 'string', short: 'f', description: "Output format: 'json' (default)", valueName: 'FORMAT' },
  },
  examples: ['podbay volume inspect data', 'podbay volume inspect --all'],
  async run(run) {
    if (run.flags.all === true) {
      if (run.args.length > 0) throw new PodbayError('ErrInvalidArg', 'provide one or more volume names or use --all');
      if (run.flags.format !== undefined && run.flags.format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(run.flags.format)}: use json`);
      const runtime = await openCliRuntime(run);
      try {
        run.io.stdout(`${JSON.stringify(listVolumeItems(runtime).map(toPodmanVolumeJson), null, 4)}\n`);
      } finally {
        runtime.shutdown(true);
      }
      return 0;
    }
    if (run.args.length === 0) throw new PodbayError('ErrInvalidArg', 'provide one or more volume names or use --all');
    return inspectEach(run, (runtime, name) => toPodmanVolumeJson(inspectVolume(runtime, runtime.lookupVolume(name))));
  },
};
