// `podbay volume exists VOLUME` (podman volume exists): exit 0 if it exists, 1 if not; prints nothing.
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'volume exists',
  summary: 'Check if a volume exists',
  usage: 'volume exists VOLUME',
  minArgs: 1,
  maxArgs: 1,
  flags: {},
  examples: ['podbay volume exists data && echo there'],
  async run(run) {
    const runtime = await openCliRuntime(run);
    try {
      return runtime.hasVolume(run.args[0] as string) ? 0 : 1;
    } finally {
      runtime.shutdown(true);
    }
  },
};
