// `podbay info`: the same data as the `system.info` procedure, through the same router, so the CLI,
// the web host and the window can never disagree.
import type { CommandSpec } from '../command.ts';
import { PodbayError } from '../../../shared/errors.ts';
import type { SystemInfo } from '../../../shared/types/system-info.ts';
import { toYaml } from '../format/yaml.ts';
import { readSystemInfo } from '../../core/system/system-info.ts';

export const command: CommandSpec = {
  name: 'info',
  aliases: ['system info'],
  summary: 'Display podbay system information',
  usage: 'info [options]',
  maxArgs: 0,
  flags: { format: { type: 'string', short: 'f', description: "Output format: 'json' or 'yaml' (default)", valueName: 'FORMAT' } },
  examples: ['podbay info', 'podbay info --format json'],
  async run({ flags, io, context, signal }) {
    const format = flags.format ?? 'yaml';
    if (format !== 'json' && format !== 'yaml') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use json or yaml`);
    const ctx = await context();
    // The handler of `system.info` is this same function over the same context: one source of truth.
    const info: SystemInfo = await readSystemInfo({ paths: ctx.paths, exec: ctx.exec, defaultRuntime: ctx.defaultRuntime });
    signal.throwIfAborted();
    io.stdout(format === 'json' ? `${JSON.stringify(info, null, 2)}\n` : toYaml(info));
    return 0;
  },
};
