// `podbay network inspect NETWORK…` (podman network inspect): a JSON array in netavark's format with
// the connected containers (podman 5); names not found are reported after it, exit 125.
import { inspectNetwork } from '../../core/networks.ts';
import type { CommandSpec } from '../command.ts';
import { inspectEach } from './inspect-each.ts';
import { toPodmanNetworkJson } from './network-json.ts';

export const command: CommandSpec = {
  name: 'network inspect',
  summary: 'Display the network configuration of one or more networks',
  usage: 'network inspect [options] NETWORK [NETWORK...]',
  minArgs: 1,
  flags: {
    format: { type: 'string', short: 'f', description: "Output format: 'json' (default)", valueName: 'FORMAT' },
  },
  examples: ['podbay network inspect podbay'],
  run: (run) => inspectEach(run, async (runtime, nameOrId) => toPodmanNetworkJson(await inspectNetwork(runtime, nameOrId), true)),
};
