// The store of containers and pods (libpod/state.go's State interface), shared by every process that
// opens it: the Electron app, the CLI and the web host. Implementations make each call atomic on its
// own and serialise writes across processes; `writeTransaction` groups calls into one atomic unit.
//
// Ids given to get/has/remove are full ids; `lookup…Id` resolves what a user typed. Containers and
// pods share one namespace of names and ids: a name used by a pod cannot name a container.
import type { ContainerConfig } from '../container-config.ts';
import type { ContainerState } from '../container-state.ts';
import type { PodConfig, PodState } from '../pod-config.ts';
import type { VolumeRecord, VolumeState } from '../volume-config.ts';

export interface ContainerRecord {
  config: ContainerConfig;
  state: ContainerState;
}

export interface PodRecord {
  config: PodConfig;
  state: PodState;
}

/** A cross-process object lock as stored (see lock/lock-manager.ts for its meaning). */
export interface LockRow {
  objectId: string;
  token: string;
  pid: number;
  startTime: string;
  bootId: string;
  acquiredAt: number;
}

export type LockHolder = Omit<LockRow, 'objectId' | 'acquiredAt'>;

/**
 * A shared lease on object X is the row `X/shared/<token>` (ids never hold a `/`), so several holders
 * can share X while the row `X` itself stays the exclusive lease (lock-manager.ts).
 */
export const sharedLockMark = '/shared/';

/** The object a lock row leases: `X` for both `X` and a shared row `X/shared/<token>`. */
export function lockedObjectId(rowObjectId: string): string {
  const at = rowObjectId.indexOf(sharedLockMark);
  return at < 0 ? rowObjectId : rowObjectId.slice(0, at);
}

export interface State {
  /** Where the store lives (for messages and `system info`). */
  readonly path: string;
  /** Closes the store; later calls throw. Idempotent. */
  close(): void;

  /**
   * Runs `fn` as one write transaction, serialised against every writer in every process (BEGIN
   * IMMEDIATE). `fn` must be synchronous and short: nothing awaits while the store is locked. If it
   * throws, nothing it wrote is kept. Calls of this interface made inside `fn` join the transaction.
   */
  writeTransaction<T>(fn: () => T): T;

  /**
   * As writeTransaction, but the commit does not wait for the disk: a power loss may undo it (never
   * tear it). Only for rows that mean nothing after a reboot — leases, whose holders are gone then
   * and which are stale by boot id anyway. The next durable commit syncs it along.
   */
  volatileTransaction<T>(fn: () => T): T;

  /** The container with this full id → ErrNoSuchCtr. */
  container(id: string): ContainerRecord;
  /**
   * Resolves a full id, a unique id prefix (hex), or a name; an exact name wins over a prefix, as in
   * libpod. Nothing matches → ErrNoSuchCtr. A prefix matching several containers → ErrInvalidArg whose
   * message lists the candidates (libpod says "more than one result" with ErrCtrExists; we keep
   * ErrCtrExists for real conflicts, so an ambiguous input is an invalid argument).
   */
  lookupContainerId(idOrName: string): string;
  hasContainer(id: string): boolean;
  /**
   * Adds a container: its name or id in use by any container or pod → ErrCtrExists; its pod gone →
   * ErrNoSuchPod; a dependency missing → ErrNoSuchCtr or in another pod → ErrInvalidArg; a named
   * volume missing → ErrNoSuchVolume (its uses are recorded: volumeUsers).
   */
  addContainer(record: ContainerRecord): void;
  /** Removes one container → ErrNoSuchCtr if absent; other containers depending on it → ErrCtrExists. */
  removeContainer(id: string): void;
  /** Saves the mutable state → ErrNoSuchCtr if the container was removed meanwhile. */
  saveContainer(id: string, state: ContainerState): void;
  /** Renames → ErrCtrExists if the name is in use by any container or pod; ErrNoSuchCtr if absent. */
  renameContainer(id: string, newName: string): void;
  /** Every container, oldest first. */
  allContainers(): ContainerRecord[];
  /** Containers whose status is one of these (the `state` column: no JSON parsed for the others). */
  containersWithStatus(statuses: readonly ContainerState['status'][]): ContainerRecord[];
  /** Keeps a removed container's exit code for a while (podman ContainerExitCode); older rows are pruned. */
  recordExitCode(id: string, exitCode: number): void;
  /** The exit code recorded for a removed container, or null. */
  removedExitCode(id: string): number | null;
  /** Ids of the containers that depend on this one (join its namespaces). */
  containerDependents(id: string): string[];

  pod(id: string): PodRecord;
  /** As lookupContainerId, for pods (ErrNoSuchPod). */
  lookupPodId(idOrName: string): string;
  hasPod(id: string): boolean;
  /** Adds a pod and its containers (each `config.pod` equal to the pod's id) all together or not at all. */
  addPod(pod: PodRecord, containers?: readonly ContainerRecord[]): void;
  /** Removes an empty pod → ErrNoSuchPod if absent; containers left in it → ErrCtrExists. */
  removePod(id: string): void;
  /** Removes every container of the pod at once (their mutual dependencies included). */
  removePodContainers(podId: string): void;
  podContainers(podId: string): ContainerRecord[];
  allPods(): PodRecord[];

  // Volumes (libpod State AddVolume, RemoveVolume, Volume, LookupVolume, VolumeInUse). Names are their own
  // namespace: a volume may share a name with a container.

  /** The volume of this exact name → ErrNoSuchVolume. */
  volume(name: string): VolumeRecord;
  /** An exact name, else a unique name prefix (libpod LookupVolume) → ErrNoSuchVolume; ambiguous → ErrInvalidArg. */
  lookupVolumeName(nameOrPrefix: string): string;
  hasVolume(name: string): boolean;
  /** Name taken → ErrVolumeExists. */
  addVolume(record: VolumeRecord): void;
  /** Absent → ErrNoSuchVolume; used by a container → ErrVolumeBeingUsed naming them. */
  removeVolume(name: string): void;
  /** Absent → ErrNoSuchVolume. */
  saveVolume(name: string, state: VolumeState): void;
  /** Oldest first. */
  allVolumes(): VolumeRecord[];
  /** Ids of the containers that use the volume, sorted (libpod VolumeInUse). */
  volumeUsers(name: string): string[];
  /** Every used volume → its users' ids, in one query (for lists). */
  allVolumeUsers(): Map<string, string[]>;

  /** Whether any container or pod has this name. */
  nameInUse(name: string): boolean;

  /** Locks held on these objects, by anyone. */
  locksOn(objectIds: readonly string[]): LockRow[];
  /** The shared leases (rows `X/shared/<token>`) held on these objects, by anyone. */
  sharedLocksOn(objectIds: readonly string[]): LockRow[];
  /** Records `holder` as holding these objects; a row already there → ErrInternal (check first). */
  insertLocks(objectIds: readonly string[], holder: LockHolder): void;
  /** Deletes `token`'s rows on these objects (a stale holder's) or, without ids, all of its rows. */
  deleteLocks(token: string, objectIds?: readonly string[]): void;
  /** Every lock row (`system check` looks for stale ones). */
  allLocks(): LockRow[];

  /**
   * SQLite's own verdict on the file (`system check`): `quick` runs quick_check, else integrity_check
   * and foreign_key_check. An empty list means sound.
   */
  integrityProblems(quick: boolean): string[];
}
