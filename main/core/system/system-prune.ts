// `podbay system prune [-a] [--volumes]` (podman's SystemPrune): stopped pods, stopped containers,
// unused volumes (with --volumes) and unused images, then the content nothing references, in podman's
// order (pods, containers, volumes, images), so
// what a removed container used becomes unused for the image step. Each removal is the verb's own
// (one transaction each): an item that cannot go is reported and the rest carry on.
import { toErrorData } from '../../../shared/errors.ts';
import type { SystemPruneReport } from '../../../shared/types/system-check.ts';
import { isActive } from '../container-state.ts';
import { removeContainers } from '../runtime-batch.ts';
import type { Runtime } from '../runtime.ts';

export interface SystemPruneOptions {
  /** Every image no container uses, not only dangling ones (`-a`). */
  all?: boolean;
  /** Also unused volumes (`--volumes`). */
  volumes?: boolean;
  signal?: AbortSignal;
}

/** Statuses `container prune` removes: never started, or ended (podman's "stopped" containers). */
const prunable = new Set(['configured', 'exited', 'stopped']);

export async function pruneSystem(runtime: Runtime, options: SystemPruneOptions = {}): Promise<SystemPruneReport> {
  const report: SystemPruneReport = { containers: [], pods: [], images: [], networks: [], volumes: [], reclaimedBytes: 0, errors: [] };
  const { signal } = options;

  // Pods none of whose containers is active (podman pod prune), with their containers.
  for (const pod of runtime.pods()) {
    signal?.throwIfAborted();
    const members = pod.getContainers();
    if (members.some((c) => isActive(c.status()))) continue;
    try {
      const removed = await runtime.removePod(pod, false, { signal });
      report.pods.push(pod.name());
      report.containers.push(...members.filter((m) => removed.includes(m.id()) && !m.view().isInfra).map((m) => m.name()));
    } catch (error) {
      report.errors.push({ subject: pod.name(), ...pick(error) });
    }
  }

  // Containers outside pods that do not run.
  const stopped = runtime.containers().filter((c) => c.podId() === null && prunable.has(c.status()));
  const names = new Map(stopped.map((c) => [c.id(), c.name()]));
  for (const result of await removeContainers(runtime, stopped.map((c) => c.id()), false, signal)) {
    const name = names.get(result.nameOrId) ?? result.nameOrId;
    if (result.error) report.errors.push({ subject: name, code: result.error.code, message: result.error.message });
    else report.containers.push(name);
  }

  // Volumes no container uses (podman system prune --volumes), once the containers above are gone.
  if (options.volumes) {
    signal?.throwIfAborted();
    const volumes = await runtime.pruneVolumes();
    report.volumes.push(...volumes.removed);
    for (const failure of volumes.errors) report.errors.push({ subject: failure.name, code: failure.error.code, message: failure.error.message });
  }

  // Images no container uses (dangling only, unless `all`), then everything nothing references.
  signal?.throwIfAborted();
  const images = await runtime.images();
  const pruned = await images.prune({ all: options.all === true });
  report.images.push(...pruned.deleted);
  report.reclaimedBytes += pruned.reclaimedBytes;
  await images.collectGarbage();
  return report;
}

function pick(error: unknown): { code: string; message: string } {
  const data = toErrorData(error);
  return { code: data.code, message: data.message };
}
