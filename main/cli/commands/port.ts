// `podbay port CONTAINER [PORT[/PROTO]]` and `port -a` (podman port): the published ports of a
// container, one per line as `80/tcp -> 0.0.0.0:8080` (a range one line per port); with a port, only
// where it is published (`0.0.0.0:8080`). A pod member shows its pod's.
import { PodbayError } from '../../../shared/errors.ts';
import type { PublishedPort } from '../../../shared/types/networks.ts';
import { listContainerItems } from '../../core/container-inspect.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

/** Every single port of the mappings: `{ container: '80/tcp', host: '0.0.0.0:8080' }`. */
export function portLines(ports: readonly PublishedPort[]): { container: string; host: string }[] {
  const lines: { container: string; host: string }[] = [];
  for (const p of ports) {
    for (let i = 0; i < p.range; i++) {
      const ip = p.hostIp === '' ? '0.0.0.0' : p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
      lines.push({ container: `${p.containerPort + i}/${p.protocol}`, host: p.hostPort === 0 ? `${ip}:` : `${ip}:${p.hostPort + i}` });
    }
  }
  return lines;
}

export const command: CommandSpec = {
  name: 'port',
  aliases: ['container port'],
  summary: 'List port mappings or a specific mapping for the container',
  usage: 'port [options] CONTAINER [PORT[/PROTO]]  |  port -a',
  maxArgs: 2,
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Display port information for all containers' },
  },
  examples: ['podbay port web', 'podbay port web 80/tcp', 'podbay port -a'],
  async run(run) {
    const { flags, args, io } = run;
    const all = flags.all === true;
    if (all && args.length > 0) throw new PodbayError('ErrInvalidArg', '--all and a container cannot be given together');
    if (!all && args.length === 0) throw new PodbayError('ErrInvalidArg', "port requires a container\nSee 'podbay port --help'");
    const wanted = args[1];
    if (wanted !== undefined && !/^\d{1,5}(\/(tcp|udp|sctp))?$/.test(wanted)) throw new PodbayError('ErrInvalidArg', `invalid port "${wanted}": expected PORT[/PROTO]`);
    const runtime = await openCliRuntime(run);
    let items;
    try {
      const filters: Record<string, string[]> = all ? {} : { id: [runtime.lookupContainer(args[0] ?? '').id()] };
      items = (await listContainerItems(runtime, { all: true, filters })).filter((i) => !all || i.state === 'running');
    } finally {
      runtime.shutdown(true);
    }
    let out = '';
    for (const item of items) {
      for (const line of portLines(item.ports)) {
        if (wanted !== undefined) {
          if (line.container === (wanted.includes('/') ? wanted : `${wanted}/tcp`)) out += `${line.host}\n`;
          continue;
        }
        out += all ? `${item.id.slice(0, 12)}\t${line.container} -> ${line.host}\n` : `${line.container} -> ${line.host}\n`;
      }
    }
    if (wanted !== undefined && out === '') throw new PodbayError('ErrInvalidArg', `failed to find published port "${wanted}"`);
    io.stdout(out);
    return 0;
  },
};
