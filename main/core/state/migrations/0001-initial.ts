// The first schema, after podman 5's SQLite state (libpod/sqlite_state_internal.go) with three
// deliberate differences:
//  - one `namespace` table holds the id AND the name of every container and pod, so a name or an id
//    is unique across both kinds by a UNIQUE constraint (podman's SQLite backend only shares ids);
//    two processes racing on one name therefore cannot both commit;
//  - the container state is a column (`state`, libpod's integers) kept current, so listing and
//    filtering by status need no JSON parsing;
//  - indexes on the columns podman scans (pod members, dependants).
import type { Migration } from './migration.ts';

export const migration: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE db_config (
        id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        created_at TEXT NOT NULL
      );
      INSERT INTO db_config (id, created_at) VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

      CREATE TABLE namespace (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 64),
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('container', 'pod'))
      ) WITHOUT ROWID;

      CREATE TABLE pods (
        id TEXT PRIMARY KEY NOT NULL REFERENCES namespace (id) DEFERRABLE INITIALLY DEFERRED,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        config TEXT NOT NULL,
        state TEXT NOT NULL
      );

      CREATE TABLE containers (
        id TEXT PRIMARY KEY NOT NULL REFERENCES namespace (id) DEFERRABLE INITIALLY DEFERRED,
        name TEXT NOT NULL UNIQUE,
        pod_id TEXT REFERENCES pods (id),
        created_at INTEGER NOT NULL,
        state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 8),
        config TEXT NOT NULL,
        state_json TEXT NOT NULL
      );
      CREATE INDEX containers_pod_id ON containers (pod_id);

      CREATE TABLE container_dependencies (
        id TEXT NOT NULL REFERENCES containers (id) DEFERRABLE INITIALLY DEFERRED,
        dependency_id TEXT NOT NULL REFERENCES containers (id),
        PRIMARY KEY (id, dependency_id),
        CHECK (id <> dependency_id)
      ) WITHOUT ROWID;
      CREATE INDEX container_dependencies_dependency ON container_dependencies (dependency_id);
    `);
  },
};
