// libpod Pod.GetPodPidInformation (pod_top_linux.go): `podman pod top` lists the processes of every
// running container of the pod, the infra's catatonit included, with the same descriptors as
// `podman top` (container-top.ts). A pod sharing its pid namespace has them all in the infra's, read once.
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerTopReport } from '../../shared/types/container-files.ts';
import type { LifecycleContext } from './container-internal.ts';
import { topContainer } from './container-top.ts';
import { members } from './pod-lifecycle.ts';

/** None of the pod's containers running → ErrCtrStateInvalid (podman: "no containers running in pod"). */
export async function topPod(ctx: LifecycleContext, podId: string, descriptors: readonly string[] = [], options: { signal?: AbortSignal } = {}): Promise<ContainerTopReport> {
  const { pod, infra, others } = members(ctx, podId);
  const running = [...(infra ? [infra] : []), ...others].filter((r) => r.state.status === 'running' && r.state.pid > 0);
  if (running.length === 0) throw new PodbayError('ErrCtrStateInvalid', `pod ${pod.config.name} has no running containers: cannot list its processes`);
  const sharesPid = infra !== null && (pod.config.sharedNamespaces ?? []).includes('pid') && running[0] === infra;
  const reports: ContainerTopReport[] = [];
  for (const record of sharesPid ? [infra] : running) reports.push(await topContainer(ctx, record.config.id, descriptors, options));
  return { titles: reports[0]?.titles ?? [], processes: reports.flatMap((r) => r.processes) };
}
