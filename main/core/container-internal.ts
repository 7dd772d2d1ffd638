// Helpers of the container verbs that assume the caller holds the container's lock or lease
// (libpod/container_internal.go): where a container's files live, how its state is synced with
// conmon's exit file, and how it is created in the OCI runtime (libpod init).
//
// The sync reads a few small files synchronously (exit file, conmon's /proc comm) so it can run
// inside a store transaction and inside listings without making them async; it costs nothing for
// containers that no conmon supervises (configured, exited), which is what keeps `ps -a` fast.
import { hostname as osHostname } from 'node:os';
import { containersGetCgroups } from './rootless/rootless-limits.ts';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerConfig } from './container-config.ts';
import { holdRootfs, releaseRootfs } from './container-mount-holds.ts';
import { ownsNetwork, usesSlirp } from './container-config.ts';
import { stopSlirpNetwork, teardownContainerNetwork } from './container-network.ts';
import { stopSlirp4netnsSync } from './rootless/slirp4netns.ts';
import { keepIdUser, writeKeepIdUserFiles } from './rootless/keep-id.ts';
import { hasVolumeMounts, prepareContainerMounts, releaseContainerVolumes } from './container-volumes.ts';
import { envRecord } from './container-rootfs.ts';
import { hasMonitor } from './container-state.ts';
import type { ContainerState } from './container-state.ts';
import type { EventLog } from './events/event-log.ts';
import { containerLockTargets, currentProcessIdentity, holderAlive } from './lock/lock-manager.ts';
import type { LockManager, ProcessIdentity } from './lock/lock-manager.ts';
import type { NetworkManager } from './network/network-manager.ts';
import type { ContainerPaths, CreatedContainer, OciRuntime } from './oci/oci-runtime.ts';
import { prepareSpec } from './oci/prepare-spec.ts';
import { mergeImageConfig } from './oci/spec-generator.ts';
import type { SpecMount, SpecNamespaces } from './oci/spec-generator.ts';
import { readRootfsUserFiles, resolveUser } from './oci/user-resolver.ts';
import type { ResolvedRuntimeConfig } from './runtime-config.ts';
import type { ContainerRecord, LockRow, State } from './state/state.ts';
import { crashPoint } from './crash-point.ts';

/** What the container verbs need of their runtime (implemented by Runtime; no import cycle). */
export interface LifecycleContext {
  state(): State;
  locks(): LockManager;
  events(): EventLog;
  /** The resolved configuration, not a copy: read it, never change it. */
  settings(): Readonly<ResolvedRuntimeConfig>;
  /** The OCI runtime a container was created with (its config's `ociRuntime`), found once per process. */
  ociRuntime(nameOrPath: string | undefined): Promise<OciRuntime>;
  containerPaths(id: string): ContainerPaths;
  /** Where conmon writes exit files and persist dirs (shared by every OCI runtime). */
  exitDir(): string;
  persistRoot(): string;
  /** `podbay container cleanup <id>` for conmon to run at exit, or null when no CLI script is known. */
  exitCommand(id: string): { path: string; args: string[] } | null;
  /** This process cleans the container up when it exits (long-lived processes only: oci/exit-cleaner.ts). */
  claimExitCleanup?(id: string): void;
  /** Undoes claimExitCleanup after a failed start. */
  dropExitCleanup?(id: string): void;
  now(): Date;
  emitContainer(action: string, config: ContainerConfig, extra?: Record<string, string>): void;
  /** The store's networks (opened on first use): only containers with a bridge network need it. */
  network(): Promise<NetworkManager>;
}

/** What the exit file says, read without awaiting (libpod checkExitFile). */
export interface ObservedExit {
  exitCode: number;
  finishedAt: Date;
  oomKilled: boolean;
}

export function readExitFileSync(exitDir: string, persistRoot: string, id: string): ObservedExit | null {
  const path = join(exitDir, id);
  let text: string;
  let ctime: Date;
  try {
    text = readFileSync(path, 'utf8');
    ctime = statSync(path).ctime;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const trimmed = text.trim();
  // conmon writes the file atomically, so a partial one means someone else wrote it: treat as unknown.
  const exitCode = /^-?\d+$/.test(trimmed) ? Number(trimmed) : -1;
  return { exitCode, finishedAt: ctime, oomKilled: existsSync(join(persistRoot, id, 'oom')) };
}

/** Whether `pid` is a live conmon (not a recycled pid): /proc/<pid>/comm. */
export function conmonAliveSync(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'conmon';
  } catch {
    return false;
  }
}

/**
 * The state a container is really in, when it differs from the stored one; null when the store is
 * right. Only containers a conmon supervises are checked, and only those whose conmon pid is known
 * (records from before the lifecycle, or written by tests, are trusted as they are):
 *  - an exit file → exited with its code, finish time (the file's ctime) and OOM flag;
 *  - no exit file and no conmon → exited with an error: the monitor died (killed, or the run root
 *    vanished), so nothing will ever report this run's end; the container is never left "running".
 */
export function observeRuntime(record: ContainerRecord, ctx: Pick<LifecycleContext, 'exitDir' | 'persistRoot'>): ContainerState | null {
  const { state, config } = record;
  if (!hasMonitor(state.status) || !((state.conmonPid ?? 0) > 0)) return null;
  // Alive first, then the file: conmon writes the file before it exits, so "dead and no file" is sure.
  const alive = conmonAliveSync(state.conmonPid ?? 0);
  const exit = readExitFileSync(ctx.exitDir(), ctx.persistRoot(), config.id);
  if (exit) {
    return { ...state, status: 'exited', pid: 0, conmonPid: 0, exitCode: exit.exitCode, finishedAt: exit.finishedAt.toISOString(), oomKilled: exit.oomKilled, error: null };
  }
  if (alive) return null;
  return {
    ...state,
    status: 'exited',
    pid: 0,
    conmonPid: 0,
    exitCode: -1,
    finishedAt: new Date().toISOString(),
    oomKilled: false,
    error: `conmon (pid ${state.conmonPid}) is gone and recorded no exit code: the container's monitor was killed or the host rebooted`,
  };
}

/** Removes conmon's exit file and persist dir once the store has the exit (libpod does it after saving). */
export function removeExitFilesSync(ctx: Pick<LifecycleContext, 'exitDir' | 'persistRoot'>, id: string): void {
  rmSync(join(ctx.exitDir(), id), { force: true });
  rmSync(join(ctx.persistRoot(), id), { recursive: true, force: true });
}

/**
 * Brings the stored states of `records` up to date with conmon in one write transaction (one disk
 * sync however many changed), then emits `died` for each and removes their exit files. Records a
 * live lease of another process covers are left to that process (it is acting on them and syncs
 * itself). Returns the records as they now are, in the same order.
 */
export function syncRecords(ctx: LifecycleContext, records: readonly ContainerRecord[], ownToken: string | null = null): ContainerRecord[] {
  const changes = new Map<string, ContainerState>();
  for (const record of records) {
    const observed = observeRuntime(record, ctx);
    if (observed) changes.set(record.config.id, observed);
  }
  if (changes.size === 0) return [...records];
  const state = ctx.state();
  const saved = state.writeTransaction(() => {
    const done = new Map<string, ContainerRecord>();
    for (const [id, next] of changes) {
      if (!state.hasContainer(id)) continue;
      const current = state.container(id);
      const before = records.find((r) => r.config.id === id)?.state;
      // Another process changed it since we read it (restarted it, or already recorded the exit).
      if (!before || current.state.status !== before.status || current.state.conmonPid !== before.conmonPid) continue;
      if (state.locksOn([id]).some((lock) => lock.token !== ownToken && leaseAlive(lock))) continue;
      state.saveContainer(id, next);
      done.set(id, { config: current.config, state: next });
    }
    return done;
  });
  for (const record of saved.values()) {
    removeExitFilesSync(ctx, record.config.id);
    ctx.emitContainer('died', record.config, { exitCode: String(record.state.exitCode ?? -1) });
  }
  return records.map((r) => saved.get(r.config.id) ?? (changes.has(r.config.id) ? { config: r.config, state: changes.get(r.config.id) as ContainerState } : r));
}

let self: ProcessIdentity | null = null;

function leaseAlive(lock: LockRow): boolean {
  self ??= currentProcessIdentity();
  return holderAlive(lock, self);
}

const catatonitPaths = ['/usr/libexec/podman/catatonit', '/usr/bin/catatonit', '/usr/local/bin/catatonit'];

export interface InitOptions {
  /** Keep a stdin pipe for an attach (-i), whatever the config says. */
  stdin?: boolean;
  /** Namespaces joined by path (another container's /proc/<pid>/ns/*): override the config's. */
  namespaces?: SpecNamespaces;
  /** The network namespace at `namespaces.network` is the container's own (its bridge network). */
  ownNetns?: boolean;
  /** Ask for CreatedContainer.exitWatch (slirp4netns's exit fd). */
  exitWatch?: boolean;
  signal?: AbortSignal;
}

/**
 * libpod init(): mounts an image container's rootfs (container-rootfs.ts), builds the spec (podman's
 * defaults with the container's options — the image config was merged in at creation —, rlimits
 * clamped, the pids limit of the runtime config), then conmon + `<runtime> create`. The container is
 * then in the runtime's "created" state, its process waiting for start. On failure the runtime side is
 * already gone and the rootfs unmounted.
 */
export async function initContainer(ctx: LifecycleContext, config: ContainerConfig, oci: OciRuntime, options: InitOptions = {}): Promise<CreatedContainer> {
  if (config.rootfs) return initWithRootfs(ctx, config, config.rootfs, oci, options);
  if (!config.rootfsImage) throw new PodbayError('ErrInvalidArg', `container ${config.name} has neither a rootfs nor an image`);
  // The run's own hold on the rootfs (libpod state.Mounted): a user's `podbay mount` keeps it mounted past the run.
  const rootfs = await holdRootfs(ctx, config, { kind: 'run' });
  crashPoint('start.rootfs-mounted');
  try {
    return await initWithRootfs(ctx, config, rootfs, oci, options);
  } catch (error) {
    await releaseRootfs(ctx, config, { kind: 'run' }).catch(() => undefined);
    throw error;
  }
}

/**
 * libpod cleanup(): once the container no longer runs, its network is torn down (the bridge stays for
 * the next container), the run's hold on an image container's rootfs dropped — it is unmounted unless
 * a user mount (`podbay mount`) or a temporary hold keeps it; its writable layer stays for the next
 * start — and its volumes released, under its lease so a start by another process cannot slip in
 * between. `locked`: the caller already holds the lease. Both parts run; the first error is thrown after.
 */
export async function cleanupStopped(ctx: LifecycleContext, config: ContainerConfig, locked: boolean): Promise<void> {
  if (!config.rootfsImage && !hasVolumeMounts(config) && !ownsNetwork(config) && !usesSlirp(config)) return;
  const release = async () => {
    stopSlirpNetwork(ctx, config);
    const results = await Promise.allSettled([teardownContainerNetwork(ctx, config), unmountStorage(ctx, config)]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  if (locked) return release();
  const store = ctx.state();
  if (!store.hasContainer(config.id)) return;
  const handle = await ctx.locks().acquire(containerLockTargets(config), {});
  try {
    if (!store.hasContainer(config.id)) return;
    const [record] = syncRecords(ctx, [store.container(config.id)], handle.token);
    if (record && !hasMonitor(record.state.status)) await release();
  } finally {
    handle.release();
  }
}

/** The rootfs unmounted, then the volumes no running container needs any more (libpod cleanupStorage). */
async function unmountStorage(ctx: LifecycleContext, config: ContainerConfig): Promise<void> {
  // The run's own hold only: a user's `podbay mount` keeps the rootfs mounted (container-mount-holds.ts).
  if (config.rootfsImage) await releaseRootfs(ctx, config, { kind: 'run' });
  await releaseContainerVolumes(ctx, config);
}

/** The host's catatonit, which an infra container runs (bound at /catatonit). */
export function infraCatatonit(): string {
  const found = catatonitPaths.find((p) => existsSync(p));
  if (!found) throw new PodbayError('ErrInvalidArg', `a pod's infra container needs catatonit, which is not installed (looked in ${catatonitPaths.join(', ')}): apt-get install catatonit`);
  return found;
}

async function initWithRootfs(ctx: LifecycleContext, config: ContainerConfig, rootfs: string, oci: OciRuntime, options: InitOptions): Promise<CreatedContainer> {
  const settings = ctx.settings();
  const proc = config.spec.process;
  const merged = mergeImageConfig(null, {
    command: proc.args,
    env: envRecord(proc.env),
    ...(proc.cwd ? { workdir: proc.cwd } : {}),
    ...(proc.user ? { user: proc.user } : {}),
    stopSignal: config.stopSignal,
    labels: config.labels,
  });
  let initPath: string | undefined;
  if (config.init) {
    initPath = catatonitPaths.find((p) => existsSync(p));
    if (!initPath) throw new PodbayError('ErrInvalidArg', `--init needs catatonit, which is not installed (looked in ${catatonitPaths.join(', ')}): apt-get install catatonit`);
  }
  const paths = ctx.containerPaths(config.id);
  const resources = config.resources ?? {};
  const storageMounts = await containerStorageMounts(ctx, config, rootfs, merged.user);
  const fromHost = config.hostNamespaces ?? [];
  // keep-id: the user gets passwd and group entries when the image has none for them (podman).
  if (config.idMappings) storageMounts.unshift(...(await writeKeepIdUserFiles(rootfs, paths.bundleDir, await keepIdUser())));
  const spec = await prepareSpec({
    id: config.id,
    name: config.name,
    rootfs,
    userdataDir: paths.bundleDir,
    process: merged,
    terminal: proc.terminal ?? false,
    // The host's UTS namespace keeps the host's name (podman --uts host): /etc/hostname says it too.
    ...(fromHost.includes('uts') ? { hostname: osHostname() } : config.spec.hostname ? { hostname: config.spec.hostname } : {}),
    // The host's IPC namespace comes with the host's /dev/shm, as podman binds it for --ipc host.
    ...(fromHost.includes('ipc') ? { shmDir: '/dev/shm' } : {}),
    pidsLimit: resources.pidsLimit ?? settings.containers.pidsLimit,
    cgroups: await containersGetCgroups(),
    stopSignal: config.stopSignal,
    stopTimeout: config.stopTimeout ?? 10,
    annotations: config.annotations,
    ...(resources.memoryBytes !== undefined ? { memoryLimitBytes: resources.memoryBytes } : {}),
    ...(resources.cpus !== undefined ? { cpus: resources.cpus } : {}),
    ...(initPath ? { initPath } : {}),
    // As podman for a network namespace of the container's own: ping without CAP_NET_RAW.
    ...(options.ownNetns ? { sysctl: { 'net.ipv4.ping_group_range': '0 0' } } : {}),
    ...(config.networkMode === 'host' || options.namespaces || fromHost.length ? { namespaces: { ...(config.networkMode === 'host' ? { network: 'host' as const } : {}), ...options.namespaces, ...Object.fromEntries(fromHost.map((kind) => [kind, 'host' as const])) } } : {}),
    ...(config.isInfra || storageMounts.length ? { mounts: [...(config.isInfra ? [{ destination: '/catatonit', type: 'bind' as const, source: infraCatatonit(), options: ['bind', 'rprivate', 'ro', 'nosuid', 'nodev'] }] : []), ...storageMounts] } : {}),
    ...(config.readOnlyRootfs ? { readOnlyRootfs: true, readOnlyTmpfs: config.readOnlyTmpfs !== false } : {}),
    ...(config.idMappings ? { userNamespace: config.idMappings } : {}),
  });
  const exitCommand = ctx.exitCommand(config.id);
  const logSizeMax = config.logSizeMax ?? settings.containers.logSizeMax;
  return oci.createContainer({
    id: config.id,
    name: config.name,
    spec,
    ...paths,
    ...(logSizeMax > 0 ? { logSizeMax } : {}),
    stdin: options.stdin ?? config.stdin ?? false,
    ...(exitCommand ? { exitCommand } : {}),
    ...(options.exitWatch ? { exitWatch: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** The spec mounts of the container's binds, tmpfs and volumes (container-volumes.ts), for its resolved user. */
async function containerStorageMounts(ctx: LifecycleContext, config: ContainerConfig, rootfs: string, userName: string): Promise<SpecMount[]> {
  if (!config.mounts?.length && !config.namedVolumes?.length && !config.readOnlyRootfs) return [];
  const { passwd, group } = await readRootfsUserFiles(rootfs);
  const user = resolveUser(userName, passwd, group);
  return prepareContainerMounts(ctx, config, rootfs, { uid: user.uid, gid: user.gid });
}

/** Removes the container's bundle (graph root) and run dir, and conmon's files for it. */
export function removeContainerFilesSync(ctx: LifecycleContext, id: string): void {
  const paths = ctx.containerPaths(id);
  rmSync(join(paths.bundleDir, '..'), { recursive: true, force: true, maxRetries: 3 });
  // Its pid file goes with the run dir: a slirp4netns no cleanup ended must end now.
  stopSlirp4netnsSync(paths.runDir);
  rmSync(paths.runDir, { recursive: true, force: true });
  removeExitFilesSync(ctx, id);
}
