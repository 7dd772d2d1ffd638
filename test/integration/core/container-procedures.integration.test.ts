// The lifecycle procedures through the router, as the window and the web host call them, with real
// conmon + crun: create (and start), stop, kill, restart, pause, unpause, wait and the logs stream —
// results and per-item errors as plain data, and the events the UI refreshes from.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import type { ContainerActionReport, ContainerCreateReport, ContainerInspect, ContainerLogLine } from '../../../shared/types/containers.ts';
import type { Router } from '../../../main/ipc/router.ts';
import { createAppContext } from '../../../main/app-context.ts';
import { createAppRouter } from '../../../main/app-router.ts';
import { removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');

describe.skipIf(skip !== null)(`containers lifecycle procedures${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let router: Router;
  const controller = new AbortController();
  const call = <T>(path: string, input: unknown) => router.call(path, input, controller.signal) as Promise<T>;

  beforeEach(() => {
    store = tempStore();
    makeBusyboxRootfs(store.rootfs);
    router = createAppRouter(createAppContext({ root: store.graphRoot, runRoot: store.runRoot, runtime: 'crun' }));
  });
  afterEach(async () => {
    const list = await call<{ id: string }[]>('containers.list', {}).catch(() => []);
    if (list.length) await call('containers.remove', { nameOrIds: list.map((c) => c.id), force: true, timeout: 0 });
    await removeStoreDir(store.dir);
  });

  it('create with start runs the container; stop, start, pause, unpause, kill, restart and wait report per name', async () => {
    const created = await call<ContainerCreateReport>('containers.create', {
      rootfs: store.rootfs, name: 'svc', command: ['sh', '-c', 'echo ready; exec sleep 100'], init: true, memoryBytes: 32 * 1024 * 1024, start: true,
    });
    expect(created.name).toBe('svc');
    const inspect = await call<ContainerInspect>('containers.inspect', { nameOrId: 'svc' });
    expect(inspect).toMatchObject({ state: 'running', ociRuntime: 'crun', init: true, memoryBytes: 32 * 1024 * 1024, error: null });
    expect(inspect.pid).toBeGreaterThan(0);
    expect(inspect.conmonPid).toBeGreaterThan(0);

    expect(await call<ContainerActionReport[]>('containers.pause', { nameOrIds: ['svc', 'nosuch'] })).toEqual([
      { nameOrId: 'svc', id: created.id, error: null },
      { nameOrId: 'nosuch', id: null, error: expect.objectContaining({ code: 'ErrNoSuchCtr' }) },
    ]);
    expect((await call<ContainerInspect>('containers.inspect', { nameOrId: 'svc' })).state).toBe('paused');
    const unpaused = await call<ContainerActionReport[]>('containers.unpause', { nameOrIds: ['svc'] });
    expect(unpaused[0]?.error).toBeNull();

    expect((await call<ContainerActionReport[]>('containers.stop', { nameOrIds: ['svc'], timeout: 5 }))[0]?.error).toBeNull();
    expect(await call<{ exitCode: number }>('containers.wait', { nameOrId: 'svc' })).toEqual({ exitCode: 143 });
    expect((await call<ContainerActionReport[]>('containers.start', { nameOrIds: ['svc'] }))[0]?.error).toBeNull();
    expect((await call<ContainerActionReport[]>('containers.restart', { nameOrIds: ['svc'], timeout: 0 }))[0]?.error).toBeNull();
    expect((await call<ContainerActionReport[]>('containers.kill', { nameOrIds: ['svc'], signal: 'KILL' }))[0]?.error).toBeNull();
    expect(await call<{ exitCode: number }>('containers.wait', { nameOrId: 'svc' })).toEqual({ exitCode: 137 });
    const notRunning = await call<ContainerActionReport[]>('containers.kill', { nameOrIds: ['svc'] });
    expect(notRunning[0]?.error).toMatchObject({ code: 'ErrCtrStateInvalid', category: 'failed-precondition' });

    const events = existsSync(store.eventsLog) ? readFileSync(store.eventsLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; action: string }) : [];
    expect(events.filter((e) => e.id === created.id).map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'start', 'pause', 'unpause', 'stop', 'died', 'restart', 'kill']));
  });

  it('streams the log, following it until the container exits', async () => {
    const created = await call<ContainerCreateReport>('containers.create', { rootfs: store.rootfs, command: ['sh', '-c', 'echo one; sleep 0.5; echo two >&2'], start: true });
    const lines: ContainerLogLine[] = [];
    for await (const line of router.stream('containers.logs', { nameOrId: created.id, follow: true }, controller.signal)) lines.push(line as ContainerLogLine);
    expect(lines.map((l) => `${l.stream}:${l.text}`)).toEqual(['stdout:one', 'stderr:two']);
    const tail: ContainerLogLine[] = [];
    for await (const line of router.stream('containers.logs', { nameOrId: created.id, tail: 1 }, controller.signal)) tail.push(line as ContainerLogLine);
    expect(tail.map((l) => l.text)).toEqual(['two']);
  });

  it('refuses bad input at the router and an image-based create until images exist', async () => {
    await expect(call('containers.stop', { nameOrIds: ['x'], timeout: -1 })).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrInvalidArg'));
    await expect(call('containers.create', { rootfs: store.rootfs, command: [] })).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrInvalidArg'));
    await expect(call('containers.create', { rootfs: 'relative/path', command: ['true'] })).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrInvalidArg'));
  });
});
