import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration as initial } from '../../../../../main/core/state/migrations/0001-initial.ts';
import { migration as locks } from '../../../../../main/core/state/migrations/0002-locks.ts';
import type { Migration } from '../../../../../main/core/state/migrations/migration.ts';
import { migrate, openSqliteState } from '../../../../../main/core/state/sqlite-state.ts';
import { tempStore } from '../../../../helpers/core-store.ts';
import type { TempStore } from '../../../../helpers/core-store.ts';

describe('migration 0002-locks', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  it('upgrades a version-1 store, keeping its containers, and adds the locks table', () => {
    const path = join(store.dir, 'podbay.db');
    const v1 = openSqliteState(path, { migrations: [initial] });
    v1.addPod({ config: { id: 'a'.repeat(64), name: 'keepme', labels: {}, createdAt: new Date().toISOString() }, state: { infraContainerId: null } });
    v1.close();

    const v2 = openSqliteState(path, { migrations: [initial, locks] });
    expect(v2.lookupPodId('keepme')).toBe('a'.repeat(64));
    v2.insertLocks(['a'.repeat(64)], { token: 't', pid: 1, startTime: '1', bootId: 'b' });
    expect(v2.locksOn(['a'.repeat(64)])).toMatchObject([{ objectId: 'a'.repeat(64), token: 't', pid: 1 }]);
    v2.close();

    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('leaves the version unchanged when a step fails half-way', () => {
    const db = new Database(':memory:');
    migrate(db, [initial]);
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(d) {
        locks.up(d);
        throw new Error('disk full');
      },
    };
    expect(() => migrate(db, [initial, broken])).toThrow('disk full');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'locks'").get()).toEqual({ n: 0 });
    db.close();
  });
});
