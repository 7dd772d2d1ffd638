// A named volume of the store (libpod/volume.go): its configuration, which never changes, and its
// state, re-read from the store on demand. Like Container, a cheap view: the store is the truth.
import { join } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import type { VolumeConfig, VolumeDraft, VolumeConfigDraft, VolumeRecord, VolumeState } from './volume-config.ts';
import { newVolumeDraft } from './volume-config.ts';
import type { State } from './state/state.ts';

/** What a volume needs of its runtime. */
export interface VolumeHandle {
  state(): State;
  settings(): { storage: { graphRoot: string } };
}

/** `<graphRoot>/volumes/<name>`: the volume's own directory. */
export function volumeDir(graphRoot: string, name: string): string {
  return join(graphRoot, 'volumes', name);
}

/** `<graphRoot>/volumes/<name>/_data`: what containers mount (libpod's MountPoint). */
export function volumeMountPoint(graphRoot: string, name: string): string {
  return join(volumeDir(graphRoot, name), '_data');
}

export class Volume implements VolumeDraft {
  readonly draft: VolumeConfigDraft;
  #record: VolumeRecord | null = null;
  #valid = false;
  readonly #runtime: VolumeHandle;

  /** Use runtime.newVolume or the runtime's getters. */
  constructor(runtime: VolumeHandle, record?: VolumeRecord) {
    this.#runtime = runtime;
    this.draft = record ? { ...record.config } : newVolumeDraft();
    if (record) this.finalize(record);
  }

  get finalized(): boolean {
    return this.#record !== null;
  }

  finalize(record: VolumeRecord): void {
    this.#record = record;
    this.#valid = true;
  }

  invalidate(): void {
    this.#valid = false;
  }

  valid(): boolean {
    return this.#valid;
  }

  private get record(): VolumeRecord {
    if (!this.#record) throw new PodbayError('ErrInvalidArg', 'volume is not created yet');
    return this.#record;
  }

  name(): string {
    return this.record.config.name;
  }

  /** The configuration itself, not a copy: read it, never change it. */
  config(): Readonly<VolumeConfig> {
    return this.record.config;
  }

  anonymous(): boolean {
    return this.record.config.anonymous;
  }

  labels(): Record<string, string> {
    return { ...this.record.config.labels };
  }

  mountPoint(): string {
    return volumeMountPoint(this.#runtime.settings().storage.graphRoot, this.name());
  }

  /** Re-read from the store; removed meanwhile → ErrNoSuchVolume. */
  sync(): VolumeState {
    if (!this.#valid) throw new PodbayError('ErrNoSuchVolume', `volume ${this.name()} has been removed`);
    try {
      this.#record = this.#runtime.state().volume(this.name());
    } catch (error) {
      this.#valid = false;
      throw error;
    }
    return { ...this.#record.state };
  }

  /** The state as last read. */
  cachedState(): VolumeState {
    return { ...this.record.state };
  }

  /** Ids of the containers that use it (libpod VolumeInUse). */
  users(): string[] {
    return this.#runtime.state().volumeUsers(this.name());
  }
}
