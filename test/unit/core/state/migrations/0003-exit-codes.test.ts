import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration as initial } from '../../../../../main/core/state/migrations/0001-initial.ts';
import { migration as locks } from '../../../../../main/core/state/migrations/0002-locks.ts';
import { migration as exitCodes } from '../../../../../main/core/state/migrations/0003-exit-codes.ts';
import { openSqliteState } from '../../../../../main/core/state/sqlite-state.ts';
import { tempStore } from '../../../../helpers/core-store.ts';
import type { TempStore } from '../../../../helpers/core-store.ts';

describe('migration 0003-exit-codes', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  it('upgrades a version-2 store, keeping its pods, and remembers exit codes of removed containers', () => {
    const path = join(store.dir, 'podbay.db');
    const v2 = openSqliteState(path, { migrations: [initial, locks] });
    v2.addPod({ config: { id: 'b'.repeat(64), name: 'keepme', labels: {}, createdAt: new Date().toISOString() }, state: { infraContainerId: null } });
    v2.close();

    const v3 = openSqliteState(path, { migrations: [initial, locks, exitCodes] });
    expect(v3.lookupPodId('keepme')).toBe('b'.repeat(64));
    expect(v3.removedExitCode('c'.repeat(64))).toBeNull();
    v3.recordExitCode('c'.repeat(64), 42);
    expect(v3.removedExitCode('c'.repeat(64))).toBe(42);
    v3.close();

    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
  });
});
