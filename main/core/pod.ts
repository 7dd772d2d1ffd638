// A pod of the store (libpod/pod.go): a named group of containers. The infra container and the pod
// verbs start/stop/kill come with the pods issue; this is the object, its members and its status.
import { PodbayError } from '../../shared/errors.ts';
import { Container } from './container.ts';
import type { RuntimeHandle } from './container.ts';
import type { PodConfig, PodConfigDraft, PodDraft, PodOption, PodState } from './pod-config.ts';
import { podStatus } from './pod-status.ts';
import type { PodStatus } from './pod-status.ts';
import type { PodRecord } from './state/state.ts';

export class Pod implements PodDraft {
  readonly draft: PodConfigDraft;
  #config: PodConfig | null = null;
  #state: PodState | null = null;
  #valid = false;
  readonly #runtime: RuntimeHandle;

  constructor(runtime: RuntimeHandle, record?: PodRecord) {
    this.#runtime = runtime;
    this.draft = { name: record?.config.name ?? null, labels: { ...record?.config.labels } };
    if (record) this.finalize(record);
  }

  get finalized(): boolean {
    return this.#config !== null;
  }

  finalize(record: PodRecord): void {
    this.#config = record.config;
    this.#state = record.state;
    this.#valid = true;
  }

  invalidate(): void {
    this.#valid = false;
  }

  /** Applies an option; once created → ErrPodFinalized. */
  apply(option: PodOption): void {
    option(this);
  }

  private get config(): PodConfig {
    if (!this.#config) throw new PodbayError('ErrPodRemoved', 'pod is not created yet');
    return this.#config;
  }

  id(): string {
    return this.config.id;
  }

  name(): string {
    return this.config.name;
  }

  labels(): Record<string, string> {
    return { ...this.config.labels };
  }

  createdAt(): string {
    return this.config.createdAt;
  }

  infraContainerId(): string | null {
    return this.#state?.infraContainerId ?? null;
  }

  valid(): boolean {
    return this.#valid;
  }

  /** Reads the pod's containers from the store. A removed pod → ErrPodRemoved. */
  getContainers(): Container[] {
    if (!this.#valid) throw new PodbayError('ErrPodRemoved', `pod ${this.config.id} has been removed`);
    const state = this.#runtime.state();
    if (!state.hasPod(this.config.id)) {
      this.#valid = false;
      throw new PodbayError('ErrPodRemoved', `pod ${this.config.id} has been removed`);
    }
    return state.podContainers(this.config.id).map((record) => new Container(this.#runtime, record));
  }

  /** The pod's status from its containers' (pod-status.ts). */
  status(): PodStatus {
    return podStatus(this.getContainers().map((c) => c.cachedState().status));
  }
}
