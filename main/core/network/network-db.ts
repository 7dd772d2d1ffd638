// The network part's own small database, <graphRoot>/networks/ipam.db: IP allocations (ipam.ts),
// which containers are connected to which networks (the bookkeeping behind `network connect` and the
// Networks page), and — through its write lock — the mutex that serialises network create/remove
// across processes. Kept apart from the state engineer's podbay.db so neither schema waits on the other.
//
// Several processes open it at once: WAL lets readers run beside the writer, every write is
// BEGIN IMMEDIATE so writers queue on SQLite's lock (busy_timeout) and each check-then-insert is
// atomic. Transactions are short and synchronous: nothing awaits inside one (STYLE.md, storage code).
// The one lock held across an await — around netavark runs — is a lease row, not a transaction.
import { openDatabase } from '../state/sqlite-open.ts';
import type { Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PodbayError, wrap } from '../../../shared/errors.ts';
import { holderAlive } from '../lock/lock-manager.ts';
import type { ProcessIdentity } from '../lock/lock-manager.ts';

export const networkDbFileName = 'ipam.db';

/** What a container asked for on one network (podman's PerNetworkOptions). */
export interface ConnectionOptions {
  /** Interface name inside the container: eth0, eth1… */
  interfaceName: string;
  aliases?: string[];
  staticIps?: string[];
  staticMac?: string;
}

export interface Connection {
  containerId: string;
  containerName: string;
  network: string;
  options: ConnectionOptions;
}

const schemaVersion = 1;

const schema = `
CREATE TABLE IF NOT EXISTS allocations (
  network TEXT NOT NULL,
  address TEXT NOT NULL,
  subnet TEXT NOT NULL,
  container_id TEXT NOT NULL,
  PRIMARY KEY (network, address)
);
CREATE INDEX IF NOT EXISTS allocations_by_container ON allocations (container_id);
CREATE TABLE IF NOT EXISTS last_allocated (
  network TEXT NOT NULL,
  subnet TEXT NOT NULL,
  address TEXT NOT NULL,
  PRIMARY KEY (network, subnet)
);
CREATE TABLE IF NOT EXISTS connections (
  container_id TEXT NOT NULL,
  network TEXT NOT NULL,
  container_name TEXT NOT NULL,
  options TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (container_id, network)
);
CREATE INDEX IF NOT EXISTS connections_by_network ON connections (network);
CREATE TABLE IF NOT EXISTS lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token TEXT NOT NULL,
  pid INTEGER NOT NULL,
  start_time TEXT NOT NULL,
  boot_id TEXT NOT NULL
);
`;

export interface NetworkDbOptions {
  busyTimeoutMs?: number;
}

export class NetworkDb {
  readonly path: string;
  readonly db: Db;

  private constructor(path: string, db: Db) {
    this.path = path;
    this.db = db;
  }

  /** Opens (creating) the database; a file from a newer Podbay → ErrStoreTooNew, garbage → ErrStoreCorrupt. */
  static open(path: string, options: NetworkDbOptions = {}): NetworkDb {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    let db: Db;
    try {
      db = openDatabase(path);
    } catch (error) {
      throw wrap(error, `opening network database ${path}`);
    }
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 30_000))}`);
      db.pragma('journal_mode = WAL');
      // NORMAL, not FULL: in WAL mode it stays consistent, and what a power loss could undo (the last
      // allocations or the lease) belongs to containers the power loss has stopped anyway.
      db.pragma('synchronous = NORMAL');
      const check = () => {
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version > schemaVersion) {
          throw new PodbayError('ErrStoreTooNew', `network database ${path} has schema ${version}; this Podbay knows up to ${schemaVersion}`);
        }
        return version;
      };
      // The usual case reads the version without the write lock; only a new or older file takes it.
      if (check() < schemaVersion) {
        db.transaction(() => {
          if (check() < schemaVersion) {
            db.exec(schema);
            db.pragma(`user_version = ${schemaVersion}`);
          }
        }).immediate();
      }
    } catch (error) {
      db.close();
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))) {
        throw new PodbayError('ErrStoreCorrupt', `network database ${path} is not a database`, { cause: error });
      }
      throw error instanceof PodbayError ? error : wrap(error, `opening network database ${path}`);
    }
    return new NetworkDb(path, db);
  }

  /** Runs `fn` inside BEGIN IMMEDIATE: the cross-process write lock. `fn` must not await. */
  immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // --- the netavark lease: one netavark run at a time across processes -----------------------

  /**
   * Takes the lease when free or held by a dead process (pid gone, pid reused, or another boot).
   * Returns false when a live holder has it; the caller waits outside any transaction and retries.
   */
  tryTakeLease(token: string, self: ProcessIdentity): boolean {
    return this.immediate(() => {
      const row = this.db.prepare('SELECT pid, start_time, boot_id FROM lease WHERE id = 1').get() as
        | { pid: number; start_time: string; boot_id: string }
        | undefined;
      if (row && holderAlive({ pid: row.pid, startTime: row.start_time, bootId: row.boot_id }, self)) return false;
      this.db
        .prepare('INSERT OR REPLACE INTO lease (id, token, pid, start_time, boot_id) VALUES (1, ?, ?, ?, ?)')
        .run(token, self.pid, self.startTime, self.bootId);
      return true;
    });
  }

  /** Whether a live process holds the lease now (a netavark run or a sweep is under way). */
  leaseHeld(self: ProcessIdentity): boolean {
    const row = this.db.prepare('SELECT pid, start_time, boot_id FROM lease WHERE id = 1').get() as { pid: number; start_time: string; boot_id: string } | undefined;
    return row !== undefined && holderAlive({ pid: row.pid, startTime: row.start_time, bootId: row.boot_id }, self);
  }

  releaseLease(token: string): void {
    this.immediate(() => this.db.prepare('DELETE FROM lease WHERE id = 1 AND token = ?').run(token));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // --- connections: which container is on which network -------------------------------------

  /** Records a connection; the same container on the same network again → ErrNetworkExists. */
  addConnection(connection: Connection): void {
    const seq = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM connections WHERE container_id = ?').get(connection.containerId) as { next: number }).next;
    try {
      this.db
        .prepare('INSERT INTO connections (container_id, network, container_name, options, seq) VALUES (?, ?, ?, ?, ?)')
        .run(connection.containerId, connection.network, connection.containerName, JSON.stringify(connection.options), seq);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new PodbayError('ErrNetworkExists', `container ${connection.containerId.slice(0, 12)} is already connected to network ${connection.network}`, { cause: error });
      }
      throw error;
    }
  }

  removeConnection(containerId: string, network: string): boolean {
    return this.db.prepare('DELETE FROM connections WHERE container_id = ? AND network = ?').run(containerId, network).changes > 0;
  }

  removeConnectionsOf(containerId: string): number {
    return this.db.prepare('DELETE FROM connections WHERE container_id = ?').run(containerId).changes;
  }

  /** A container's connections in the order they were made (eth0 first). */
  connectionsOf(containerId: string): Connection[] {
    const rows = this.db.prepare('SELECT * FROM connections WHERE container_id = ? ORDER BY seq').all(containerId) as ConnectionRow[];
    return rows.map(fromRow);
  }

  connectionsTo(network: string): Connection[] {
    const rows = this.db.prepare('SELECT * FROM connections WHERE network = ? ORDER BY container_name').all(network) as ConnectionRow[];
    return rows.map(fromRow);
  }

  allConnections(): Connection[] {
    return (this.db.prepare('SELECT * FROM connections ORDER BY container_id, seq').all() as ConnectionRow[]).map(fromRow);
  }
}

interface ConnectionRow {
  container_id: string;
  network: string;
  container_name: string;
  options: string;
}

function fromRow(row: ConnectionRow): Connection {
  return { containerId: row.container_id, containerName: row.container_name, network: row.network, options: JSON.parse(row.options) as ConnectionOptions };
}
