// What `system.info` and `podbay info --format json` report. Every field is read off the machine.

export type ComponentName = 'crun' | 'runc' | 'conmon' | 'catatonit' | 'netavark' | 'aardvark-dns';
export type ComponentRole = 'oci-runtime' | 'monitor' | 'init' | 'network' | 'dns';
export type ComponentStatus = 'ok' | 'missing' | 'unusable';

/** How to fix a problem: what to read, what to copy and run, and what else would do. */
export interface FixAdvice {
  /** Words before the command ("as root, mount them as v1 hierarchies"), or null. */
  note: string | null;
  /** One shell command to copy, or null when the fix is an action, not a command. */
  command: string | null;
  /** Another way out ("or choose runc (--runtime runc)"), or null. */
  alternative: string | null;
}

export interface ComponentInfo {
  name: ComponentName;
  role: ComponentRole;
  /** Absolute path of the binary found, or null when missing. */
  path: string | null;
  /** First line of `--version`, normalised to the version number (e.g. "1.8.1"), or null. */
  version: string | null;
  status: ComponentStatus;
  /** Why the component is missing or cannot be used here, in one sentence. */
  problem: string | null;
  /** The exact command (or action) that fixes the problem. */
  fix: FixAdvice | null;
  /** Debian package that ships it. */
  package: string;
}

export type CgroupVersion = 'v1' | 'v2';
export type CgroupMode = 'v1' | 'hybrid' | 'v2';

export interface CgroupInfo {
  version: CgroupVersion;
  mode: CgroupMode;
  /** Controllers enabled on the cgroup2 hierarchy (in hybrid mode: /sys/fs/cgroup/unified). */
  unifiedControllers: string[];
  manager: 'cgroupfs' | 'systemd';
}

export interface RlimitInfo {
  /** e.g. RLIMIT_NOFILE */
  resource: string;
  /** As /proc/self/limits names it, e.g. "Max open files". */
  label: string;
  /** null means unlimited. */
  soft: number | null;
  hard: number | null;
  units: string;
}

export interface StoreInfo {
  graphRoot: string;
  runRoot: string;
  /** Whether each directory exists yet (the store is created on first use). */
  graphRootExists: boolean;
  runRootExists: boolean;
  databasePath: string;
  /** Config files read, in order; an empty list when none exists. */
  configFiles: string[];
}

/** One line of /etc/subuid or /etc/subgid for the user: container IDs 1… map onto start…start+count-1. */
export interface SubordinateRange {
  start: number;
  count: number;
}

/** How a rootless store mounts image layers: the kernel's overlay inside the user namespace, FUSE, or copies. */
export type OverlayKind = 'native' | 'fuse-overlayfs' | 'vfs';

export interface RootlessProblem {
  /** Stable key: subuid, subgid, newuidmap, newgidmap, userns, network-helper. */
  key: string;
  title: string;
  problem: string;
  fix: FixAdvice;
}

/** What rootless mode found for the user running the engine; null in SystemInfo when running rootful. */
export interface RootlessInfo {
  user: string;
  uid: number;
  gid: number;
  subuids: SubordinateRange[];
  subgids: SubordinateRange[];
  /** Whether this kernel lets an unprivileged user create user namespaces. */
  userNamespaces: boolean;
  /** Paths of the setuid helpers that write the ID maps, or null when missing. */
  newuidmap: string | null;
  newgidmap: string | null;
  overlay: OverlayKind;
  /** The program that gives containers a network without root (slirp4netns or pasta), or null. */
  networkHelper: { name: 'slirp4netns' | 'pasta'; path: string; version: string | null } | null;
  /** Whether --memory, --cpus and --pids-limit can be applied (cgroup v2 with delegation only). */
  resourceLimits: boolean;
  /** Everything that stops rootless containers from working here, each with its fix. */
  problems: RootlessProblem[];
}

export interface SystemInfo {
  podbay: {
    version: string;
    node: string;
    electron: string | null;
    pid: number;
    mode: 'rootful' | 'rootless';
    uid: number;
  };
  host: {
    kernel: string;
    os: string;
    arch: string;
    hostname: string;
    cpus: number;
    memTotal: number;
    cgroups: CgroupInfo;
    rlimits: RlimitInfo[];
  };
  components: ComponentInfo[];
  /** The OCI runtime used when none is asked for, and whether it can run containers here. */
  ociRuntime: { default: string; usable: boolean; problem: string | null; fix: FixAdvice | null };
  store: StoreInfo;
  /** Rootless mode's user namespace, helpers and problems; null when the engine runs as root. */
  rootless: RootlessInfo | null;
}
