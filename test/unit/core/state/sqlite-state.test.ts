// State behaviour through a table of backends (libpod runForAllStates); SQLite is the one backend.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import type { ContainerConfig } from '../../../../main/core/container-config.ts';
import { initialContainerState } from '../../../../main/core/container-state.ts';
import { openSqliteState } from '../../../../main/core/state/sqlite-state.ts';
import type { ContainerRecord, PodRecord, State } from '../../../../main/core/state/state.ts';
import { latestSchemaVersion } from '../../../../main/core/state/migrations/index.ts';
import { tempStore } from '../../../helpers/core-store.ts';
import type { TempStore } from '../../../helpers/core-store.ts';

const backends: { name: string; open: (dir: string) => State }[] = [{ name: 'sqlite', open: (dir) => openSqliteState(join(dir, 'podbay.db')) }];

let seq = 0;
const hexId = (lead: string) => (lead + (seq++).toString(16).padStart(8, '0')).padEnd(64, '0').slice(0, 64);

function ctr(name: string, opts: Partial<ContainerConfig> = {}): ContainerRecord {
  return {
    config: {
      id: opts.id ?? hexId('c'),
      name,
      pod: opts.pod ?? null,
      spec: { process: { args: ['sh'] } },
      rootfs: '/tmp',
      rootfsImage: null,
      labels: opts.labels ?? {},
      annotations: {},
      stopSignal: 15,
      sharedNamespaces: opts.sharedNamespaces ?? {},
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    },
    state: initialContainerState(),
  };
}

function pod(name: string, id = hexId('b')): PodRecord {
  return { config: { id, name, labels: {}, createdAt: new Date().toISOString() }, state: { infraContainerId: null } };
}

function expectCode(fn: () => unknown, code: Parameters<typeof hasCode>[1]): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected ${code}`).toBeDefined();
  expect(hasCode(thrown, code), `expected ${code}, got ${String(thrown)}`).toBe(true);
}

describe.each(backends)('State ($name)', ({ open }) => {
  let store: TempStore;
  let state: State;
  beforeEach(() => {
    store = tempStore();
    state = open(store.graphRoot);
  });
  afterEach(() => {
    state.close();
    store.cleanup();
  });

  it('adds a container and reads it back, also after reopening', () => {
    const c = ctr('web', { labels: { a: 'b' } });
    state.addContainer(c);
    expect(state.container(c.config.id)).toEqual(c);
    expect(state.hasContainer(c.config.id)).toBe(true);
    state.close();
    state = open(store.graphRoot);
    expect(state.container(c.config.id)).toEqual(c);
    expect(state.allContainers().map((r) => r.config.name)).toEqual(['web']);
  });

  it('rejects a second container with the same name', () => {
    state.addContainer(ctr('web'));
    expectCode(() => state.addContainer(ctr('web')), 'ErrCtrExists');
    expect(state.allContainers()).toHaveLength(1);
  });

  it('rejects a container whose name is used by a pod, and a pod whose name a container uses', () => {
    state.addPod(pod('shared'));
    expectCode(() => state.addContainer(ctr('shared')), 'ErrCtrExists');
    state.addContainer(ctr('other'));
    expectCode(() => state.addPod(pod('other')), 'ErrPodExists');
  });

  it('rejects an id already used by a pod', () => {
    const p = pod('p1');
    state.addPod(p);
    expectCode(() => state.addContainer(ctr('c1', { id: p.config.id })), 'ErrCtrExists');
  });

  it('looks up by full id, unique prefix and name, exact name first', () => {
    const a = ctr('alpha', { id: 'abc1'.padEnd(64, '1') });
    const b = ctr('beta', { id: 'abc2'.padEnd(64, '2') });
    state.addContainer(a);
    state.addContainer(b);
    expect(state.lookupContainerId(a.config.id)).toBe(a.config.id);
    expect(state.lookupContainerId('abc2')).toBe(b.config.id);
    expect(state.lookupContainerId('alpha')).toBe(a.config.id);
    const named = ctr('abc1', { id: 'ffff'.padEnd(64, 'f') });
    state.addContainer(named);
    expect(state.lookupContainerId('abc1')).toBe(named.config.id);
  });

  it('reports an ambiguous prefix as ErrInvalidArg naming the candidates', () => {
    state.addContainer(ctr('alpha', { id: 'abc1'.padEnd(64, '1') }));
    state.addContainer(ctr('beta', { id: 'abc2'.padEnd(64, '2') }));
    let error: unknown;
    try {
      state.lookupContainerId('abc');
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect(String(error)).toContain('alpha');
    expect(String(error)).toContain('beta');
  });

  it('reports a prefix or name that matches nothing as ErrNoSuchCtr / ErrNoSuchPod', () => {
    state.addContainer(ctr('alpha', { id: 'abc1'.padEnd(64, '1') }));
    expectCode(() => state.lookupContainerId('abd'), 'ErrNoSuchCtr');
    expectCode(() => state.lookupContainerId('nope'), 'ErrNoSuchCtr');
    expectCode(() => state.lookupContainerId('%'), 'ErrNoSuchCtr');
    expectCode(() => state.lookupPodId('alpha'), 'ErrNoSuchPod');
    expectCode(() => state.container('0'.repeat(64)), 'ErrNoSuchCtr');
    expectCode(() => state.pod('0'.repeat(64)), 'ErrNoSuchPod');
  });

  it('removes a container and frees its name', () => {
    const c = ctr('web');
    state.addContainer(c);
    state.removeContainer(c.config.id);
    expect(state.hasContainer(c.config.id)).toBe(false);
    expect(state.nameInUse('web')).toBe(false);
    state.addContainer(ctr('web'));
    expectCode(() => state.removeContainer(c.config.id), 'ErrNoSuchCtr');
  });

  it('refuses to remove a container others depend on', () => {
    const a = ctr('a');
    state.addContainer(a);
    const b = ctr('b', { sharedNamespaces: { net: a.config.id, ipc: a.config.id } });
    state.addContainer(b);
    expect(state.containerDependents(a.config.id)).toEqual([b.config.id]);
    expectCode(() => state.removeContainer(a.config.id), 'ErrCtrExists');
    state.removeContainer(b.config.id);
    state.removeContainer(a.config.id);
  });

  it('refuses a dependency that is missing or in another pod', () => {
    expectCode(() => state.addContainer(ctr('b', { sharedNamespaces: { net: 'e'.repeat(64) } })), 'ErrNoSuchCtr');
    const p = pod('p');
    state.addPod(p);
    const inPod = ctr('inpod', { pod: p.config.id });
    state.addContainer(inPod);
    expectCode(() => state.addContainer(ctr('outside', { sharedNamespaces: { net: inPod.config.id } })), 'ErrInvalidArg');
    expect(state.nameInUse('outside')).toBe(false);
  });

  it('saves state and renames, keeping the shared namespace', () => {
    const c = ctr('old');
    state.addContainer(c);
    state.saveContainer(c.config.id, { ...c.state, status: 'exited', exitCode: 3 });
    expect(state.container(c.config.id).state).toMatchObject({ status: 'exited', exitCode: 3 });
    state.renameContainer(c.config.id, 'new');
    expect(state.container(c.config.id).config.name).toBe('new');
    expect(state.lookupContainerId('new')).toBe(c.config.id);
    expect(state.nameInUse('old')).toBe(false);
    state.addPod(pod('taken'));
    expectCode(() => state.renameContainer(c.config.id, 'taken'), 'ErrCtrExists');
    expectCode(() => state.saveContainer('1'.repeat(64), c.state), 'ErrNoSuchCtr');
  });

  it('adds a pod with its containers in one transaction, all or none', () => {
    const p = pod('pod1');
    state.addPod(p, [ctr('m1', { pod: p.config.id }), ctr('m2', { pod: p.config.id })]);
    expect(state.podContainers(p.config.id).map((c) => c.config.name)).toEqual(['m1', 'm2']);
    state.addContainer(ctr('clash'));
    const q = pod('pod2');
    expectCode(() => state.addPod(q, [ctr('m3', { pod: q.config.id }), ctr('clash', { pod: q.config.id })]), 'ErrCtrExists');
    expect(state.hasPod(q.config.id)).toBe(false);
    expect(state.nameInUse('pod2')).toBe(false);
    expect(state.nameInUse('m3')).toBe(false);
  });

  it('refuses a container whose pod is gone', () => {
    expectCode(() => state.addContainer(ctr('orphan', { pod: 'd'.repeat(64) })), 'ErrNoSuchPod');
  });

  it('removes a pod only when empty; removePodContainers empties it', () => {
    const p = pod('pod1');
    const m1 = ctr('m1', { pod: p.config.id });
    state.addPod(p, [m1, ctr('m2', { pod: p.config.id, sharedNamespaces: { net: m1.config.id } })]);
    expectCode(() => state.removePod(p.config.id), 'ErrCtrExists');
    state.removePodContainers(p.config.id);
    state.removePod(p.config.id);
    expect(state.allPods()).toEqual([]);
    expect(state.allContainers()).toEqual([]);
    expectCode(() => state.removePod(p.config.id), 'ErrNoSuchPod');
  });

  it('rolls back everything written in a failed writeTransaction', () => {
    expect(() =>
      state.writeTransaction(() => {
        state.addContainer(ctr('kept-not'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(state.nameInUse('kept-not')).toBe(false);
  });

  it('commits a volatileTransaction as one unit, rolls a failed one back, and leaves later commits durable', () => {
    const holder = { token: 't', pid: process.pid, startTime: '1', bootId: 'b' };
    state.volatileTransaction(() => state.insertLocks(['a'.repeat(64)], holder));
    expect(() =>
      state.volatileTransaction(() => {
        state.insertLocks(['b'.repeat(64)], holder);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(state.allLocks().map((l) => l.objectId)).toEqual(['a'.repeat(64)]);
    // Inside a durable transaction it simply joins it.
    state.writeTransaction(() => state.volatileTransaction(() => state.deleteLocks('t')));
    expect(state.allLocks()).toEqual([]);
    // synchronous=FULL (2) is back for the connection's ordinary commits.
    expect((state as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(2);
  });
});

describe('openSqliteState', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  it('creates podbay.db in WAL mode at the latest schema version', () => {
    const path = join(store.graphRoot, 'podbay.db');
    openSqliteState(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('opens an up-to-date store without a write transaction, while another process holds the write lock', () => {
    const path = join(store.graphRoot, 'podbay.db');
    openSqliteState(path).close();
    const writer = new Database(path);
    writer.exec('BEGIN IMMEDIATE');
    try {
      // With no busy wait, any BEGIN IMMEDIATE of the open would fail with SQLITE_BUSY.
      const state = openSqliteState(path, { busyTimeoutMs: 0 });
      expect(state.allContainers()).toEqual([]);
      state.close();
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('refuses a file that is not a database with ErrStoreCorrupt and leaves it untouched', () => {
    const path = join(store.dir, 'podbay.db');
    const garbage = Buffer.alloc(8192, 0x5a);
    writeFileSync(path, garbage);
    expectCode(() => openSqliteState(path), 'ErrStoreCorrupt');
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('refuses a database whose pages are damaged with ErrStoreCorrupt', () => {
    const path = join(store.dir, 'podbay.db');
    const state = openSqliteState(path);
    for (let i = 0; i < 200; i++) state.addContainer(ctr(`c${i}`, { labels: { pad: 'x'.repeat(200) } }));
    state.close();
    const bytes = readFileSync(path);
    // Page 2 onwards: scribble over b-tree pages, keeping the header so SQLite opens the file.
    bytes.fill(0xff, 4096 + 16, 4096 * 6);
    writeFileSync(path, bytes);
    expectCode(() => openSqliteState(path), 'ErrStoreCorrupt');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a store from a newer Podbay with ErrStoreTooNew and does not touch it', () => {
    const path = join(store.dir, 'podbay.db');
    const db = new Database(path);
    db.pragma(`user_version = ${latestSchemaVersion + 1}`);
    db.close();
    const before = readFileSync(path);
    expectCode(() => openSqliteState(path), 'ErrStoreTooNew');
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
