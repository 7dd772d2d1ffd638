// containers.* and pods.* through the router, as the window and the web host call them: inputs
// checked against the contract's schemas, results and per-item errors as plain data.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../main/app-context.ts';
import { contract } from '../../../shared/contract.ts';
import { hasCode } from '../../../shared/errors.ts';
import type { ContainerInspect, ContainerListItem, ContainerRemoveReport } from '../../../shared/types/containers.ts';
import type { PodInspect, PodListItem, PodRemoveReport } from '../../../shared/types/pods.ts';
import { withLabels, withName, withPod, withRootFSFromPath } from '../../../main/core/container-config.ts';
import { EventLog } from '../../../main/core/events/event-log.ts';
import { realExec } from '../../../main/core/exec.ts';
import { withPodName } from '../../../main/core/pod-config.ts';
import { resolvePaths } from '../../../main/core/runtime-paths.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { createHandlers } from '../../../main/ipc/handlers.ts';
import { createRouter } from '../../../main/ipc/router.ts';
import type { Router } from '../../../main/ipc/router.ts';
import { openRuntime, sleepSpec, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';

describe('containers.* and pods.* procedures', () => {
  let store: TempStore;
  let router: Router;
  let runtime: Runtime;
  const signal = new AbortController().signal;
  const call = <T>(path: string, input: unknown) => router.call(path, input, signal) as Promise<T>;

  beforeEach(() => {
    store = tempStore();
    const paths = resolvePaths({ root: store.graphRoot, runRoot: store.runRoot });
    const events = new EventLog(store.eventsLog);
    router = createRouter(contract, createHandlers({ config: createAppContext({ root: store.graphRoot, runRoot: store.runRoot }).config, paths, exec: realExec, events, defaultRuntime: 'crun' }));
    runtime = openRuntime(store);
  });
  afterEach(() => {
    runtime.shutdown(true);
    store.cleanup();
  });

  it('lists, filters and inspects containers made by another runtime on the store', async () => {
    const pod = await runtime.newPod([withPodName('pp')]);
    const a = await runtime.newContainer(sleepSpec, [withName('a'), withLabels({ k: 'v' }), withRootFSFromPath(store.rootfs), withPod(pod)]);
    await runtime.newContainer(sleepSpec, [withName('b'), withRootFSFromPath(store.rootfs)]);
    const all = await call<ContainerListItem[]>('containers.list', {});
    expect(all.map((c) => c.name)).toEqual(['a', 'b']);
    expect(all[0]).toMatchObject({ id: a.id(), state: 'configured', command: ['sleep', 'infinity'], podId: pod.id(), podName: 'pp', labels: { k: 'v' }, rootfs: store.rootfs, image: '' });
    expect(await call<ContainerListItem[]>('containers.list', { all: false })).toEqual([]);
    expect((await call<ContainerListItem[]>('containers.list', { filters: { label: ['k=v'] } })).map((c) => c.name)).toEqual(['a']);
    const inspect = await call<ContainerInspect>('containers.inspect', { nameOrId: a.id().slice(0, 8) });
    expect(inspect).toMatchObject({ id: a.id(), name: 'a', stopSignal: 15, dependencies: [], dependents: [] });
  });

  it('rejects bad input and unknown names with typed errors', async () => {
    await expect(call('containers.list', { all: 'yes' })).rejects.toSatisfy((e) => hasCode(e, 'ErrInvalidArg'));
    await expect(call('containers.list', { filters: { colour: ['red'] } })).rejects.toSatisfy((e) => hasCode(e, 'ErrInvalidArg'));
    await expect(call('containers.inspect', { nameOrId: 'nosuch' })).rejects.toSatisfy((e) => hasCode(e, 'ErrNoSuchCtr'));
    await expect(call('pods.inspect', { nameOrId: 'nosuch' })).rejects.toSatisfy((e) => hasCode(e, 'ErrNoSuchPod'));
    await expect(call('containers.remove', { nameOrIds: [] })).rejects.toSatisfy((e) => hasCode(e, 'ErrInvalidArg'));
  });

  it('removes containers with one report each', async () => {
    const a = await runtime.newContainer(sleepSpec, [withName('a'), withRootFSFromPath(store.rootfs)]);
    const b = await runtime.newContainer(sleepSpec, [withName('b'), withRootFSFromPath(store.rootfs)]);
    runtime.state().saveContainer(b.id(), { ...b.cachedState(), status: 'running', pid: 1 });
    const reports = await call<ContainerRemoveReport[]>('containers.remove', { nameOrIds: ['a', 'b', 'zz'] });
    expect(reports).toEqual([
      { nameOrId: 'a', id: a.id(), error: null },
      { nameOrId: 'b', id: b.id(), error: expect.objectContaining({ code: 'ErrCtrStateInvalid', category: 'failed-precondition' }) },
      { nameOrId: 'zz', id: null, error: expect.objectContaining({ code: 'ErrNoSuchCtr', category: 'not-found' }) },
    ]);
    expect(runtime.containers().map((c) => c.name())).toEqual(['b']);
  });

  it('lists, inspects and removes pods whole or not at all', async () => {
    const pod = await runtime.newPod([withPodName('pp')]);
    const m = await runtime.newContainer(sleepSpec, [withName('m'), withRootFSFromPath(store.rootfs), withPod(pod)]);
    const list = await call<PodListItem[]>('pods.list', {});
    expect(list).toEqual([expect.objectContaining({ id: pod.id(), name: 'pp', status: 'Created', containers: [{ id: m.id(), name: 'm', state: 'configured' }] })]);
    expect((await call<PodInspect>('pods.inspect', { nameOrId: 'pp' })).id).toBe(pod.id());

    runtime.state().saveContainer(m.id(), { ...m.cachedState(), status: 'running', pid: 1 });
    const refused = await call<PodRemoveReport[]>('pods.remove', { nameOrIds: ['pp'] });
    expect(refused[0]?.error?.code).toBe('ErrCtrStateInvalid');
    expect(runtime.lookupPod('pp').getContainers()).toHaveLength(1);

    runtime.state().saveContainer(m.id(), { ...m.cachedState(), status: 'exited', exitCode: 0 });
    const removed = await call<PodRemoveReport[]>('pods.remove', { nameOrIds: ['pp'] });
    expect(removed).toEqual([{ nameOrId: 'pp', id: pod.id(), removedContainers: [m.id()], error: null }]);
    expect(runtime.pods()).toEqual([]);
    expect(runtime.containers()).toEqual([]);
  });
});
