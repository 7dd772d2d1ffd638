// `podbay pod inspect POD…`: a JSON array (podman 5), one entry per pod found; names not found are
// reported after it, and the exit code is 125.
import { inspectPodWithNetwork } from '../../core/pod-inspect.ts';
import type { CommandSpec } from '../command.ts';
import { inspectEach } from './inspect-each.ts';
import type { PodInspect } from '../../../shared/types/pods.ts';
import { podmanState } from './ps.ts';

/** podman's InspectPodData fields for what a pod of ours has (InfraConfig's port bindings as podman writes them). */
export function toPodmanPodInspect(pod: PodInspect) {
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of pod.ports) {
    for (let i = 0; i < p.range; i++) {
      (bindings[`${p.containerPort + i}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort + i) });
    }
  }
  return {
    Id: pod.id,
    Name: pod.name,
    Created: pod.createdAt,
    State: pod.status,
    Labels: pod.labels,
    CreateInfra: pod.infraContainerId !== null,
    InfraContainerID: pod.infraContainerId ?? '',
    ...(pod.infraContainerId !== null ? { InfraConfig: { PortBindings: bindings, Networks: pod.networks } } : {}),
    SharedNamespaces: pod.sharedNamespaces ?? [],
    NumContainers: pod.containers.length,
    Containers: pod.containers.map((c) => ({ Id: c.id, Name: c.name, State: podmanState(c.state) })),
  };
}

export const command: CommandSpec = {
  name: 'pod inspect',
  summary: 'Display information describing a pod',
  usage: 'pod inspect [options] POD [POD...]',
  minArgs: 1,
  flags: {
    format: { type: 'string', short: 'f', description: "Output format: 'json' (default)", valueName: 'FORMAT' },
  },
  examples: ['podbay pod inspect web'],
  run: (run) => inspectEach(run, async (runtime, nameOrId) => toPodmanPodInspect(await inspectPodWithNetwork(runtime, runtime.lookupPod(nameOrId)))),
};
