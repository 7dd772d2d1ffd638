// `podbay ps`: podman ps over the core's list items. Table as podman prints it (tabwriter minwidth 12,
// padding 2), `--format json` with podman's field names, `-q` ids only.
import { PodbayError } from '../../../shared/errors.ts';
import { containerStatusText, humanDuration } from '../../../shared/types/containers.ts';
import type { ContainerListItem } from '../../../shared/types/containers.ts';
import { formatPublishedPorts } from '../../../shared/types/networks.ts';
import type { PublishedPort } from '../../../shared/types/networks.ts';
import { listContainerItems } from '../../core/container-inspect.ts';
import { parseFilterArgs } from '../../core/container-filters.ts';
import { Runtime } from '../../core/runtime.ts';
import type { CommandRun, CommandSpec } from '../command.ts';

/** Columns padded as Go's tabwriter.NewWriter(w, 12, 2, 2, ' ', 0) does for podman; the last is not. */
export function tabulate(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, Math.max(cell.length + 2, 12))));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 12))).join('').trimEnd() + '\n').join('');
}

/** The store named by the global flags, for one command; closed by the caller. */
export async function openCliRuntime(run: CommandRun): Promise<Runtime> {
  const ctx = await run.context();
  return Runtime.forPaths(ctx.paths, { ociRuntime: run.global.runtime, events: ctx.events });
}

/** `--format`: table (default) or json, as podman's list commands take it; anything else → ErrInvalidArg. */
export function listFormat(flags: CommandRun['flags']): 'table' | 'json' {
  const format = (flags.format as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use table or json`);
  return format;
}

export function stringList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Go's zero time in Unix seconds: what podman prints for a time that never happened. */
const goZeroUnix = -62135596800;
const unix = (time: string | null) => (time ? Math.floor(Date.parse(time) / 1000) : goZeroUnix);

/** libpod's ContainerStatus.String(): Configured is "created", Created is "initialized". */
export function podmanState(state: ContainerListItem['state']): string {
  if (state === 'configured') return 'created';
  if (state === 'created') return 'initialized';
  return state;
}

/** podman's ps JSON port (netavark's PortMapping field names). */
export function podmanPort(p: PublishedPort) {
  return { host_ip: p.hostIp, container_port: p.containerPort, host_port: p.hostPort, range: p.range, protocol: p.protocol };
}

function toPodmanJson(item: ContainerListItem, now: number) {
  return {
    AutoRemove: false,
    Command: item.command.length ? item.command : null,
    CreatedAt: `${humanDuration(now - Date.parse(item.createdAt))} ago`,
    Exited: item.state === 'exited' || item.state === 'stopped',
    ExitedAt: unix(item.finishedAt),
    ExitCode: item.exitCode ?? 0,
    Id: item.id,
    Image: item.image,
    ImageID: '',
    IsInfra: false,
    Labels: Object.keys(item.labels).length ? item.labels : null,
    Mounts: [],
    Names: [item.name],
    Namespaces: {},
    Networks: item.networks,
    Pid: item.pid,
    Pod: item.podId ?? '',
    PodName: item.podName ?? '',
    Ports: item.ports.length ? item.ports.map(podmanPort) : null,
    Rootfs: item.rootfs ?? '',
    Size: null,
    StartedAt: unix(item.startedAt),
    State: podmanState(item.state),
    Status: containerStatusText(item, now),
    Created: Math.floor(Date.parse(item.createdAt) / 1000),
  };
}

export const command: CommandSpec = {
  name: 'ps',
  aliases: ['container ps', 'container ls', 'container list'],
  summary: 'List containers',
  usage: 'ps [options]',
  maxArgs: 0,
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Show all the containers, default is only running containers' },
    filter: { type: 'string', short: 'f', multiple: true, description: 'Filter output based on conditions given (id, name, label, label!, status, pod, ancestor)', valueName: 'KEY=VALUE' },
    format: { type: 'string', description: "Pretty-print containers: 'table' (default) or 'json'", valueName: 'FORMAT' },
    quiet: { type: 'boolean', short: 'q', description: 'Print the numeric IDs of the containers only' },
    'no-trunc': { type: 'boolean', description: 'Display the extended information' },
  },
  examples: ['podbay ps -a', 'podbay ps -a --format json', 'podbay ps --filter status=exited --filter label=app=web'],
  async run(run) {
    const { flags, io } = run;
    const format = listFormat(flags);
    const filters = parseFilterArgs(stringList(flags.filter));
    const runtime = await openCliRuntime(run);
    let items: ContainerListItem[];
    try {
      items = await listContainerItems(runtime, { all: flags.all === true || Object.keys(filters).length > 0, filters });
    } finally {
      runtime.shutdown(true);
    }
    const now = Date.now();
    const noTrunc = flags['no-trunc'] === true;
    const shortId = (id: string) => (noTrunc ? id : id.slice(0, 12));
    if (flags.quiet === true) {
      io.stdout(items.map((i) => `${shortId(i.id)}\n`).join(''));
    } else if (format === 'json') {
      io.stdout(`${JSON.stringify(items.map((i) => toPodmanJson(i, now)), null, 4)}\n`);
    } else {
      const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']];
      for (const item of items) {
        const cmd = item.command.join(' ');
        rows.push([
          shortId(item.id),
          item.image,
          !noTrunc && cmd.length > 17 ? `${cmd.slice(0, 17)}...` : cmd,
          `${humanDuration(now - Date.parse(item.createdAt))} ago`,
          containerStatusText(item, now),
          formatPublishedPorts(item.ports),
          item.name,
        ]);
      }
      io.stdout(tabulate(rows));
    }
    return 0;
  },
};
