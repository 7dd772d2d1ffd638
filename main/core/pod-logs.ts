// podman pod logs: the k8s-file logs of a pod's containers (the infra's excluded, as podman excludes
// it) as one stream, each line with the container it came from. What the logs already hold is merged
// in time order; with `follow`, lines written later are passed on as they arrive, until every member
// has stopped (or the caller cancels).
import { PodbayError } from '../../shared/errors.ts';
import type { LifecycleContext } from './container-internal.ts';
import { containerLogs } from './container-lifecycle.ts';
import type { LogsOptions } from './container-lifecycle.ts';
import type { LogLine } from './oci/k8s-file-log.ts';

export interface PodLogEntry {
  containerId: string;
  containerName: string;
  line: LogLine;
}

export interface PodLogsOptions extends Omit<LogsOptions, 'onCaughtUp'> {
  /** Only this member (name, or full or prefix ID); not in the pod → ErrNoSuchCtr. */
  container?: string;
}

/** Sub-millisecond digits of conmon's RFC 3339 nanosecond time, padded, so equal ms still order. */
function fraction(time: string): string {
  const match = /\.(\d+)/.exec(time);
  return (match?.[1] ?? '').padEnd(9, '0');
}

/** Orders entries by their time; ties keep their order (Array.prototype.sort is stable). */
export function compareLogEntries(a: PodLogEntry, b: PodLogEntry): number {
  return a.line.timeMs - b.line.timeMs || (fraction(a.line.time) < fraction(b.line.time) ? -1 : fraction(a.line.time) > fraction(b.line.time) ? 1 : 0);
}

function selectMembers(ctx: LifecycleContext, podId: string, container?: string): { id: string; name: string }[] {
  const state = ctx.state();
  const pod = state.pod(podId);
  const all = state.podContainers(podId).filter((c) => c.config.id !== pod.state.infraContainerId);
  if (container === undefined) return all.map((c) => ({ id: c.config.id, name: c.config.name }));
  const match = all.find((c) => c.config.name === container || c.config.id === container) ?? (container.length >= 3 ? all.find((c) => c.config.id.startsWith(container)) : undefined);
  if (!match) throw new PodbayError('ErrNoSuchCtr', `no container "${container}" in pod ${pod.config.name}`);
  return [{ id: match.config.id, name: match.config.name }];
}

/**
 * The pod's logs: `tail`, `sinceMs` and `untilMs` apply to each member's log (as podman's). A removed
 * pod → ErrNoSuchPod.
 */
export async function* podLogs(ctx: LifecycleContext, podId: string, options: PodLogsOptions = {}): AsyncGenerator<PodLogEntry> {
  const { container, ...logOptions } = options;
  const chosen = selectMembers(ctx, podId, container);
  const abort = new AbortController();
  const stop = () => abort.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const queue: PodLogEntry[] = [];
  let pending = chosen.length;
  let catchingUp = chosen.length;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const pumps = chosen.map(async (member) => {
    let caughtUp = false;
    const caughtUpOnce = () => {
      if (caughtUp) return;
      caughtUp = true;
      catchingUp--;
      notify();
    };
    try {
      for await (const line of containerLogs(ctx, member.id, { ...logOptions, signal: abort.signal, onCaughtUp: caughtUpOnce })) {
        queue.push({ containerId: member.id, containerName: member.name, line });
        if (caughtUp) notify();
      }
    } catch (error) {
      // A member removed meanwhile just ends; cancelling ends them all.
      if (!abort.signal.aborted && !(error instanceof PodbayError && error.code === 'ErrNoSuchCtr')) failure ??= error;
    } finally {
      caughtUpOnce();
      pending--;
      notify();
    }
  });
  try {
    let history = true;
    for (;;) {
      if (failure) throw failure;
      options.signal?.throwIfAborted();
      if (history && catchingUp === 0) {
        // Everything the logs held is in: sorted once, then live lines in arrival order.
        history = false;
        queue.sort(compareLogEntries);
      }
      if (!history && queue.length > 0) {
        yield* queue.splice(0, queue.length);
        continue;
      }
      // Every reader ending has also caught up: by now the history is flushed.
      if (pending === 0 && queue.length === 0) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    abort.abort();
    options.signal?.removeEventListener('abort', stop);
    await Promise.allSettled(pumps);
  }
}
