// A container of the store (libpod/container.go): its configuration, which never changes once it is
// created, and its state, re-read from the store on demand so a change made by another process is
// seen. Objects are cheap views: the store, not the object, is the truth.
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerConfig, ContainerConfigDraft, ContainerDraft, ContainerOption, ContainerSpec } from './container-config.ts';
import { newContainerDraft } from './container-config.ts';
import type { ContainerState, ContainerStatus } from './container-state.ts';
import { syncRecords } from './container-internal.ts';
import type { LifecycleContext } from './container-internal.ts';
import {
  attachToContainer,
  containerLogs,
  execInContainer,
  killContainer,
  pauseContainer,
  restartContainer,
  startContainer,
  stopContainer,
  unpauseContainer,
  waitContainer,
} from './container-lifecycle.ts';
import type { ContainerAttachSession, ExecOptions, LogsOptions, StartOptions, StopOptions } from './container-lifecycle.ts';
import type { LockWaitOptions } from './lock/lock-manager.ts';
import type { AttachOptions } from './oci/attach.ts';
import type { ExecSession } from './oci/exec-session.ts';
import type { LogLine } from './oci/k8s-file-log.ts';
import type { ContainerRecord, State } from './state/state.ts';

/** What a container needs of its runtime; keeps container.ts free of a cycle with runtime.ts. */
export interface RuntimeHandle extends LifecycleContext {
  /** The open store → ErrRuntimeStopped after shutdown. */
  state(): State;
}

export class Container implements ContainerDraft {
  readonly draft: ContainerConfigDraft;
  #config: ContainerConfig | null = null;
  #state: ContainerState | null = null;
  #valid = false;
  readonly #runtime: RuntimeHandle;

  /** Use runtime.newContainer or the runtime's getters; this is their building block. */
  constructor(runtime: RuntimeHandle, from: ContainerSpec | ContainerRecord) {
    this.#runtime = runtime;
    if ('config' in from) {
      this.draft = { ...from.config };
      this.finalize(from);
    } else {
      this.draft = newContainerDraft(from);
    }
  }

  /** True once the container is in the store (options then throw ErrCtrFinalized). */
  get finalized(): boolean {
    return this.#config !== null;
  }

  /** Marks the object as the store's record (runtime.newContainer, after the add commits). */
  finalize(record: ContainerRecord): void {
    this.#config = record.config;
    this.#state = record.state;
    this.#valid = true;
  }

  /** After removal: later calls that need the store throw ErrCtrRemoved. */
  invalidate(): void {
    this.#valid = false;
  }

  /** Applies an option, as libpod's With… funcs on a *Container: once created → ErrCtrFinalized. */
  apply(option: ContainerOption): void {
    option(this);
  }

  private get config(): ContainerConfig {
    if (!this.#config) throw new PodbayError('ErrCtrStateInvalid', 'container is not created yet');
    return this.#config;
  }

  id(): string {
    return this.config.id;
  }

  name(): string {
    return this.config.name;
  }

  podId(): string | null {
    return this.config.pod;
  }

  /** A copy of the spec given at creation. */
  spec(): ContainerSpec {
    return structuredClone(this.config.spec);
  }

  /** The configuration itself, not a copy (for listings of thousands): read it, never change it. */
  view(): Readonly<ContainerConfig> {
    return this.config;
  }

  /** A copy of the whole configuration. */
  configuration(): ContainerConfig {
    return structuredClone(this.config);
  }

  labels(): Record<string, string> {
    return { ...this.config.labels };
  }

  /** Whether this object still stands for a container of the store, as far as this process knows. */
  valid(): boolean {
    return this.#valid;
  }

  /**
   * Re-reads the state from the store and syncs it with conmon's exit file (libpod syncContainer). The
   * container removed, by this or another process → ErrCtrRemoved.
   */
  sync(): ContainerState {
    if (!this.#valid) throw new PodbayError('ErrCtrRemoved', `container ${this.config.id} has been removed`);
    const state = this.#runtime.state();
    let record: ContainerRecord;
    try {
      record = state.container(this.config.id);
    } catch (error) {
      this.#valid = false;
      throw new PodbayError('ErrCtrRemoved', `container ${this.config.id} has been removed`, { cause: error });
    }
    record = syncRecords(this.#runtime, [record])[0] as ContainerRecord;
    this.#state = record.state;
    this.#config = record.config; // a rename by another process shows here
    return { ...record.state };
  }

  /** The current status, synced from the store (libpod Container.State). */
  status(): ContainerStatus {
    return this.sync().status;
  }

  private adopt(record: ContainerRecord): this {
    this.#state = record.state;
    this.#config = record.config;
    return this;
  }

  // The OCI lifecycle (container-lifecycle.ts has the contracts).

  /** Creates it in the OCI runtime if needed and starts it; emits `start`. */
  async start(options: StartOptions = {}): Promise<this> {
    return this.adopt(await startContainer(this.#runtime, this.id(), options));
  }

  /** The stop signal, SIGKILL after the timeout; no lock held while waiting; emits `stop` (and `died`). */
  async stop(options: StopOptions = {}): Promise<this> {
    return this.adopt(await stopContainer(this.#runtime, this.id(), options));
  }

  async kill(signal: number | string = 9, options: { signal?: AbortSignal; wait?: LockWaitOptions } = {}): Promise<this> {
    return this.adopt(await killContainer(this.#runtime, this.id(), signal, options));
  }

  async pause(options: { signal?: AbortSignal } = {}): Promise<this> {
    return this.adopt(await pauseContainer(this.#runtime, this.id(), options));
  }

  async unpause(options: { signal?: AbortSignal } = {}): Promise<this> {
    return this.adopt(await unpauseContainer(this.#runtime, this.id(), options));
  }

  async restart(options: StopOptions = {}): Promise<this> {
    return this.adopt(await restartContainer(this.#runtime, this.id(), options));
  }

  /** The exit code once it is not running (at once if it is not). */
  wait(options: { signal?: AbortSignal } = {}): Promise<number> {
    return waitContainer(this.#runtime, this.id(), options);
  }

  logs(options: LogsOptions = {}): AsyncGenerator<LogLine> {
    return containerLogs(this.#runtime, this.id(), options);
  }

  exec(options: ExecOptions): Promise<ExecSession> {
    return execInContainer(this.#runtime, this.id(), options);
  }

  attach(options: Omit<AttachOptions, 'bundleDir'>): Promise<ContainerAttachSession> {
    return attachToContainer(this.#runtime, this.id(), options);
  }

  /** The state as last read, without touching the store (for listings built from one query). */
  cachedState(): ContainerState {
    if (!this.#state) throw new PodbayError('ErrCtrStateInvalid', 'container is not created yet');
    return { ...this.#state };
  }
}
