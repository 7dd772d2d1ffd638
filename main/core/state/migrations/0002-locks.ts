// Cross-process object locks (see ../../lock/lock-manager.ts): libpod keeps per-object locks in
// shared memory; Node has no flock/fcntl, so a lock is a row here, taken and released in the same
// serialised write transactions as the state it protects, and recognised as stale when its holder
// process (pid + start time + boot id) is gone — a SIGKILLed holder never wedges the store.
import type { Migration } from './migration.ts';

export const migration: Migration = {
  version: 2,
  name: 'locks',
  up(db) {
    db.exec(`
      CREATE TABLE locks (
        object_id TEXT PRIMARY KEY NOT NULL,
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        start_time TEXT NOT NULL,
        boot_id TEXT NOT NULL,
        acquired_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX locks_token ON locks (token);
    `);
  },
};
