import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PodbayError } from '../../../../../shared/errors.ts';
import { ImageStore, migrateStore } from '../../../../../main/core/image/image-store.ts';
import { migration as initial } from '../../../../../main/core/image/migrations/0001-initial.ts';
import { latestStoreVersion } from '../../../../../main/core/image/migrations/index.ts';
import type { StoreMigration } from '../../../../../main/core/image/migrations/migration.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'returned';
  } catch (error) {
    return error instanceof PodbayError ? error.code : 'not-a-podbay-error';
  }
}

describe('image store migration 0001-initial', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-store-migration-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the image, name, digest, layer, blob and lease tables at version 1, in WAL with synchronous=FULL', () => {
    const store = ImageStore.open(dir);
    store.close();
    const db = new Database(join(dir, 'storage.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(['blobs', 'image_blobs', 'image_digests', 'image_layers', 'image_names', 'images', 'layers', 'leases']);
    db.close();
    expect(latestStoreVersion).toBe(1);
  });

  it('enforces its constraints: 64-hex image ids, non-negative refcounts, names pointing at images', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrateStore(db, [initial]);
    expect(() => db.prepare("INSERT INTO images VALUES ('short', 'm', 't', NULL, 'c', '{}', 'x', 0, 0)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO blobs VALUES ('d', 1, -1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO image_names VALUES ('n', 'nope', 0)").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('leaves the version unchanged when a step fails half-way', () => {
    const db = new Database(':memory:');
    const broken: StoreMigration = {
      version: 1,
      name: 'broken',
      up(d) {
        initial.up(d);
        throw new Error('disk full');
      },
    };
    expect(() => migrateStore(db, [broken])).toThrow('disk full');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'images'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('is applied once when two stores open a new file', () => {
    const a = ImageStore.open(dir);
    const b = ImageStore.open(dir);
    a.close();
    b.close();
    const db = new Database(join(dir, 'storage.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a store from a newer Podbay (ErrStoreTooNew) and a file that is not a database (ErrStoreCorrupt), untouched', () => {
    const newer = join(dir, 'newer');
    ImageStore.open(newer).close();
    const db = new Database(join(newer, 'storage.db'));
    db.pragma('user_version = 99');
    db.close();
    expect(codeOf(() => ImageStore.open(newer))).toBe('ErrStoreTooNew');

    const corrupt = join(dir, 'corrupt');
    ImageStore.open(corrupt).close();
    const garbage = Buffer.alloc(8192, 0x5a);
    writeFileSync(join(corrupt, 'storage.db'), garbage);
    rmSync(join(corrupt, 'storage.db-wal'), { force: true });
    rmSync(join(corrupt, 'storage.db-shm'), { force: true });
    expect(codeOf(() => ImageStore.open(corrupt))).toBe('ErrStoreCorrupt');
  });
});
