// Batch verbs over names typed by a user (podman pkg/domain/infra/abi: ContainerRm, PodRm): each name
// is resolved and removed on its own, and gets its own report — one failure never hides the others.
import { PodbayError, toErrorData } from '../../shared/errors.ts';
import type { ContainerRemoveReport } from '../../shared/types/containers.ts';
import type { PodRemoveReport } from '../../shared/types/pods.ts';
import type { Runtime } from './runtime.ts';

/** Resolves every name first, then removes the found ones together (Runtime.removeContainers). */
export async function removeContainers(runtime: Runtime, nameOrIds: readonly string[], force: boolean, signal?: AbortSignal, timeout?: number, volumes = false): Promise<ContainerRemoveReport[]> {
  const resolved = nameOrIds.map((nameOrId) => {
    try {
      return { nameOrId, ctr: runtime.lookupContainer(nameOrId), error: null };
    } catch (error) {
      return { nameOrId, ctr: null, error: toErrorData(error) };
    }
  });
  const found = [...new Map(resolved.flatMap((r) => (r.ctr ? [[r.ctr.id(), r.ctr] as const] : []))).values()];
  let outcome = new Map<string, PodbayError | null>();
  let batchError: unknown = null;
  try {
    if (found.length > 0) outcome = await runtime.removeContainers(found, force, { signal, ...(timeout !== undefined ? { timeout } : {}), ...(volumes ? { volumes } : {}) });
  } catch (error) {
    batchError = signal?.aborted ? new PodbayError('ErrCanceled', 'canceled') : error;
  }
  return resolved.map(({ nameOrId, ctr, error }) => {
    if (!ctr) return { nameOrId, id: null, error };
    const failure = batchError ?? outcome.get(ctr.id()) ?? null;
    return { nameOrId, id: ctr.id(), error: failure ? toErrorData(failure) : null };
  });
}

export async function removePods(runtime: Runtime, nameOrIds: readonly string[], force: boolean, signal?: AbortSignal): Promise<PodRemoveReport[]> {
  const reports: PodRemoveReport[] = [];
  for (const nameOrId of nameOrIds) {
    let id: string | null = null;
    try {
      signal?.throwIfAborted();
      const pod = runtime.lookupPod(nameOrId);
      id = pod.id();
      const removedContainers = await runtime.removePod(pod, force, { signal });
      reports.push({ nameOrId, id, removedContainers, error: null });
    } catch (error) {
      reports.push({ nameOrId, id, removedContainers: [], error: toErrorData(signal?.aborted ? new PodbayError('ErrCanceled', 'canceled') : error) });
    }
  }
  return reports;
}
