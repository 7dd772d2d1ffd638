import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration } from '../../../../../main/core/state/migrations/0001-initial.ts';
import { migrate } from '../../../../../main/core/state/sqlite-state.ts';

describe('migration 0001-initial', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, [migration]);
  });
  afterEach(() => db.close());

  it('sets user_version 1 and creates the tables', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(['container_dependencies', 'containers', 'db_config', 'namespace', 'pods']);
  });

  it('enforces one namespace of names across containers and pods in the database itself', () => {
    const id1 = 'a'.repeat(64);
    const id2 = 'b'.repeat(64);
    db.prepare("INSERT INTO namespace VALUES (?, 'x', 'pod')").run(id1);
    expect(() => db.prepare("INSERT INTO namespace VALUES (?, 'x', 'container')").run(id2)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO namespace VALUES ('short', 'y', 'container')").run()).toThrow(/CHECK/);
  });

  it('refuses a container row without its namespace row at commit', () => {
    const insert = db.transaction(() => {
      db.prepare("INSERT INTO containers (id, name, pod_id, created_at, state, config, state_json) VALUES (?, 'c', NULL, 0, 1, '{}', '{}')").run('c'.repeat(64));
    });
    expect(() => insert()).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT count(*) AS n FROM containers').get()).toEqual({ n: 0 });
  });

  it('is applied once even when the runner is called again', () => {
    migrate(db, [migration]);
    expect(db.prepare('SELECT count(*) AS n FROM db_config').get()).toEqual({ n: 1 });
  });
});
