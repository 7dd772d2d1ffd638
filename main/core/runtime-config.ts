// The runtime's configuration (libpod RuntimeConfig / containers.conf) and the options that set it
// (libpod/options.go: WithStorageConfig, WithOCIRuntime, WithConmonPath, …).
//
// Precedence, lowest first: built-in defaults for the mode (rootful now; rootless in its own issue),
// then each config file that exists (`/etc/podbay/podbay.conf`, then the user's), then the options
// given to Runtime.create. Options are functions over a draft, as libpod's are over *Runtime: applied
// to a runtime that is already finalized they throw ErrRuntimeFinalized.
//
// The file is containers.conf-shaped TOML:
//   [containers] pids_limit = 2048, label = true (SELinux), log_size_max = -1 (bytes)
//   [engine]     runtime = "crun" (a name from [engine.runtimes] or an absolute path),
//                conmon_path = [...], conmon_env_vars = [...], cgroup_manager = "cgroupfs",
//                image_default_transport = "docker://", events_logfile_path = "..."
//   [engine.runtimes] crun = ["/usr/bin/crun", ...]
//   [storage]    driver = "overlay" | "vfs", graphroot = "...", runroot = "..."   (storage.conf's keys)
//   [registries] search = ["docker.io"], insecure = ["localhost:5000"]           (registries.conf's)
//   [image]      signature_policy_path = "/etc/containers/policy.json"
//   [network]    default_network = "podbay", default_subnet = "10.89.0.0/24", default_interface = "podbay0"
//                (containers.conf's first two; unset subnet and bridge are chosen free on first use)
// An unknown section or key, or a value of the wrong type, is ErrInvalidArg naming file and key:
// a typo must not silently fall back to a default.
import { accessSync, constants as fsConstants, existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { PodbayError } from '../../shared/errors.ts';
import { defaultPaths, detectMode } from './runtime-paths.ts';
import type { RuntimeMode, RuntimePaths } from './runtime-paths.ts';

export const storageDrivers = ['overlay', 'vfs'] as const;
export type StorageDriver = (typeof storageDrivers)[number];
export const cgroupManagers = ['cgroupfs', 'systemd'] as const;
export type CgroupManager = (typeof cgroupManagers)[number];
/** Transports of containers/image that a bare image reference may default to. */
export const imageTransports = ['docker://', 'docker-archive:', 'oci-archive:', 'oci:', 'dir:', 'containers-storage:'] as const;

export interface RuntimeConfig {
  mode: RuntimeMode;
  storage: {
    graphRoot: string;
    runRoot: string;
    /** null until finalized: then overlay where the kernel has it, else vfs. */
    driver: StorageDriver | null;
  };
  image: {
    defaultTransport: string;
    insecureRegistries: string[];
    searchRegistries: string[];
    signaturePolicyPath: string;
  };
  engine: {
    /** A key of `ociRuntimes` or an absolute path. */
    ociRuntime: string;
    ociRuntimes: Record<string, string[]>;
    /** Candidate paths, first executable wins. */
    conmonPath: string[];
    conmonEnv: string[];
    /** null until finalized: then systemd where PID 1 is systemd, else cgroupfs. */
    cgroupManager: CgroupManager | null;
    /** null: `<runRoot>/events/events.log`, so moving the run root moves the log with it. */
    eventsLogFile: string | null;
  };
  containers: {
    selinux: boolean;
    /** Default pids limit of a container; 0 or -1 mean unlimited. */
    pidsLimit: number;
    /** containers.conf log_size_max: bytes after which conmon truncates a container's log; -1 unlimited. */
    logSizeMax: number;
  };
  network: {
    /** The network `--network bridge` (and the default of run/create) means. */
    defaultNetwork: string;
    /** Its subnet; null: the first free 10.89.N.0/24 when it is first used. */
    defaultSubnet: string | null;
    /** Its bridge; null: podbay0, or the next free podbayN. */
    defaultInterface: string | null;
  };
}

/** What the config resolves to on this host once the runtime is finalized. */
export interface ResolvedRuntimeConfig extends RuntimeConfig {
  storage: RuntimeConfig['storage'] & { driver: StorageDriver };
  engine: RuntimeConfig['engine'] & {
    cgroupManager: CgroupManager;
    eventsLogFile: string;
    /** The OCI runtime binary found, or null when none of its candidates exists on this host. */
    ociRuntimePath: string | null;
    conmon: string | null;
  };
}

/** Facts about the host the defaults depend on; tests swap them. */
export interface HostProbe {
  overlaySupported(): boolean;
  /** As sd_booted(3): /run/systemd/system exists only when PID 1 is systemd. */
  systemdBooted(): boolean;
  isExecutable(path: string): boolean;
}

export const realHostProbe: HostProbe = {
  overlaySupported: () => {
    try {
      return /\toverlay$/m.test(readFileSync('/proc/filesystems', 'utf8'));
    } catch {
      return false;
    }
  },
  systemdBooted: () => existsSync('/run/systemd/system'),
  isExecutable: (path) => {
    try {
      accessSync(path, fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type RuntimeConfigOverrides = DeepPartial<RuntimeConfig>;

export interface RuntimeDraft {
  readonly finalized: boolean;
  readonly draft: {
    mode: RuntimeMode | null;
    /** null: the mode's default files. */
    configFiles: string[] | null;
    probe: HostProbe | null;
    overrides: RuntimeConfigOverrides;
    busyTimeoutMs: number | null;
  };
}

export type RuntimeOption = (target: RuntimeDraft) => void;

function editable(target: RuntimeDraft): RuntimeDraft['draft'] {
  if (target.finalized) throw new PodbayError('ErrRuntimeFinalized', 'runtime already initialized: its options cannot change');
  return target.draft;
}

const fail = (message: string) => new PodbayError('ErrInvalidArg', message);

function mergeOverrides(target: RuntimeDraft, patch: RuntimeConfigOverrides): void {
  const draft = editable(target);
  const o = draft.overrides;
  o.storage = { ...o.storage, ...patch.storage };
  o.image = { ...o.image, ...patch.image };
  o.engine = { ...o.engine, ...patch.engine };
  o.containers = { ...o.containers, ...patch.containers };
  o.network = { ...o.network, ...patch.network };
}

export function withMode(mode: RuntimeMode): RuntimeOption {
  return (target) => {
    editable(target).mode = mode;
  };
}

/** Reads these files (in order) instead of the mode's defaults; [] reads none. */
export function withConfigFiles(paths: string[]): RuntimeOption {
  return (target) => {
    editable(target).configFiles = [...paths];
  };
}

export function withHostProbe(probe: HostProbe): RuntimeOption {
  return (target) => {
    editable(target).probe = probe;
  };
}

export function withBusyTimeout(ms: number): RuntimeOption {
  return (target) => {
    editable(target).busyTimeoutMs = ms;
  };
}

export function withStorageConfig(storage: { graphRoot?: string; runRoot?: string; driver?: StorageDriver }): RuntimeOption {
  return (target) => mergeOverrides(target, { storage: dropUndefined(storage) });
}

export function withDefaultTransport(transport: string): RuntimeOption {
  return (target) => mergeOverrides(target, { image: { defaultTransport: transport } });
}

export function withInsecureRegistries(registries: string[]): RuntimeOption {
  return (target) => mergeOverrides(target, { image: { insecureRegistries: [...registries] } });
}

export function withSearchRegistries(registries: string[]): RuntimeOption {
  return (target) => mergeOverrides(target, { image: { searchRegistries: [...registries] } });
}

export function withSignaturePolicy(path: string): RuntimeOption {
  return (target) => mergeOverrides(target, { image: { signaturePolicyPath: path } });
}

/** `crun`, `runc` (or another name of [engine.runtimes]) or an absolute path to a runtime binary. */
export function withOCIRuntime(nameOrPath: string): RuntimeOption {
  return (target) => mergeOverrides(target, { engine: { ociRuntime: nameOrPath } });
}

export function withConmonPath(path: string): RuntimeOption {
  return (target) => mergeOverrides(target, { engine: { conmonPath: [path] } });
}

export function withConmonEnv(env: string[]): RuntimeOption {
  return (target) => mergeOverrides(target, { engine: { conmonEnv: [...env] } });
}

export function withCgroupManager(manager: CgroupManager): RuntimeOption {
  return (target) => mergeOverrides(target, { engine: { cgroupManager: manager } });
}

export function withEventsLogFile(path: string): RuntimeOption {
  return (target) => mergeOverrides(target, { engine: { eventsLogFile: path } });
}

export function withSELinux(enabled: boolean): RuntimeOption {
  return (target) => mergeOverrides(target, { containers: { selinux: enabled } });
}

export function withPidsLimit(limit: number): RuntimeOption {
  return (target) => mergeOverrides(target, { containers: { pidsLimit: limit } });
}

/** The default network (podbay.conf [network]): its name and, optionally, its subnet and bridge. */
export function withDefaultNetwork(network: { name?: string; subnet?: string | null; interface?: string | null }): RuntimeOption {
  return (target) =>
    mergeOverrides(target, {
      network: dropUndefined({ defaultNetwork: network.name, defaultSubnet: network.subnet, defaultInterface: network.interface }),
    });
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function defaultRuntimeConfig(mode: RuntimeMode): RuntimeConfig {
  const paths = defaultPaths(mode);
  const bins = (name: string) => ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin'].map((dir) => join(dir, name));
  return {
    mode,
    storage: { graphRoot: paths.graphRoot, runRoot: paths.runRoot, driver: null },
    image: {
      defaultTransport: 'docker://',
      insecureRegistries: [],
      searchRegistries: ['docker.io'],
      signaturePolicyPath: '/etc/containers/policy.json',
    },
    engine: {
      ociRuntime: 'crun',
      ociRuntimes: { crun: bins('crun'), runc: [...bins('runc'), '/usr/lib/cri-o-runc/sbin/runc'] },
      conmonPath: ['/usr/libexec/podman/conmon', '/usr/local/libexec/podman/conmon', '/usr/local/lib/podman/conmon', ...bins('conmon')],
      conmonEnv: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      cgroupManager: null,
      eventsLogFile: null,
    },
    containers: { selinux: false, pidsLimit: 2048, logSizeMax: -1 },
    network: { defaultNetwork: 'podbay', defaultSubnet: null, defaultInterface: null },
  };
}

// The TOML schema: section → key → [config path, expected type].
type Kind = 'string' | 'strings' | 'boolean' | 'integer' | 'table-of-strings';
const fileSchema: Record<string, Record<string, [keyof RuntimeConfig, string, Kind]>> = {
  containers: {
    pids_limit: ['containers', 'pidsLimit', 'integer'],
    log_size_max: ['containers', 'logSizeMax', 'integer'],
    label: ['containers', 'selinux', 'boolean'],
  },
  engine: {
    runtime: ['engine', 'ociRuntime', 'string'],
    runtimes: ['engine', 'ociRuntimes', 'table-of-strings'],
    conmon_path: ['engine', 'conmonPath', 'strings'],
    conmon_env_vars: ['engine', 'conmonEnv', 'strings'],
    cgroup_manager: ['engine', 'cgroupManager', 'string'],
    image_default_transport: ['image', 'defaultTransport', 'string'],
    events_logfile_path: ['engine', 'eventsLogFile', 'string'],
  },
  storage: {
    driver: ['storage', 'driver', 'string'],
    graphroot: ['storage', 'graphRoot', 'string'],
    runroot: ['storage', 'runRoot', 'string'],
  },
  registries: {
    search: ['image', 'searchRegistries', 'strings'],
    insecure: ['image', 'insecureRegistries', 'strings'],
  },
  image: {
    signature_policy_path: ['image', 'signaturePolicyPath', 'string'],
  },
  network: {
    default_network: ['network', 'defaultNetwork', 'string'],
    default_subnet: ['network', 'defaultSubnet', 'string'],
    default_interface: ['network', 'defaultInterface', 'string'],
  },
};

function checkKind(value: unknown, kind: Kind): boolean {
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'strings':
      return isStrings(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'table-of-strings':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isStrings);
  }
}

/** Reads one config file into overrides; a missing file is no error, a malformed one is. */
export function readConfigFile(path: string): RuntimeConfigOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new PodbayError('ErrInvalidArg', `reading config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `parsing config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const out: Record<string, Record<string, unknown>> = {};
  for (const [section, table] of Object.entries(doc)) {
    const schema = fileSchema[section];
    if (!schema || typeof table !== 'object' || table === null || Array.isArray(table)) throw fail(`config file ${path}: unknown section [${section}]`);
    for (const [key, value] of Object.entries(table)) {
      const entry = schema[key];
      if (!entry) throw fail(`config file ${path}: unknown key "${key}" in [${section}]`);
      const [group, field, kind] = entry;
      if (!checkKind(value, kind)) throw fail(`config file ${path}: [${section}] ${key} must be ${kind.replaceAll('-', ' ')}`);
      (out[group] ??= {})[field] = value;
    }
  }
  return out as RuntimeConfigOverrides;
}

function apply(base: RuntimeConfig, o: RuntimeConfigOverrides): RuntimeConfig {
  return {
    mode: base.mode,
    storage: { ...base.storage, ...o.storage },
    image: { ...base.image, ...o.image },
    engine: { ...base.engine, ...o.engine, ociRuntimes: { ...base.engine.ociRuntimes, ...o.engine?.ociRuntimes } } as RuntimeConfig['engine'],
    containers: { ...base.containers, ...o.containers },
    network: { ...base.network, ...o.network },
  };
}

const registryPattern = /^[a-zA-Z0-9.-]+(:\d{1,5})?(\/[a-zA-Z0-9._/-]+)?$/;

/**
 * Builds the configuration (defaults → files → call overrides), validates every field (ErrInvalidArg
 * naming the field) and resolves the host-dependent ones.
 */
export function resolveRuntimeConfig(target: RuntimeDraft['draft']): ResolvedRuntimeConfig {
  const mode = target.mode ?? detectMode();
  const probe = target.probe ?? realHostProbe;
  let config = defaultRuntimeConfig(mode);
  const files = target.configFiles ?? defaultPaths(mode).configFiles;
  for (const file of files) config = apply(config, readConfigFile(file));
  config = apply(config, target.overrides);
  const eventsLogFile = config.engine.eventsLogFile ?? join(config.storage.runRoot, 'events', 'events.log');

  const { storage, image, engine, containers } = config;
  for (const [field, value] of [['graph root', storage.graphRoot], ['run root', storage.runRoot], ['signature policy path', image.signaturePolicyPath], ['events log file', eventsLogFile]] as const) {
    if (typeof value !== 'string' || !isAbsolute(value)) throw fail(`${field} "${value}" must be an absolute path`);
  }
  let driver: StorageDriver;
  if (storage.driver === null || storage.driver === undefined) driver = probe.overlaySupported() ? 'overlay' : 'vfs';
  else if (!(storageDrivers as readonly string[]).includes(storage.driver)) throw fail(`unknown storage driver "${storage.driver}": expected overlay or vfs`);
  else if (storage.driver === 'overlay' && !probe.overlaySupported()) throw fail('storage driver overlay is not supported by this kernel: use vfs');
  else driver = storage.driver;

  if (!(imageTransports as readonly string[]).includes(image.defaultTransport)) {
    throw fail(`unknown image transport "${image.defaultTransport}": expected one of ${imageTransports.join(' ')}`);
  }
  for (const registry of [...image.insecureRegistries, ...image.searchRegistries]) {
    if (!registryPattern.test(registry)) throw fail(`invalid registry "${registry}": expected host[:port][/namespace]`);
  }

  let ociRuntimePath: string | null;
  if (isAbsolute(engine.ociRuntime)) {
    ociRuntimePath = probe.isExecutable(engine.ociRuntime) ? engine.ociRuntime : null;
  } else {
    const candidates = engine.ociRuntimes[engine.ociRuntime];
    if (!candidates) throw fail(`unknown OCI runtime "${engine.ociRuntime}": expected one of ${Object.keys(engine.ociRuntimes).join(', ')} or an absolute path`);
    ociRuntimePath = candidates.find((path) => probe.isExecutable(path)) ?? null;
  }
  for (const path of engine.conmonPath) if (!isAbsolute(path)) throw fail(`conmon path "${path}" must be absolute`);
  const conmon = engine.conmonPath.find((path) => probe.isExecutable(path)) ?? null;
  for (const entry of engine.conmonEnv) if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(entry)) throw fail(`conmon environment entry "${entry}" must be NAME=value`);

  let cgroupManager: CgroupManager;
  if (engine.cgroupManager === null || engine.cgroupManager === undefined) cgroupManager = probe.systemdBooted() ? 'systemd' : 'cgroupfs';
  else if (!(cgroupManagers as readonly string[]).includes(engine.cgroupManager)) throw fail(`unknown cgroup manager "${engine.cgroupManager}": expected cgroupfs or systemd`);
  else if (engine.cgroupManager === 'systemd' && !probe.systemdBooted()) throw fail('cgroup manager systemd needs systemd as PID 1, which this host does not run: use cgroupfs');
  else cgroupManager = engine.cgroupManager;

  if (!Number.isInteger(containers.pidsLimit) || containers.pidsLimit < -1) throw fail(`pids limit ${containers.pidsLimit} must be an integer, -1 or more`);
  if (typeof containers.selinux !== 'boolean') throw fail('SELinux setting must be true or false');
  if (!Number.isSafeInteger(containers.logSizeMax) || containers.logSizeMax < -1) throw fail(`log size max ${containers.logSizeMax} must be an integer, -1 (unlimited) or more`);
  validateDefaultNetwork(config.network);

  return {
    ...config,
    storage: { ...storage, driver },
    engine: { ...engine, cgroupManager, eventsLogFile, ociRuntimePath, conmon },
  };
}

function validateDefaultNetwork(network: RuntimeConfig['network']): void {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(network.defaultNetwork)) throw fail(`default network name "${network.defaultNetwork}" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  if (network.defaultSubnet !== null && !/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(network.defaultSubnet)) throw fail(`default subnet "${network.defaultSubnet}" is not a CIDR`);
  if (network.defaultInterface !== null && !/^[a-zA-Z0-9_.-]{1,15}$/.test(network.defaultInterface)) {
    throw fail(`default network interface "${network.defaultInterface}" must be 1-15 characters of [a-zA-Z0-9_.-]`);
  }
}

/**
 * The options that open the store a front end's paths point at (the app context's RuntimePaths):
 * mode, config files and roots, plus the OCI runtime when the user named one (`--runtime`).
 */
export function optionsForPaths(paths: RuntimePaths, ociRuntime?: string): RuntimeOption[] {
  const options = [withMode(paths.mode), withConfigFiles(paths.configFiles), withStorageConfig({ graphRoot: paths.graphRoot, runRoot: paths.runRoot })];
  if (ociRuntime) options.push(withOCIRuntime(ociRuntime));
  return options;
}
