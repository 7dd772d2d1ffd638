import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observeRuntime, readExitFileSync } from '../../../main/core/container-internal.ts';
import type { ContainerRecord } from '../../../main/core/state/state.ts';
import { tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';

const id = 'a'.repeat(64);

function record(state: Partial<ContainerRecord['state']>): ContainerRecord {
  return {
    config: { id, name: 'x', pod: null, spec: { process: { args: ['true'] } }, rootfs: '/', rootfsImage: null, labels: {}, annotations: {}, stopSignal: 15, sharedNamespaces: {}, createdAt: new Date().toISOString() },
    state: { status: 'running', pid: 10, exitCode: null, startedAt: new Date().toISOString(), finishedAt: null, ...state },
  };
}

describe('observeRuntime', () => {
  let store: TempStore;
  let ctx: { exitDir: () => string; persistRoot: () => string };
  beforeEach(() => {
    store = tempStore();
    ctx = { exitDir: () => join(store.dir, 'exits'), persistRoot: () => join(store.dir, 'persist') };
    mkdirSync(ctx.exitDir(), { recursive: true });
  });
  afterEach(() => store.cleanup());

  it('marks a running container exited with the exit file code, its ctime and the OOM flag', () => {
    writeFileSync(join(ctx.exitDir(), id), '137');
    mkdirSync(join(ctx.persistRoot(), id), { recursive: true });
    writeFileSync(join(ctx.persistRoot(), id, 'oom'), '');
    const next = observeRuntime(record({ conmonPid: process.pid }), ctx);
    expect(next).toMatchObject({ status: 'exited', exitCode: 137, oomKilled: true, pid: 0, conmonPid: 0, error: null });
    expect(Date.parse(next?.finishedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('marks a container whose conmon is gone (no exit file) exited with an error, never running', () => {
    const next = observeRuntime(record({ conmonPid: 4_194_305 }), ctx);
    expect(next).toMatchObject({ status: 'exited', exitCode: -1, pid: 0 });
    expect(next?.error).toMatch(/conmon \(pid 4194305\) is gone/);
  });

  it('leaves containers no conmon supervises, and records without a conmon pid, as stored', () => {
    writeFileSync(join(ctx.exitDir(), id), '0');
    expect(observeRuntime(record({ status: 'configured' }), ctx)).toBeNull();
    expect(observeRuntime(record({ status: 'exited', exitCode: 3 }), ctx)).toBeNull();
    expect(observeRuntime(record({}), ctx)).toBeNull();
  });

  it('reads conmon exit files without a newline, and a missing one as null', () => {
    expect(readExitFileSync(ctx.exitDir(), ctx.persistRoot(), id)).toBeNull();
    writeFileSync(join(ctx.exitDir(), id), '3');
    expect(readExitFileSync(ctx.exitDir(), ctx.persistRoot(), id)).toMatchObject({ exitCode: 3, oomKilled: false });
  });
});
