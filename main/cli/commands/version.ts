import { podbayVersion } from '../../core/version.ts';
import type { CommandSpec } from '../command.ts';
import { PodbayError } from '../../../shared/errors.ts';

export const command: CommandSpec = {
  name: 'version',
  summary: 'Display the Podbay version information',
  usage: 'version [options]',
  maxArgs: 0,
  flags: { format: { type: 'string', short: 'f', description: "Change the output format to 'json'", valueName: 'FORMAT' } },
  async run({ flags, io }) {
    const report = { Client: { Version: podbayVersion, NodeVersion: process.version, OsArch: `${process.platform}/${process.arch}` } };
    if (flags.format === 'json') {
      io.stdout(`${JSON.stringify(report, null, 4)}\n`);
      return 0;
    }
    if (flags.format !== undefined) throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(flags.format)}: use json`);
    io.stdout(`Version:      ${podbayVersion}\nNode Version: ${process.version}\nOS/Arch:      ${process.platform}/${process.arch}\n`);
    return 0;
  },
};
