// `podbay network disconnect NETWORK CONTAINER` (podman network disconnect): live when it runs.
import { disconnectContainer } from '../../core/networks.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'network disconnect',
  summary: 'Disconnect a container from a network',
  usage: 'network disconnect [options] NETWORK CONTAINER',
  minArgs: 2,
  maxArgs: 2,
  flags: {
    force: { type: 'boolean', short: 'f', description: 'Accepted for podman compatibility (disconnecting never waits)' },
  },
  examples: ['podbay network disconnect backend web'],
  async run(run) {
    const [network = '', container = ''] = run.args;
    const runtime = await openCliRuntime(run);
    try {
      await disconnectContainer(runtime, network, runtime.lookupContainer(container), { signal: run.signal });
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
