import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import type { ErrorCode } from '../../../shared/errors.ts';
import {
  namespaceKinds,
  withAnnotations,
  withLabels,
  withName,
  withPod,
  withRootFSFromImage,
  withRootFSFromPath,
  withSharedNamespaces,
  withStopSignal,
} from '../../../main/core/container-config.ts';
import type { NamespaceKind } from '../../../main/core/container-config.ts';
import { withPodLabels, withPodName } from '../../../main/core/pod-config.ts';
import { digestOf } from '../../../main/core/image/digest.ts';
import { withPidsLimit } from '../../../main/core/runtime-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { openRuntime, sleepSpec, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';

/** Records an image (fake blobs, empty layer dirs) in the runtime's image store; returns its ID. */
async function storeFakeImage(runtime: Runtime, name: string, config: Record<string, unknown> = {}): Promise<string> {
  const { store } = await runtime.images();
  const layer = { blob: Buffer.from(`blob ${name}`), digest: digestOf(`blob ${name}`), diffId: digestOf(`tar ${name}`) };
  const configBytes = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', config, rootfs: { type: 'layers', diff_ids: [layer.diffId] } }));
  const configDigest = digestOf(configBytes);
  const manifest = Buffer.from(`manifest of ${name}`);
  const manifestDigest = digestOf(manifest);
  await store.blobs.putBytes(configBytes, configDigest);
  await store.blobs.putBytes(manifest, manifestDigest);
  await store.blobs.putBytes(layer.blob, layer.digest);
  mkdirSync(store.layers.diffPath(layer.diffId), { recursive: true });
  store.recordPulledImage({
    id: configDigest.slice(7),
    configDigest,
    manifestDigest,
    manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    repoTags: [name],
    repoDigests: [],
    layers: [{ digest: layer.digest, diffId: layer.diffId, size: layer.blob.length, diffSize: 100, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', diffPath: '' }],
    config: JSON.parse(configBytes.toString()),
  });
  return configDigest.slice(7);
}

async function codeOf(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

async function expectCode(fn: () => unknown, code: ErrorCode): Promise<void> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  expect(hasCode(thrown, code), `expected ${code}, got ${String(thrown)}`).toBe(true);
}

function events(store: TempStore): { type: string; action: string; id: string; name: string; attributes: Record<string, string> }[] {
  if (!existsSync(store.eventsLog)) return [];
  return readFileSync(store.eventsLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

describe('Runtime', () => {
  let store: TempStore;
  let runtime: Runtime;
  beforeEach(() => {
    store = tempStore();
    runtime = openRuntime(store);
  });
  afterEach(() => {
    try {
      runtime.shutdown(true);
    } catch {
      // already shut down by the test
    }
    store.cleanup();
  });

  describe('Runtime.create', () => {
    it('refuses a corrupt store with ErrStoreCorrupt, leaving the file as it was', async () => {
      const other = tempStore();
      try {
        mkdirSync(other.graphRoot, { recursive: true });
        writeFileSync(join(other.graphRoot, 'podbay.db'), 'not a database at all, just some text that is long enough');
        await expectCode(() => openRuntime(other), 'ErrStoreCorrupt');
        expect(readFileSync(join(other.graphRoot, 'podbay.db'), 'utf8')).toBe('not a database at all, just some text that is long enough');
      } finally {
        other.cleanup();
      }
    });

    it('opens the store under the graph root and refuses options once finalized', async () => {
      expect(existsSync(join(store.graphRoot, 'podbay.db'))).toBe(true);
      expect(runtime.finalized).toBe(true);
      await expectCode(() => runtime.apply(withPidsLimit(10)), 'ErrRuntimeFinalized');
      expect(runtime.config().containers.pidsLimit).toBe(2048);
    });
  });

  describe('newContainer', () => {
    it('creates a configured container with a 64-hex id and a generated adjective_noun name', async () => {
      const ctr = await runtime.newContainer(sleepSpec, [withRootFSFromPath(store.rootfs)]);
      expect(ctr.id()).toMatch(/^[0-9a-f]{64}$/);
      expect(ctr.name()).toMatch(/^[a-z]+_[a-z]+\d*$/);
      expect(ctr.spec()).toEqual(sleepSpec);
      expect(ctr.status()).toBe('configured');
      expect(runtime.getContainer(ctr.id()).name()).toBe(ctr.name());
      expect(events(store)).toMatchObject([{ type: 'container', action: 'create', id: ctr.id(), name: ctr.name(), attributes: { image: store.rootfs } }]);
    });

    it('records name, labels, annotations, stop signal and image', async () => {
      const imageId = await storeFakeImage(runtime, 'docker.io/library/alpine:3.20', { Labels: { app: 'image', from: 'image' }, StopSignal: 'SIGQUIT' });
      const ctr = await runtime.newContainer(sleepSpec, [
        withName('web.1'),
        withLabels({ app: 'shop' }),
        withAnnotations({ 'io.podbay.note': 'x' }),
        withStopSignal('SIGINT'),
        withRootFSFromImage('alpine:3.20', true),
      ]);
      const reread = runtime.lookupContainer('web.1').configuration();
      // The user's labels and stop signal win over the image's (podman's merge).
      // The name it resolved to is recorded (ps shows it), beside the name as given (libpod RawImageName).
      expect(reread).toMatchObject({ name: 'web.1', labels: { app: 'shop', from: 'image' }, annotations: { 'io.podbay.note': 'x' }, stopSignal: 2, rootfsImage: { name: 'docker.io/library/alpine:3.20', rawName: 'alpine:3.20', useImageConfig: true, id: imageId }, rootfs: null });
      expect(events(store)[0]?.attributes).toEqual({ app: 'shop', from: 'image', image: 'docker.io/library/alpine:3.20' });
      expect(ctr.labels()).toEqual({ app: 'shop', from: 'image' });
    });

    it('resolves the image when the container is created: an unknown one → ErrNoSuchImage and nothing stored', async () => {
      await expectCode(() => runtime.newContainer(sleepSpec, [withRootFSFromImage('nosuch:1', true)]), 'ErrNoSuchImage');
      expect(runtime.containers()).toEqual([]);
    });

    it('takes the image stop signal only when the user chose none, and folds --entrypoint into the argv', async () => {
      await storeFakeImage(runtime, 'quay.io/ns/app:1', { Entrypoint: ['/entry'], Cmd: ['default'], StopSignal: 'SIGQUIT', Env: ['A=image'] });
      const plain = await runtime.newContainer({ process: { args: [] } }, [withRootFSFromImage('app:1', true)]);
      expect(plain.configuration()).toMatchObject({ stopSignal: 3, spec: { process: { args: ['/entry', 'default'] } } });
      expect(plain.spec().process.env).toContain('A=image');
      const overridden = await runtime.newContainer({ process: { args: ['x'], entrypoint: ['/other'] } }, [withRootFSFromImage('app:1', true), withStopSignal('TERM')]);
      expect(overridden.configuration()).toMatchObject({ stopSignal: 15, spec: { process: { args: ['/other', 'x'] } } });
      expect(overridden.spec().process.entrypoint).toBeUndefined();
      const noConfig = await runtime.newContainer({ process: { args: ['y'] } }, [withRootFSFromImage('app:1', false)]);
      expect(noConfig.configuration()).toMatchObject({ stopSignal: 15, spec: { process: { args: ['y'] } } });
    });

    it('generates distinct names for many containers', async () => {
      const names = new Set<string>();
      for (let i = 0; i < 60; i++) names.add((await runtime.newContainer(sleepSpec, [withRootFSFromPath(store.rootfs)])).name());
      expect(names.size).toBe(60);
    });

    it.each([
      ['an invalid name', () => withName('-bad')],
      ['a name with a slash', () => withName('a/b')],
      ['an unknown stop signal', () => withStopSignal('SIGNOPE')],
      ['a relative rootfs', () => withRootFSFromPath('rel/dir')],
      ['a missing rootfs', () => withRootFSFromPath('/nonexistent/podbay-rootfs')],
      ['an empty image name', () => withRootFSFromImage(' ', false)],
    ])('rejects %s with ErrInvalidArg and stores nothing', async (_what, option) => {
      await expectCode(() => runtime.newContainer(sleepSpec, [withRootFSFromPath(store.rootfs), option()]), 'ErrInvalidArg');
      expect(runtime.containers()).toEqual([]);
    });

    it('needs a rootfs or an image, not both', async () => {
      await expectCode(() => runtime.newContainer(sleepSpec, []), 'ErrInvalidArg');
      await expectCode(() => runtime.newContainer(sleepSpec, [withRootFSFromPath(store.rootfs), withRootFSFromImage('alpine', false)]), 'ErrInvalidArg');
      await expectCode(() => runtime.newContainer({ process: { args: 'sh' } } as never, [withRootFSFromPath(store.rootfs)]), 'ErrInvalidArg');
    });

    it('rejects a second container with the same name, and a pod name', async () => {
      await runtime.newContainer(sleepSpec, [withName('web'), withRootFSFromPath(store.rootfs)]);
      await expectCode(() => runtime.newContainer(sleepSpec, [withName('web'), withRootFSFromPath(store.rootfs)]), 'ErrCtrExists');
      await runtime.newPod([withPodName('mypod')]);
      await expectCode(() => runtime.newContainer(sleepSpec, [withName('mypod'), withRootFSFromPath(store.rootfs)]), 'ErrCtrExists');
      await expectCode(() => runtime.newPod([withPodName('web')]), 'ErrPodExists');
      expect(runtime.containers()).toHaveLength(1);
    });

    it('throws ErrCtrFinalized when an option is applied to a created container', async () => {
      const ctr = await runtime.newContainer(sleepSpec, [withName('fixed'), withRootFSFromPath(store.rootfs)]);
      await expectCode(() => ctr.apply(withName('other')), 'ErrCtrFinalized');
      await expectCode(() => ctr.apply(withLabels({ a: 'b' })), 'ErrCtrFinalized');
      expect(runtime.lookupContainer('fixed').labels()).toEqual({});
    });

    it('shares namespaces from another container, which then cannot be removed first', async () => {
      expect(namespaceKinds).toEqual(['cgroup', 'ipc', 'mount', 'net', 'pid', 'user', 'uts']);
      const base = await runtime.newContainer(sleepSpec, [withName('base'), withRootFSFromPath(store.rootfs)]);
      const joiner = await runtime.newContainer(sleepSpec, [withName('joiner'), withRootFSFromPath(store.rootfs), withSharedNamespaces(base, ['net', 'ipc'])]);
      expect(joiner.configuration().sharedNamespaces).toEqual({ net: base.id(), ipc: base.id() });
      await expectCode(() => runtime.removeContainer(base, false), 'ErrCtrExists');
      expect(runtime.hasContainer(base.id())).toBe(true);
      await expectCode(() => runtime.newContainer(sleepSpec, [withRootFSFromPath(store.rootfs), withSharedNamespaces(base, ['time' as NamespaceKind])]), 'ErrInvalidArg');
    });
  });

  describe('lookups and filters', () => {
    it('finds containers by id, prefix and name, and reports unknown ones', async () => {
      const ctr = await runtime.newContainer(sleepSpec, [withName('findme'), withRootFSFromPath(store.rootfs)]);
      expect(runtime.lookupContainer(ctr.id().slice(0, 12)).id()).toBe(ctr.id());
      expect(runtime.lookupContainer('findme').id()).toBe(ctr.id());
      expect(runtime.hasContainer(ctr.id())).toBe(true);
      expect(runtime.hasContainer('f'.repeat(64))).toBe(false);
      await expectCode(() => runtime.lookupContainer('nothing'), 'ErrNoSuchCtr');
      await expectCode(() => runtime.getContainer('findme'), 'ErrNoSuchCtr');
    });

    it('ANDs filters across keys: status, label, name, id, pod, ancestor', async () => {
      await storeFakeImage(runtime, 'docker.io/library/alpine:latest');
      const pod = await runtime.newPod([withPodName('pp')]);
      const a = await runtime.newContainer(sleepSpec, [withName('a1'), withLabels({ tier: 'web' }), withRootFSFromImage('docker.io/library/alpine:latest', true), withPod(pod)]);
      const b = await runtime.newContainer(sleepSpec, [withName('b1'), withLabels({ tier: 'web', x: 'y' }), withRootFSFromPath(store.rootfs)]);
      const c = await runtime.newContainer(sleepSpec, [withName('a2'), withRootFSFromPath(store.rootfs)]);
      runtime.state().saveContainer(c.id(), { ...c.cachedState(), status: 'exited', exitCode: 0 });
      const names = (filters: Record<string, string[]>) => runtime.listContainers(filters).map((x) => x.name()).sort();
      expect(names({ status: ['created'] })).toEqual(['a1', 'b1']);
      expect(names({ status: ['exited', 'running'] })).toEqual(['a2']);
      expect(names({ label: ['tier=web'] })).toEqual(['a1', 'b1']);
      expect(names({ label: ['tier=web', 'x'] })).toEqual(['b1']);
      expect(names({ 'label!': ['x'] })).toEqual(['a1', 'a2']);
      expect(names({ name: ['^a'] })).toEqual(['a1', 'a2']);
      expect(names({ name: ['^a'], status: ['created'] })).toEqual(['a1']);
      expect(names({ id: [b.id().slice(0, 10)] })).toEqual(['b1']);
      expect(names({ pod: ['pp'] })).toEqual(['a1']);
      expect(names({ pod: [pod.id().slice(0, 6)] })).toEqual(['a1']);
      expect(names({ ancestor: ['alpine'] })).toEqual(['a1']);
      expect(a.podId()).toBe(pod.id());
      await expectCode(() => runtime.listContainers({ colour: ['red'] }), 'ErrInvalidArg');
      await expectCode(() => runtime.listContainers({ status: ['sleeping'] }), 'ErrInvalidArg');
      await expectCode(() => runtime.listContainers({ name: ['('] }), 'ErrInvalidArg');
    });

    it('lists and filters pods', async () => {
      const p1 = await runtime.newPod([withPodName('one'), withPodLabels({ env: 'prod' })]);
      await runtime.newPod([withPodName('two')]);
      await runtime.newContainer(sleepSpec, [withName('m'), withRootFSFromPath(store.rootfs), withPod(p1)]);
      expect(runtime.listPods({ label: ['env=prod'] }).map((p) => p.name())).toEqual(['one']);
      expect(runtime.listPods({ 'ctr-number': ['0'] }).map((p) => p.name())).toEqual(['two']);
      expect(runtime.listPods({ 'ctr-names': ['m'] }).map((p) => p.name())).toEqual(['one']);
      expect(runtime.listPods({ status: ['created'] }).map((p) => p.name())).toEqual(['one', 'two']);
      expect(runtime.lookupPod('one').getContainers().map((c) => c.name())).toEqual(['m']);
      expect(runtime.lookupPod(p1.id().slice(0, 8)).name()).toBe('one');
      await expectCode(() => runtime.listPods({ bogus: ['1'] }), 'ErrInvalidArg');
      await expectCode(() => runtime.lookupPod('m'), 'ErrNoSuchPod');
    });
  });

  describe('removeContainer', () => {
    it('removes the container, frees its name and records the event', async () => {
      const ctr = await runtime.newContainer(sleepSpec, [withName('gone'), withRootFSFromPath(store.rootfs)]);
      await runtime.removeContainer(ctr, false);
      expect(runtime.hasContainer(ctr.id())).toBe(false);
      expect(events(store).map((e) => e.action)).toEqual(['create', 'remove']);
      await expectCode(() => ctr.status(), 'ErrCtrRemoved');
      await expectCode(() => runtime.removeContainer(ctr, false), 'ErrCtrRemoved');
      await runtime.newContainer(sleepSpec, [withName('gone'), withRootFSFromPath(store.rootfs)]);
    });

    it('refuses a running container without force and keeps it; with force it is stopped, then removed', async () => {
      const ctr = await runtime.newContainer(sleepSpec, [withRootFSFromPath(store.rootfs)]);
      // A pid no process has (above pid_max): the record's process is gone, as after a crash.
      runtime.state().saveContainer(ctr.id(), { ...ctr.cachedState(), status: 'running', pid: 4_194_305 });
      await expectCode(() => runtime.removeContainer(ctr, false), 'ErrCtrStateInvalid');
      expect(runtime.getContainer(ctr.id()).status()).toBe('running');
      await runtime.removeContainer(ctr, true);
      expect(runtime.hasContainer(ctr.id())).toBe(false);
      expect(events(store).map((e) => e.action)).toEqual(['create', 'stop', 'remove']);
    });

    it('sees a removal made through another runtime on the same store', async () => {
      const ctr = await runtime.newContainer(sleepSpec, [withName('shared'), withRootFSFromPath(store.rootfs)]);
      const other = openRuntime(store);
      await other.removeContainer(other.lookupContainer('shared'), false);
      other.shutdown(false);
      await expectCode(() => ctr.sync(), 'ErrCtrRemoved');
    });
  });

  describe('renameContainer', () => {
    it('renames, frees the old name and records the event', async () => {
      const ctr = await runtime.newContainer(sleepSpec, [withName('before'), withRootFSFromPath(store.rootfs)]);
      const renamed = await runtime.renameContainer(ctr, 'after');
      expect(renamed.name()).toBe('after');
      expect(runtime.lookupContainer('after').id()).toBe(ctr.id());
      await expectCode(() => runtime.lookupContainer('before'), 'ErrNoSuchCtr');
      ctr.sync();
      expect(ctr.name()).toBe('after');
      expect(events(store).at(-1)).toMatchObject({ action: 'rename', name: 'after', attributes: { oldName: 'before' } });
      await runtime.newPod([withPodName('podname')]);
      await expectCode(() => runtime.renameContainer(ctr, 'podname'), 'ErrCtrExists');
      await expectCode(() => runtime.renameContainer(ctr, 'bad name'), 'ErrInvalidArg');
    });
  });

  describe('pods', () => {
    it('creates a pod with a generated name and lists its containers', async () => {
      const pod = await runtime.newPod();
      expect(pod.id()).toMatch(/^[0-9a-f]{64}$/);
      expect(pod.name()).toMatch(/^[a-z]+_[a-z]+\d*$/);
      const m = await runtime.newContainer(sleepSpec, [withRootFSFromPath(store.rootfs), withPod(pod)]);
      expect(pod.getContainers().map((c) => c.id())).toEqual([m.id()]);
      expect(pod.status()).toBe('Created');
      await expectCode(() => pod.apply(withPodName('x')), 'ErrPodFinalized');
      await expectCode(() => runtime.newPod([withPodName('bad/name')]), 'ErrInvalidArg');
      expect(events(store).map((e) => `${e.type}.${e.action}`)).toEqual(['pod.create', 'container.create']);
    });

    it('refuses a container for a pod removed meanwhile, storing nothing', async () => {
      const pod = await runtime.newPod([withPodName('vanishing')]);
      const other = openRuntime(store);
      await other.removePod(other.lookupPod('vanishing'), false);
      other.shutdown(false);
      await expectCode(() => runtime.newContainer(sleepSpec, [withName('late'), withRootFSFromPath(store.rootfs), withPod(pod)]), 'ErrNoSuchPod');
      expect(runtime.state().nameInUse('late')).toBe(false);
    });

    it('removes a pod with all its containers, or none of them', async () => {
      const pod = await runtime.newPod([withPodName('atomic')]);
      const members = [];
      for (let i = 0; i < 3; i++) members.push(await runtime.newContainer(sleepSpec, [withName(`m${i}`), withRootFSFromPath(store.rootfs), withPod(pod)]));
      const [first, second] = members;
      await runtime.newContainer(sleepSpec, [withName('dep'), withRootFSFromPath(store.rootfs), withPod(pod), withSharedNamespaces(first!, ['net'])]);
      runtime.state().saveContainer(second!.id(), { ...second!.cachedState(), status: 'running', pid: 99 });
      await expectCode(() => runtime.removePod(pod, false), 'ErrCtrStateInvalid');
      expect(runtime.lookupPod('atomic').getContainers()).toHaveLength(4);
      runtime.state().saveContainer(second!.id(), { ...second!.cachedState(), status: 'exited', exitCode: 0 });
      const removed = await runtime.removePod(pod, false);
      expect(removed).toHaveLength(4);
      expect(runtime.pods()).toEqual([]);
      expect(runtime.containers()).toEqual([]);
      const log = events(store).map((e) => `${e.type}.${e.action}`);
      expect(log.filter((e) => e === 'container.remove')).toHaveLength(4);
      expect(log.at(-1)).toBe('pod.remove');
      await expectCode(() => pod.getContainers(), 'ErrPodRemoved');
      await expectCode(() => runtime.removePod(pod, true), 'ErrPodRemoved');
    });
  });

  describe('shutdown', () => {
    it('refuses with active containers unless forced, then every call is ErrRuntimeStopped', async () => {
      const ctr = await runtime.newContainer(sleepSpec, [withRootFSFromPath(store.rootfs)]);
      runtime.state().saveContainer(ctr.id(), { ...ctr.cachedState(), status: 'paused' });
      await expectCode(() => runtime.shutdown(false), 'ErrCtrStateInvalid');
      expect(runtime.containers()).toHaveLength(1);
      runtime.shutdown(true);
      for (const call of [
        () => runtime.containers(),
        () => runtime.pods(),
        () => runtime.lookupContainer('x'),
        () => runtime.newContainer(sleepSpec, [withRootFSFromPath(store.rootfs)]),
        () => runtime.newPod(),
        () => runtime.removeContainer(ctr, true),
        () => runtime.apply(withPidsLimit(1)),
        () => runtime.shutdown(true),
        () => ctr.sync(),
      ]) {
        expect(await codeOf(call)).toBe('ErrRuntimeStopped');
      }
    });
  });
});

describe('Runtime.removeContainers', () => {
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

  it('removes a set in one go, dependants before what they depend on, each with its own outcome', async () => {
    const base = await runtime.newContainer(sleepSpec, [withName('base'), withRootFSFromPath(store.rootfs)]);
    const joiner = await runtime.newContainer(sleepSpec, [withName('joiner'), withRootFSFromPath(store.rootfs), withSharedNamespaces(base, ['net'])]);
    const busy = await runtime.newContainer(sleepSpec, [withName('busy'), withRootFSFromPath(store.rootfs)]);
    runtime.state().saveContainer(busy.id(), { ...busy.cachedState(), status: 'running', pid: 7 });
    const outcome = await runtime.removeContainers([base, busy, joiner], false);
    expect(outcome.get(base.id())).toBeNull();
    expect(outcome.get(joiner.id())).toBeNull();
    expect(hasCode(outcome.get(busy.id()), 'ErrCtrStateInvalid')).toBe(true);
    expect(runtime.containers().map((c) => c.name())).toEqual(['busy']);
    expect(events(store).filter((e) => e.action === 'remove').map((e) => e.name).sort()).toEqual(['base', 'joiner']);
  });
});
