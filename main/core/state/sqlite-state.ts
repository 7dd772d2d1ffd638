// The State on one SQLite file, `<graphRoot>/podbay.db` (libpod/sqlite_state.go, with the schema
// differences noted in migrations/0001-initial.ts).
//
// Several processes open the file at once. WAL lets readers run beside the one writer; every write is
// BEGIN IMMEDIATE, so writers queue on SQLite's lock (busy_timeout) instead of failing half-way, and
// each check-then-insert (name free? then insert) is atomic across processes. synchronous=FULL makes
// a committed change survive power loss. Podman disabled WAL because of go-sqlite3's busy handler;
// better-sqlite3 calls sqlite3_busy_timeout directly, which WAL honours for BEGIN IMMEDIATE.
import { openDatabase } from './sqlite-open.ts';
import type { Database as Db, Statement } from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PodbayError, wrap } from '../../../shared/errors.ts';
import { dependencies, volumeNames } from '../container-config.ts';
import type { ContainerConfig } from '../container-config.ts';
import { statusToInt } from '../container-state.ts';
import type { ContainerState } from '../container-state.ts';
import { idPrefixPattern } from '../names.ts';
import { podBeingRemoved } from '../pod-config.ts';
import type { PodConfig, PodState } from '../pod-config.ts';
import type { VolumeRecord, VolumeState } from '../volume-config.ts';
import { latestSchemaVersion, migrations } from './migrations/index.ts';
import { sqliteIntegrityProblems } from './sqlite-integrity.ts';
import type { Migration } from './migrations/migration.ts';
import { sharedLockMark } from './state.ts';
import type { ContainerRecord, LockHolder, LockRow, PodRecord, State } from './state.ts';
import { crashPoint } from '../crash-point.ts';

export const stateFileName = 'podbay.db';

/** How long a removed container's exit code is kept (podman: 5 minutes). */
const exitCodeRetentionMs = 5 * 60_000;

export interface SqliteStateOptions {
  /** How long a writer waits for another process's transaction (ms). libpod waits 100 s. */
  busyTimeoutMs?: number;
  /** The schema steps to apply; tests pass a prefix to build an older store. */
  migrations?: readonly Migration[];
}

/** SQLite's own codes for a file that is not (or no longer) a database. */
function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'));
}

/**
 * Opens (creating if absent) the store at `path`: checks it before writing anything — a file that is
 * not a sound database → ErrStoreCorrupt, one from a newer Podbay → ErrStoreTooNew, the file left
 * untouched in both cases — then brings the schema up to date.
 */
export function openSqliteState(path: string, options: SqliteStateOptions = {}): SqliteState {
  const steps = options.migrations ?? migrations;
  const existed = existsSync(path);
  if (!existed) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let db: Db;
  try {
    db = openDatabase(path, { fileMustExist: false });
  } catch (error) {
    throw wrap(error, `opening store ${path}`);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 30_000))}`);
    let version: number;
    try {
      version = db.pragma('user_version', { simple: true }) as number;
      if (existed) {
        const result = db.pragma('quick_check', { simple: true });
        if (result !== 'ok') throw new PodbayError('ErrStoreCorrupt', `store ${path} failed its integrity check: ${String(result)}`);
      }
    } catch (error) {
      if (error instanceof PodbayError) throw error;
      if (isCorruption(error)) throw new PodbayError('ErrStoreCorrupt', `store ${path} is not a valid database: ${(error as Error).message}`, { cause: error });
      throw wrap(error, `reading store ${path}`);
    }
    if (version > latestSchemaVersion) {
      throw new PodbayError('ErrStoreTooNew', `store ${path} has schema version ${version}, newer than this Podbay understands (${latestSchemaVersion}): upgrade Podbay`);
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, steps, version);
    return new SqliteState(path, db);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Applies the steps above the store's user_version, each in its own BEGIN IMMEDIATE transaction that
 * re-reads the version first, so two processes opening a new store at once apply each step once.
 * Steps at or below `known` (a version read earlier: it only grows) are skipped without a write
 * transaction, so opening an up-to-date store takes none.
 */
export function migrate(db: Db, steps: readonly Migration[], known = 0): void {
  for (const step of steps) {
    if (step.version <= known) continue;
    db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current >= step.version) return;
      if (current !== step.version - 1) throw new PodbayError('ErrInternal', `schema step ${step.version} (${step.name}) cannot follow version ${current}`);
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
}

interface ContainerRow {
  config: string;
  state_json: string;
}

interface PodRow {
  config: string;
  state: string;
}

interface LockDbRow {
  object_id: string;
  token: string;
  pid: number;
  start_time: string;
  boot_id: string;
  acquired_at: number;
}

function toContainer(row: ContainerRow): ContainerRecord {
  return { config: JSON.parse(row.config) as ContainerConfig, state: JSON.parse(row.state_json) as ContainerState };
}

function toLockRow(r: LockDbRow): LockRow {
  return { objectId: r.object_id, token: r.token, pid: r.pid, startTime: r.start_time, bootId: r.boot_id, acquiredAt: r.acquired_at };
}

function toPod(row: PodRow): PodRecord {
  return { config: JSON.parse(row.config) as PodConfig, state: JSON.parse(row.state) as PodState };
}

/** The exclusive upper bound of ids starting with a hex prefix: every id is [0-9a-f], below 'g'. */
function prefixRange(prefix: string): [string, string] {
  return [prefix, `${prefix}g`];
}

export class SqliteState implements State {
  readonly path: string;
  private db: Db | null;
  private readonly statements = new Map<string, Statement>();
  private readonly runInTransaction: { immediate: (fn: () => unknown) => unknown };

  constructor(path: string, db: Db) {
    this.path = path;
    this.db = db;
    this.runInTransaction = db.transaction((fn: () => unknown) => {
      const result = fn();
      crashPoint('state.before-commit'); // killed with the transaction's writes not yet committed
      return result;
    });
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.statements.clear();
  }

  private sql(text: string): Statement {
    if (!this.db) throw new PodbayError('ErrInternal', `store ${this.path} is closed`);
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  writeTransaction<T>(fn: () => T): T {
    if (!this.db) throw new PodbayError('ErrInternal', `store ${this.path} is closed`);
    try {
      return this.runInTransaction.immediate(fn) as T;
    } catch (error) {
      if (error instanceof PodbayError) throw error;
      const code = (error as { code?: unknown })?.code;
      if (code === 'SQLITE_BUSY') throw new PodbayError('ErrInternal', `store ${this.path} stayed locked by another process`, { cause: error });
      if (isCorruption(error)) throw new PodbayError('ErrStoreCorrupt', `store ${this.path} is corrupt: ${(error as Error).message}`, { cause: error });
      throw wrap(error, `writing store ${this.path}`);
    }
  }

  volatileTransaction<T>(fn: () => T): T {
    const db = this.db;
    if (!db) throw new PodbayError('ErrInternal', `store ${this.path} is closed`);
    // Inside another transaction the outer commit decides; else WAL with synchronous=NORMAL skips
    // the fsync of this commit only (a per-connection setting, restored at once).
    if (db.inTransaction) return this.writeTransaction(fn);
    db.pragma('synchronous = NORMAL');
    try {
      return this.writeTransaction(fn);
    } finally {
      db.pragma('synchronous = FULL');
    }
  }

  // Containers

  container(id: string): ContainerRecord {
    const row = this.sql('SELECT config, state_json FROM containers WHERE id = ?').get(id) as ContainerRow | undefined;
    if (!row) throw new PodbayError('ErrNoSuchCtr', `no container with ID ${id} found in database`);
    return toContainer(row);
  }

  lookupContainerId(idOrName: string): string {
    return this.lookup('containers', 'container', idOrName);
  }

  private lookup(table: 'containers' | 'pods', kind: 'container' | 'pod', idOrName: string): string {
    const notFound = kind === 'container' ? 'ErrNoSuchCtr' : 'ErrNoSuchPod';
    if (typeof idOrName !== 'string' || idOrName === '') throw new PodbayError('ErrInvalidArg', `must provide a non-empty ${kind} name or ID`);
    const byName = this.sql(`SELECT id FROM ${table} WHERE name = ?`).get(idOrName) as { id: string } | undefined;
    if (byName) return byName.id;
    if (idPrefixPattern.test(idOrName)) {
      const [low, high] = prefixRange(idOrName);
      const rows = this.sql(`SELECT id, name FROM ${table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 11`).all(low, high) as { id: string; name: string }[];
      if (rows.length === 1) return (rows[0] as { id: string }).id;
      if (rows.length > 1) {
        const shown = rows.slice(0, 10).map((r) => `${r.id.slice(0, 12)} (${r.name})`);
        if (rows.length > 10) shown.push('…');
        throw new PodbayError('ErrInvalidArg', `more than one ${kind} matches "${idOrName}": ${shown.join(', ')}`);
      }
    }
    throw new PodbayError(notFound, `no ${kind} with name or ID "${idOrName}" found`);
  }

  hasContainer(id: string): boolean {
    return this.sql('SELECT 1 FROM containers WHERE id = ?').get(id) !== undefined;
  }

  private checkNamespace(id: string, name: string, kind: 'container' | 'pod'): void {
    const code = kind === 'container' ? 'ErrCtrExists' : 'ErrPodExists';
    const byName = this.sql('SELECT kind FROM namespace WHERE name = ?').get(name) as { kind: string } | undefined;
    if (byName) throw new PodbayError(code, `the name "${name}" is already in use by a ${byName.kind}: choose another name or remove that ${byName.kind}`);
    if (this.sql('SELECT 1 FROM namespace WHERE id = ?').get(id)) throw new PodbayError(code, `the ID ${id} is already in use`);
  }

  /** The UNIQUE constraint is the last word on a name, whatever checked before (a second line of defence). */
  private insertNamespace(id: string, name: string, kind: 'container' | 'pod'): void {
    try {
      this.sql('INSERT INTO namespace (id, name, kind) VALUES (?, ?, ?)').run(id, name, kind);
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new PodbayError(kind === 'container' ? 'ErrCtrExists' : 'ErrPodExists', `the name "${name}" or ID ${id} is already in use`, { cause: error });
      }
      throw error;
    }
  }

  addContainer(record: ContainerRecord): void {
    this.writeTransaction(() => this.insertContainer(record));
  }

  private insertContainer({ config, state }: ContainerRecord): void {
    this.checkNamespace(config.id, config.name, 'container');
    if (config.pod !== null && !this.hasPod(config.pod)) {
      throw new PodbayError('ErrNoSuchPod', `pod ${config.pod} no longer exists: cannot add container ${config.name} to it`);
    }
    if (config.pod !== null && podBeingRemoved(this.pod(config.pod).state)) {
      throw new PodbayError('ErrPodRemoved', `pod ${config.pod} is being removed: cannot add container ${config.name} to it`);
    }
    const deps = dependencies(config);
    for (const dep of deps) {
      const row = this.sql('SELECT pod_id FROM containers WHERE id = ?').get(dep) as { pod_id: string | null } | undefined;
      if (!row) throw new PodbayError('ErrNoSuchCtr', `container ${config.name} depends on container ${dep}, which does not exist`);
      if (row.pod_id !== config.pod) {
        throw new PodbayError('ErrInvalidArg', `container ${config.name} depends on container ${dep}, which is not in the same pod`);
      }
    }
    this.insertNamespace(config.id, config.name, 'container');
    this.sql('INSERT INTO containers (id, name, pod_id, created_at, state, config, state_json) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      config.id,
      config.name,
      config.pod,
      Date.parse(config.createdAt),
      statusToInt(state.status),
      JSON.stringify(config),
      JSON.stringify(state),
    );
    for (const dep of deps) this.sql('INSERT INTO container_dependencies (id, dependency_id) VALUES (?, ?)').run(config.id, dep);
    for (const volume of volumeNames(config)) {
      if (!this.hasVolume(volume)) throw new PodbayError('ErrNoSuchVolume', `container ${config.name} uses volume ${volume}, which does not exist`);
      this.sql('INSERT INTO container_volumes (container_id, volume_name) VALUES (?, ?)').run(config.id, volume);
    }
  }

  removeContainer(id: string): void {
    this.writeTransaction(() => {
      if (!this.hasContainer(id)) throw new PodbayError('ErrNoSuchCtr', `no container with ID ${id} found in database`);
      const dependents = this.containerDependents(id);
      if (dependents.length > 0) {
        throw new PodbayError('ErrCtrExists', `container ${id} has dependent containers which must be removed before it: ${dependents.join(', ')}`);
      }
      this.deleteContainerRows(id);
    });
  }

  private deleteContainerRows(id: string): void {
    this.sql('DELETE FROM container_volumes WHERE container_id = ?').run(id);
    this.sql('DELETE FROM container_dependencies WHERE id = ?').run(id);
    this.sql('DELETE FROM containers WHERE id = ?').run(id);
    this.sql('DELETE FROM namespace WHERE id = ?').run(id);
    this.sql('DELETE FROM locks WHERE object_id = ?').run(id);
  }

  saveContainer(id: string, state: ContainerState): void {
    this.writeTransaction(() => {
      const result = this.sql('UPDATE containers SET state = ?, state_json = ? WHERE id = ?').run(statusToInt(state.status), JSON.stringify(state), id);
      if (result.changes === 0) throw new PodbayError('ErrNoSuchCtr', `no container with ID ${id} found in database`);
    });
  }

  renameContainer(id: string, newName: string): void {
    this.writeTransaction(() => {
      if (!this.hasContainer(id)) throw new PodbayError('ErrNoSuchCtr', `no container with ID ${id} found in database`);
      const byName = this.sql('SELECT id, kind FROM namespace WHERE name = ?').get(newName) as { id: string; kind: string } | undefined;
      if (byName) throw new PodbayError('ErrCtrExists', `the name "${newName}" is already in use by a ${byName.kind}`);
      this.sql('UPDATE namespace SET name = ? WHERE id = ?').run(newName, id);
      this.sql("UPDATE containers SET name = ?, config = json_set(config, '$.name', ?) WHERE id = ?").run(newName, newName, id);
    });
  }

  allContainers(): ContainerRecord[] {
    return (this.sql('SELECT config, state_json FROM containers ORDER BY created_at, rowid').all() as ContainerRow[]).map(toContainer);
  }

  containersWithStatus(statuses: readonly ContainerState['status'][]): ContainerRecord[] {
    const ints = JSON.stringify(statuses.map(statusToInt));
    return (this.sql('SELECT config, state_json FROM containers WHERE state IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid').all(ints) as ContainerRow[]).map(toContainer);
  }

  recordExitCode(id: string, exitCode: number): void {
    this.writeTransaction(() => {
      const now = Date.now();
      this.sql('DELETE FROM container_exit_codes WHERE recorded_at < ?').run(now - exitCodeRetentionMs);
      this.sql('INSERT OR REPLACE INTO container_exit_codes (id, exit_code, recorded_at) VALUES (?, ?, ?)').run(id, exitCode, now);
    });
  }

  removedExitCode(id: string): number | null {
    const row = this.sql('SELECT exit_code FROM container_exit_codes WHERE id = ?').get(id) as { exit_code: number } | undefined;
    return row ? row.exit_code : null;
  }

  containerDependents(id: string): string[] {
    return (this.sql('SELECT id FROM container_dependencies WHERE dependency_id = ? ORDER BY id').all(id) as { id: string }[]).map((r) => r.id);
  }

  // Pods

  pod(id: string): PodRecord {
    const row = this.sql('SELECT config, state FROM pods WHERE id = ?').get(id) as PodRow | undefined;
    if (!row) throw new PodbayError('ErrNoSuchPod', `no pod with ID ${id} found in database`);
    return toPod(row);
  }

  lookupPodId(idOrName: string): string {
    return this.lookup('pods', 'pod', idOrName);
  }

  hasPod(id: string): boolean {
    return this.sql('SELECT 1 FROM pods WHERE id = ?').get(id) !== undefined;
  }

  addPod(pod: PodRecord, containers: readonly ContainerRecord[] = []): void {
    this.writeTransaction(() => {
      const { config } = pod;
      this.checkNamespace(config.id, config.name, 'pod');
      for (const ctr of containers) {
        if (ctr.config.pod !== config.id) throw new PodbayError('ErrInvalidArg', `container ${ctr.config.name} does not belong to pod ${config.name}`);
      }
      this.insertNamespace(config.id, config.name, 'pod');
      this.sql('INSERT INTO pods (id, name, created_at, config, state) VALUES (?, ?, ?, ?, ?)').run(
        config.id,
        config.name,
        Date.parse(config.createdAt),
        JSON.stringify(config),
        JSON.stringify(pod.state),
      );
      for (const ctr of containers) this.insertContainer(ctr);
    });
  }

  removePod(id: string): void {
    this.writeTransaction(() => {
      if (!this.hasPod(id)) throw new PodbayError('ErrNoSuchPod', `no pod with ID ${id} found in database`);
      const left = this.sql('SELECT count(*) AS n FROM containers WHERE pod_id = ?').get(id) as { n: number };
      if (left.n > 0) throw new PodbayError('ErrCtrExists', `pod ${id} is not empty: it has ${left.n} containers`);
      this.sql('DELETE FROM pods WHERE id = ?').run(id);
      this.sql('DELETE FROM namespace WHERE id = ?').run(id);
      this.sql('DELETE FROM locks WHERE object_id = ?').run(id);
    });
  }

  removePodContainers(podId: string): void {
    this.writeTransaction(() => {
      if (!this.hasPod(podId)) throw new PodbayError('ErrNoSuchPod', `no pod with ID ${podId} found in database`);
      const ids = (this.sql('SELECT id FROM containers WHERE pod_id = ?').all(podId) as { id: string }[]).map((r) => r.id);
      // Dependencies never cross a pod's boundary (checked on add), so dropping them all first is safe.
      for (const id of ids) this.sql('DELETE FROM container_dependencies WHERE id = ?').run(id);
      for (const id of ids) this.deleteContainerRows(id);
    });
  }

  podContainers(podId: string): ContainerRecord[] {
    return (this.sql('SELECT config, state_json FROM containers WHERE pod_id = ? ORDER BY created_at, rowid').all(podId) as ContainerRow[]).map(toContainer);
  }

  savePod(id: string, state: PodState): void {
    this.writeTransaction(() => {
      const result = this.sql('UPDATE pods SET state = ? WHERE id = ?').run(JSON.stringify(state), id);
      if (result.changes === 0) throw new PodbayError('ErrNoSuchPod', `no pod with ID ${id} found in database`);
    });
  }

  allPods(): PodRecord[] {
    return (this.sql('SELECT config, state FROM pods ORDER BY created_at, rowid').all() as PodRow[]).map(toPod);
  }

  // Volumes

  volume(name: string): VolumeRecord {
    const row = this.sql('SELECT config, state FROM volumes WHERE name = ?').get(name) as { config: string; state: string } | undefined;
    if (!row) throw new PodbayError('ErrNoSuchVolume', `no volume with name "${name}" found: no such volume`);
    return { config: JSON.parse(row.config) as VolumeRecord['config'], state: JSON.parse(row.state) as VolumeState };
  }

  lookupVolumeName(nameOrPrefix: string): string {
    if (typeof nameOrPrefix !== 'string' || nameOrPrefix === '') throw new PodbayError('ErrInvalidArg', 'must provide a non-empty volume name');
    if (this.hasVolume(nameOrPrefix)) return nameOrPrefix;
    // A range scan on the primary key: names are compared as stored, without LIKE's wildcards.
    const rows = this.sql("SELECT name FROM volumes WHERE name >= ? AND name < ? || char(1114111) ORDER BY name LIMIT 11").all(nameOrPrefix, nameOrPrefix) as { name: string }[];
    if (rows.length === 1) return (rows[0] as { name: string }).name;
    if (rows.length > 1) {
      const shown = rows.slice(0, 10).map((r) => r.name);
      if (rows.length > 10) shown.push('…');
      throw new PodbayError('ErrInvalidArg', `more than one volume matches "${nameOrPrefix}": ${shown.join(', ')}`);
    }
    throw new PodbayError('ErrNoSuchVolume', `no volume with name "${nameOrPrefix}" found: no such volume`);
  }

  hasVolume(name: string): boolean {
    return this.sql('SELECT 1 FROM volumes WHERE name = ?').get(name) !== undefined;
  }

  addVolume({ config, state }: VolumeRecord): void {
    this.writeTransaction(() => {
      if (this.hasVolume(config.name)) throw new PodbayError('ErrVolumeExists', `volume with name ${config.name} already exists: volume already exists`);
      this.sql('INSERT INTO volumes (name, created_at, anonymous, config, state) VALUES (?, ?, ?, ?, ?)').run(
        config.name,
        Date.parse(config.createdAt),
        config.anonymous ? 1 : 0,
        JSON.stringify(config),
        JSON.stringify(state),
      );
    });
  }

  removeVolume(name: string): void {
    this.writeTransaction(() => {
      if (!this.hasVolume(name)) throw new PodbayError('ErrNoSuchVolume', `no volume with name "${name}" found: no such volume`);
      const users = this.volumeUsers(name);
      if (users.length > 0) throw new PodbayError('ErrVolumeBeingUsed', `volume ${name} is being used by the following container(s): ${users.join(', ')}: volume is being used`);
      this.sql('DELETE FROM volumes WHERE name = ?').run(name);
      this.sql('DELETE FROM locks WHERE object_id = ?').run(`volume:${name}`);
    });
  }

  saveVolume(name: string, state: VolumeState): void {
    this.writeTransaction(() => {
      const result = this.sql('UPDATE volumes SET state = ? WHERE name = ?').run(JSON.stringify(state), name);
      if (result.changes === 0) throw new PodbayError('ErrNoSuchVolume', `no volume with name "${name}" found: no such volume`);
    });
  }

  allVolumes(): VolumeRecord[] {
    const rows = this.sql('SELECT config, state FROM volumes ORDER BY created_at, rowid').all() as { config: string; state: string }[];
    return rows.map((row) => ({ config: JSON.parse(row.config) as VolumeRecord['config'], state: JSON.parse(row.state) as VolumeState }));
  }

  volumeUsers(name: string): string[] {
    return (this.sql('SELECT container_id FROM container_volumes WHERE volume_name = ? ORDER BY container_id').all(name) as { container_id: string }[]).map((r) => r.container_id);
  }

  allVolumeUsers(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const row of this.sql('SELECT volume_name, container_id FROM container_volumes ORDER BY volume_name, container_id').all() as { volume_name: string; container_id: string }[]) {
      const list = out.get(row.volume_name);
      if (list) list.push(row.container_id);
      else out.set(row.volume_name, [row.container_id]);
    }
    return out;
  }

  nameInUse(name: string): boolean {
    return this.sql('SELECT 1 FROM namespace WHERE name = ?').get(name) !== undefined;
  }

  // Locks

  locksOn(objectIds: readonly string[]): LockRow[] {
    const rows = this.sql('SELECT * FROM locks WHERE object_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(objectIds)) as LockDbRow[];
    return rows.map(toLockRow);
  }

  sharedLocksOn(objectIds: readonly string[]): LockRow[] {
    // `X/shared/` < `X/shared/<token>` < `X/shared0` ('0' follows '/'): a range scan of the key.
    const rows = this.sql(`SELECT locks.* FROM json_each(?) AS ids JOIN locks ON locks.object_id > ids.value || '${sharedLockMark}' AND locks.object_id < ids.value || '${sharedLockMark.slice(0, -1)}0'`).all(JSON.stringify(objectIds)) as LockDbRow[];
    return rows.map(toLockRow);
  }

  allLocks(): LockRow[] {
    return (this.sql('SELECT * FROM locks ORDER BY acquired_at').all() as LockDbRow[]).map(toLockRow);
  }

  integrityProblems(quick: boolean): string[] {
    if (!this.db) throw new PodbayError('ErrInternal', `store ${this.path} is closed`);
    return sqliteIntegrityProblems(this.db, quick);
  }

  insertLocks(objectIds: readonly string[], holder: LockHolder): void {
    this.writeTransaction(() => {
      const insert = this.sql('INSERT INTO locks (object_id, token, pid, start_time, boot_id, acquired_at) VALUES (?, ?, ?, ?, ?, ?)');
      for (const id of objectIds) insert.run(id, holder.token, holder.pid, holder.startTime, holder.bootId, Date.now());
    });
  }

  deleteLocks(token: string, objectIds?: readonly string[]): void {
    this.writeTransaction(() => {
      if (objectIds) this.sql('DELETE FROM locks WHERE token = ? AND object_id IN (SELECT value FROM json_each(?))').run(token, JSON.stringify(objectIds));
      else this.sql('DELETE FROM locks WHERE token = ?').run(token);
    });
  }
}
