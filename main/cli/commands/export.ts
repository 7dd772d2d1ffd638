// `podbay export [-o FILE] CONTAINER`: the container's root filesystem as a tar, to FILE (written to
// a temp file beside it, then renamed) or to stdout — never to a terminal, as podman refuses.
import type { CommandSpec } from '../command.ts';
import { refuseTerminal, writeStdout } from './binary-io.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'export',
  aliases: ['container export'],
  summary: "Export a container's filesystem contents as a tar archive",
  usage: 'export [options] CONTAINER',
  minArgs: 1,
  maxArgs: 1,
  flags: {
    output: { type: 'string', short: 'o', description: 'Write to a specified file (default: stdout, which must be redirected)', valueName: 'FILE' },
  },
  examples: ['podbay export -o web.tar web', 'podbay export web | tar -t'],
  async run(run) {
    const output = run.flags.output as string | undefined;
    if (output === undefined || output === '-') refuseTerminal(run.io, 'export');
    const runtime = await openCliRuntime(run);
    try {
      const ctr = runtime.lookupContainer(run.args[0] as string);
      await ctr.export(output && output !== '-' ? output : (tar) => writeStdout(tar, run.signal), { signal: run.signal });
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
