// `podbay network exists NETWORK` (podman network exists): exit 0 when it exists, 1 when not.
import { networkExists } from '../../core/networks.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'network exists',
  summary: 'Check if a network exists',
  usage: 'network exists NETWORK',
  minArgs: 1,
  maxArgs: 1,
  flags: {},
  examples: ['podbay network exists web && echo yes'],
  async run(run) {
    const runtime = await openCliRuntime(run);
    try {
      return (await networkExists(runtime, run.args[0] ?? '')) ? 0 : 1;
    } finally {
      runtime.shutdown(true);
    }
  },
};
