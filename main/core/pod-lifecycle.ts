// The pod verbs (libpod/pod_api.go Start, Stop, Kill, Restart): each drives its members through the
// container verbs (which take the pod's lease, then the member's, one at a time), in dependency order:
// the infra container starts first and stops last. No lock is held across the whole verb, as libpod
// holds none across its members' waits. A member's failure does not stop the others: it is reported
// per container (podman PodStartReport.Errs) and the pod event is written whenever any member acted.
import { PodbayError, hasCode, toErrorData } from '../../shared/errors.ts';
import type { PodActionReport } from '../../shared/types/pods.ts';
import { parseSignal } from './container-config.ts';
import type { LifecycleContext } from './container-internal.ts';
import { syncRecords } from './container-internal.ts';
import { killContainer, startContainer, stopContainer } from './container-lifecycle.ts';
import { hasMonitor } from './container-state.ts';
import { pausePod, unpausePod } from './pod-pause.ts';
import type { ContainerRecord, PodRecord } from './state/state.ts';

/** Member id → its error; members absent succeeded (or had nothing to do). */
export type PodMemberErrors = Map<string, PodbayError>;

export interface PodStopOptions {
  /** Seconds between each member's stop signal and SIGKILL; default each container's own (10). 0 kills at once. */
  timeout?: number;
  signal?: AbortSignal;
}

function asError(error: unknown): PodbayError {
  return error instanceof PodbayError ? error : new PodbayError('ErrInternal', String(error), { cause: error });
}

export function members(ctx: LifecycleContext, podId: string): { pod: PodRecord; infra: ContainerRecord | null; others: ContainerRecord[] } {
  const state = ctx.state();
  const pod = state.pod(podId);
  const all = syncRecords(ctx, state.podContainers(podId));
  const infraId = pod.state.infraContainerId;
  return { pod, infra: all.find((c) => c.config.id === infraId) ?? null, others: all.filter((c) => c.config.id !== infraId) };
}

/** Runs `act` on each container at once, collecting errors (a member removed meanwhile is skipped). */
export async function each(records: readonly ContainerRecord[], errors: PodMemberErrors, act: (id: string) => Promise<unknown>): Promise<void> {
  await Promise.all(records.map(async (r) => {
    try {
      await act(r.config.id);
    } catch (error) {
      if (!hasCode(error, 'ErrCtrRemoved')) errors.set(r.config.id, asError(error));
    }
  }));
}

export function emitPod(ctx: LifecycleContext, pod: PodRecord, action: string): void {
  ctx.events().write({ type: 'pod', action, id: pod.config.id, name: pod.config.name, attributes: { ...pod.config.labels } });
}

async function startMembers(ctx: LifecycleContext, podId: string, signal?: AbortSignal): Promise<{ pod: PodRecord; errors: PodMemberErrors }> {
  const { pod, infra, others } = members(ctx, podId);
  const errors: PodMemberErrors = new Map();
  const opts = signal ? { signal } : {};
  if (infra) {
    await each([infra], errors, (id) => startContainer(ctx, id, opts));
    const failed = errors.get(infra.config.id);
    if (failed) {
      // Without the infra there are no namespaces to join: every member fails with its error.
      for (const r of others) errors.set(r.config.id, new PodbayError('ErrCtrStateInvalid', `starting pod ${pod.config.name}: its infra container did not start`, { cause: failed }));
      return { pod, errors };
    }
  }
  await each(others, errors, (id) => startContainer(ctx, id, opts));
  return { pod, errors };
}

async function stopMembers(ctx: LifecycleContext, podId: string, options: PodStopOptions): Promise<{ pod: PodRecord; errors: PodMemberErrors }> {
  if (options.timeout !== undefined && (!Number.isInteger(options.timeout) || options.timeout < 0)) {
    throw new PodbayError('ErrInvalidArg', `stop timeout ${options.timeout} must be a whole number of seconds, 0 or more`);
  }
  const { pod, infra, others } = members(ctx, podId);
  const errors: PodMemberErrors = new Map();
  const opts = { ...(options.timeout !== undefined ? { timeout: options.timeout } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  await each(others.filter((r) => hasMonitor(r.state.status)), errors, (id) => stopContainer(ctx, id, opts));
  if (infra && hasMonitor(infra.state.status)) await each([infra], errors, (id) => stopContainer(ctx, id, opts));
  return { pod, errors };
}

/**
 * libpod Pod.Start: the infra container first, then every member at once; running ones are left
 * as they are. A removed pod → ErrNoSuchPod.
 */
export async function startPod(ctx: LifecycleContext, podId: string, options: { signal?: AbortSignal } = {}): Promise<PodMemberErrors> {
  const { pod, errors } = await startMembers(ctx, podId, options.signal);
  emitPod(ctx, pod, 'start');
  return errors;
}

/** libpod Pod.Stop: the members at once (each with `timeout`), then the infra container. */
export async function stopPod(ctx: LifecycleContext, podId: string, options: PodStopOptions = {}): Promise<PodMemberErrors> {
  const { pod, errors } = await stopMembers(ctx, podId, options);
  emitPod(ctx, pod, 'stop');
  return errors;
}

/** libpod Pod.Kill: sends `signal` to every running or paused container of the pod, infra included. */
export async function killPod(ctx: LifecycleContext, podId: string, signal: number | string = 9, options: { signal?: AbortSignal } = {}): Promise<PodMemberErrors> {
  parseSignal(signal);
  const { pod, infra, others } = members(ctx, podId);
  const errors: PodMemberErrors = new Map();
  const running = [...others, ...(infra ? [infra] : [])].filter((r) => r.state.status === 'running' || r.state.status === 'paused');
  // A member that exits between the listing and its signal (with KILL, often because another member's
  // death took it along) has reached what kill asks for: libpod skips containers no longer running.
  await each(running, errors, (id) =>
    killContainer(ctx, id, signal, options.signal ? { signal: options.signal } : {}).catch((error: unknown) => {
      if (!hasCode(error, 'ErrCtrStateInvalid')) throw error;
    }),
  );
  emitPod(ctx, pod, 'kill');
  return errors;
}

/** libpod Pod.Restart: stop (members, then infra), then start (infra, then members). */
export async function restartPod(ctx: LifecycleContext, podId: string, options: PodStopOptions = {}): Promise<PodMemberErrors> {
  const stopped = await stopMembers(ctx, podId, options);
  const started = await startMembers(ctx, podId, options.signal);
  emitPod(ctx, started.pod, 'restart');
  return new Map([...stopped.errors, ...started.errors]);
}

export type PodVerb = 'start' | 'stop' | 'kill' | 'restart' | 'pause' | 'unpause';

export interface PodActionOptions extends PodStopOptions {
  /** For kill; default SIGKILL. */
  killSignal?: number | string;
}

/**
 * The verb on each named pod in turn (podman pod start|stop|kill|restart|pause|unpause POD…): one report per pod,
 * with the members that failed. No such pod → ErrNoSuchPod in its report.
 */
export async function podActions(ctx: LifecycleContext, verb: PodVerb, nameOrIds: readonly string[], options: PodActionOptions = {}): Promise<PodActionReport[]> {
  const reports: PodActionReport[] = [];
  const { killSignal, ...stopOptions } = options;
  for (const nameOrId of nameOrIds) {
    let id: string | null = null;
    try {
      options.signal?.throwIfAborted();
      const state = ctx.state();
      id = state.lookupPodId(nameOrId);
      const errors = verb === 'start'
        ? await startPod(ctx, id, options.signal ? { signal: options.signal } : {})
        : verb === 'stop'
          ? await stopPod(ctx, id, stopOptions)
          : verb === 'kill'
            ? await killPod(ctx, id, killSignal ?? 9, options.signal ? { signal: options.signal } : {})
            : verb === 'restart'
              ? await restartPod(ctx, id, stopOptions)
              : await (verb === 'pause' ? pausePod : unpausePod)(ctx, id, options.signal ? { signal: options.signal } : {});
      const names = new Map(state.podContainers(id).map((c) => [c.config.id, c.config.name]));
      const containerErrors = [...errors].map(([ctrId, error]) => ({ id: ctrId, name: names.get(ctrId) ?? ctrId, error: toErrorData(error) }));
      reports.push({ nameOrId, id, containerErrors, error: null });
    } catch (error) {
      reports.push({ nameOrId, id, containerErrors: [], error: toErrorData(options.signal?.aborted ? new PodbayError('ErrCanceled', 'canceled') : error) });
    }
  }
  return reports;
}
