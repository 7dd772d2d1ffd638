// The first image-store schema, after c/storage's images.json / layers.json records (libpod-internals
// §8.3) but relational, so reference counts are answers to queries kept in one transaction:
//  - `images`: one row per image (ID = config digest hex), with the manifest it was pulled as;
//  - `image_names`: repo:tag names, each naming exactly one image (tagging moves a name, as podman);
//  - `image_digests`: repo@digest names the image is known under;
//  - `layers` / `blobs`: stored content with `refcount` = images referencing it; the join tables
//    `image_layers` / `image_blobs` are the truth the counts are recomputed from;
//  - `leases`: pulls in progress and garbage collections, one row per process activity, so a GC
//    never deletes what a live pull is about to record, and a dead pull's row marks garbage to collect.
import type { StoreMigration } from './migration.ts';

export const migration: StoreMigration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE images (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 64),
        manifest_digest TEXT NOT NULL,
        manifest_media_type TEXT NOT NULL,
        list_digest TEXT,
        config_digest TEXT NOT NULL,
        config TEXT NOT NULL,
        created TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0),
        stored_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE image_names (
        name TEXT PRIMARY KEY NOT NULL,
        image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        added_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX image_names_image ON image_names (image_id);

      CREATE TABLE image_digests (
        image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        repo_digest TEXT NOT NULL,
        PRIMARY KEY (image_id, repo_digest)
      ) WITHOUT ROWID;
      CREATE INDEX image_digests_digest ON image_digests (repo_digest);

      CREATE TABLE layers (
        diff_id TEXT PRIMARY KEY NOT NULL,
        blob_digest TEXT NOT NULL,
        compressed_size INTEGER NOT NULL,
        diff_size INTEGER NOT NULL,
        media_type TEXT NOT NULL,
        refcount INTEGER NOT NULL DEFAULT 0 CHECK (refcount >= 0)
      ) WITHOUT ROWID;

      CREATE TABLE image_layers (
        image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        diff_id TEXT NOT NULL REFERENCES layers (diff_id),
        PRIMARY KEY (image_id, position)
      ) WITHOUT ROWID;
      CREATE INDEX image_layers_diff ON image_layers (diff_id);

      CREATE TABLE blobs (
        digest TEXT PRIMARY KEY NOT NULL,
        size INTEGER NOT NULL,
        refcount INTEGER NOT NULL DEFAULT 0 CHECK (refcount >= 0)
      ) WITHOUT ROWID;

      CREATE TABLE image_blobs (
        image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        digest TEXT NOT NULL REFERENCES blobs (digest),
        role TEXT NOT NULL CHECK (role IN ('manifest', 'list', 'config', 'layer')),
        PRIMARY KEY (image_id, digest)
      ) WITHOUT ROWID;
      CREATE INDEX image_blobs_digest ON image_blobs (digest);

      CREATE TABLE leases (
        token TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('pull', 'gc')),
        pid INTEGER NOT NULL,
        start_time TEXT NOT NULL,
        boot_id TEXT NOT NULL,
        acquired_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
