import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { LockManager, currentProcessIdentity, holderAlive } from '../../../../main/core/lock/lock-manager.ts';
import { openSqliteState } from '../../../../main/core/state/sqlite-state.ts';
import type { State } from '../../../../main/core/state/state.ts';
import { tempStore } from '../../../helpers/core-store.ts';
import type { TempStore } from '../../../helpers/core-store.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('LockManager', () => {
  let store: TempStore;
  let state: State;
  beforeEach(() => {
    store = tempStore();
    state = openSqliteState(join(store.dir, 'podbay.db'));
  });
  afterEach(() => {
    state.close();
    store.cleanup();
  });

  it('makes runLocked wait while another holder leases the object, then run', async () => {
    const locks = new LockManager(state);
    const lease = await locks.acquire([A, B]);
    let ran = false;
    const pending = locks.runLocked([B], () => {
      ran = true;
      return 7;
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(ran).toBe(false);
    lease.release();
    expect(await pending).toBe(7);
    expect(state.locksOn([A, B])).toEqual([]);
  });

  it('times out with ErrCanceled naming the holder, and honours an abort signal', async () => {
    const locks = new LockManager(state);
    await locks.acquire([A]);
    let error: unknown;
    try {
      await locks.runLocked([A], () => 1, { timeoutMs: 30 });
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrCanceled')).toBe(true);
    expect(String(error)).toContain(String(process.pid));
    const controller = new AbortController();
    const pending = locks.acquire([A], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ErrCanceled' });
  });

  it('takes over a lease whose holder process is gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(dead.stdout.toString());
    const self = currentProcessIdentity();
    state.insertLocks([A], { token: 'ghost', pid, startTime: '1', bootId: self.bootId });
    state.insertLocks([B], { token: 'old-boot', pid: process.pid, startTime: self.startTime, bootId: 'another-boot' });
    expect(holderAlive({ pid, startTime: '1', bootId: self.bootId }, self)).toBe(false);
    const locks = new LockManager(state);
    const lease = await locks.acquire([A, B], { timeoutMs: 100 });
    expect(state.locksOn([A, B]).map((r) => r.token)).toEqual([lease.token, lease.token]);
  });

  it('lets holders share an object while each holds its own exclusively, and keeps an exclusive holder out', async () => {
    const P = 'c'.repeat(64);
    const locks = new LockManager(state);
    const first = await locks.acquire({ exclusive: [A], shared: [P] });
    // Another member of the same pod: not kept waiting by the first (the timeout would throw).
    const second = await locks.acquire({ exclusive: [B], shared: [P] }, { timeoutMs: 30 });
    await expect(locks.acquire({ exclusive: [A], shared: [P] }, { timeoutMs: 30 })).rejects.toMatchObject({ code: 'ErrCanceled' });
    // The pod as a whole (runLocked and acquire alike) waits until every sharer is gone.
    let ran = false;
    const whole = locks.runLocked([P], () => {
      ran = true;
    });
    first.release();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ran).toBe(false);
    second.release();
    await whole;
    expect(ran).toBe(true);
    expect(state.sharedLocksOn([P])).toEqual([]);
    const exclusive = await locks.acquire([P]);
    await expect(locks.acquire({ exclusive: [A], shared: [P] }, { timeoutMs: 30 })).rejects.toMatchObject({ code: 'ErrCanceled', message: expect.stringContaining(P) });
    exclusive.release();
  });

  it('takes over a shared lease whose holder is gone', async () => {
    const P = 'c'.repeat(64);
    const self = currentProcessIdentity();
    state.insertLocks([`${P}/shared/ghost`], { token: 'ghost', pid: process.pid, startTime: 'other', bootId: self.bootId });
    // A prefix of the object's id is another object: its shared lease is not P's.
    state.insertLocks([`${P.slice(0, 63)}/shared/other`], { token: 'other', pid: process.pid, startTime: self.startTime, bootId: self.bootId });
    expect(state.sharedLocksOn([P]).map((r) => r.token)).toEqual(['ghost']);
    const locks = new LockManager(state);
    const lease = await locks.acquire([P], { timeoutMs: 100 });
    expect(state.sharedLocksOn([P])).toEqual([]);
    lease.release();
  });

  it('treats a reused pid (different start time) as a dead holder', () => {
    const self = currentProcessIdentity();
    expect(holderAlive({ pid: process.pid, startTime: self.startTime, bootId: self.bootId }, self)).toBe(true);
    expect(holderAlive({ pid: process.pid, startTime: 'other', bootId: self.bootId }, self)).toBe(false);
    expect(holderAlive({ pid: 1, startTime: 'not-init-start', bootId: self.bootId }, self)).toBe(false);
  });
});
