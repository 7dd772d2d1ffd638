import { z } from 'zod';
import { call, stream } from './define.ts';
import type { ContainerActionReport, ContainerCreateReport, ContainerInspect, ContainerListItem, ContainerLogLine, ContainerRemoveReport } from '../types/containers.ts';

const nameOrId = z.string().min(1).max(256);
/** podman's `--filter key=value`, grouped by key: keys AND'ed, values OR'ed (label values AND'ed). */
/** A batch verb: each name acted on by itself, with its own report. */
const batch = z.strictObject({ nameOrIds: z.array(nameOrId).min(1).max(1000) });
const filters = z.record(z.string().min(1).max(32), z.array(z.string().max(512)).max(64));
const networkValue = z.string().min(1).max(1024);

/** One podman --mount, split into its fields (ContainerMountSpec). */
const mountSpec = z.strictObject({
  type: z.enum(['bind', 'volume', 'tmpfs']),
  source: z.string().min(1).max(4096).optional(),
  destination: z.string().min(1).max(4096),
  readOnly: z.boolean().optional(),
  options: z.array(z.string().min(1).max(256)).max(64).optional(),
  subPath: z.string().min(1).max(4096).optional(),
});

export const containerProcedures = {
  /** Containers of the store, oldest first. `all: false` keeps only running ones (podman ps without -a). */
  'containers.list': call<ContainerListItem[]>()(
    z.strictObject({
      all: z.boolean().default(true),
      filters: filters.optional(),
    }),
  ),
  /** One container by full id, unique id prefix or name → ErrNoSuchCtr; an ambiguous prefix → ErrInvalidArg. */
  'containers.inspect': call<ContainerInspect>()(z.strictObject({ nameOrId })),
  /** Removes each container on its own; one report per name, each with its own error. */
  'containers.remove': call<ContainerRemoveReport[]>()(
    z.strictObject({
      nameOrIds: z.array(nameOrId).min(1).max(1000),
      force: z.boolean().default(false),
      /** Seconds a forced removal waits after the stop signal before SIGKILL; default the container's. */
      timeout: z.number().int().min(0).max(86_400).optional(),
      /** Remove the containers' anonymous volumes too (podman rm -v). */
      volumes: z.boolean().default(false),
    }),
  ),
  /**
   * A container from an image (`image`, pulled first as `pull` says: `missing` by default) or from a
   * root directory (`rootfs`, which needs a command) — exactly one of them; `start` runs it too.
   * Unknown image with `pull: never` → ErrNoSuchImage.
   */
  'containers.create': call<ContainerCreateReport>()(
    z
      .strictObject({
        rootfs: z.string().min(1).max(4096).optional(),
        image: z.string().min(1).max(1024).optional(),
        pull: z.enum(['always', 'missing', 'never']).optional(),
        tlsVerify: z.boolean().optional(),
        entrypoint: z.array(z.string().max(65_536)).max(4096).optional(),
        name: z.string().min(1).max(256).optional(),
        /** Join this pod (name or ID): the container shares its infra container's namespaces. */
        pod: z.string().min(1).max(256).optional(),
        /** podman --ipc/--pid/--uts: `private` (default), `host`, or `container:NAME` to join that container's namespace. */
        ipc: z.string().min(1).max(266).optional(),
        pid: z.string().min(1).max(266).optional(),
        uts: z.string().min(1).max(266).optional(),
        userns: z.enum(['keep-id', 'host']).optional(),
        command: z.array(z.string().max(65_536)).max(4096).default([]),
        env: z.array(z.string().max(65_536)).max(4096).optional(),
        workdir: z.string().min(1).max(4096).optional(),
        user: z.string().min(1).max(256).optional(),
        hostname: z.string().min(1).max(253).optional(),
        labels: z.record(z.string().min(1).max(1024), z.string().max(65_536)).optional(),
        terminal: z.boolean().optional(),
        stdin: z.boolean().optional(),
        memoryBytes: z.number().int().positive().optional(),
        cpus: z.number().positive().max(1024).optional(),
        pidsLimit: z.number().int().min(-1).optional(),
        init: z.boolean().optional(),
        stopSignal: z.string().min(1).max(16).optional(),
        stopTimeout: z.number().int().min(0).max(86_400).optional(),
        autoRemove: z.boolean().optional(),
        /** podman --network values: none, host, bridge, container:NAME, NAME[:ip=…,alias=…] (several join several networks). */
        network: z.union([networkValue, z.array(networkValue).min(1).max(32)]).optional(),
        /** podman -p specs, parsed by the core (ErrInvalidArg naming a bad one). */
        publish: z.array(z.string().min(1).max(200)).max(256).optional(),
        publishAll: z.boolean().optional(),
        start: z.boolean().optional(),
        // Storage and restart: the core checks every path and option word (container-mounts.ts).
        volumes: z.array(z.string().min(1).max(8192)).max(256).optional(),
        mounts: z.array(mountSpec).max(256).optional(),
        tmpfs: z.array(z.string().min(1).max(8192)).max(256).optional(),
        readOnly: z.boolean().optional(),
        readOnlyTmpfs: z.boolean().optional(),
        restartPolicy: z.enum(['no', 'on-failure', 'always', 'unless-stopped']).optional(),
        restartRetries: z.number().int().min(0).max(1_000_000).optional(),
        logSizeMax: z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER).optional(),
      })
      .superRefine((input, ctx) => {
        if ((input.rootfs === undefined) === (input.image === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of image and rootfs', path: ['image'] });
        if (input.rootfs !== undefined && input.command.length === 0 && !input.entrypoint?.length) ctx.addIssue({ code: 'custom', message: 'a rootfs container needs a command', path: ['command'] });
      }),
  ),
  /** Starts each container (creating it in the OCI runtime first when needed); one report per name. */
  'containers.start': call<ContainerActionReport[]>()(batch),
  /** The stop signal, then SIGKILL after `timeout` seconds (default the container's, 10). */
  'containers.stop': call<ContainerActionReport[]>()(batch.extend({ timeout: z.number().int().min(0).max(86_400).optional() })),
  /** Sends `signal` (a number or a name such as "TERM"; default KILL). */
  'containers.kill': call<ContainerActionReport[]>()(batch.extend({ signal: z.union([z.number().int().min(1).max(64), z.string().min(1).max(16)]).default('KILL') })),
  'containers.restart': call<ContainerActionReport[]>()(batch.extend({ timeout: z.number().int().min(0).max(86_400).optional() })),
  'containers.pause': call<ContainerActionReport[]>()(batch),
  'containers.unpause': call<ContainerActionReport[]>()(batch),
  /** Resolves with the exit code once the container is not running (at once if it is not). */
  'containers.wait': call<{ exitCode: number }>()(z.strictObject({ nameOrId })),
  /**
   * The container's log, oldest first: `tail` keeps the last N lines, `since`/`until` are RFC 3339 times;
   * with `follow` the stream stays open until the container stops (or the caller cancels).
   */
  'containers.logs': stream<ContainerLogLine>()(
    z.strictObject({
      nameOrId,
      follow: z.boolean().default(false),
      since: z.iso.datetime({ offset: true }).optional(),
      until: z.iso.datetime({ offset: true }).optional(),
      tail: z.number().int().min(0).max(1_000_000).optional(),
    }),
  ),
};
