// `podbay volume ls`: podman volume ls — table (DRIVER, VOLUME NAME), `--format json` with podman's
// field names (the same objects as `volume inspect`), `-q` names only, `--filter` as podman's.
import { PodbayError } from '../../../shared/errors.ts';
import type { VolumeListItem } from '../../../shared/types/volumes.ts';
import { parseFilterArgs } from '../../core/container-filters.ts';
import { listVolumeItems } from '../../core/volume-inspect.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime, stringList, tabulate } from './ps.ts';

/** podman's VolumeConfigResponse field names. */
export function toPodmanVolumeJson(v: VolumeListItem) {
  return {
    Name: v.name,
    Driver: v.driver,
    Mountpoint: v.mountpoint,
    CreatedAt: v.createdAt,
    Labels: v.labels,
    Scope: v.scope,
    Options: v.options,
    MountCount: v.mountCount,
    NeedsCopyUp: v.needsCopyUp,
    NeedsChown: v.needsChown,
    ...(v.anonymous ? { Anonymous: true } : {}),
    // Podbay's own: the containers using it (podman leaves this to `ps --filter volume=`).
    UsedBy: v.usedBy.map((u) => u.name),
  };
}

export const command: CommandSpec = {
  name: 'volume ls',
  aliases: ['volume list'],
  summary: 'List volumes',
  usage: 'volume ls [options]',
  maxArgs: 0,
  flags: {
    filter: { type: 'string', short: 'f', multiple: true, description: 'Filter volumes (name, label, label!, driver, scope, opt, dangling, anonymous, until, since)', valueName: 'KEY=VALUE' },
    format: { type: 'string', description: "Output format: 'table' (default) or 'json'", valueName: 'FORMAT' },
    quiet: { type: 'boolean', short: 'q', description: 'Print volume names only' },
  },
  examples: ['podbay volume ls', 'podbay volume ls --filter dangling=true -q', 'podbay volume ls --format json --filter label=app=db'],
  async run(run) {
    const { flags, io } = run;
    const format = (flags.format as string | undefined) ?? 'table';
    if (format !== 'table' && format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use table or json`);
    const filters = parseFilterArgs(stringList(flags.filter));
    const runtime = await openCliRuntime(run);
    let volumes: VolumeListItem[];
    try {
      volumes = listVolumeItems(runtime, filters);
    } finally {
      runtime.shutdown(true);
    }
    if (flags.quiet === true) io.stdout(volumes.map((v) => `${v.name}\n`).join(''));
    else if (format === 'json') io.stdout(`${JSON.stringify(volumes.map(toPodmanVolumeJson), null, 4)}\n`);
    else io.stdout(tabulate([['DRIVER', 'VOLUME NAME'], ...volumes.map((v) => [v.driver, v.name])]));
    return 0;
  },
};
