// `podbay rename CONTAINER NAME`: prints nothing on success, as podman.
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'rename',
  aliases: ['container rename'],
  summary: 'Rename an existing container',
  usage: 'rename CONTAINER NAME',
  minArgs: 2,
  maxArgs: 2,
  flags: {},
  examples: ['podbay rename old_name new_name'],
  async run(run) {
    const [from, to] = run.args as [string, string];
    const runtime = await openCliRuntime(run);
    try {
      await runtime.renameContainer(runtime.lookupContainer(from), to, { signal: run.signal });
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
