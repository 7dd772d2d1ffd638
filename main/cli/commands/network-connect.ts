// `podbay network connect [options] NETWORK CONTAINER` (podman network connect): live when the
// container runs.
import { PodbayError } from '../../../shared/errors.ts';
import { connectContainer } from '../../core/networks.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime, stringList } from './ps.ts';

export const command: CommandSpec = {
  name: 'network connect',
  summary: 'Add a container to a network',
  usage: 'network connect [options] NETWORK CONTAINER',
  minArgs: 2,
  maxArgs: 2,
  flags: {
    alias: { type: 'string', multiple: true, description: 'Another name the container is found by on this network (DNS)', valueName: 'NAME' },
    ip: { type: 'string', description: 'A static IPv4 address on this network', valueName: 'IP' },
    ip6: { type: 'string', description: 'A static IPv6 address on this network', valueName: 'IP' },
    'mac-address': { type: 'string', description: 'A static MAC address on this network', valueName: 'MAC' },
  },
  examples: ['podbay network connect backend web', 'podbay network connect --alias db --ip 10.89.40.9 backend postgres'],
  async run(run) {
    const { flags, args } = run;
    const [network = '', container = ''] = args;
    const staticIps = [flags.ip, flags.ip6].filter((v): v is string => typeof v === 'string');
    if (flags['mac-address'] !== undefined && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(flags['mac-address'] as string)) {
      throw new PodbayError('ErrInvalidArg', `invalid --mac-address "${String(flags['mac-address'])}"`);
    }
    const runtime = await openCliRuntime(run);
    try {
      await connectContainer(runtime, network, runtime.lookupContainer(container), {
        aliases: stringList(flags.alias),
        staticIps,
        ...(flags['mac-address'] !== undefined ? { staticMac: (flags['mac-address'] as string).toLowerCase() } : {}),
        signal: run.signal,
      });
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
