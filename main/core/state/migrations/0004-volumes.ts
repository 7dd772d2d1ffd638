// Named volumes (podman's VolumeConfig/VolumeState and ContainerVolume tables): one row per volume,
// its config and mutable state as JSON, and which containers use which volume. The use table has
// foreign keys both ways, so a volume a container still uses cannot be deleted even by a buggy caller,
// and an index on the volume name, which podman's VolumeInUse scans.
import type { Migration } from './migration.ts';

export const migration: Migration = {
  version: 4,
  name: 'volumes',
  up(db) {
    db.exec(`
      CREATE TABLE volumes (
        name TEXT PRIMARY KEY NOT NULL,
        created_at INTEGER NOT NULL,
        anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
        config TEXT NOT NULL,
        state TEXT NOT NULL
      );

      CREATE TABLE container_volumes (
        container_id TEXT NOT NULL REFERENCES containers (id) DEFERRABLE INITIALLY DEFERRED,
        volume_name TEXT NOT NULL REFERENCES volumes (name) DEFERRABLE INITIALLY DEFERRED,
        PRIMARY KEY (container_id, volume_name)
      ) WITHOUT ROWID;
      CREATE INDEX container_volumes_volume ON container_volumes (volume_name);
    `);
  },
};
