// Batch container verbs over names typed by a user (podman pkg/domain/infra/abi: ContainerStart,
// ContainerStop, ContainerKill, …): each name is resolved and acted on by itself, concurrently, and
// gets its own report — one failure never hides the others.
import { PodbayError, toErrorData } from '../../shared/errors.ts';
import type { ContainerActionReport } from '../../shared/types/containers.ts';
import type { Container } from './container.ts';
import type { Runtime } from './runtime.ts';

export async function containerAction(
  runtime: Runtime,
  nameOrIds: readonly string[],
  act: (ctr: Container) => Promise<unknown>,
  signal?: AbortSignal,
): Promise<ContainerActionReport[]> {
  return Promise.all(
    nameOrIds.map(async (nameOrId) => {
      let id: string | null = null;
      try {
        signal?.throwIfAborted();
        const ctr = runtime.lookupContainer(nameOrId);
        id = ctr.id();
        await act(ctr);
        return { nameOrId, id, error: null };
      } catch (error) {
        return { nameOrId, id, error: toErrorData(signal?.aborted ? new PodbayError('ErrCanceled', 'canceled') : error) };
      }
    }),
  );
}
