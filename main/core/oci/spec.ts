// The subset of the OCI runtime spec (opencontainers/runtime-spec config.md, config-linux.md) that
// Podbay writes. Field names are the spec's own, so `JSON.stringify(spec)` is a valid config.json.
import type { OciSeccomp } from './seccomp.ts';

export interface OciUser {
  uid: number;
  gid: number;
  umask?: number;
  additionalGids?: number[];
}

export interface OciRlimit {
  type: string;
  hard: number;
  soft: number;
}

export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  inheritable: string[];
  permitted: string[];
  ambient: string[];
}

export interface OciConsoleSize {
  height: number;
  width: number;
}

export interface OciProcess {
  terminal: boolean;
  consoleSize?: OciConsoleSize;
  user: OciUser;
  args: string[];
  env: string[];
  cwd: string;
  capabilities: OciCapabilities;
  rlimits: OciRlimit[];
  noNewPrivileges?: boolean;
  oomScoreAdj?: number;
}

export interface OciRoot {
  path: string;
  readonly: boolean;
}

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export type OciNamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup';

export interface OciNamespace {
  type: OciNamespaceType;
  path?: string;
}

/** A user namespace map line (config-linux.md "User namespace mappings"). */
export interface OciIdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

export interface OciDeviceCgroup {
  allow: boolean;
  type?: string;
  major?: number;
  minor?: number;
  access?: string;
}

export interface OciResources {
  devices: OciDeviceCgroup[];
  memory?: { limit?: number; reservation?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string; mems?: string };
  pids?: { limit: number };
}

export interface OciLinux {
  namespaces: OciNamespace[];
  /** With a `user` namespace: its maps, host ids as seen from the runtime's own namespace. */
  uidMappings?: OciIdMapping[];
  gidMappings?: OciIdMapping[];
  resources: OciResources;
  /** Absent when containers get no cgroup (rootless without delegation). */
  cgroupsPath?: string;
  maskedPaths: string[];
  readonlyPaths: string[];
  sysctl?: Record<string, string>;
  seccomp?: OciSeccomp;
}

export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: OciRoot;
  hostname?: string;
  mounts: OciMount[];
  annotations: Record<string, string>;
  linux: OciLinux;
}

/** What `<runtime> state <id>` prints (runtime-spec runtime.md "State"). */
export interface OciState {
  ociVersion: string;
  id: string;
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
  pid: number;
  bundle: string;
  annotations?: Record<string, string>;
}
