// What the containers procedures return (podman pkg/domain/entities: ListContainer, InspectContainerData),
// in the project's camelCase; the CLI maps them to podman's JSON field names.
import type { ErrorData } from '../errors.ts';
import type { ContainerNetwork, PublishedPort } from './networks.ts';

/** libpod's container states (see main/core/container-state.ts). */
export type ContainerStateName = 'unknown' | 'configured' | 'created' | 'running' | 'stopped' | 'paused' | 'exited' | 'removing' | 'stopping';

export interface ContainerListItem {
  id: string;
  name: string;
  /** The image as the user named it, or "" for a container made from a rootfs directory. */
  image: string;
  /** The rootfs directory, or null for an image-based container. */
  rootfs: string | null;
  command: string[];
  /** RFC 3339. */
  createdAt: string;
  state: ContainerStateName;
  /** podman's words: "Created", "Up 2 minutes", "Exited (0) 3 seconds ago" are built by the presenter. */
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  pid: number;
  labels: Record<string, string>;
  podId: string | null;
  podName: string | null;
  /** Published ports (a pod member lists its pod's); host ports chosen at start are filled in while it runs. */
  ports: PublishedPort[];
  /** The networks it is connected to (a pod member: its pod's). */
  networks: string[];
}

export interface ContainerInspect extends ContainerListItem {
  annotations: Record<string, string>;
  stopSignal: number;
  env: string[];
  workingDir: string | null;
  hostname: string | null;
  terminal: boolean;
  /** `id`: the image ID the container was created from (absent in records from before images ran). */
  rootfsImage: { name: string; useImageConfig: boolean; id?: string | undefined } | null;
  /** Namespaces joined from other containers: kind → container id. */
  sharedNamespaces: Record<string, string>;
  /** Namespaces that are the host's (podman --ipc/--pid/--uts host). */
  hostNamespaces: string[];
  /** Containers this one needs (those whose namespaces it joins) and those that need it. */
  dependencies: string[];
  dependents: string[];
  /** The OCI runtime the container runs with ("crun", "runc" or a path). */
  ociRuntime: string;
  /** conmon's pid while it supervises the container, else 0. */
  conmonPid: number;
  oomKilled: boolean;
  /** Why the last run ended abnormally (conmon died, the runtime failed), or null. */
  error: string | null;
  user: string;
  stopTimeout: number;
  autoRemove: boolean;
  memoryBytes: number | null;
  cpus: number | null;
  pidsLimit: number | null;
  init: boolean;
  logPath: string;
  /** podman's NetworkSettings: the mode (bridge, none, host, or `container:<id>` for a pod member) and each network. */
  networkSettings: {
    mode: string;
    networks: ContainerNetwork[];
    /** The namespace netavark configured, while it is up. */
    netnsPath: string | null;
  };
  // Storage and restart (absent in answers from before volumes existed).
  /** Bind, tmpfs and volume mounts as podman inspect's Mounts lists them. */
  mounts?: ContainerInspectMount[];
  readOnly?: boolean;
  restartPolicy?: { name: string; maximumRetryCount: number };
  /** Restarts the restart policy made since the user last started it. */
  restartCount?: number;
  /** conmon's --log-size-max in bytes, or -1 for no limit. */
  logSizeMax?: number;
}

/** One of a container's mounts (podman InspectMount). */
export interface ContainerInspectMount {
  type: 'bind' | 'tmpfs' | 'volume';
  /** The volume's name (volume mounts only). */
  name?: string;
  /** The host path: the bind source, the volume's _data, or "tmpfs". */
  source: string;
  destination: string;
  options: string[];
  rw: boolean;
  /** rprivate, rshared… ("" for tmpfs). */
  propagation: string;
  anonymous?: boolean;
}

/** One per container named in a batch verb: its own success or error (podman RmReport, StopReport…). */
export interface ContainerActionReport {
  /** What the caller gave. */
  nameOrId: string;
  /** The full id, when the container was found. */
  id: string | null;
  error: ErrorData | null;
}

export type ContainerRemoveReport = ContainerActionReport;

/** podman's --pull: `missing` (default) pulls only when the image is not in the store. */
export type PullPolicy = 'always' | 'missing' | 'never';

/**
 * What `containers.create` takes: a container from an image (pulled as `pull` says) or from a root
 * directory — exactly one of `image` and `rootfs`.
 */
export interface ContainerCreateOptions {
  /** A root directory used as is (podman --rootfs). */
  rootfs?: string | undefined;
  /** An image name or ID; its config (entrypoint, cmd, env, workdir, user, stop signal, labels) applies. */
  image?: string | undefined;
  pull?: PullPolicy | undefined;
  /** false: plain HTTP or unverified TLS allowed for the pull (--tls-verify=false). */
  tlsVerify?: boolean | undefined;
  /** Replaces the image's entrypoint; `[""]` clears it (podman --entrypoint ""). */
  entrypoint?: string[] | undefined;
  name?: string | undefined;
  /** The command (an image's CMD when empty). */
  command: string[];
  /** "K=V". */
  env?: string[] | undefined;
  workdir?: string | undefined;
  user?: string | undefined;
  hostname?: string | undefined;
  labels?: Record<string, string> | undefined;
  terminal?: boolean | undefined;
  /** Keep stdin open for attach (-i). */
  stdin?: boolean | undefined;
  memoryBytes?: number | undefined;
  cpus?: number | undefined;
  pidsLimit?: number | undefined;
  /** Run catatonit as PID 1 (--init). */
  init?: boolean | undefined;
  stopSignal?: string | undefined;
  stopTimeout?: number | undefined;
  /** Remove once it exits (--rm). */
  autoRemove?: boolean | undefined;
  /**
   * podman --network: `none`, `host`, `bridge` (the default network), or network names, each
   * `NAME[:ip=…,ip6=…,mac=…,alias=…,interface_name=…]` (several join several networks). Default: the
   * default bridge network — for a member of a pod that shares its network, the pod's.
   */
  network?: string | string[] | undefined;
  /** podman -p: `[ip:][hostPort:]containerPort[/tcp|udp|sctp]`, ranges `8080-8081:80-81`, an empty host port for any free one. */
  publish?: string[] | undefined;
  /** podman -P: the image's exposed ports too, each on a free host port. */
  publishAll?: boolean | undefined;
  /** A pod (name or id) to join: the container shares its infra container's namespaces (--pod). */
  pod?: string | undefined;
  /** podman --ipc, --pid, --uts `container:NAME`: join that container's namespace (as --network container:NAME does). */
  ipc?: string | undefined;
  pid?: string | undefined;
  uts?: string | undefined;
  /**
   * podman --userns: `keep-id` (rootless only) gives the container a user namespace mapping the user's
   * uid/gid to themselves, and runs it as them; `host` (the default) uses the engine's own.
   */
  userns?: 'keep-id' | 'host' | undefined;
  /** Start it as well (run -d). */
  start?: boolean | undefined;
  // What the container stores and how it keeps running (volumes, mounts, restart policy).
  /** podman -v: `[SRC:]DST[:OPTS]`; SRC a host path (absolute) or a volume name (created when missing); DST alone: an anonymous volume. */
  volumes?: string[] | undefined;
  /** podman --mount, already split into its fields. */
  mounts?: ContainerMountSpec[] | undefined;
  /** podman --tmpfs: `DST[:OPTS]`, e.g. `/scratch:size=64m,mode=1777`. */
  tmpfs?: string[] | undefined;
  /** podman --read-only: the root filesystem cannot be written. */
  readOnly?: boolean | undefined;
  /** podman --read-only-tmpfs (default true): with readOnly, writable tmpfs on /tmp, /var/tmp and /run. */
  readOnlyTmpfs?: boolean | undefined;
  /** podman --restart: no (default), on-failure, always or unless-stopped. */
  restartPolicy?: 'no' | 'on-failure' | 'always' | 'unless-stopped' | undefined;
  /** podman --restart on-failure:N: at most N restarts (on-failure only; 0 = no limit). */
  restartRetries?: number | undefined;
  /** podman --log-opt max-size: bytes after which the log file is truncated. */
  logSizeMax?: number | undefined;
}

/** One podman --mount (type=bind|volume|tmpfs,source=…,destination=…,ro,…). */
export interface ContainerMountSpec {
  type: 'bind' | 'volume' | 'tmpfs';
  /** bind: an absolute host path that must exist; volume: a volume name (absent: an anonymous volume); tmpfs: none. */
  source?: string | undefined;
  destination: string;
  readOnly?: boolean | undefined;
  /** Option words as -v takes them: U, nocopy, rshared, nosuid, noexec, size=64m, mode=1777, … */
  options?: string[] | undefined;
  /** volume only: mount this path inside the volume instead of its root. */
  subPath?: string | undefined;
}

export interface ContainerCreateReport {
  id: string;
  name: string;
}

/** One line of a container's log, as `containers.logs` streams it. */
export interface ContainerLogLine {
  stream: 'stdout' | 'stderr';
  /** conmon's timestamp as written (RFC 3339, nanoseconds). */
  time: string;
  text: string;
  /** false for a fragment the container wrote without a newline (yet). */
  full: boolean;
}

/** podman's units.HumanDuration: "Less than a second", "3 seconds", "About a minute", "2 hours"… */
export function humanDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(seconds / 3600);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

/** The STATUS column of `podman ps`: "Created", "Up 2 minutes", "Exited (0) 3 seconds ago", "Paused". */
export function containerStatusText(item: Pick<ContainerListItem, 'state' | 'exitCode' | 'startedAt' | 'finishedAt'>, now: number): string {
  const since = (time: string | null) => humanDuration(Math.max(0, now - (time ? Date.parse(time) : now)));
  switch (item.state) {
    case 'configured':
      return 'Created';
    case 'created':
      return 'Initialized';
    case 'running':
      return `Up ${since(item.startedAt)}`;
    case 'paused':
      return 'Paused';
    case 'stopping':
      return 'Stopping';
    case 'removing':
      return 'Removing';
    case 'exited':
    case 'stopped':
      return `Exited (${item.exitCode ?? 0}) ${since(item.finishedAt)} ago`;
    default:
      return 'Unknown';
  }
}
