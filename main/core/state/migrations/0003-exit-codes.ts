// Exit codes of removed containers (podman's ContainerExitCode table): `run --rm` and `wait` still learn
// how a container ended when its exit command removed it first. Rows are pruned after five minutes.
import type { Migration } from './migration.ts';

export const migration: Migration = {
  version: 3,
  name: 'exit-codes',
  up(db) {
    db.exec(`
      CREATE TABLE container_exit_codes (
        id TEXT PRIMARY KEY NOT NULL,
        exit_code INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX container_exit_codes_recorded ON container_exit_codes (recorded_at);
    `);
  },
};
