// The runtime (libpod/runtime.go, runtime_ctr.go, runtime_pod.go): the configuration, the open store,
// the object locks and the event log of one process. Daemonless: the GUI, the CLI and the web host
// each create their own Runtime on the same store; the store and its locks keep them consistent.
//
// Every verb has one shape: lock (pod before container) → sync from the store → check the state →
// act → save → emit the event. Verbs that only change the store do lock…save inside one write
// transaction (lock/lock-manager.ts runLocked); the event is written after the commit, so a reader
// woken by it always finds the change.
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PodbayError, hasCode } from '../../shared/errors.ts';
import { Container } from './container.ts';
import { conmonAliveSync, observeRuntime, removeContainerFilesSync, syncRecords } from './container-internal.ts';
import { applyImage, foldProcess, removeRootfs } from './container-rootfs.ts';
import type { ImageRuntime } from './image/image-runtime.ts';
import type { LifecycleContext } from './container-internal.ts';
import { cleanupContainer, stopContainer } from './container-lifecycle.ts';
import { OciRuntime, findOciRuntime } from './oci/oci-runtime.ts';
import type { ContainerPaths } from './oci/oci-runtime.ts';
import type { RuntimeHandle } from './container.ts';
import { volumeNames } from './container-config.ts';
import type { ContainerConfig, ContainerOption, ContainerSpec } from './container-config.ts';
import { checkHostNamespaces, checkMemberNetwork, checkPorts, checkRequestedNetworks, connectNewContainer, forgetContainerNetwork, publishExposedPorts } from './container-network.ts';
import type { NetworkCleanupReport, NetworkManager } from './network/network-manager.ts';
import { completeStorage } from './container-mounts.ts';
import { emitVolume, ensureVolumeDirs, missingVolumes, newVolume, pruneVolumes, removeVolume } from './runtime-volume.ts';
import type { RemoveVolumeOptions } from './runtime-volume.ts';
import type { VolumeOption, VolumeRecord } from './volume-config.ts';
import { volumeFilters } from './volume-filters.ts';
import { Volume } from './volume.ts';
import type { VolumePruneReport } from '../../shared/types/volumes.ts';
import { containerFilters } from './container-filters.ts';
import type { ContainerFilter } from './container-filters.ts';
import { hasMonitor, initialContainerState, isActive } from './container-state.ts';
import type { ContainerState } from './container-state.ts';
import { EventLog } from './events/event-log.ts';
import { LockManager, currentProcessIdentity, holderAlive } from './lock/lock-manager.ts';
import type { LockWaitOptions } from './lock/lock-manager.ts';
import { generateId, generateName, validateName } from './names.ts';
import { infraContainerRecord, memberNamespaces, podInfraNetwork, removePodFilesSync } from './pod-infra.ts';
import { Pod } from './pod.ts';
import type { PodConfig, PodOption } from './pod-config.ts';
import { podFilters } from './pod-filters.ts';
import type { PodFilter } from './pod-filters.ts';
import { optionsForPaths, resolveRuntimeConfig } from './runtime-config.ts';
import type { RuntimePaths } from './runtime-paths.ts';
import type { ResolvedRuntimeConfig, RuntimeDraft, RuntimeOption } from './runtime-config.ts';
import { openSqliteState, stateFileName } from './state/sqlite-state.ts';
import type { ContainerRecord, State } from './state/state.ts';
import { crashPoint } from './crash-point.ts';
import { claimCleanup, deferringExitCommand, releaseCleanup } from './oci/exit-command.ts';
import { ExitCleaner } from './oci/exit-cleaner.ts';

/** How removeContainer(s) wait and what goes with the containers. */
export interface RemoveContainerOptions extends LockWaitOptions {
  /** Seconds a forced removal waits after the stop signal before SIGKILL; default each container's. */
  timeout?: number;
  /** Remove the containers' anonymous volumes too (podman rm -v, and --rm). */
  volumes?: boolean;
}

export interface RuntimeDeps {
  /** The event log to write to; by default the config's `engine.eventsLogFile`. */
  events?: EventLog;
  now?: () => Date;
  /**
   * The built CLI (`dist/cli/podbay.js`) that conmon runs as the exit command (`container cleanup`);
   * null runs none (exits are then recorded on the next read). Default: found next to this process.
   */
  cliScript?: string | null;
}

/**
 * The CLI script for exit commands: $PODBAY_CLI_SCRIPT, this process's own script when it is the CLI,
 * else `dist/cli/podbay.js` of the checkout or package this code runs from. conmon execv()s the exit
 * command, so the path is made absolute.
 */
export function findCliScript(): string | null {
  const candidates: string[] = [];
  if (process.env.PODBAY_CLI_SCRIPT) candidates.push(process.env.PODBAY_CLI_SCRIPT);
  const self = process.argv[1] ?? '';
  if (/podbay(\.js)?$/.test(self)) candidates.push(self);
  if (self) candidates.push(join(dirname(self), '..', 'cli', 'podbay.js'), join(dirname(self), '..', 'dist', 'cli', 'podbay.js'));
  try {
    candidates.push(fileURLToPath(new URL('../../dist/cli/podbay.js', import.meta.url)));
  } catch {
    // bundled as CommonJS (Electron main): import.meta.url is not there
  }
  candidates.push(join(process.cwd(), 'dist', 'cli', 'podbay.js'));
  for (const candidate of candidates) {
    try {
      if (existsSync(candidate)) return realpathSync(candidate);
    } catch {
      // next candidate
    }
  }
  return null;
}

export class Runtime implements RuntimeDraft, RuntimeHandle, LifecycleContext {
  readonly draft: RuntimeDraft['draft'] = { mode: null, configFiles: null, probe: null, overrides: {}, busyTimeoutMs: null };
  #config: ResolvedRuntimeConfig | null = null;
  #state: State | null = null;
  #locks: LockManager | null = null;
  #events: EventLog | null = null;
  #stopped = false;
  readonly #now: () => Date;
  #cliScript: string | null | undefined;
  #exitCleaner: ExitCleaner | null = null;
  readonly #ociRuntimes = new Map<string, Promise<OciRuntime>>();
  #images: Promise<ImageRuntime> | null = null;
  #openedImages: ImageRuntime | null = null;
  #network: Promise<NetworkManager> | null = null;
  #openedNetwork: NetworkManager | null = null;

  private constructor(now: () => Date) {
    this.#now = now;
  }

  /**
   * Builds the configuration (defaults → config files → `options`), opens the store under the graph
   * root and finalizes. Invalid options → ErrInvalidArg; a bad store → ErrStoreCorrupt / ErrStoreTooNew.
   */
  static create(options: readonly RuntimeOption[] = [], deps: RuntimeDeps = {}): Runtime {
    const runtime = new Runtime(deps.now ?? (() => new Date()));
    for (const option of options) option(runtime);
    const config = resolveRuntimeConfig(runtime.draft);
    const state = openSqliteState(join(config.storage.graphRoot, stateFileName), runtime.draft.busyTimeoutMs === null ? {} : { busyTimeoutMs: runtime.draft.busyTimeoutMs });
    runtime.#config = config;
    runtime.#state = state;
    runtime.#locks = new LockManager(state);
    runtime.#events = deps.events ?? new EventLog(config.engine.eventsLogFile, runtime.#now);
    runtime.#cliScript = deps.cliScript;
    runtime.refreshAfterReboot();
    return runtime;
  }

  /**
   * libpod refresh(): `<runRoot>/alive` lives on the run root (a tmpfs), so its absence means the host
   * rebooted (or the run root was wiped): every container a conmon supervised is marked exited (created
   * ones go back to configured, as podman's do), then the file is written. A container whose conmon
   * still runs survived a wiped run root, not a reboot: it is left running (stop still reaches it).
   * Costs one stat when the file is there.
   */
  private refreshAfterReboot(): void {
    const config = this.#config as ResolvedRuntimeConfig;
    const alive = join(config.storage.runRoot, 'alive');
    if (existsSync(alive)) return;
    const state = this.#state as State;
    const stale = state.containersWithStatus(['created', 'running', 'paused', 'stopping']).filter((r) => !conmonAliveSync(r.state.conmonPid ?? 0));
    if (stale.length > 0) {
      const now = this.#now().toISOString();
      state.writeTransaction(() => {
        for (const record of stale) {
          const next: ContainerState = record.state.status === 'created'
            ? { ...record.state, status: 'configured', pid: 0, conmonPid: 0 }
            : { ...record.state, status: 'exited', pid: 0, conmonPid: 0, exitCode: record.state.exitCode ?? -1, finishedAt: record.state.finishedAt ?? now, error: 'the host rebooted (or the run root was removed) while the container ran' };
          state.saveContainer(record.config.id, next);
        }
      });
      for (const record of stale) if (record.state.status !== 'created') this.emitContainer('died', record.config, { exitCode: '-1' });
    }
    mkdirSync(config.storage.runRoot, { recursive: true, mode: 0o700 });
    writeFileSync(alive, '');
  }

  // LifecycleContext: what the container verbs (container-lifecycle.ts) use.

  settings(): Readonly<ResolvedRuntimeConfig> {
    this.ensureAlive();
    return this.#config as ResolvedRuntimeConfig;
  }

  /** The OCI runtime by name or path (default: the config's), found and set up once per process. */
  ociRuntime(nameOrPath: string | undefined): Promise<OciRuntime> {
    const config = this.settings();
    const key = nameOrPath ?? config.engine.ociRuntime;
    let found = this.#ociRuntimes.get(key);
    if (!found) {
      found = (async () => {
        const located = await findOciRuntime(key, config.engine.conmonPath);
        // Electron's own binary runs the exit command as plain Node only with this set.
        const electron = process.versions.electron ? ['ELECTRON_RUN_AS_NODE=1'] : [];
        return new OciRuntime({
          ...located,
          stateRoot: join(config.storage.runRoot, 'runtime', located.name),
          exitDir: this.exitDir(),
          persistRoot: this.persistRoot(),
          conmonEnv: [...config.engine.conmonEnv, ...electron],
        });
      })();
      found.catch(() => this.#ociRuntimes.delete(key));
      this.#ociRuntimes.set(key, found);
    }
    return found;
  }

  /**
   * The image store of this runtime's graph root (`<graphRoot>/storage.db`), opened on first use and
   * closed by shutdown: search and insecure registries from the config, removal refusing images that
   * containers use (the image ID each container recorded).
   */
  images(): Promise<ImageRuntime> {
    const config = this.settings();
    this.#images ??= (async () => {
      const [{ ImageRuntime }, { imageRegistriesConf }, { containerImageUsers }] = await Promise.all([
        import('./image/image-runtime.ts'),
        import('./image/registries-conf.ts'),
        import('./image/image-users.ts'),
      ]);
      const images: ImageRuntime = await ImageRuntime.open({
        graphRoot: config.storage.graphRoot,
        events: this.events(),
        registriesConf: () => imageRegistriesConf(config.image),
        signaturePolicyPath: config.image.signaturePolicyPath,
        isInUse: (id) => containerImageUsers(() => this, images.store).isInUse(id),
        removeUsers: (id) => containerImageUsers(() => this, images.store).removeUsers(id),
      });
      this.#openedImages = images;
      return images;
    })();
    this.#images.catch(() => (this.#images = null));
    return this.#images;
  }

  /**
   * The store's networks (`<graphRoot>/networks`, namespaces and netavark state under the run root),
   * opened on first use — only bridge containers and the network verbs need them — and closed by
   * shutdown. The default network is the config's [network] one.
   */
  network(): Promise<NetworkManager> {
    const config = this.settings();
    this.#network ??= (async () => {
      const { NetworkManager } = await import('./network/network-manager.ts');
      const manager = new NetworkManager({
        graphRoot: config.storage.graphRoot,
        runRoot: config.storage.runRoot,
        defaultNetwork: { name: config.network.defaultNetwork, subnet: config.network.defaultSubnet, interface: config.network.defaultInterface },
      });
      this.#openedNetwork = manager;
      return manager;
    })();
    this.#network.catch(() => (this.#network = null));
    return this.#network;
  }

  /**
   * Crash recovery for networks (NetworkManager.cleanupStale): the network of every container that
   * is no longer live — not created, running, paused or stopping, and not being started by a live
   * process (its lease) — is torn down, stray namespaces removed, addresses of dead containers freed
   * and connections of removed ones forgotten; with `sweep`, idle bridges go too. A store that never
   * had a network costs one stat.
   */
  async cleanupStaleNetworks(options: { sweep?: boolean; signal?: AbortSignal } = {}): Promise<NetworkCleanupReport | null> {
    const { graphRoot, runRoot } = this.settings().storage;
    if (!existsSync(join(graphRoot, 'networks'))) return null;
    // Without a sweep, only records of set-ups and namespaces can be stale: none means nothing to do,
    // and the network database is not even opened (the exit command of every container asks).
    if (options.sweep === false && !this.#network && !hasNetworkLeftovers(runRoot)) return null;
    const network = await this.network();
    const state = this.state();
    const self = currentProcessIdentity();
    const isLive = (id: string): boolean => {
      if (!state.hasContainer(id)) return false;
      const [record] = syncRecords(this, [state.container(id)]);
      if (record && (hasMonitor(record.state.status) || isActive(record.state.status))) return true;
      return state.locksOn([id]).some((lock) => holderAlive(lock, self));
    };
    return network.cleanupStale({ isLive, exists: (id) => state.hasContainer(id), ...options });
  }

  /** bundle = `<graphRoot>/containers/<id>/userdata` (config.json, attach, ctl, ctr.log); run dir under the run root. */
  containerPaths(id: string): ContainerPaths {
    const { graphRoot, runRoot } = this.settings().storage;
    const bundleDir = join(graphRoot, 'containers', id, 'userdata');
    return { bundleDir, runDir: join(runRoot, 'containers', id), logPath: join(bundleDir, 'ctr.log') };
  }

  exitDir(): string {
    return join(this.settings().storage.runRoot, 'exits');
  }

  persistRoot(): string {
    return join(this.settings().storage.runRoot, 'persist');
  }

  /**
   * For a process that lives on (the window, the web host): the containers it starts are cleaned up
   * here when they exit, and their exit commands stand down meanwhile (oci/exit-cleaner.ts). A CLI
   * command, which ends before its containers do, leaves that to the exit command.
   */
  cleanUpExitsInProcess(): void {
    this.ensureAlive();
    this.#exitCleaner ??= new ExitCleaner(this.exitDir(), async (id) => {
      if (this.#stopped) return;
      await cleanupContainer(this, id, async (target) => this.removeContainer(this.getContainer(target), false, { volumes: true }));
    });
  }

  /** Lifecycle hook: the container's process is about to start. */
  claimExitCleanup(id: string): void {
    this.#exitCleaner?.claim(id, this.containerPaths(id).runDir);
  }

  /** Lifecycle hook: the start failed, nothing of the run is left to clean. */
  dropExitCleanup(id: string): void {
    this.#exitCleaner?.drop(id);
  }

  exitCommand(id: string): { path: string; args: string[] } | null {
    if (this.#cliScript === undefined) this.#cliScript = findCliScript();
    if (!this.#cliScript) return null;
    const { graphRoot, runRoot } = this.settings().storage;
    const cleanup = { path: process.execPath, args: [this.#cliScript, '--root', graphRoot, '--runroot', runRoot, 'container', 'cleanup', id] };
    return deferringExitCommand(this.containerPaths(id).runDir, cleanup);
  }

  now(): Date {
    return this.#now();
  }

  /** The runtime on a front end's store paths (the CLI's --root/--runroot/--runtime, the app's defaults). */
  static forPaths(paths: RuntimePaths, extra: { ociRuntime?: string | undefined; events?: EventLog } = {}): Runtime {
    return Runtime.create(optionsForPaths(paths, extra.ociRuntime), extra.events ? { events: extra.events } : {});
  }

  get finalized(): boolean {
    return this.#config !== null;
  }

  /** As calling a libpod option on a live runtime: → ErrRuntimeFinalized (ErrRuntimeStopped after shutdown). */
  apply(option: RuntimeOption): void {
    this.ensureAlive();
    option(this);
  }

  private ensureAlive(): void {
    if (this.#stopped) throw new PodbayError('ErrRuntimeStopped', 'runtime has been shut down');
  }

  /** The open store (RuntimeHandle) → ErrRuntimeStopped after shutdown. */
  state(): State {
    this.ensureAlive();
    return this.#state as State;
  }

  config(): ResolvedRuntimeConfig {
    this.ensureAlive();
    return structuredClone(this.#config as ResolvedRuntimeConfig);
  }

  locks(): LockManager {
    this.ensureAlive();
    return this.#locks as LockManager;
  }

  events(): EventLog {
    this.ensureAlive();
    return this.#events as EventLog;
  }

  /**
   * Closes the store. With containers running, paused or stopping and `force` false → ErrCtrStateInvalid
   * naming them (synced with conmon first: one that exited does not count), and the runtime stays
   * usable. With `force`, they keep running under their conmon (daemonless: a later process finds them).
   * Afterwards every call → ErrRuntimeStopped.
   */
  shutdown(force: boolean): void {
    this.ensureAlive();
    const state = this.#state as State;
    const active = syncRecords(this, state.containersWithStatus(['running', 'paused', 'stopping'])).filter((c) => isActive(c.state.status));
    if (active.length > 0 && !force) {
      throw new PodbayError('ErrCtrStateInvalid', `cannot shut down with active containers (use force): ${active.map((c) => `${c.config.name} (${c.state.status})`).join(', ')}`);
    }
    this.#stopped = true;
    this.#exitCleaner?.close();
    this.#exitCleaner = null;
    this.#openedImages?.close();
    this.#openedImages = null;
    this.#openedNetwork?.close();
    this.#openedNetwork = null;
    state.close();
  }

  // Containers

  /**
   * Creates a container in the `configured` state (libpod NewContainer). It needs a rootfs path or an
   * image; a name is generated when none is given. Name or id taken (by a container or a pod) →
   * ErrCtrExists; its pod removed meanwhile → ErrNoSuchPod.
   */
  async newContainer(spec: ContainerSpec, options: readonly ContainerOption[] = [], wait: LockWaitOptions = {}): Promise<Container> {
    this.ensureAlive();
    const ctr = new Container(this, spec);
    for (const option of options) option(ctr);
    const draft = ctr.draft;
    if (!draft.rootfs && !draft.rootfsImage) throw new PodbayError('ErrInvalidArg', 'a container needs a rootfs path or an image');
    if (draft.rootfsImage) {
      // libpod resolves the image before the container exists: ErrNoSuchImage leaves nothing behind.
      const images = await this.images();
      const image = draft.rootfsImage.id ? images.store.getImage(draft.rootfsImage.id) : images.store.lookupImage(draft.rootfsImage.name);
      applyImage(draft, image);
      publishExposedPorts(draft, image.config);
    } else if (draft.spec.process.entrypoint) {
      foldProcess(draft, null);
    }
    completeStorage(draft);
    const state = this.state();
    if (draft.pod) {
      // A member joins what its pod's infra container holds, unless it chose a source itself.
      const podRecord = state.pod(draft.pod);
      const join = memberNamespaces(podRecord.config, podRecord.state.infraContainerId);
      // The host's namespace is a source chosen too (podman --pod P --pid host).
      if (join) for (const kind of join.kinds) if (!(draft.hostNamespaces as readonly string[] | undefined)?.includes(kind)) draft.sharedNamespaces[kind] ??= join.from;
    }
    checkHostNamespaces(draft);
    checkMemberNetwork(draft);
    checkPorts(draft);
    // The networks must exist before the container does (ErrNoSuchNetwork leaves nothing behind).
    const network = draft.networkMode === 'bridge' && !draft.sharedNamespaces.net ? await this.network() : null;
    if (network) checkRequestedNetworks(network, draft);
    let newVolumes: VolumeRecord[] = [];
    const record = await this.locks().runLocked(draft.pod ? [draft.pod] : [], () => {
      // Volumes it names that do not exist yet are created with it, in the same transaction (podman
      // creates `-v name:/dst` volumes on demand, and an anonymous one per image VOLUME).
      newVolumes = missingVolumes(state, draft.namedVolumes ?? [], this.#now());
      for (const volume of newVolumes) state.addVolume(volume);
      const config: ContainerConfig = {
        ...structuredClone(draft),
        id: generateId(),
        name: draft.name ?? generateName((name) => state.nameInUse(name)),
        createdAt: this.#now().toISOString(),
        ociRuntime: draft.ociRuntime ?? this.settings().engine.ociRuntime,
      };
      const rec: ContainerRecord = { config, state: initialContainerState() };
      state.addContainer(rec);
      return rec;
    }, wait);
    if (network) {
      // In the network database (ipam.db), after the container's commit: a failure removes the container again.
      try {
        await connectNewContainer(network, record.config);
      } catch (error) {
        await this.locks().runLocked([...(record.config.pod ? [record.config.pod] : []), record.config.id], () => state.removeContainer(record.config.id), {}).catch(() => undefined);
        throw error;
      }
    }
    ctr.finalize(record);
    crashPoint('create.recorded');
    for (const volume of newVolumes) {
      // Made again at first use if this fails: the record is what counts.
      try {
        ensureVolumeDirs(this.settings().storage.graphRoot, volume.config, true);
      } catch {
        // left for the container's start
      }
      emitVolume(this, 'create', volume.config);
    }
    // The volumes it uses ride on the event, so a volume list can show the new user without a re-list.
    const used = volumeNames(record.config);
    this.emitContainer('create', record.config, used.length ? { volumes: used.join(',') } : {});
    return ctr;
  }

  /** By full id → ErrNoSuchCtr. */
  getContainer(id: string): Container {
    return new Container(this, this.synced(this.state().container(id)));
  }

  /** The record as conmon says it is now (an exit recorded, a dead monitor noticed). */
  private synced(record: ContainerRecord): ContainerRecord {
    return hasMonitor(record.state.status) ? (syncRecords(this, [record])[0] as ContainerRecord) : record;
  }

  /** By full id, unique id prefix or name (State.lookupContainerId for the errors). */
  lookupContainer(idOrName: string): Container {
    const state = this.state();
    return new Container(this, this.synced(state.container(state.lookupContainerId(idOrName))));
  }

  hasContainer(id: string): boolean {
    return this.state().hasContainer(id);
  }

  /** Every container passing all `filters`, oldest first (libpod GetContainers). */
  containers(...filters: ContainerFilter[]): Container[] {
    // Only containers a conmon supervises are synced (a few file reads each): 1,000 configured cost nothing.
    const records = this.state().allContainers();
    const monitored = records.filter((r) => hasMonitor(r.state.status));
    const synced = monitored.length > 0 ? new Map(syncRecords(this, monitored).map((r) => [r.config.id, r])) : null;
    const all = records.map((record) => new Container(this, synced?.get(record.config.id) ?? record));
    return filters.length === 0 ? all : all.filter((c) => filters.every((f) => f(c)));
  }

  /** `containers` with podman's key=values filters (container-filters.ts). */
  listContainers(filters: Record<string, readonly string[]> = {}): Container[] {
    return this.containers(...containerFilters(filters, () => this.state().allPods()));
  }

  /**
   * Removes a container (libpod RemoveContainer). Active (running, paused, stopping) without force →
   * ErrCtrStateInvalid; with force it is stopped first (its stop timeout, or `wait.timeout`). Then its
   * runtime state, bundle and run dir go too. Other containers joining its namespaces → ErrCtrExists.
   * Already removed → ErrCtrRemoved.
   */
  async removeContainer(ctr: Container, force: boolean, wait: RemoveContainerOptions = {}): Promise<void> {
    const [error] = (await this.removeContainers([ctr], force, wait)).values();
    if (error) throw error;
  }

  /**
   * Removes several containers in one write transaction — one disk sync for the lot, which is what
   * makes `rm -a` of a thousand containers fast — each in its own savepoint with its own outcome, as
   * removeContainer would give it. A container that others in the set depend on is retried after
   * them. With `volumes`, the anonymous volumes of the removed containers go too (podman rm -v),
   * unless another container still uses one. Returns each container's id → null (removed) or its error.
   */
  async removeContainers(ctrs: readonly Container[], force: boolean, wait: RemoveContainerOptions = {}): Promise<Map<string, PodbayError | null>> {
    this.ensureAlive();
    // The run dirs of the containers whose cleanup this process claims (oci/exit-command.ts).
    const claimed: string[] = [];
    try {
      return await this.removeContainersClaiming(ctrs, force, wait, claimed);
    } finally {
      // One that was not removed (its run dir is still there) is the exit command's again.
      for (const dir of claimed) releaseCleanup(dir);
    }
  }

  private async removeContainersClaiming(ctrs: readonly Container[], force: boolean, wait: RemoveContainerOptions, claimed: string[]): Promise<Map<string, PodbayError | null>> {
    const state = this.state();
    const stopErrors = new Map<string, PodbayError>();
    if (force) {
      // libpod removeContainer(force): stop first, each with its own outcome, all at once.
      // One query for the active ones, synced with conmon (an exited one needs no stop).
      const activeIds = new Set(syncRecords(this, state.containersWithStatus(['running', 'paused', 'stopping'])).filter((r) => isActive(r.state.status)).map((r) => r.config.id));
      const active = ctrs.filter((c) => c.valid() && activeIds.has(c.id()));
      // This process removes what it stops: their exit commands stand down.
      for (const c of active) {
        const { runDir } = this.containerPaths(c.id());
        if (claimCleanup(runDir)) claimed.push(runDir);
      }
      await Promise.all(active.map(async (c) => {
        try {
          await stopContainer(this, c.id(), { ...(wait.timeout !== undefined ? { timeout: wait.timeout } : {}), ...(wait.signal ? { signal: wait.signal } : {}) });
        } catch (error) {
          if (!hasCode(error, 'ErrCtrRemoved')) stopErrors.set(c.id(), error instanceof PodbayError ? error : new PodbayError('ErrInternal', String(error), { cause: error }));
        }
      }));
    }
    const lockIds = [...new Set(ctrs.flatMap((c) => [c.podId(), c.id()]).filter((id): id is string => id !== null))];
    // Pods first, then containers: the documented lock order.
    lockIds.sort((a, b) => Number(state.hasPod(b)) - Number(state.hasPod(a)));
    const outcome = await this.locks().runLocked(lockIds, () => {
      const results = new Map<string, PodbayError | (ContainerRecord & { died?: boolean })>();
      let pending = ctrs.map((c) => c.id());
      for (let progress = true; pending.length > 0 && progress; ) {
        progress = false;
        const retry: string[] = [];
        for (const id of pending) {
          const stopError = stopErrors.get(id);
          if (stopError) {
            results.set(id, stopError);
            continue;
          }
          try {
            results.set(id, state.writeTransaction(() => this.removeOneLocked(id, force)));
            progress = true;
          } catch (error) {
            const typed = error instanceof PodbayError ? error : new PodbayError('ErrInternal', String(error), { cause: error });
            results.set(id, typed);
            if (typed.code === 'ErrCtrExists') retry.push(id);
          }
        }
        pending = retry;
      }
      return results;
    }, wait);
    const out = new Map<string, PodbayError | null>();
    const runtimeLeftovers: ContainerRecord[] = [];
    for (const ctr of ctrs) {
      const result = outcome.get(ctr.id());
      if (result instanceof PodbayError) {
        if (result.code === 'ErrCtrRemoved') ctr.invalidate();
        out.set(ctr.id(), result);
      } else if (result) {
        ctr.invalidate();
        if (result.state.status !== 'configured' || existsSync(join(this.settings().storage.graphRoot, 'containers', result.config.id))) runtimeLeftovers.push(result);
        out.set(ctr.id(), null);
      }
    }
    // After the commit: the runtime's state and our files of containers that have run. A crash here
    // leaves only garbage under the run and graph roots, never a record without its files.
    crashPoint('remove.recorded');
    const removed = ctrs.map((c) => outcome.get(c.id())).filter((r): r is ContainerRecord => r !== undefined && !(r instanceof PodbayError));
    await Promise.all([
      ...runtimeLeftovers.map((record) => this.removeLeftovers(record, 'remove')),
      // A network that was never up still has connections and maybe addresses to forget.
      ...removed.filter((r) => !runtimeLeftovers.includes(r)).map((r) => forgetContainerNetwork(this, r.config).catch(() => undefined)),
    ]);
    for (const ctr of ctrs) {
      const result = outcome.get(ctr.id());
      if (result && !(result instanceof PodbayError)) {
        if ((result as { died?: boolean }).died) this.emitContainer('died', result.config, { exitCode: String(result.state.exitCode ?? -1) });
        this.emitContainer('remove', result.config);
      }
    }
    if (wait.volumes) {
      const removed = ctrs.flatMap((c) => {
        const result = outcome.get(c.id());
        return result && !(result instanceof PodbayError) ? [result.config] : [];
      });
      await this.removeAnonymousVolumes(removed);
    }
    return out;
  }

  /**
   * What a removed container that has run leaves after the store's commit: its state in the OCI
   * runtime, its network (a failure there is left to cleanupStale), its rootfs and files.
   */
  /** `verb` names the crash points (`remove.…`, `pod-remove.…`) between the steps. */
  private async removeLeftovers(record: ContainerRecord, verb: 'remove' | 'pod-remove'): Promise<void> {
    const storage = async () => {
      if (record.state.status !== 'configured') {
        const oci = await this.ociRuntime(record.config.ociRuntime).catch(() => null);
        await oci?.deleteContainer(record.config.id, { force: true }).catch(() => undefined);
        crashPoint(`${verb}.runtime-deleted`);
      }
      // Never delete a tree that is still mounted: a failed unmount leaves the files for `system check`.
      return record.config.rootfsImage ? removeRootfs(this.settings().storage.graphRoot, record.config.id).then(() => true, () => false) : true;
    };
    // The process is gone (removal needs it so): its network goes at the same time as the runtime's state and the rootfs.
    const [, unmounted] = await Promise.all([forgetContainerNetwork(this, record.config).catch(() => undefined), storage()]);
    if (!unmounted) return;
    crashPoint(`${verb}.rootfs-removed`);
    removeContainerFilesSync(this, record.config.id);
    crashPoint(`${verb}.member-removed`);
  }

  /** libpod removeContainer(removeVolume): each anonymous volume no other container uses; failures only logged by podman, ignored here. */
  private async removeAnonymousVolumes(configs: readonly ContainerConfig[]): Promise<void> {
    const state = this.state();
    for (const name of new Set(configs.flatMap((c) => (c.namedVolumes ?? []).filter((v) => v.anonymous).map((v) => v.name)))) {
      if (!state.hasVolume(name) || state.volumeUsers(name).length > 0) continue;
      await removeVolume(this, this.getVolume(name), false).catch(() => undefined);
    }
  }

  // Volumes (runtime-volume.ts has the verbs)

  /** Creates a named volume (libpod NewVolume); see runtime-volume.ts newVolume. */
  newVolume(options: readonly VolumeOption[] = [], extra: { ignoreIfExists?: boolean } = {}): Promise<Volume> {
    this.ensureAlive();
    return newVolume(this, options, extra);
  }

  /** By exact name → ErrNoSuchVolume. */
  getVolume(name: string): Volume {
    return new Volume(this, this.state().volume(name));
  }

  /** By exact name or unique name prefix (State.lookupVolumeName for the errors). */
  lookupVolume(nameOrPrefix: string): Volume {
    const state = this.state();
    return new Volume(this, state.volume(state.lookupVolumeName(nameOrPrefix)));
  }

  hasVolume(name: string): boolean {
    return this.state().hasVolume(name);
  }

  /** Every volume passing podman's `volume ls` filters (volume-filters.ts), oldest first. */
  listVolumes(filters: Record<string, readonly string[]> = {}): Volume[] {
    const state = this.state();
    const tests = volumeFilters(filters, { lookup: (name) => state.volume(state.lookupVolumeName(name)) });
    const users = tests.length > 0 ? state.allVolumeUsers() : new Map<string, string[]>();
    return state.allVolumes().filter((r) => tests.every((t) => t(r, users.get(r.config.name) ?? []))).map((r) => new Volume(this, r));
  }

  /** Removes a volume (libpod RemoveVolume): in use without force → ErrVolumeBeingUsed; see runtime-volume.ts. */
  removeVolume(vol: Volume, force: boolean, options: RemoveVolumeOptions = {}): Promise<string[]> {
    this.ensureAlive();
    return removeVolume(this, vol, force, options);
  }

  /** Removes the volumes no container uses (libpod PruneVolumes), filtered by label, label! and until. */
  pruneVolumes(filters: Record<string, readonly string[]> = {}): Promise<VolumePruneReport> {
    this.ensureAlive();
    return pruneVolumes(this, filters);
  }

  /** Inside the write transaction: sync, check, remove. */
  private removeOneLocked(id: string, force: boolean): ContainerRecord & { died?: boolean } {
    const state = this.state();
    if (!state.hasContainer(id)) throw new PodbayError('ErrCtrRemoved', `container ${id} has already been removed`);
    // Synced inside the transaction: a container that just exited is removable, its exit kept.
    const stored = state.container(id);
    const observed = observeRuntime(stored, this);
    const record: ContainerRecord & { died?: boolean } = observed ? { config: stored.config, state: observed, died: true } : stored;
    if (isActive(record.state.status)) {
      if (!force) throw new PodbayError('ErrCtrStateInvalid', `cannot remove container ${id} as it is ${record.state.status} - running or paused containers cannot be removed without force`);
      throw new PodbayError('ErrCtrStateInvalid', `container ${id} is ${record.state.status} again (started while it was being removed): try again`);
    }
    state.removeContainer(id);
    if (record.state.exitCode !== null) state.recordExitCode(id, record.state.exitCode);
    return record;
  }

  /** Renames (libpod RenameContainer) → ErrInvalidArg for a bad name, ErrCtrExists if taken. */
  async renameContainer(ctr: Container, newName: string, wait: LockWaitOptions = {}): Promise<Container> {
    this.ensureAlive();
    validateName(newName, 'container');
    const state = this.state();
    const id = ctr.id();
    const pod = ctr.podId();
    const oldName = await this.locks().runLocked(pod ? [pod, id] : [id], () => {
      const record = state.container(id);
      state.renameContainer(id, newName);
      return record.config.name;
    }, wait);
    const renamed = this.getContainer(id);
    this.emitContainer('rename', renamed.configuration(), { oldName });
    return renamed;
  }

  // Pods

  /** Creates an empty pod (libpod NewPod); its name taken by a pod or a container → ErrPodExists. */
  async newPod(options: readonly PodOption[] = []): Promise<Pod> {
    this.ensureAlive();
    const pod = new Pod(this);
    for (const option of options) option(pod);
    const state = this.state();
    const graphRoot = this.settings().storage.graphRoot;
    const { draft } = pod;
    const infraNetwork = podInfraNetwork(draft);
    const network = infraNetwork.networkMode === 'bridge' ? await this.network() : null;
    if (network) checkRequestedNetworks(network, infraNetwork);
    let infra: ContainerRecord | null = null;
    let record;
    try {
      record = state.writeTransaction(() => {
        const config: PodConfig = {
          id: generateId(),
          name: draft.name ?? generateName((name) => state.nameInUse(name)),
          labels: { ...draft.labels },
          createdAt: this.#now().toISOString(),
          infra: draft.infra,
          sharedNamespaces: draft.infra ? [...draft.sharedNamespaces] : [],
          ...(draft.hostname ? { hostname: draft.hostname } : {}),
        };
        // The infra container is added with the pod: both or neither (libpod createInfraContainer).
        infra = draft.infra ? infraContainerRecord(config, graphRoot, this.settings().engine.ociRuntime, infraNetwork) : null;
        const rec = { config, state: { infraContainerId: infra?.config.id ?? null } };
        state.addPod(rec, infra ? [infra] : []);
        return rec;
      });
    } catch (error) {
      const failed = infra as ContainerRecord | null;
      if (failed?.config.pod) removePodFilesSync(graphRoot, failed.config.pod);
      throw error;
    }
    const created = infra as ContainerRecord | null;
    if (network && created) {
      try {
        await connectNewContainer(network, created.config);
      } catch (error) {
        // The pod and its infra go again: both or neither.
        await this.removePod(new Pod(this, record), true).catch(() => undefined);
        throw error;
      }
    }
    pod.finalize(record);
    this.events().write({ type: 'pod', action: 'create', id: record.config.id, name: record.config.name, attributes: { ...record.config.labels } });
    if (created) this.emitContainer('create', created.config);
    return pod;
  }

  getPod(id: string): Pod {
    return new Pod(this, this.state().pod(id));
  }

  lookupPod(idOrName: string): Pod {
    const state = this.state();
    return new Pod(this, state.pod(state.lookupPodId(idOrName)));
  }

  hasPod(id: string): boolean {
    return this.state().hasPod(id);
  }

  pods(...filters: PodFilter[]): Pod[] {
    const all = this.state().allPods().map((record) => new Pod(this, record));
    return filters.length === 0 ? all : all.filter((p) => filters.every((f) => f(p)));
  }

  listPods(filters: Record<string, readonly string[]> = {}): Pod[] {
    return this.pods(...podFilters(filters));
  }

  /**
   * Removes a pod and all its containers in one transaction (libpod RemovePod with removeCtrs): any
   * active container without force → ErrCtrStateInvalid and nothing is removed; with force, active
   * containers are stopped first (one that cannot be → ErrCtrStateInvalid, nothing removed). A container
   * added concurrently is seen: the member list is read inside the transaction. Returns the ids of
   * the containers removed.
   */
  async removePod(pod: Pod, force: boolean, wait: LockWaitOptions = {}): Promise<string[]> {
    this.ensureAlive();
    const state = this.state();
    const id = pod.id();
    const marked = force && state.hasPod(id) && this.markPodRemoving(id, true);
    if (marked) {
      const members = syncRecords(this, state.podContainers(id)).filter((c) => isActive(c.state.status));
      await Promise.all(members.map((m) => stopContainer(this, m.config.id, wait.signal ? { signal: wait.signal } : {}).catch(() => undefined)));
    }
    const result = await this.locks().runLocked(
      () => (state.hasPod(id) ? [id, ...state.podContainers(id).map((c) => c.config.id)] : [id]),
      () => {
        if (!state.hasPod(id)) return null;
        const record = state.pod(id);
        const members = state.podContainers(id);
        const active = members.filter((c) => isActive(c.state.status));
        if (active.length > 0) {
          const names = active.map((c) => `${c.config.name} (${c.state.status})`).join(', ');
          if (!force) throw new PodbayError('ErrCtrStateInvalid', `pod ${record.config.name} has active containers: ${names}: use force to remove it`);
          throw new PodbayError('ErrCtrStateInvalid', `pod ${record.config.name} has containers that could not be stopped: ${names}`);
        }
        state.removePodContainers(id);
        state.removePod(id);
        return { record, members };
      },
      wait,
    ).catch((error: unknown) => {
      if (marked) this.markPodRemoving(id, false);
      throw error;
    });
    pod.invalidate();
    if (!result) throw new PodbayError('ErrPodRemoved', `pod ${id} has already been removed`);
    crashPoint('pod-remove.recorded');
    for (const member of result.members) await this.removeLeftovers(member, 'pod-remove');
    removePodFilesSync(this.settings().storage.graphRoot, id);
    for (const member of result.members) this.emitContainer('remove', member.config);
    this.events().write({ type: 'pod', action: 'remove', id, name: result.record.config.name, attributes: { ...result.record.config.labels } });
    return result.members.map((m) => m.config.id);
  }

  /**
   * Sets or clears the pod's `removing` mark (in one transaction, so a container added concurrently
   * either lands before it — and is removed with the pod — or is refused). False if the pod is gone.
   */
  private markPodRemoving(id: string, removing: boolean): boolean {
    const state = this.state();
    try {
      state.writeTransaction(() => {
        const { removing: _was, ...rest } = state.pod(id).state;
        state.savePod(id, removing ? { ...rest, removing: currentProcessIdentity() } : rest);
      });
      return true;
    } catch (error) {
      if (hasCode(error, 'ErrNoSuchPod')) return false;
      throw error;
    }
  }

  emitContainer(action: string, config: ContainerConfig, extra: Record<string, string> = {}): void {
    const attributes: Record<string, string> = { ...config.labels, ...extra };
    attributes.image = config.rootfsImage?.name ?? config.rootfs ?? '';
    if (config.pod) attributes.podId = config.pod;
    this.events().write({ type: 'container', action, id: config.id, name: config.name, attributes });
  }
}

/** Any network attachment record or container namespace under the run root (cheap: two readdirs). */
function hasNetworkLeftovers(runRoot: string): boolean {
  const entries = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  return entries(join(runRoot, 'network-attachments')).some((f) => f.endsWith('.json')) || entries(join(runRoot, 'netns')).some((f) => f.startsWith('netns-') && f !== 'netns-scratch');
}
