// The store shared by several real processes (issue 3): creation races, object locks across
// processes, crash safety and events crossing processes. Each child is `node` running the bundled
// test/helpers/core-child.ts against the same graph root.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withName, withRootFSFromPath } from '../../../main/core/container-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { openSqliteState } from '../../../main/core/state/sqlite-state.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import { buildCoreChild, spawnChild } from '../../helpers/core-processes.ts';
import type { Child } from '../../helpers/core-processes.ts';
import { openRuntime, sleepSpec, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';

let bundle: string;
const children: Child[] = [];

function child(args: string[]): Child {
  const c = spawnChild(bundle, args);
  children.push(c);
  return c;
}

beforeAll(async () => {
  bundle = await buildCoreChild();
});

afterAll(() => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  rmSync(dirname(bundle), { recursive: true, force: true });
});

describe('the store across processes', () => {
  let store: TempStore;
  let runtime: Runtime;
  beforeEach(() => {
    store = tempStore();
    runtime = openRuntime(store);
  });
  afterEach(() => {
    runtime.shutdown(true);
    store.cleanup();
  });

  it('lets exactly one of several processes creating the same name at the same instant win', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `race-${round}`;
      const racers = Array.from({ length: 4 }, () => child(['create', store.graphRoot, store.runRoot, name]));
      await Promise.all(racers.map((r) => r.line((l) => l === 'ready')));
      for (const r of racers) r.process.stdin.write('go\n');
      const results = await Promise.all(racers.map(async (r) => JSON.parse(await r.line((l) => l.startsWith('{'))) as { ok: boolean; code?: string; id?: string }));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual(['ErrCtrExists', 'ErrCtrExists', 'ErrCtrExists']);
      const winner = results.find((r) => r.ok)?.id;
      expect(runtime.lookupContainer(name).id()).toBe(winner);
    }
    expect(runtime.containers()).toHaveLength(5);
  });

  it('lets several processes open a brand-new store at once, each schema step applied once', async () => {
    const fresh = tempStore();
    try {
      const openers = ['a', 'b', 'c', 'd'].map((name) => child(['create', fresh.graphRoot, fresh.runRoot, name]));
      await Promise.all(openers.map((o) => o.line((l) => l === 'ready')));
      for (const o of openers) o.process.stdin.write('go\n');
      const results = await Promise.all(openers.map(async (o) => JSON.parse(await o.line((l) => l.startsWith('{'))) as { ok: boolean }));
      expect(results.every((r) => r.ok)).toBe(true);
      const db = new Database(join(fresh.graphRoot, 'podbay.db'), { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM db_config').get()).toEqual({ n: 1 });
      expect((db.prepare('SELECT name FROM containers ORDER BY name').all() as { name: string }[]).map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
      db.close();
    } finally {
      fresh.cleanup();
    }
  });

  it('loses and duplicates nothing when processes create many containers at once', async () => {
    const writers = ['p0', 'p1', 'p2', 'p3'].map((prefix) => child(['create-many', store.graphRoot, store.runRoot, prefix, '50']));
    await Promise.all(writers.map((w) => w.line((l) => l === 'done')));
    const names = runtime.containers().map((c) => c.name());
    expect(names).toHaveLength(200);
    expect(new Set(names).size).toBe(200);
    const ids = runtime.containers().map((c) => c.id());
    expect(new Set(ids).size).toBe(200);
  });

  it('makes a removal wait for a lease held by another process, and not longer', async () => {
    const ctr = await runtime.newContainer(sleepSpec, [withName('leased'), withRootFSFromPath(store.rootfs)]);
    const holder = child(['hold-lock', store.graphRoot, store.runRoot, 'leased', '400']);
    await holder.line((l) => l === 'locked');
    const started = Date.now();
    await runtime.removeContainer(ctr, false);
    const waited = Date.now() - started;
    await holder.line((l) => l === 'released');
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3000);
    expect(runtime.hasContainer(ctr.id())).toBe(false);
  });

  it('takes over the lease of a holder that was SIGKILLed', async () => {
    const ctr = await runtime.newContainer(sleepSpec, [withName('orphaned'), withRootFSFromPath(store.rootfs)]);
    const holder = child(['hold-lock', store.graphRoot, store.runRoot, 'orphaned', '-1']);
    await holder.line((l) => l === 'locked');
    await expect(runtime.removeContainer(ctr, false, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'ErrCanceled' });
    holder.process.kill('SIGKILL');
    await holder.exited;
    const started = Date.now();
    await runtime.removeContainer(runtime.lookupContainer('orphaned'), false, { timeoutMs: 2000 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reopens consistent after a writer is SIGKILLed inside a transaction', async () => {
    const dbFile = join(store.graphRoot, 'podbay.db');
    const writer = child(['raw-mid-tx', dbFile]);
    await writer.line((l) => l === 'mid');
    writer.process.kill('SIGKILL');
    await writer.exited;
    const reopened = openSqliteState(dbFile, { busyTimeoutMs: 500 });
    expect(reopened.nameInUse('half-written')).toBe(false);
    reopened.close();
    // The killed writer's lock died with it: a new write commits at once.
    await runtime.newContainer(sleepSpec, [withName('after-crash'), withRootFSFromPath(store.rootfs)]);
    expect(runtime.lookupContainer('after-crash').name()).toBe('after-crash');
  });

  it('keeps pods whole when a writer adding and removing pods of 200 containers is killed at random', async () => {
    const dbFile = join(store.graphRoot, 'podbay.db');
    for (let attempt = 0; attempt < 6; attempt++) {
      const churn = child(['churn', store.graphRoot, store.runRoot, '200']);
      await churn.line((l) => l.startsWith('added'));
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 40)));
      churn.process.kill('SIGKILL');
      await churn.exited;

      const state = openSqliteState(dbFile); // integrity check on open
      for (const pod of state.allPods()) expect(state.podContainers(pod.config.id)).toHaveLength(200);
      state.close();
      const db = new Database(dbFile, { readonly: true });
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM namespace')).toBe(count('SELECT count(*) AS n FROM containers') + count('SELECT count(*) AS n FROM pods'));
      expect(count('SELECT count(*) AS n FROM containers WHERE pod_id IS NOT NULL AND pod_id NOT IN (SELECT id FROM pods)')).toBe(0);
      db.close();
      // Clean up what the killed writer left whole, for the next attempt.
      for (const pod of runtime.pods()) await runtime.removePod(pod, false);
    }
  });

  it('delivers a change made by another process to a follower of the event log within 0.5 s', async () => {
    const controller = new AbortController();
    const received: { event: PodbayEvent; at: number }[] = [];
    const following = (async () => {
      for await (const event of runtime.events().follow({ signal: controller.signal })) {
        received.push({ event, at: Date.now() });
        if (event.name === 'from-cli') break;
      }
    })();
    const cli = child(['create', store.graphRoot, store.runRoot, 'from-cli']);
    await cli.line((l) => l === 'ready');
    cli.process.stdin.write('go\n');
    const result = JSON.parse(await cli.line((l) => l.startsWith('{'))) as { ok: boolean; id: string };
    const createdAt = Date.now();
    await Promise.race([following, new Promise((resolve) => setTimeout(resolve, 2000))]);
    controller.abort();
    expect(result.ok).toBe(true);
    const hit = received.find((r) => r.event.name === 'from-cli');
    expect(hit?.event).toMatchObject({ type: 'container', action: 'create', id: result.id });
    expect((hit?.at ?? Infinity) - createdAt).toBeLessThan(500);
  });
});
