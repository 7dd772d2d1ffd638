import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../../shared/errors.ts';
import { initialContainerState } from '../../../../../main/core/container-state.ts';
import { migration as initial } from '../../../../../main/core/state/migrations/0001-initial.ts';
import { migration as locks } from '../../../../../main/core/state/migrations/0002-locks.ts';
import { migration as exitCodes } from '../../../../../main/core/state/migrations/0003-exit-codes.ts';
import { migration as volumes } from '../../../../../main/core/state/migrations/0004-volumes.ts';
import { openSqliteState } from '../../../../../main/core/state/sqlite-state.ts';
import { tempStore } from '../../../../helpers/core-store.ts';
import type { TempStore } from '../../../../helpers/core-store.ts';

describe('migration 0004-volumes', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  it('upgrades a version-3 store, keeping its containers, and records volumes and their users', () => {
    const path = join(store.dir, 'podbay.db');
    const v3 = openSqliteState(path, { migrations: [initial, locks, exitCodes] });
    const id = 'c'.repeat(64);
    const config = { id, name: 'old', pod: null, spec: { process: { args: ['sh'] } }, rootfs: '/tmp', rootfsImage: null, labels: {}, annotations: {}, stopSignal: 15, sharedNamespaces: {}, createdAt: new Date().toISOString() };
    v3.addContainer({ config, state: initialContainerState() });
    v3.close();

    const v4 = openSqliteState(path, { migrations: [initial, locks, exitCodes, volumes] });
    expect(v4.lookupContainerId('old')).toBe(id);
    expect(v4.allVolumes()).toEqual([]);
    v4.addVolume({ config: { name: 'data', driver: 'local', labels: {}, options: {}, anonymous: false, createdAt: new Date().toISOString() }, state: { needsCopyUp: true, needsChown: true, mountCount: 0 } });
    const user = 'd'.repeat(64);
    v4.addContainer({ config: { ...config, id: user, name: 'user', namedVolumes: [{ name: 'data', destination: '/data', options: [] }] }, state: initialContainerState() });
    expect(v4.volumeUsers('data')).toEqual([user]);
    let error: unknown;
    try {
      v4.removeVolume('data');
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrVolumeBeingUsed')).toBe(true);
    v4.removeContainer(user);
    expect(v4.volumeUsers('data')).toEqual([]);
    v4.removeVolume('data');
    v4.close();

    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    // The table's own foreign key refuses a use of a volume that does not exist.
    db.close();
    const raw = new Database(path);
    raw.pragma('foreign_keys = ON');
    expect(() => raw.prepare('INSERT INTO container_volumes (container_id, volume_name) VALUES (?, ?)').run(id, 'nope')).toThrow(/FOREIGN KEY/);
    raw.close();
  });
});
