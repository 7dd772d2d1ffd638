// `podbay wait CONTAINER…`: prints each container's exit code once it is not running (podman wait).
import { toErrorData } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'wait',
  aliases: ['container wait'],
  summary: 'Block on one or more containers',
  usage: 'wait CONTAINER [CONTAINER...]',
  minArgs: 1,
  flags: {},
  examples: ['podbay wait web'],
  async run(run) {
    const runtime = await openCliRuntime(run);
    let exit = 0;
    try {
      for (const nameOrId of run.args) {
        try {
          const code = await runtime.lookupContainer(nameOrId).wait({ signal: run.signal });
          run.io.stdout(`${code}\n`);
        } catch (error) {
          run.io.stderr(`Error: ${toErrorData(error).message}\n`);
          exit = 125;
        }
      }
    } finally {
      runtime.shutdown(true);
    }
    return exit;
  },
};
