// Builds the OCI runtime spec podman would write for a plain rootful container (runtime-tools
// defaults + podman's SpecGenToOCI + libpod generateSpec; ../shared/reference/libpod-internals.md §5),
// and merges an image config with the user's options as podman's makeCommand / CompleteSpec do.
// Everything here is pure: host facts (cgroup version, the caller's rlimits, the resolved user) come in
// as options, so the same inputs always give the same config.json.
import { posix } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';
import type { RlimitInfo } from '../../../shared/types/system-info.ts';
import { parseSignal } from '../container-config.ts';
import { convertSeccompProfile, goArch } from './seccomp.ts';
import type { SeccompProfile } from './seccomp.ts';
import type { OciCapabilities, OciIdMapping, OciMount, OciNamespace, OciNamespaceType, OciResources, OciRlimit, OciSpec } from './spec.ts';

/** podman 5's default_capabilities (common/pkg/config DefaultCapabilities). */
export const defaultCapabilities: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_NET_BIND_SERVICE',
  'CAP_SETFCAP', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SETUID', 'CAP_SYS_CHROOT',
];

export const defaultMaskedPaths: readonly string[] = [
  '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/sched_debug', '/proc/scsi',
  '/proc/timer_list', '/proc/timer_stats', '/sys/devices/virtual/powercap', '/sys/firmware',
  '/sys/fs/selinux', '/proc/interrupts',
];

export const defaultReadonlyPaths: readonly string[] = [
  '/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger',
];

export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** podman's define.RLimitDefaultValue for NOFILE and NPROC, before clamping. */
export const defaultRlimitValue = 1048576;

/** The cgroupfs parent Podbay containers live under (libpod's is /libpod_parent). */
export const defaultCgroupParent = '/podbay_parent';

export type NamespaceMode = 'private' | 'host' | { path: string };

export interface SpecNamespaces {
  pid?: NamespaceMode;
  network?: NamespaceMode;
  ipc?: NamespaceMode;
  uts?: NamespaceMode;
  /** Default: private on cgroup v2, host on v1 (podman's CgroupNS default). */
  cgroup?: NamespaceMode;
}

export interface SpecMount {
  destination: string;
  /** "bind" or "tmpfs". */
  type: 'bind' | 'tmpfs';
  source?: string;
  options?: string[];
}

export interface SpecGeneratorOptions {
  id: string;
  /** Absolute path of the mounted root filesystem. */
  rootfs: string;
  readOnlyRootfs?: boolean;
  /** podman --read-only-tmpfs: with a read-only rootfs, /dev stays writable (the caller adds the tmpfs dirs). */
  readOnlyTmpfs?: boolean;
  /** Where /etc/hosts, /etc/resolv.conf, /etc/hostname and /run/.containerenv are bound from. */
  userdataDir: string;
  /** Final argv, after `mergeImageConfig`. */
  args: string[];
  /** Final environment "K=V", after `mergeImageConfig`; HOSTNAME, HOME and TERM are added if unset. */
  env: string[];
  cwd: string;
  user: { uid: number; gid: number; additionalGids?: number[]; home?: string };
  terminal?: boolean;
  /** Default: the first 12 characters of the id. Set in the spec only with a private UTS namespace. */
  hostname?: string;
  namespaces?: SpecNamespaces;
  cgroupVersion: 'v1' | 'v2';
  /** cgroupfs parent; the container's cgroup is `<parent>/podbay-<id>`. */
  cgroupParent?: string;
  /**
   * false: no cgroupsPath and no limits in the spec (rootless without a delegated cgroup v2 tree,
   * where the runtime cannot make one; limits were refused before). Default true.
   */
  cgroups?: boolean;
  /** The calling process's limits (`readRlimits()`): what the runtime may set without CAP_SYS_RESOURCE. */
  hostRlimits: readonly RlimitInfo[];
  /** True only with CAP_SYS_RESOURCE: then podman's 1048576 defaults are kept. */
  canRaiseRlimits?: boolean;
  /** Replace the defaults (containers.conf default_ulimits / --ulimit); still clamped. */
  ulimits?: OciRlimit[];
  /** 0 or negative: unlimited (no pids controller setting). */
  pidsLimit?: number;
  memoryLimitBytes?: number;
  /** Fractional CPUs as --cpus: quota = cpus × period. */
  cpus?: number;
  stopSignal?: number;
  /** Seconds; recorded for systemd as libpod does. */
  stopTimeout?: number;
  annotations?: Record<string, string>;
  capAdd?: string[];
  capDrop?: string[];
  mounts?: SpecMount[];
  /** A host directory bound on /dev/shm (pods share the infra container's); default: a private tmpfs. */
  shmDir?: string;
  /** catatonit on the host: bound at /run/podman-init and prepended as `/run/podman-init --`. */
  initPath?: string;
  /**
   * A containers/common profile (`loadSeccompProfile()`: /usr/share/containers/seccomp.json), converted
   * for this container's capabilities; null or absent runs unconfined (podman --security-opt seccomp=unconfined).
   */
  seccompProfile?: SeccompProfile | null;
  /** GOARCH and `uname -r` of the host, which the profile's conditions test. */
  hostArch?: string;
  kernel?: string;
  /** Seccomp architectures the kernel cannot run (system/kernel-abis.ts), left out of the filter. */
  absentSeccompArchitectures?: string[];
  /** Extra sysctls (--sysctl); podman's ping_group_range default comes first. */
  sysctl?: Record<string, string>;
  /** A user namespace of the container's own with these maps (podman --userns=keep-id). */
  userNamespace?: { uidMappings: OciIdMapping[]; gidMappings: OciIdMapping[] };
}

/**
 * Returns the config.json content. Throws ErrInvalidArg for a relative cwd, empty args, unknown
 * capabilities or a bad limit. Mounts are sorted by destination depth (libpod sortMounts), stable.
 */
export function generateSpec(options: SpecGeneratorOptions): OciSpec {
  if (options.args.length === 0) throw new PodbayError('ErrInvalidArg', 'the container has no command to run');
  if (!posix.isAbsolute(options.cwd)) throw new PodbayError('ErrInvalidArg', `working directory "${options.cwd}" must be absolute`);
  const namespaces = buildNamespaces(options);
  const privateUts = namespaces.some((n) => n.type === 'uts' && !n.path);
  const hostname = options.hostname ?? options.id.slice(0, 12);
  const isRoot = options.user.uid === 0;
  const args = options.initPath ? ['/run/podman-init', '--', ...options.args] : [...options.args];
  const capabilities = buildCapabilities(isRoot, options.capAdd ?? [], options.capDrop ?? []);
  const privateNet = namespaces.some((n) => n.type === 'network' && !n.path);
  // podman lets unprivileged processes ping in a private network namespace (no CAP_NET_RAW needed).
  const sysctl = { ...(privateNet ? { 'net.ipv4.ping_group_range': '0 0' } : {}), ...(options.sysctl ?? {}) };

  const spec: OciSpec = {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: options.terminal ?? false,
      user: {
        uid: options.user.uid,
        gid: options.user.gid,
        umask: 0o022,
        ...(options.user.additionalGids?.length ? { additionalGids: [...options.user.additionalGids] } : {}),
      },
      args,
      env: completeEnv(options.env, {
        HOSTNAME: hostname,
        HOME: options.user.home ?? (isRoot ? '/root' : '/'),
        ...(options.terminal ? { TERM: 'xterm' } : {}),
      }),
      cwd: options.cwd,
      capabilities,
      rlimits: clampRlimits(options.ulimits ?? defaultRlimits(), options.hostRlimits, options.canRaiseRlimits ?? false),
    },
    root: { path: options.rootfs, readonly: options.readOnlyRootfs ?? false },
    ...(privateUts ? { hostname } : {}),
    mounts: sortMounts(buildMounts(options, namespaces)),
    annotations: buildAnnotations(options),
    linux: {
      namespaces,
      ...(options.userNamespace ? { uidMappings: options.userNamespace.uidMappings.map((m) => ({ ...m })), gidMappings: options.userNamespace.gidMappings.map((m) => ({ ...m })) } : {}),
      resources: options.cgroups === false ? { devices: [{ allow: false, access: 'rwm' }] } : buildResources(options),
      ...(options.cgroups === false ? {} : { cgroupsPath: `${options.cgroupParent ?? defaultCgroupParent}/podbay-${options.id}` }),
      maskedPaths: [...defaultMaskedPaths],
      readonlyPaths: [...defaultReadonlyPaths],
      ...(Object.keys(sysctl).length ? { sysctl } : {}),
      ...(options.seccompProfile
        ? { seccomp: convertSeccompProfile(options.seccompProfile, { arch: options.hostArch ?? goArch(), capabilities: capabilities.bounding, kernel: options.kernel ?? '0.0', absentArchitectures: options.absentSeccompArchitectures ?? [] }) }
        : {}),
    },
  };
  return spec;
}

function buildNamespaces(options: SpecGeneratorOptions): OciNamespace[] {
  const wanted: [OciNamespaceType, NamespaceMode][] = [
    ['pid', options.namespaces?.pid ?? 'private'],
    ['network', options.namespaces?.network ?? 'private'],
    ['ipc', options.namespaces?.ipc ?? 'private'],
    ['uts', options.namespaces?.uts ?? 'private'],
    ['mount', 'private'],
    ...(options.userNamespace ? [['user', 'private'] as [OciNamespaceType, NamespaceMode]] : []),
    ['cgroup', options.namespaces?.cgroup ?? (options.cgroupVersion === 'v2' ? 'private' : 'host')],
  ];
  const result: OciNamespace[] = [];
  for (const [type, mode] of wanted) {
    if (mode === 'host') continue;
    if (mode === 'private') result.push({ type });
    else {
      if (!posix.isAbsolute(mode.path)) throw new PodbayError('ErrInvalidArg', `${type} namespace path "${mode.path}" must be absolute`);
      result.push({ type, path: mode.path });
    }
  }
  return result;
}

const capabilityName = /^CAP_[A-Z_]+$/;

function normalizeCap(cap: string): string {
  const upper = cap.toUpperCase();
  const name = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!capabilityName.test(name)) throw new PodbayError('ErrInvalidArg', `invalid capability "${cap}"`);
  return name;
}

/**
 * Root: bounding = effective = permitted = the list. Non-root: only added capabilities are effective
 * (podman securityConfigureGenerator). Inheritable is always empty (CVE-2022-27649).
 */
function buildCapabilities(isRoot: boolean, capAdd: string[], capDrop: string[]): OciCapabilities {
  const drop = new Set(capDrop.map(normalizeCap));
  const add = capAdd.map(normalizeCap);
  const dropAll = drop.has('CAP_ALL');
  const list = [...new Set([...(dropAll ? [] : defaultCapabilities), ...add])].filter((c) => !drop.has(c) || add.includes(c));
  const effective = isRoot ? list : add.filter((c) => list.includes(c));
  return { bounding: list, effective: [...effective], inheritable: [], permitted: [...effective], ambient: isRoot ? [] : [...effective] };
}

function defaultRlimits(): OciRlimit[] {
  return [
    { type: 'RLIMIT_NOFILE', hard: defaultRlimitValue, soft: defaultRlimitValue },
    { type: 'RLIMIT_NPROC', hard: defaultRlimitValue, soft: defaultRlimitValue },
  ];
}

/**
 * Clamps each limit to the caller's hard limit (podman does the same when it lacks CAP_SYS_RESOURCE):
 * a runtime cannot raise a hard limit without it and fails the whole create with EPERM.
 * A limit the caller does not report is kept as asked.
 */
export function clampRlimits(wanted: readonly OciRlimit[], host: readonly RlimitInfo[], canRaise: boolean): OciRlimit[] {
  return wanted.map((limit) => {
    if (!/^RLIMIT_[A-Z]+$/.test(limit.type)) throw new PodbayError('ErrInvalidArg', `invalid rlimit type "${limit.type}"`);
    if (limit.soft > limit.hard) throw new PodbayError('ErrInvalidArg', `${limit.type}: soft limit ${limit.soft} is above the hard limit ${limit.hard}`);
    const hostHard = host.find((h) => h.resource === limit.type)?.hard;
    if (canRaise || hostHard === undefined || hostHard === null) return { ...limit };
    const hard = Math.min(limit.hard, hostHard);
    return { type: limit.type, hard, soft: Math.min(limit.soft, hard) };
  });
}

/** Adds `defaults` whose keys `env` lacks; `env` wins (podman adds HOSTNAME/HOME/TERM only if unset). */
function completeEnv(env: readonly string[], defaults: Record<string, string>): string[] {
  const keys = new Set(env.map((e) => e.split('=', 1)[0]));
  return [...env, ...Object.entries(defaults).filter(([k]) => !keys.has(k)).map(([k, v]) => `${k}=${v}`)];
}

function buildMounts(options: SpecGeneratorOptions, namespaces: OciNamespace[]): OciMount[] {
  const ro = options.readOnlyRootfs ?? false;
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'noexec', 'strictatime', 'mode=755', 'size=65536k', ...(ro && !options.readOnlyTmpfs ? ['ro'] : [])] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    options.shmDir
      ? { destination: '/dev/shm', type: 'bind', source: options.shmDir, options: ['bind', 'rprivate', 'nosuid', 'noexec', 'nodev'] }
      : { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
  ];
  // A new sysfs needs a network namespace other than the host's — a private one, the container's
  // own made for a bridge network, or its pod's; with the host's, bind the host /sys (libpod oci_linux.go).
  const privateNet = namespaces.some((n) => n.type === 'network');
  mounts.push(privateNet
    ? { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] }
    : { destination: '/sys', type: 'bind', source: '/sys', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'ro', 'rbind'] });
  mounts.push({ destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['rprivate', 'nosuid', 'noexec', 'nodev', 'relatime', 'ro'] });

  const fileOptions = ['bind', 'rprivate', ...(ro ? ['ro', 'nosuid', 'noexec', 'nodev'] : [])];
  for (const [destination, file] of [['/etc/hostname', 'hostname'], ['/etc/hosts', 'hosts'], ['/etc/resolv.conf', 'resolv.conf'], ['/run/.containerenv', '.containerenv']] as const) {
    mounts.push({ destination, type: 'bind', source: posix.join(options.userdataDir, file), options: [...fileOptions] });
  }
  if (options.initPath) {
    mounts.push({ destination: '/run/podman-init', type: 'bind', source: options.initPath, options: ['bind', 'rprivate', 'ro', 'nosuid', 'nodev'] });
  }
  for (const mount of options.mounts ?? []) {
    if (!posix.isAbsolute(mount.destination)) throw new PodbayError('ErrInvalidArg', `mount destination "${mount.destination}" must be absolute`);
    if (mount.type === 'bind') {
      if (!mount.source || !posix.isAbsolute(mount.source)) throw new PodbayError('ErrInvalidArg', `bind mount source for ${mount.destination} must be an absolute path`);
      const opts = mount.options ?? [];
      mounts.push({ destination: mount.destination, type: 'bind', source: mount.source, options: [opts.includes('bind') || opts.includes('rbind') ? '' : 'rbind', ...opts].filter(Boolean) });
    } else {
      mounts.push({ destination: mount.destination, type: 'tmpfs', source: 'tmpfs', options: mount.options ?? ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'] });
    }
  }
  // A user mount replaces a default on the same destination (podman: user mounts win).
  const byDestination = new Map<string, OciMount>();
  for (const mount of mounts) {
    byDestination.delete(posix.normalize(mount.destination));
    byDestination.set(posix.normalize(mount.destination), mount);
  }
  return [...byDestination.values()];
}

/** Parents before children, otherwise in order (libpod sortMounts: by number of path components). */
export function sortMounts(mounts: readonly OciMount[]): OciMount[] {
  const depth = (m: OciMount) => posix.normalize(m.destination).split('/').filter(Boolean).length;
  return mounts.map((m, i) => ({ m, i })).sort((a, b) => depth(a.m) - depth(b.m) || a.i - b.i).map(({ m }) => m);
}

function buildResources(options: SpecGeneratorOptions): OciResources {
  const resources: OciResources = { devices: [{ allow: false, access: 'rwm' }] };
  if (options.memoryLimitBytes !== undefined) {
    if (!Number.isInteger(options.memoryLimitBytes) || options.memoryLimitBytes < 6 * 1024 * 1024) {
      throw new PodbayError('ErrInvalidArg', 'memory limit must be an integer of at least 6 MiB (podman\'s minimum)');
    }
    resources.memory = { limit: options.memoryLimitBytes };
  }
  if (options.cpus !== undefined) {
    if (!(options.cpus > 0)) throw new PodbayError('ErrInvalidArg', `invalid CPU count ${options.cpus}: must be above 0`);
    const period = 100_000;
    resources.cpu = { period, quota: Math.round(options.cpus * period) };
  }
  if (options.pidsLimit !== undefined && options.pidsLimit > 0) resources.pids = { limit: options.pidsLimit };
  return resources;
}

function buildAnnotations(options: SpecGeneratorOptions): Record<string, string> {
  const signal = options.stopSignal ?? 15;
  return {
    ...(options.annotations ?? {}),
    'io.container.manager': 'podbay',
    'org.opencontainers.image.stopSignal': String(signal),
    'org.systemd.property.KillSignal': String(signal),
    ...(options.stopTimeout !== undefined ? { 'org.systemd.property.TimeoutStopUSec': `uint64 ${options.stopTimeout * 1_000_000}` } : {}),
  };
}

/** The parts of an image config (image-spec config.md `config`) that a container inherits. */
export interface ImageProcessConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  StopSignal?: string;
  Labels?: Record<string, string> | null;
  Volumes?: Record<string, unknown> | null;
}

export interface UserProcessOptions {
  /** Replaces the image's entrypoint; `[""]` means none (podman --entrypoint ""). */
  entrypoint?: string[];
  command?: string[];
  /** Highest precedence. */
  env?: Record<string, string>;
  workdir?: string;
  user?: string;
  stopSignal?: number | string;
  labels?: Record<string, string>;
}

export interface MergedProcessConfig {
  args: string[];
  /** The two halves of `args` (libpod's config Entrypoint and Command), which commit writes back. */
  entrypoint: string[];
  command: string[];
  env: string[];
  cwd: string;
  /** Still a name or id: resolve it with `resolveUser` against the rootfs. */
  user: string;
  stopSignal: number;
  labels: Record<string, string>;
  /** Image VOLUME paths, for the caller to back with anonymous volumes. */
  volumes: string[];
}

/**
 * podman's makeCommand and CompleteSpec: argv = entrypoint ++ command, where the image Cmd is used
 * only when the user gave neither a command nor an entrypoint; env precedence is
 * {PATH, container} < image Env < user env; image labels unless the user set the same key.
 * `image` null means no image config (a rootfs path, or useImageConfig off).
 */
export function mergeImageConfig(image: ImageProcessConfig | null, user: UserProcessOptions): MergedProcessConfig {
  const entrypoint = user.entrypoint ?? image?.Entrypoint ?? [];
  const args = entrypoint.length === 1 && entrypoint[0] === '' ? [] : [...entrypoint];
  const command = user.command && user.command.length > 0
    ? user.command
    : (user.entrypoint === undefined || user.entrypoint.length === 0 ? image?.Cmd ?? [] : []);
  args.push(...command);
  if (args.length === 0) throw new PodbayError('ErrInvalidArg', 'no command or entrypoint provided, and no CMD or ENTRYPOINT from image');

  const env = new Map<string, string>([['PATH', defaultPath], ['container', 'podman']]);
  for (const entry of image?.Env ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  for (const [key, value] of Object.entries(user.env ?? {})) {
    if (key === '' || key.includes('=')) throw new PodbayError('ErrInvalidArg', `invalid environment variable name "${key}"`);
    env.set(key, value);
  }

  const cwd = user.workdir || image?.WorkingDir || '/';
  if (!posix.isAbsolute(cwd)) throw new PodbayError('ErrInvalidArg', `working directory "${cwd}" must be absolute`);
  const stopSignal = user.stopSignal !== undefined
    ? parseSignal(user.stopSignal)
    : image?.StopSignal ? parseSignal(image.StopSignal) : 15;

  return {
    args,
    entrypoint: args.slice(0, args.length - command.length),
    command: [...command],
    env: [...env].map(([k, v]) => `${k}=${v}`),
    cwd,
    user: user.user ?? image?.User ?? '',
    stopSignal,
    labels: { ...(image?.Labels ?? {}), ...(user.labels ?? {}) },
    volumes: Object.keys(image?.Volumes ?? {}).sort(),
  };
}
