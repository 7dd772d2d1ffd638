// The runtime (libpod/runtime.go, runtime_ctr.go, runtime_pod.go): the configuration, the open store,
// the object locks and the event log of one process. Daemonless: the GUI, the CLI and the web host
// each create their own Runtime on the same store; the store and its locks keep them consistent.
//
// Every verb has one shape: lock (pod before container) → sync from the store → check the state →
// act → save → emit the event. Verbs that only change the store do lock…save inside one write
// transaction (lock/lock-manager.ts runLocked); the event is written after the commit, so a reader
// woken by it always finds the change.
import { join } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import { Container } from './container.ts';
import type { RuntimeHandle } from './container.ts';
import type { ContainerConfig, ContainerOption, ContainerSpec } from './container-config.ts';
import { containerFilters } from './container-filters.ts';
import type { ContainerFilter } from './container-filters.ts';
import { initialContainerState, isActive } from './container-state.ts';
import { EventLog } from './events/event-log.ts';
import { LockManager } from './lock/lock-manager.ts';
import type { LockWaitOptions } from './lock/lock-manager.ts';
import { generateId, generateName, validateName } from './names.ts';
import { Pod } from './pod.ts';
import type { PodConfig, PodOption } from './pod-config.ts';
import { podFilters } from './pod-filters.ts';
import type { PodFilter } from './pod-filters.ts';
import { optionsForPaths, resolveRuntimeConfig } from './runtime-config.ts';
import type { RuntimePaths } from './runtime-paths.ts';
import type { ResolvedRuntimeConfig, RuntimeDraft, RuntimeOption } from './runtime-config.ts';
import { openSqliteState, stateFileName } from './state/sqlite-state.ts';
import type { ContainerRecord, State } from './state/state.ts';

export interface RuntimeDeps {
  /** The event log to write to; by default the config's `engine.eventsLogFile`. */
  events?: EventLog;
  now?: () => Date;
}

export class Runtime implements RuntimeDraft, RuntimeHandle {
  readonly draft: RuntimeDraft['draft'] = { mode: null, configFiles: null, probe: null, overrides: {}, busyTimeoutMs: null };
  #config: ResolvedRuntimeConfig | null = null;
  #state: State | null = null;
  #locks: LockManager | null = null;
  #events: EventLog | null = null;
  #stopped = false;
  readonly #now: () => Date;

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
    return runtime;
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
   * naming them, and the runtime stays usable. With `force`, they are left to their conmon (stopping
   * them is the OCI lifecycle's, a later issue). Afterwards every call → ErrRuntimeStopped.
   */
  shutdown(force: boolean): void {
    this.ensureAlive();
    const state = this.#state as State;
    const active = state.allContainers().filter((c) => isActive(c.state.status));
    if (active.length > 0 && !force) {
      throw new PodbayError('ErrCtrStateInvalid', `cannot shut down with active containers (use force): ${active.map((c) => `${c.config.name} (${c.state.status})`).join(', ')}`);
    }
    this.#stopped = true;
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
    const state = this.state();
    const record = await this.locks().runLocked(draft.pod ? [draft.pod] : [], () => {
      const config: ContainerConfig = {
        ...structuredClone(draft),
        id: generateId(),
        name: draft.name ?? generateName((name) => state.nameInUse(name)),
        createdAt: this.#now().toISOString(),
      };
      const rec: ContainerRecord = { config, state: initialContainerState() };
      state.addContainer(rec);
      return rec;
    }, wait);
    ctr.finalize(record);
    this.emitContainer('create', record.config);
    return ctr;
  }

  /** By full id → ErrNoSuchCtr. */
  getContainer(id: string): Container {
    return new Container(this, this.state().container(id));
  }

  /** By full id, unique id prefix or name (State.lookupContainerId for the errors). */
  lookupContainer(idOrName: string): Container {
    const state = this.state();
    return new Container(this, state.container(state.lookupContainerId(idOrName)));
  }

  hasContainer(id: string): boolean {
    return this.state().hasContainer(id);
  }

  /** Every container passing all `filters`, oldest first (libpod GetContainers). */
  containers(...filters: ContainerFilter[]): Container[] {
    const all = this.state().allContainers().map((record) => new Container(this, record));
    return filters.length === 0 ? all : all.filter((c) => filters.every((f) => f(c)));
  }

  /** `containers` with podman's key=values filters (container-filters.ts). */
  listContainers(filters: Record<string, readonly string[]> = {}): Container[] {
    return this.containers(...containerFilters(filters, () => this.state().allPods()));
  }

  /**
   * Removes a container (libpod RemoveContainer). Active (running, paused, stopping) without force →
   * ErrCtrStateInvalid; with force it would need stopping, which is the OCI lifecycle's (a later issue)
   * → ErrNotImplemented, nothing removed. Other containers joining its namespaces → ErrCtrExists.
   * Already removed → ErrCtrRemoved.
   */
  async removeContainer(ctr: Container, force: boolean, wait: LockWaitOptions = {}): Promise<void> {
    const [error] = (await this.removeContainers([ctr], force, wait)).values();
    if (error) throw error;
  }

  /**
   * Removes several containers in one write transaction — one disk sync for the lot, which is what
   * makes `rm -a` of a thousand containers fast — each in its own savepoint with its own outcome, as
   * removeContainer would give it. A container that others in the set depend on is retried after
   * them. Returns each container's id → null (removed) or its error.
   */
  async removeContainers(ctrs: readonly Container[], force: boolean, wait: LockWaitOptions = {}): Promise<Map<string, PodbayError | null>> {
    this.ensureAlive();
    const state = this.state();
    const lockIds = [...new Set(ctrs.flatMap((c) => [c.podId(), c.id()]).filter((id): id is string => id !== null))];
    // Pods first, then containers: the documented lock order.
    lockIds.sort((a, b) => Number(state.hasPod(b)) - Number(state.hasPod(a)));
    const outcome = await this.locks().runLocked(lockIds, () => {
      const results = new Map<string, PodbayError | ContainerRecord>();
      let pending = ctrs.map((c) => c.id());
      for (let progress = true; pending.length > 0 && progress; ) {
        progress = false;
        const retry: string[] = [];
        for (const id of pending) {
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
    for (const ctr of ctrs) {
      const result = outcome.get(ctr.id());
      if (result instanceof PodbayError) {
        if (result.code === 'ErrCtrRemoved') ctr.invalidate();
        out.set(ctr.id(), result);
      } else if (result) {
        ctr.invalidate();
        this.emitContainer('remove', result.config);
        out.set(ctr.id(), null);
      }
    }
    return out;
  }

  /** Inside the write transaction: sync, check, remove. */
  private removeOneLocked(id: string, force: boolean): ContainerRecord {
    const state = this.state();
    if (!state.hasContainer(id)) throw new PodbayError('ErrCtrRemoved', `container ${id} has already been removed`);
    const record = state.container(id);
    if (isActive(record.state.status)) {
      if (!force) throw new PodbayError('ErrCtrStateInvalid', `cannot remove container ${id} as it is ${record.state.status} - running or paused containers cannot be removed without force`);
      throw new PodbayError('ErrNotImplemented', `removing ${record.state.status} container ${id} needs it stopped first, which comes with the OCI lifecycle`);
    }
    state.removeContainer(id);
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
    const record = state.writeTransaction(() => {
      const config: PodConfig = {
        id: generateId(),
        name: pod.draft.name ?? generateName((name) => state.nameInUse(name)),
        labels: { ...pod.draft.labels },
        createdAt: this.#now().toISOString(),
      };
      const rec = { config, state: { infraContainerId: null } };
      state.addPod(rec);
      return rec;
    });
    pod.finalize(record);
    this.events().write({ type: 'pod', action: 'create', id: record.config.id, name: record.config.name, attributes: { ...record.config.labels } });
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
   * containers need stopping (OCI lifecycle, later) → ErrNotImplemented, nothing removed. A container
   * added concurrently is seen: the member list is read inside the transaction. Returns the ids of
   * the containers removed.
   */
  async removePod(pod: Pod, force: boolean, wait: LockWaitOptions = {}): Promise<string[]> {
    this.ensureAlive();
    const state = this.state();
    const id = pod.id();
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
          throw new PodbayError('ErrNotImplemented', `removing pod ${record.config.name} needs its containers stopped first (${names}), which comes with the OCI lifecycle`);
        }
        state.removePodContainers(id);
        state.removePod(id);
        return { record, members };
      },
      wait,
    );
    pod.invalidate();
    if (!result) throw new PodbayError('ErrPodRemoved', `pod ${id} has already been removed`);
    for (const member of result.members) this.emitContainer('remove', member.config);
    this.events().write({ type: 'pod', action: 'remove', id, name: result.record.config.name, attributes: { ...result.record.config.labels } });
    return result.members.map((m) => m.config.id);
  }

  private emitContainer(action: string, config: ContainerConfig, extra: Record<string, string> = {}): void {
    const attributes: Record<string, string> = { ...config.labels, ...extra };
    attributes.image = config.rootfsImage?.name ?? config.rootfs ?? '';
    if (config.pod) attributes.podId = config.pod;
    this.events().write({ type: 'container', action, id: config.id, name: config.name, attributes });
  }
}
