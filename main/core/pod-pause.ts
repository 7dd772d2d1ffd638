// libpod Pod.Pause / Pod.Unpause (pod_api.go): the cgroup freezer on every member and the infra
// container. Members not in the state the verb needs are skipped, as libpod skips them; the pod's
// status (pod-status.ts) reads Paused once all of them are frozen.
import { PodbayError } from '../../shared/errors.ts';
import type { LifecycleContext } from './container-internal.ts';
import { pauseContainer, unpauseContainer } from './container-lifecycle.ts';
import { each, emitPod, members } from './pod-lifecycle.ts';
import type { PodMemberErrors } from './pod-lifecycle.ts';

async function freezePod(ctx: LifecycleContext, podId: string, pause: boolean, options: { signal?: AbortSignal }): Promise<PodMemberErrors> {
  const { pod, infra, others } = members(ctx, podId);
  const need = pause ? 'running' : 'paused';
  const all = [...others, ...(infra ? [infra] : [])];
  const targets = all.filter((r) => r.state.status === need);
  if (targets.length === 0) {
    throw new PodbayError('ErrCtrStateInvalid', pause ? `pausing pod ${pod.config.name}: it has no running containers` : `unpausing pod ${pod.config.name}: it has no paused containers`);
  }
  const errors: PodMemberErrors = new Map();
  const opts = options.signal ? { signal: options.signal } : {};
  // Members first on pause, the infra first on unpause: the namespaces' holder is never frozen
  // while a member still runs in them.
  const act = pause ? pauseContainer : unpauseContainer;
  const holder = targets.filter((r) => r === infra);
  const rest = targets.filter((r) => r !== infra);
  for (const group of pause ? [rest, holder] : [holder, rest]) await each(group, errors, (id) => act(ctx, id, opts));
  emitPod(ctx, pod, pause ? 'pause' : 'unpause');
  return errors;
}

/** Freezes every running container of the pod, infra last. None running → ErrCtrStateInvalid. */
export function pausePod(ctx: LifecycleContext, podId: string, options: { signal?: AbortSignal } = {}): Promise<PodMemberErrors> {
  return freezePod(ctx, podId, true, options);
}

/** Thaws every paused container of the pod, infra first. None paused → ErrCtrStateInvalid. */
export function unpausePod(ctx: LifecycleContext, podId: string, options: { signal?: AbortSignal } = {}): Promise<PodMemberErrors> {
  return freezePod(ctx, podId, false, options);
}
