// `podbay diff [--format json] CONTAINER`: what the container changed against its image — `A` added,
// `C` changed, `D` deleted, one path a line, or podman's JSON {changed, added, deleted}.
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'diff',
  aliases: ['container diff'],
  summary: "Inspect changes to the container's file systems",
  usage: 'diff [options] CONTAINER',
  minArgs: 1,
  maxArgs: 1,
  flags: {
    format: { type: 'string', description: "Change the output format: 'json'", valueName: 'FORMAT' },
  },
  examples: ['podbay diff web', 'podbay diff --format json web'],
  async run(run) {
    const format = run.flags.format as string | undefined;
    if (format !== undefined && format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use json`);
    const runtime = await openCliRuntime(run);
    try {
      const changes = await runtime.lookupContainer(run.args[0] as string).changes();
      if (format === 'json') {
        const of = (kind: string) => changes.filter((c) => c.kind === kind).map((c) => c.path);
        run.io.stdout(`${JSON.stringify({ changed: of('C'), added: of('A'), deleted: of('D') }, null, 4)}\n`);
      } else run.io.stdout(changes.map((c) => `${c.kind} ${c.path}\n`).join(''));
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
