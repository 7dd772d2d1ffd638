// A pod of the store (libpod/pod.go): a named group of containers, its infra container (pod-infra.ts)
// holding the namespaces they share, and its verbs (pod-lifecycle.ts), members and status.
import { PodbayError } from '../../shared/errors.ts';
import { Container } from './container.ts';
import { syncRecords } from './container-internal.ts';
import type { RuntimeHandle } from './container.ts';
import { newPodDraft } from './pod-config.ts';
import type { PodConfig, PodConfigDraft, PodDraft, PodOption, PodState } from './pod-config.ts';
import { killPod, restartPod, startPod, stopPod } from './pod-lifecycle.ts';
import type { PodMemberErrors, PodStopOptions } from './pod-lifecycle.ts';
import { podStatus } from './pod-status.ts';
import type { PodStatus } from './pod-status.ts';
import type { ContainerRecord, PodRecord } from './state/state.ts';

export class Pod implements PodDraft {
  readonly draft: PodConfigDraft;
  #config: PodConfig | null = null;
  #state: PodState | null = null;
  #valid = false;
  readonly #runtime: RuntimeHandle;

  constructor(runtime: RuntimeHandle, record?: PodRecord) {
    this.#runtime = runtime;
    this.draft = record
      ? { name: record.config.name, labels: { ...record.config.labels }, infra: record.config.infra ?? false, sharedNamespaces: [...(record.config.sharedNamespaces ?? [])], hostname: record.config.hostname ?? null, networkMode: null, networks: [], portMappings: [] }
      : newPodDraft();
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

  /** The namespaces members join from the infra container (podman --share); [] without infra. */
  sharedNamespaces(): string[] {
    return [...(this.config.sharedNamespaces ?? [])];
  }

  hostname(): string | null {
    return this.config.hostname ?? null;
  }

  valid(): boolean {
    return this.#valid;
  }

  /** Reads the pod's containers from the store. A removed pod → ErrPodRemoved. */
  getContainers(): Container[] {
    return this.records().map((record) => new Container(this.#runtime, record));
  }

  private records(): ContainerRecord[] {
    if (!this.#valid) throw new PodbayError('ErrPodRemoved', `pod ${this.config.id} has been removed`);
    const state = this.#runtime.state();
    if (!state.hasPod(this.config.id)) {
      this.#valid = false;
      throw new PodbayError('ErrPodRemoved', `pod ${this.config.id} has been removed`);
    }
    return state.podContainers(this.config.id);
  }

  /** Infra first, then the members (pod-lifecycle.ts startPod); member id → error for those that failed. */
  start(options: { signal?: AbortSignal } = {}): Promise<PodMemberErrors> {
    return startPod(this.#runtime, this.id(), options);
  }

  /** Members, then infra, each with `timeout` seconds before SIGKILL (stopPod). */
  stop(options: PodStopOptions = {}): Promise<PodMemberErrors> {
    return stopPod(this.#runtime, this.id(), options);
  }

  kill(signal: number | string = 9, options: { signal?: AbortSignal } = {}): Promise<PodMemberErrors> {
    return killPod(this.#runtime, this.id(), signal, options);
  }

  restart(options: PodStopOptions = {}): Promise<PodMemberErrors> {
    return restartPod(this.#runtime, this.id(), options);
  }

  /** The pod's status from its containers', synced with conmon first (libpod GetPodStatus; pod-status.ts). */
  status(): PodStatus {
    return podStatus(syncRecords(this.#runtime, this.records()).map((r) => r.state.status));
  }
}
