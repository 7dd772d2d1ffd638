// `podbay network create [options] [NAME]` (podman network create): a bridge network, printing its
// name. Name, bridge and subnet are chosen when not given; DNS (aardvark-dns) is on unless
// --disable-dns.
import { PodbayError } from '../../../shared/errors.ts';
import type { NetworkCreateOptions } from '../../../shared/types/networks.ts';
import { createNetwork } from '../../core/networks.ts';
import type { CommandSpec } from '../command.ts';
import { keyValues } from './container-flags.ts';
import { openCliRuntime, stringList } from './ps.ts';

export const command: CommandSpec = {
  name: 'network create',
  summary: 'Create a network',
  usage: 'network create [options] [NAME]',
  maxArgs: 1,
  flags: {
    driver: { type: 'string', short: 'd', description: 'Driver to manage the network (only bridge)', valueName: 'DRIVER' },
    subnet: { type: 'string', multiple: true, description: 'The subnet in CIDR notation (repeat for IPv4 and IPv6)', valueName: 'CIDR' },
    gateway: { type: 'string', multiple: true, description: 'The gateway of each --subnet, in the same order (default its first address)', valueName: 'IP' },
    internal: { type: 'boolean', description: 'Restrict external access from this network' },
    'disable-dns': { type: 'boolean', description: 'Disable DNS (aardvark-dns) on this network' },
    label: { type: 'string', multiple: true, description: 'Set metadata on the network', valueName: 'KEY=VALUE' },
    opt: { type: 'string', short: 'o', multiple: true, description: 'Bridge options: mtu, vlan, isolate', valueName: 'KEY=VALUE' },
    'interface-name': { type: 'string', description: 'The name of the bridge on the host', valueName: 'NAME' },
    ignore: { type: 'boolean', description: "Don't fail if the network already exists" },
  },
  examples: ['podbay network create web', 'podbay network create --subnet 10.89.40.0/24 --gateway 10.89.40.1 --label team=a backend', 'podbay network create --internal --disable-dns isolated'],
  async run(run) {
    const { flags, args, io } = run;
    const driver = (flags.driver as string | undefined) ?? 'bridge';
    if (driver !== 'bridge') throw new PodbayError('ErrInvalidArg', `unsupported driver ${driver}: only bridge`);
    const subnets = stringList(flags.subnet);
    const gateways = stringList(flags.gateway);
    if (gateways.length > subnets.length) throw new PodbayError('ErrInvalidArg', 'every --gateway needs a --subnet');
    const labels = keyValues(stringList(flags.label), 'label');
    const options = keyValues(stringList(flags.opt), 'opt');
    const input: NetworkCreateOptions = {
      ...(args[0] !== undefined ? { name: args[0] } : {}),
      ...(subnets.length ? { subnets: subnets.map((subnet, i) => ({ subnet, ...(gateways[i] ? { gateway: gateways[i] } : {}) })) } : {}),
      internal: flags.internal === true,
      dnsEnabled: flags['disable-dns'] !== true,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(options).length ? { options } : {}),
      ...(flags['interface-name'] !== undefined ? { interfaceName: flags['interface-name'] as string } : {}),
      ...(flags.ignore === true ? { ignoreExisting: true } : {}),
    };
    const runtime = await openCliRuntime(run);
    try {
      const network = await createNetwork(runtime, input);
      io.stdout(`${network.name}\n`);
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
