import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { withName, withPod, withRootFSFromPath, withSharedNamespaces } from '../../../main/core/container-config.ts';
import { newPodDraft, withPodHostname, withPodInfra, withPodName, withPodSharedNamespaces } from '../../../main/core/pod-config.ts';
import type { PodDraft } from '../../../main/core/pod-config.ts';
import { infraContainerRecord, infraName, memberNamespaces } from '../../../main/core/pod-infra.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { openRuntime, sleepSpec, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    for (const code of ['ErrInvalidArg', 'ErrNotImplemented', 'ErrPodFinalized'] as const) if (hasCode(error, code)) return code;
    throw error;
  }
}

describe('pod options', () => {
  const draft = (): PodDraft => ({ finalized: false, draft: newPodDraft() });

  it('has no infra by default in the core (libpod NewPod), net, ipc and uts once asked for', () => {
    const target = draft();
    expect(target.draft).toMatchObject({ infra: false, sharedNamespaces: ['net', 'ipc', 'uts'], hostname: null });
    withPodInfra(true)(target);
    expect(target.draft.infra).toBe(true);
  });

  it('shares net, ipc, uts and pid; refuses other kinds with a typed error', () => {
    const target = draft();
    withPodSharedNamespaces(['net', 'pid', 'net'])(target);
    expect(target.draft.sharedNamespaces).toEqual(['net', 'pid']);
    expect(codeOf(() => withPodSharedNamespaces(['mount'])(target))).toBe('ErrNotImplemented');
    expect(codeOf(() => withPodSharedNamespaces(['bogus'])(target))).toBe('ErrInvalidArg');
    expect(codeOf(() => withPodHostname('bad host')(target))).toBe('ErrInvalidArg');
    expect(codeOf(() => withPodInfra(true)({ finalized: true, draft: newPodDraft() }))).toBe('ErrPodFinalized');
  });
});

describe('infra container', () => {
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

  it('is a catatonit -P record in a root directory under the pod userdata, named after the pod', () => {
    const pod = { id: 'a'.repeat(64), name: 'web', labels: {}, createdAt: new Date(0).toISOString(), infra: true, sharedNamespaces: ['net' as const] };
    const record = infraContainerRecord(pod, store.graphRoot, 'crun');
    expect(record.config).toMatchObject({ name: infraName(pod.id), pod: pod.id, isInfra: true, spec: { process: { args: ['/catatonit', '-P'] }, hostname: 'web' } });
    expect(record.config.rootfs).toBe(join(store.graphRoot, 'pods', pod.id, 'userdata', 'rootfs'));
    expect(existsSync(join(record.config.rootfs as string, 'proc'))).toBe(true);
    expect(memberNamespaces(pod, record.config.id)).toEqual({ from: record.config.id, kinds: ['net'] });
    expect(memberNamespaces({ ...pod, infra: false }, record.config.id)).toBeNull();
  });

  it('is added with the pod; members join its namespaces unless they chose a source; pod removal drops it all', async () => {
    const pod = await runtime.newPod([withPodName('p'), withPodInfra(true), withPodHostname('h')]);
    const infraId = pod.infraContainerId() as string;
    expect(runtime.getContainer(infraId).podId()).toBe(pod.id());
    expect(pod.sharedNamespaces()).toEqual(['net', 'ipc', 'uts']);
    const other = await runtime.newContainer(sleepSpec, [withName('other'), withRootFSFromPath(store.rootfs), withPod(pod)]);
    const member = await runtime.newContainer(sleepSpec, [withName('m'), withRootFSFromPath(store.rootfs), withPod(pod), withSharedNamespaces(other, ['ipc'])]);
    expect(runtime.state().container(other.id()).config.sharedNamespaces).toEqual({ net: infraId, ipc: infraId, uts: infraId });
    expect(runtime.state().container(member.id()).config.sharedNamespaces).toEqual({ net: infraId, ipc: other.id(), uts: infraId });
    expect(pod.getContainers()).toHaveLength(3);
    expect(pod.status()).toBe('Created');
    expect(await runtime.removePod(pod, false)).toHaveLength(3);
    expect(runtime.hasContainer(infraId)).toBe(false);
    expect(existsSync(join(store.graphRoot, 'pods', pod.id()))).toBe(false);
  });

  it('leaves no infra behind when the pod cannot be added', async () => {
    await runtime.newPod([withPodName('taken')]);
    await expect(runtime.newPod([withPodName('taken'), withPodInfra(true)])).rejects.toMatchObject({ code: expect.stringMatching(/Exists/) });
    expect(runtime.containers()).toHaveLength(0);
  });
});
