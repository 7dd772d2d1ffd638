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
}
