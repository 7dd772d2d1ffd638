// `podbay pod ps`: podman pod ps — table, `--format json` with podman's field names, `-q` ids only.
import { humanDuration } from '../../../shared/types/containers.ts';
import type { PodListItem } from '../../../shared/types/pods.ts';
import { parseFilterArgs } from '../../core/container-filters.ts';
import { listPodItems } from '../../core/pod-inspect.ts';
import type { CommandSpec } from '../command.ts';
import { listFormat, openCliRuntime, podmanPort, podmanState, stringList, tabulate } from './ps.ts';

export function toPodmanPodJson(pod: PodListItem) {
  return {
    Cgroup: '',
    Containers: pod.containers.map((c) => ({ Id: c.id, Names: c.name, Status: podmanState(c.state) })),
    Created: pod.createdAt,
    Id: pod.id,
    InfraId: pod.infraContainerId ?? '',
    Name: pod.name,
    Namespace: '',
    Networks: pod.networks,
    Ports: pod.ports.map(podmanPort),
    Status: pod.status,
    Labels: pod.labels,
  };
}

export const command: CommandSpec = {
  name: 'pod ps',
  aliases: ['pod ls', 'pod list'],
  summary: 'List pods',
  usage: 'pod ps [options]',
  maxArgs: 0,
  flags: {
    filter: { type: 'string', short: 'f', multiple: true, description: 'Filter output based on conditions given (id, name, label, label!, status, ctr-names, ctr-ids, ctr-number)', valueName: 'KEY=VALUE' },
    format: { type: 'string', description: "Pretty-print pods: 'table' (default) or 'json'", valueName: 'FORMAT' },
    quiet: { type: 'boolean', short: 'q', description: 'Print the numeric IDs of the pods only' },
    'no-trunc': { type: 'boolean', description: 'Do not truncate pod and container IDs' },
  },
  examples: ['podbay pod ps', 'podbay pod ps --format json --filter label=tier=front'],
  async run(run) {
    const { flags, io } = run;
    const format = listFormat(flags);
    const filters = parseFilterArgs(stringList(flags.filter));
    const runtime = await openCliRuntime(run);
    let pods: PodListItem[];
    try {
      pods = await listPodItems(runtime, filters);
    } finally {
      runtime.shutdown(true);
    }
    const noTrunc = flags['no-trunc'] === true;
    const shortId = (id: string) => (noTrunc ? id : id.slice(0, 12));
    if (flags.quiet === true) io.stdout(pods.map((p) => `${shortId(p.id)}\n`).join(''));
    else if (format === 'json') io.stdout(`${JSON.stringify(pods.map(toPodmanPodJson), null, 4)}\n`);
    else {
      const now = Date.now();
      const rows = [['POD ID', 'NAME', 'STATUS', 'CREATED', 'INFRA ID', '# OF CONTAINERS']];
      for (const p of pods) rows.push([shortId(p.id), p.name, p.status, `${humanDuration(now - Date.parse(p.createdAt))} ago`, p.infraContainerId ? shortId(p.infraContainerId) : '', String(p.containers.length)]);
      io.stdout(tabulate(rows));
    }
    return 0;
  },
};
