// `podbay network ls` (podman network ls): NETWORK ID, NAME, DRIVER as podman prints them, `-q` names,
// `--format json` with netavark's field names, `--filter name=|id=|driver=|label=|dangling=`.
import { parseFilterArgs } from '../../core/container-filters.ts';
import { listNetworks } from '../../core/networks.ts';
import type { CommandSpec } from '../command.ts';
import { toPodmanNetworkJson } from './network-json.ts';
import { listFormat, openCliRuntime, stringList, tabulate } from './ps.ts';

export const command: CommandSpec = {
  name: 'network ls',
  aliases: ['network list'],
  summary: 'List networks',
  usage: 'network ls [options]',
  maxArgs: 0,
  flags: {
    filter: { type: 'string', short: 'f', multiple: true, description: 'Filter output (name, id, driver, label, dangling)', valueName: 'KEY=VALUE' },
    format: { type: 'string', description: "Pretty-print networks: 'table' (default) or 'json'", valueName: 'FORMAT' },
    quiet: { type: 'boolean', short: 'q', description: 'Display only network names' },
    'no-trunc': { type: 'boolean', description: 'Do not truncate the network ID' },
  },
  examples: ['podbay network ls', 'podbay network ls --format json', 'podbay network ls --filter label=team=a -q'],
  async run(run) {
    const { flags, io } = run;
    const format = listFormat(flags);
    const filters = parseFilterArgs(stringList(flags.filter));
    const runtime = await openCliRuntime(run);
    let networks;
    try {
      networks = await listNetworks(runtime, { filters });
    } finally {
      runtime.shutdown(true);
    }
    if (flags.quiet === true) io.stdout(networks.map((n) => `${n.name}\n`).join(''));
    else if (format === 'json') io.stdout(`${JSON.stringify(networks.map((n) => toPodmanNetworkJson(n, false)), null, 4)}\n`);
    else {
      const id = (text: string) => (flags['no-trunc'] === true ? text : text.slice(0, 12));
      io.stdout(tabulate([['NETWORK ID', 'NAME', 'DRIVER'], ...networks.map((n) => [id(n.id), n.name, n.driver])]));
    }
    return 0;
  },
};
