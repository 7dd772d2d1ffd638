// A container of the store (libpod/container.go): its configuration, which never changes once it is
// created, and its state, re-read from the store on demand so a change made by another process is
// seen. Objects are cheap views: the store, not the object, is the truth.
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerConfig, ContainerConfigDraft, ContainerDraft, ContainerOption, ContainerSpec } from './container-config.ts';
import { newContainerDraft } from './container-config.ts';
import type { ContainerState, ContainerStatus } from './container-state.ts';
import type { ContainerRecord, State } from './state/state.ts';

/** What a container needs of its runtime; keeps container.ts free of a cycle with runtime.ts. */
export interface RuntimeHandle {
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
   * Re-reads the state from the store (libpod syncContainer). The container removed, by this or
   * another process → ErrCtrRemoved.
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
    this.#state = record.state;
    this.#config = record.config; // a rename by another process shows here
    return { ...record.state };
  }

  /** The current status, synced from the store (libpod Container.State). */
  status(): ContainerStatus {
    return this.sync().status;
  }

  /** The state as last read, without touching the store (for listings built from one query). */
  cachedState(): ContainerState {
    if (!this.#state) throw new PodbayError('ErrCtrStateInvalid', 'container is not created yet');
    return { ...this.#state };
  }
}
