// A container's immutable configuration and the options that build it (libpod/container_config.go and
// the With… options of libpod/options.go). An option applied to a container that is already in the
// store throws ErrCtrFinalized, as libpod's options do once `ctr.valid` is set.
import { existsSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { isAbsolute } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import { validateName } from './names.ts';
import { parseNetworkFlags } from './network/network-mode.ts';
import type { NetworkRequest } from './network/network-mode.ts';
import { assertNoOverlap } from './network/port-mappings.ts';
import type { PortMapping } from './network/port-mappings.ts';

/** The kernel namespaces a container may join from another one (libpod's namespace kinds). */
export const namespaceKinds = ['cgroup', 'ipc', 'mount', 'net', 'pid', 'user', 'uts'] as const;
export type NamespaceKind = (typeof namespaceKinds)[number];
/** What podman's --ipc, --pid and --uts may take from the host (--network host is a network mode). */
export const hostNamespaceKinds = ['ipc', 'pid', 'uts'] as const;
export type HostNamespaceKind = (typeof hostNamespaceKinds)[number];

/** The part of the OCI runtime spec a caller gives; the spec generator (OCI issue) fills in the rest. */
export interface ContainerSpec {
  process: {
    /** The final argv once the container is created (an image's entrypoint and cmd merged in). */
    args: string[];
    /**
     * Replaces the image's entrypoint (podman --entrypoint; `[""]` means none). Only in a draft: at
     * creation it is folded into `args` and dropped.
     */
    entrypoint?: string[];
    env?: string[];
    cwd?: string;
    terminal?: boolean;
    /** A user name or uid[:gid], resolved through the rootfs's /etc/passwd when the container starts. */
    user?: string;
  };
  hostname?: string;
}

/** Resource limits (podman --memory, --cpus, --pids-limit); absent fields use the runtime's defaults. */
export interface ContainerResources {
  memoryBytes?: number;
  cpus?: number;
  /** 0 or -1: unlimited; absent: containers.conf pids_limit. */
  pidsLimit?: number;
}

/**
 * podman --network: `none` (a namespace with only loopback), `host` (the host's), `bridge`
 * (netavark bridge networks: a namespace of its own set up at every start) or `slirp4netns`
 * (rootless: a private namespace that slirp4netns connects through the host's sockets).
 */
export type ContainerNetworkMode = 'none' | 'host' | 'bridge' | 'slirp4netns';

export interface RootfsImage {
  /**
   * The image's name: as the user gave it until the container is created, then the stored name it
   * resolved to ("busybox" → "docker.io/library/busybox:latest"; an ID stays an ID), which ps shows
   * (libpod RootfsImageName).
   */
  name: string;
  /** As the user typed it, once `name` holds the resolved name (libpod RawImageName). */
  rawName?: string;
  /** Whether the image's config (entrypoint, env, workdir, stop signal) is merged into the spec. */
  useImageConfig: boolean;
  /**
   * The image ID (config digest hex) it resolved to when the container was created: what in-use
   * checks compare. Absent only in records written before images could run.
   */
  id?: string;
  /** The image's layer DiffIDs, bottom first: the overlay lower dirs (top first) are derived from them. */
  layers?: string[];
}

export interface ContainerConfig {
  id: string;
  name: string;
  /** Pod id, or null for a container outside any pod. */
  pod: string | null;
  spec: ContainerSpec;
  /** Exactly one of rootfs (a directory) and rootfsImage is set. */
  rootfs: string | null;
  rootfsImage: RootfsImage | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Signal number sent by stop; 15 (SIGTERM) unless set. */
  stopSignal: number;
  /**
   * Whether the user chose stopSignal (withStopSignal): an image's StopSignal applies only when not.
   * Absent in records written before the lifecycle existed (read as false).
   */
  stopSignalSet?: boolean;
  // The fields below came with the OCI lifecycle; records written before it lack them (defaults apply).
  /** Seconds between the stop signal and SIGKILL; default 10. */
  stopTimeout?: number;
  resources?: ContainerResources;
  /** Run catatonit as PID 1 (podman --init). */
  init?: boolean;
  /** Keep the container's stdin open for attach (podman -i). */
  stdin?: boolean;
  /** Remove the container once it exits (podman --rm), done by the exit command `container cleanup`. */
  autoRemove?: boolean;
  /** The OCI runtime (name or absolute path) the container was created with; every verb uses it. */
  ociRuntime?: string;
  /** Default none: a private network namespace with only loopback. */
  networkMode?: ContainerNetworkMode;
  /**
   * The two halves of the final argv (libpod's Entrypoint and Command), recorded at creation so
   * commit writes them back apart. Absent in records from before commit existed.
   */
  entrypoint?: string[];
  command?: string[];
  /**
   * bridge: the networks asked for at creation, with their options (podman --network NAME:ip=…).
   * They become connections (NetworkManager) when the container is created; `network connect` and
   * `disconnect` change those afterwards, so the connections, not this list, are the live truth.
   */
  networks?: NetworkRequest[];
  /** Published ports (podman -p) as netavark takes them; host port 0 = a free port chosen at each start. */
  portMappings?: PortMapping[];
  /** podman -P: the image's exposed ports are published too (on free host ports), added at creation. */
  publishAll?: boolean;
  /** The image's VOLUME paths: each gets an anonymous volume at creation unless a user mount covers it. */
  imageVolumes?: string[];
  // Storage and keep-running settings (container-mounts.ts has the options that set them).
  /** Host bind mounts and tmpfs mounts (libpod's spec mounts), destinations clean and absolute. */
  mounts?: ContainerMount[];
  /** Named volumes, including the anonymous ones made for image VOLUMEs (libpod NamedVolumes). */
  namedVolumes?: ContainerNamedVolume[];
  /** podman --read-only: the rootfs is mounted read-only. */
  readOnlyRootfs?: boolean;
  /** podman --read-only-tmpfs (default true): with a read-only rootfs, tmpfs on /tmp, /var/tmp and /run. */
  readOnlyTmpfs?: boolean;
  /** podman --restart; absent means no (libpod RestartPolicy). */
  restartPolicy?: RestartPolicy;
  /** on-failure only: at most this many restarts; 0 or absent = no limit (libpod RestartRetries). */
  restartRetries?: number;
  /** Bytes after which conmon truncates the log (--log-opt max-size, --log-size-max); absent: the runtime config's. */
  logSizeMax?: number;
  /** A pod's infra container (libpod IsInfra): runs `catatonit -P`, bound in from the host. */
  isInfra?: boolean;
  /**
   * podman --userns=keep-id: a user namespace of the container's own with these maps (host ids as the
   * rootless engine sees them), recorded at creation. Absent: the engine's own namespace (host).
   */
  idMappings?: IdMappings;
  /** Namespaces joined from another container: kind → that container's id. */
  sharedNamespaces: Partial<Record<NamespaceKind, string>>;
  /** Namespaces taken from the host instead of new ones (podman --ipc/--pid/--uts host). */
  hostNamespaces?: HostNamespaceKind[];
  /** RFC 3339. */
  createdAt: string;
}

/** A user namespace's maps, as the OCI spec takes them. */
export interface IdMappings {
  uidMappings: { containerID: number; hostID: number; size: number }[];
  gidMappings: { containerID: number; hostID: number; size: number }[];
}

/** podman's restart policies (`unless-stopped` behaves as `always`: Podbay has no boot-time restart service). */
export const restartPolicies = ['no', 'on-failure', 'always', 'unless-stopped'] as const;
export type RestartPolicy = (typeof restartPolicies)[number];

/** A bind or tmpfs mount of the container (an OCI spec mount before its destination is resolved in the rootfs). */
export interface ContainerMount {
  type: 'bind' | 'tmpfs';
  /** Bind: an absolute host path that existed when the container was created. */
  source?: string;
  destination: string;
  /** podman's processed options (rw/ro, propagation, rbind, nosuid…; for tmpfs size=, mode=). */
  options: string[];
}

/** A named volume mounted into the container (libpod ContainerNamedVolume). */
export interface ContainerNamedVolume {
  name: string;
  destination: string;
  options: string[];
  /** A path inside the volume to mount instead of its root (podman --mount subpath=). */
  subPath?: string;
  /**
   * Made for this container alone (an image VOLUME, `-v /dst`, a kube emptyDir; libpod IsAnonymous):
   * created with it, and removed with it by `rm -v` and `--rm`.
   */
  anonymous?: boolean;
}

/** The distinct names of the volumes a container uses. */
export function volumeNames(config: Pick<ContainerConfig, 'namedVolumes'>): string[] {
  return [...new Set((config.namedVolumes ?? []).map((v) => v.name))];
}

/** The containers this one needs to exist first: those whose namespaces it joins. */
export function dependencies(config: ContainerConfig): string[] {
  return [...new Set(Object.values(config.sharedNamespaces))];
}

/** What options write into before the container is finalized (id and creation time come last). */
export type ContainerConfigDraft = Omit<ContainerConfig, 'id' | 'name' | 'createdAt'> & { name: string | null };

export interface ContainerDraft {
  /** True once the container is in the store: options then throw ErrCtrFinalized. */
  readonly finalized: boolean;
  readonly draft: ContainerConfigDraft;
}

export type ContainerOption = (target: ContainerDraft) => void;

export function newContainerDraft(spec: ContainerSpec): ContainerConfigDraft {
  if (!spec || !Array.isArray(spec.process?.args) || spec.process.args.some((a) => typeof a !== 'string')) {
    throw new PodbayError('ErrInvalidArg', 'container spec needs process.args, an array of strings');
  }
  return {
    name: null,
    pod: null,
    spec: structuredClone(spec),
    rootfs: null,
    rootfsImage: null,
    labels: {},
    annotations: {},
    stopSignal: constants.signals.SIGTERM,
    sharedNamespaces: {},
  };
}

/** The draft an option may change → ErrCtrFinalized once the container is in the store. */
export function editable(target: ContainerDraft): ContainerConfigDraft {
  if (target.finalized) throw new PodbayError('ErrCtrFinalized', 'container already created: its configuration cannot change');
  return target.draft;
}

export function withName(name: string): ContainerOption {
  return (target) => {
    const draft = editable(target);
    validateName(name, 'container');
    draft.name = name;
  };
}

function checkStringMap(map: Record<string, string>, what: string): Record<string, string> {
  for (const [key, value] of Object.entries(map)) {
    if (key === '' || typeof value !== 'string') throw new PodbayError('ErrInvalidArg', `${what} need non-empty keys and string values (key "${key}")`);
  }
  return { ...map };
}

/** Replaces the labels (libpod WithLabels). */
export function withLabels(labels: Record<string, string>): ContainerOption {
  return (target) => {
    const draft = editable(target);
    draft.labels = checkStringMap(labels, 'labels');
  };
}

export function withAnnotations(annotations: Record<string, string>): ContainerOption {
  return (target) => {
    const draft = editable(target);
    draft.annotations = checkStringMap(annotations, 'annotations');
  };
}

/** Accepts 15, "15", "TERM" or "SIGTERM" (podman --stop-signal); unknown or 0 → ErrInvalidArg. */
export function parseSignal(signal: number | string): number {
  const signals = constants.signals as Record<string, number>;
  let value: number | undefined;
  if (typeof signal === 'number') value = signal;
  else if (/^\d+$/.test(signal)) value = Number(signal);
  else {
    const upper = signal.toUpperCase();
    value = signals[upper.startsWith('SIG') ? upper : `SIG${upper}`];
  }
  if (value === undefined || !Number.isInteger(value) || value < 1 || value > 64) {
    throw new PodbayError('ErrInvalidArg', `invalid stop signal "${signal}"`);
  }
  return value;
}

export function withStopSignal(signal: number | string): ContainerOption {
  return (target) => {
    const draft = editable(target);
    draft.stopSignal = parseSignal(signal);
    draft.stopSignalSet = true;
  };
}

/** Seconds stop waits after the stop signal before SIGKILL (podman --stop-timeout); negative → ErrInvalidArg. */
export function withStopTimeout(seconds: number): ContainerOption {
  return (target) => {
    const draft = editable(target);
    if (!Number.isInteger(seconds) || seconds < 0) throw new PodbayError('ErrInvalidArg', `stop timeout ${seconds} must be a whole number of seconds, 0 or more`);
    draft.stopTimeout = seconds;
  };
}

/** Memory (bytes, at least 6 MiB as podman requires), CPUs (> 0) and pids limit (-1, 0 or more). */
export function withResources(resources: ContainerResources): ContainerOption {
  return (target) => {
    const draft = editable(target);
    const { memoryBytes, cpus, pidsLimit } = resources;
    if (memoryBytes !== undefined && (!Number.isSafeInteger(memoryBytes) || memoryBytes < 6 * 1024 * 1024)) {
      throw new PodbayError('ErrInvalidArg', `memory limit ${memoryBytes} must be at least 6MiB`);
    }
    if (cpus !== undefined && (!Number.isFinite(cpus) || cpus <= 0 || cpus > 1024)) throw new PodbayError('ErrInvalidArg', `cpus ${cpus} must be a number above 0`);
    if (pidsLimit !== undefined && (!Number.isInteger(pidsLimit) || pidsLimit < -1)) throw new PodbayError('ErrInvalidArg', `pids limit ${pidsLimit} must be an integer, -1 or more`);
    draft.resources = { ...draft.resources, ...Object.fromEntries(Object.entries(resources).filter(([, v]) => v !== undefined)) };
  };
}

export function withInit(enabled = true): ContainerOption {
  return (target) => {
    editable(target).init = enabled;
  };
}

export function withStdin(enabled = true): ContainerOption {
  return (target) => {
    editable(target).stdin = enabled;
  };
}

export function withAutoRemove(enabled = true): ContainerOption {
  return (target) => {
    editable(target).autoRemove = enabled;
  };
}

/**
 * The network settings of podman --network values (network-mode.ts syntax): none, host, bridge, or
 * network names with options; `defaultNetwork` is what `bridge` means. container:/ns: →
 * ErrNotImplemented, bad values → ErrInvalidArg.
 */
export function networkSettings(values: string | readonly string[], defaultNetwork?: string): { networkMode: ContainerNetworkMode; networks?: NetworkRequest[] } {
  const mode = parseNetworkFlags(typeof values === 'string' ? [values] : values, defaultNetwork);
  if (mode.kind === 'container' || mode.kind === 'ns') throw new PodbayError('ErrNotImplemented', `network mode ${mode.kind}: is not supported yet: use bridge, a network name, none or host`);
  return mode.kind === 'bridge' ? { networkMode: 'bridge', networks: mode.networks.map((n) => structuredClone(n)) } : { networkMode: mode.kind };
}

/** podman --network (networkSettings has the syntax). */
export function withNetworkMode(values: string | readonly string[], defaultNetwork?: string): ContainerOption {
  return (target) => {
    const draft = editable(target);
    const settings = networkSettings(values, defaultNetwork);
    draft.networkMode = settings.networkMode;
    if (settings.networks) draft.networks = settings.networks;
    else delete draft.networks;
  };
}

/** Publishes ports (podman -p, parsed by port-mappings.ts); overlapping host ports → ErrInvalidArg. */
export function withPortMappings(mappings: readonly PortMapping[]): ContainerOption {
  return (target) => {
    const draft = editable(target);
    assertNoOverlap(mappings);
    draft.portMappings = mappings.map((m) => ({ ...m }));
  };
}

/** podman -P (--publish-all): every port the image exposes, on a free host port each. */
export function withPublishAll(enabled = true): ContainerOption {
  return (target) => {
    editable(target).publishAll = enabled;
  };
}

/**
 * Whether the container gets a network namespace of its own that netavark sets up: bridge mode and
 * not joining another container's (a pod member joins its infra's).
 */
export function ownsNetwork(config: Pick<ContainerConfig, 'networkMode' | 'sharedNamespaces'>): boolean {
  return config.networkMode === 'bridge' && !config.sharedNamespaces.net;
}

/** Whether the container runs slirp4netns for a namespace of its own (a pod member uses its infra's). */
export function usesSlirp(config: Pick<ContainerConfig, 'networkMode' | 'sharedNamespaces'>): boolean {
  return config.networkMode === 'slirp4netns' && !config.sharedNamespaces.net;
}

/** The container's root is this directory, used as is (podman --rootfs). */
export function withRootFSFromPath(path: string): ContainerOption {
  return (target) => {
    const draft = editable(target);
    if (draft.rootfsImage) throw new PodbayError('ErrInvalidArg', 'a container has either an image or a rootfs path, not both');
    if (!isAbsolute(path)) throw new PodbayError('ErrInvalidArg', `rootfs path "${path}" must be absolute`);
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new PodbayError('ErrInvalidArg', `rootfs path "${path}" is not a directory`);
    draft.rootfs = path;
  };
}

/**
 * The container's root comes from an image (libpod WithRootFSFromImage). `image` is the name as the
 * user gave it (shown by ps); `imageId`, when known (just pulled), pins the image it resolves to.
 * runtime.newContainer resolves it in the image store (not there → ErrNoSuchImage), records the image
 * ID and layers and, with `useImageConfig`, merges the image config into the spec.
 */
export function withRootFSFromImage(image: string, useImageConfig: boolean, imageId?: string): ContainerOption {
  return (target) => {
    const draft = editable(target);
    if (draft.rootfs) throw new PodbayError('ErrInvalidArg', 'a container has either an image or a rootfs path, not both');
    if (typeof image !== 'string' || image.trim() === '') throw new PodbayError('ErrInvalidArg', 'image name must not be empty');
    if (imageId !== undefined && !/^[a-f0-9]{64}$/.test(imageId)) throw new PodbayError('ErrInvalidArg', `invalid image ID "${imageId}"`);
    draft.rootfsImage = { name: image, useImageConfig, ...(imageId ? { id: imageId } : {}) };
  };
}

/** What withSharedNamespaces and withPod need of the other object, without importing its class. */
export interface NamespaceSource {
  id(): string;
  podId(): string | null;
}

/**
 * Joins `namespaces` of container `from` (libpod WithIPCNSFrom, WithNetNSFrom…). `from` must share
 * this container's pod, or both be outside pods (checked again when the container is added).
 */
export function withSharedNamespaces(from: NamespaceSource, namespaces: readonly NamespaceKind[]): ContainerOption {
  return (target) => {
    const draft = editable(target);
    if (namespaces.length === 0) throw new PodbayError('ErrInvalidArg', 'no namespaces given to share');
    for (const kind of namespaces) {
      if (!(namespaceKinds as readonly string[]).includes(kind)) {
        throw new PodbayError('ErrInvalidArg', `unknown namespace "${kind}": expected one of ${namespaceKinds.join(', ')}`);
      }
      draft.sharedNamespaces[kind] = from.id();
    }
  };
}

/**
 * Uses the host's IPC, PID or UTS namespace (podman --ipc/--pid/--uts host). One the container also
 * joins from another container → ErrInvalidArg (checked when the container is added).
 */
export function withHostNamespaces(kinds: readonly HostNamespaceKind[]): ContainerOption {
  return (target) => {
    const draft = editable(target);
    for (const kind of kinds) {
      if (!(hostNamespaceKinds as readonly string[]).includes(kind)) {
        throw new PodbayError('ErrInvalidArg', `the ${kind} namespace cannot be the host's: expected some of ${hostNamespaceKinds.join(', ')}`);
      }
    }
    draft.hostNamespaces = [...new Set([...(draft.hostNamespaces ?? []), ...kinds])];
  };
}

/** A user namespace of the container's own (podman --userns=keep-id); every map needs a size above 0. */
export function withIdMappings(mappings: IdMappings): ContainerOption {
  return (target) => {
    const draft = editable(target);
    for (const map of [...mappings.uidMappings, ...mappings.gidMappings]) {
      if (![map.containerID, map.hostID, map.size].every((n) => Number.isSafeInteger(n) && n >= 0) || map.size === 0) {
        throw new PodbayError('ErrInvalidArg', `invalid id mapping ${JSON.stringify(map)}`);
      }
    }
    draft.idMappings = structuredClone(mappings);
  };
}

export function withPod(pod: { id(): string }): ContainerOption {
  return (target) => {
    const draft = editable(target);
    draft.pod = pod.id();
  };
}
