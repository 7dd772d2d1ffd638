import { z } from 'zod';
import { call, stream } from './define.ts';
import type { ContainerTopReport } from '../types/container-files.ts';
import type { PodActionReport, PodCreateReport, PodInspect, PodListItem, PodLogLine, PodRemoveReport, PodStats } from '../types/pods.ts';

const nameOrId = z.string().min(1).max(256);
const nameOrIds = z.array(nameOrId).min(1).max(1000);
const timeout = z.number().int().min(0).max(86_400);
const filters = z.record(z.string().min(1).max(32), z.array(z.string().max(512)).max(64));

export const podProcedures = {
  /** Pods of the store with their members, oldest first. */
  'pods.list': call<PodListItem[]>()(z.strictObject({ filters: filters.optional() })),
  /** One pod by full id, unique id prefix or name → ErrNoSuchPod. */
  'pods.inspect': call<PodInspect>()(z.strictObject({ nameOrId })),
  /**
   * Removes each pod with all its containers, atomically per pod: an active container without
   * `force` refuses that pod's removal as a whole (ErrCtrStateInvalid in its report).
   */
  'pods.remove': call<PodRemoveReport[]>()(
    z.strictObject({
      nameOrIds: z.array(nameOrId).min(1).max(1000),
      force: z.boolean().default(false),
    }),
  ),
  /**
   * A pod (podman pod create): an infra container by default, holding the shared namespaces
   * (`share`, default net, ipc, uts) and — on the default bridge network unless `network` says
   * otherwise — the pod's network and its published ports (`publish`, podman -p specs).
   */
  'pods.create': call<PodCreateReport>()(
    z.strictObject({
      name: z.string().min(1).max(256).optional(),
      labels: z.record(z.string().min(1).max(1024), z.string().max(65_536)).optional(),
      hostname: z.string().min(1).max(253).optional(),
      publish: z.array(z.string().min(1).max(200)).max(256).optional(),
      share: z.array(z.enum(['net', 'ipc', 'uts', 'pid', 'cgroup'])).max(5).optional(),
      infra: z.boolean().optional(),
      network: z.union([z.string().min(1).max(1024), z.array(z.string().min(1).max(1024)).min(1).max(32)]).optional(),
    }),
  ),
  /** Starts each pod: its infra container first, then the members; members that failed are listed per pod. */
  'pods.start': call<PodActionReport[]>()(z.strictObject({ nameOrIds })),
  /** Stops each pod: the members (each with `timeout` seconds before SIGKILL), then the infra container. */
  'pods.stop': call<PodActionReport[]>()(z.strictObject({ nameOrIds, timeout: timeout.optional() })),
  /** Sends `signal` (default KILL) to every running container of each pod. */
  'pods.kill': call<PodActionReport[]>()(z.strictObject({ nameOrIds, signal: z.union([z.number().int().min(1).max(64), z.string().min(1).max(16)]).optional() })),
  /** Stops, then starts each pod. */
  'pods.restart': call<PodActionReport[]>()(z.strictObject({ nameOrIds, timeout: timeout.optional() })),
  /** Freezes every running container of each pod, the infra last (podman pod pause); none running → ErrCtrStateInvalid. */
  'pods.pause': call<PodActionReport[]>()(z.strictObject({ nameOrIds })),
  /** Thaws every paused container of each pod, the infra first. */
  'pods.unpause': call<PodActionReport[]>()(z.strictObject({ nameOrIds })),
  /** podman pod top: the processes of the pod's running containers (infra included), psgo descriptors as containers.top. */
  'pods.top': call<ContainerTopReport>()(z.strictObject({ nameOrId, descriptors: z.array(z.string().min(1).max(64)).max(32).default([]) })),
  /**
   * podman pod stats: one row per running container of the pods (all pods without `nameOrIds`), one
   * array per interval while the stream is open (`stream: false`: one round).
   */
  'pods.stats': stream<PodStats[]>()(
    z.strictObject({
      nameOrIds: nameOrIds.max(100).optional(),
      intervalMs: z.number().int().min(500).max(60_000).default(2_000),
      stream: z.boolean().default(true),
    }),
  ),
  /**
   * podman pod logs: the members' logs (not the infra's), what they hold merged in time order, each
   * line naming its container; `container` keeps one member. With `follow` the stream stays open
   * until every member stops (or the caller cancels). `tail`, `since`, `until` apply per member.
   */
  'pods.logs': stream<PodLogLine>()(
    z.strictObject({
      nameOrId,
      container: nameOrId.optional(),
      follow: z.boolean().default(false),
      since: z.iso.datetime({ offset: true }).optional(),
      until: z.iso.datetime({ offset: true }).optional(),
      tail: z.number().int().min(0).max(1_000_000).optional(),
    }),
  ),
};
