// Containers from images through real conmon + crun: images built offline, pushed to Debian's
// docker-registry on 127.0.0.1 and pulled into a throw-away store. What the user sees: the image config
// applied to the process, an overlay rootfs whose lower dirs are the image layers, a writable layer that
// survives restarts and goes with the container, whiteouts honoured, images in use protected.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { withName, withRootFSFromImage, withStopSignal } from '../../../main/core/container-config.ts';
import type { ContainerOption, ContainerSpec } from '../../../main/core/container-config.ts';
import { createContainer } from '../../../main/core/container-create.ts';
import { listContainerItems } from '../../../main/core/container-inspect.ts';
import { rootfsPaths } from '../../../main/core/container-rootfs.ts';
import { digestOf } from '../../../main/core/image/digest.ts';
import type { Digest } from '../../../main/core/image/digest.ts';
import { mediaTypes } from '../../../main/core/image/manifest.ts';
import { pushImage } from '../../../main/core/image/push.ts';
import { parseNormalizedReference } from '../../../main/core/image/reference.ts';
import { withOCIRuntime, withStorageConfig } from '../../../main/core/runtime-config.ts';
import { createAppContext } from '../../../main/app-context.ts';
import { createAppRouter } from '../../../main/app-router.ts';
import type { ContainerCreateReport, ContainerInspect } from '../../../shared/types/containers.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { busyboxLayer, busyboxMissing, layerFromMembers, storeImage } from '../../helpers/image-builder.ts';
import type { BuiltImage, BuiltLayer } from '../../helpers/image-builder.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';

/** An image with its own config (the shared builder's config is fixed). */
function imageWithConfig(layers: BuiltLayer[], config: Record<string, unknown>): BuiltImage {
  const configBytes = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config,
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map(() => ({ created: '2024-01-01T00:00:00Z', created_by: 'podbay test' })),
    }),
  );
  const configDigest: Digest = digestOf(configBytes);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociManifest,
      config: { mediaType: mediaTypes.ociConfig, digest: configDigest, size: configBytes.length },
      layers: layers.map((l) => ({ mediaType: mediaTypes.ociLayerGzip, digest: l.digest, size: l.blob.length })),
    }),
  );
  return { manifest, manifestDigest: digestOf(manifest), config: configBytes, configDigest, layers };
}

const mountinfo = () => readFileSync('/proc/self/mountinfo', 'utf8');
const mountLine = (path: string) => mountinfo().split('\n').find((l) => l.split(' ')[4] === path);

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? registryMissing() ?? busyboxMissing() ?? null;

describe.skipIf(skip !== null)(`Containers from images (crun, overlay)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let registry: RegistryServer;
  let source: TempStore;
  let store: TempStore;
  let runtime: Runtime;
  const base = busyboxLayer();
  const appLayer = layerFromMembers([
    { name: 'app/', type: 'dir', mode: 0o755 },
    { name: 'app/hello.txt', data: 'hello\n' },
    { name: 'etc/', type: 'dir', mode: 0o755 },
    { name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\napp:x:1234:4321:app:/app:/bin/sh\n' },
    { name: 'etc/group', data: 'root:x:0:\napp:x:4321:\n' },
    { name: 'etc/removeme', data: 'gone soon\n' },
    { name: 'opq/', type: 'dir', mode: 0o755 },
    { name: 'opq/a', data: 'a\n' },
    { name: 'opq/b', data: 'b\n' },
  ]);
  const whiteoutLayer = layerFromMembers([
    { name: 'etc/', type: 'dir', mode: 0o755 },
    { name: 'etc/.wh.removeme', data: '' },
    { name: 'opq/', type: 'dir', mode: 0o755 },
    { name: 'opq/.wh..wh..opq', data: '' },
    { name: 'opq/c', data: 'c\n' },
  ]);
  const configured = imageWithConfig([base, appLayer], {
    Entrypoint: ['/bin/sh', '-c'],
    Cmd: ['echo default; id -u; id -g; pwd; echo $FOO'],
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'FOO=from-image'],
    WorkingDir: '/app',
    User: 'app',
    StopSignal: 'SIGUSR1',
    Labels: { 'org.test.kind': 'configured', shared: 'image' },
    Volumes: { '/data': {} },
  });
  const plain = imageWithConfig([base], { Cmd: ['/bin/sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] });
  const layered = imageWithConfig([base, appLayer, whiteoutLayer], { Cmd: ['/bin/sh'] });
  const many = imageWithConfig(
    [base, ...Array.from({ length: 70 }, (_, i) => layerFromMembers([{ name: 'layers/', type: 'dir', mode: 0o755 }, { name: `layers/${i + 1}`, data: `${i + 1}\n` }]))],
    { Cmd: ['/bin/sh'] },
  );
  const ref = (path: string) => `${registry.host}/${path}`;
  const spec = (...args: string[]): ContainerSpec => ({ process: { args } });

  beforeAll(async () => {
    registry = await startRegistry();
    source = tempStore();
    for (const [image, path] of [[configured, 'test/configured'], [plain, 'test/busybox'], [layered, 'test/layered'], [many, 'test/many']] as const) {
      await storeImage(source.graphRoot, image);
      await pushImage(parseNormalizedReference(ref(`${path}:latest`)), { graphRoot: source.graphRoot, manifestDigest: image.manifestDigest, tlsVerify: false });
    }
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
    source?.cleanup();
  });

  beforeEach(() => {
    store = tempStore();
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
  });
  afterEach(async () => {
    try {
      await runtime.removeContainers(runtime.containers(), true, { timeout: 0 });
      runtime.shutdown(true);
    } catch {
      // the test shut it down
    }
    await removeStoreDir(store.dir);
  });

  const pull = async (path: string, rt = runtime) => {
    const [item] = await (await rt.images()).pull(ref(path), { tlsVerify: false });
    return item!.id;
  };
  const fromImage = async (image: string, args: string[], ...options: ContainerOption[]) => runtime.newContainer(spec(...args), [withRootFSFromImage(image, true), ...options]);
  const output = async (ctr: { logs(): AsyncGenerator<{ text: string }> }) => {
    const lines: string[] = [];
    for await (const line of ctr.logs()) lines.push(line.text);
    return lines;
  };

  it('merges the image config as podman: entrypoint + cmd, env, workdir, user through /etc/passwd, stop signal, labels, volumes', async () => {
    const id = await pull('test/configured');
    const ctr = await fromImage(ref('test/configured'), [], withName('merged'));
    const config = ctr.configuration();
    expect(config.rootfsImage).toMatchObject({ name: ref('test/configured:latest'), rawName: ref('test/configured'), id, useImageConfig: true });
    expect(config.spec.process.args).toEqual(['/bin/sh', '-c', 'echo default; id -u; id -g; pwd; echo $FOO']);
    expect(config.spec.process.env).toEqual(expect.arrayContaining(['FOO=from-image', 'container=podman']));
    expect(config.stopSignal).toBe(10);
    expect(config.labels).toMatchObject({ 'org.test.kind': 'configured' });
    expect(config.imageVolumes).toEqual(['/data']);
    await ctr.start();
    expect(await ctr.wait()).toBe(0);
    expect(await output(ctr)).toEqual(['default', '1234', '4321', '/app', 'from-image']);
  });

  it('user options win: a command replaces Cmd, --entrypoint replaces Entrypoint, env/user/workdir/stop signal/labels override', async () => {
    await pull('test/configured');
    const ctr = await createContainer(runtime, {
      image: ref('test/configured'),
      pull: 'never',
      entrypoint: ['/bin/sh', '-c'],
      command: ['id -u; pwd; echo $FOO'],
      env: ['FOO=from-user'],
      user: 'root',
      workdir: '/tmp',
      stopSignal: 'TERM',
      labels: { shared: 'user' },
    });
    const config = ctr.configuration();
    expect(config.stopSignal).toBe(15);
    expect(config.labels).toMatchObject({ shared: 'user', 'org.test.kind': 'configured' });
    await ctr.start();
    expect(await ctr.wait()).toBe(0);
    expect(await output(ctr)).toEqual(['0', '/tmp', 'from-user']);
    const cleared = await createContainer(runtime, { image: ref('test/configured'), pull: 'never', entrypoint: [''], command: ['echo', 'no entrypoint'] });
    expect(cleared.configuration().spec.process.args).toEqual(['echo', 'no entrypoint']);
  });

  it('mounts an overlay whose lower dirs are the layers (top first) and whose upper/work live under containers/<id>; unmounts on stop; the writable layer survives a restart', async () => {
    await pull('test/layered');
    const ctr = await fromImage(ref('test/layered'), ['sh', '-c', 'test -f /marker && exit 3; echo data > /marker; sleep 0.2']);
    const paths = rootfsPaths(store.graphRoot, ctr.id());
    expect(mountLine(paths.merged)).toBeUndefined();
    await ctr.start();
    const line = mountLine(paths.merged);
    expect(line).toBeDefined();
    const lower = /lowerdir=([^,]+)/.exec(line ?? '')?.[1]?.split(':');
    expect(lower).toEqual([layered.layers[2]!, layered.layers[1]!, layered.layers[0]!].map((l) => join(store.graphRoot, 'layers', l.diffId.slice(7), 'diff')));
    expect(line).toContain(`upperdir=${paths.upper}`);
    expect(line).toContain(`workdir=${paths.work}`);
    expect(await ctr.wait()).toBe(0);
    await ctr.stop();
    expect(mountLine(paths.merged)).toBeUndefined();
    expect(readFileSync(join(paths.upper, 'marker'), 'utf8')).toBe('data\n');
    await ctr.start();
    expect(await ctr.wait()).toBe(3);
    await ctr.stop();
    await runtime.removeContainer(ctr, true);
    expect(mountLine(paths.merged)).toBeUndefined();
    for (const dir of [paths.upper, paths.work, paths.merged, paths.dir]) expect(existsSync(dir)).toBe(false);
  });

  it('keeps two containers of one image apart: a write in one is not seen by the other, nor in the image layers', async () => {
    await pull('test/busybox');
    const writer = await fromImage(ref('test/busybox'), ['sh', '-c', 'echo mine > /bin/written; rm /bin/ls']);
    const reader = await fromImage(ref('test/busybox'), ['sh', '-c', 'test ! -e /bin/written && test -e /bin/ls']);
    await writer.start();
    expect(await writer.wait()).toBe(0);
    await reader.start();
    expect(await reader.wait()).toBe(0);
    const layerBin = join(store.graphRoot, 'layers', plain.layers[0]!.diffId.slice(7), 'diff', 'bin');
    expect(existsSync(join(layerBin, 'written'))).toBe(false);
    expect(existsSync(join(layerBin, 'ls'))).toBe(true);
  });

  it('honours whiteouts and opaque dirs of upper layers', async () => {
    await pull('test/layered');
    const ctr = await fromImage(ref('test/layered'), ['sh', '-c', 'test ! -e /etc/removeme && test ! -e /opq/a && test ! -e /opq/b && test -f /opq/c && test -f /app/hello.txt']);
    await ctr.start();
    expect(await ctr.wait()).toBe(0);
  });

  it('mounts an image of 71 layers, whose absolute lowerdir option would exceed a page, through l/ short links', async () => {
    await pull('test/many');
    const ctr = await fromImage(ref('test/many'), ['sh', '-c', 'cat /layers/1 /layers/70 && ls /layers | wc -l']);
    await ctr.start();
    const line = mountLine(rootfsPaths(store.graphRoot, ctr.id()).merged) ?? '';
    expect(line).toMatch(/lowerdir=l\/[a-f0-9]{26}:/);
    expect(await ctr.wait()).toBe(0);
    expect((await output(ctr)).map((l) => l.trim())).toEqual(['1', '70', '70']);
  });

  it('refuses to remove an image a container uses (ErrImageInUse, by the recorded image ID); -f removes the container too', async () => {
    const id = await pull('test/busybox');
    const ctr = await fromImage(ref('test/busybox'), ['true']);
    expect(ctr.configuration().rootfsImage?.id).toBe(id);
    const images = await runtime.images();
    // Re-pointing the name elsewhere does not free the image the container runs on.
    await pull('test/layered');
    images.tag(ref('test/layered'), [ref('test/busybox')]);
    const [report] = await images.remove([id]);
    expect(report?.error?.code).toBe('ErrImageInUse');
    const [forced] = await images.remove([id], true);
    expect(forced?.error).toBeUndefined();
    expect(runtime.containers().map((c) => c.id())).not.toContain(ctr.id());
  });

  it('pulls a missing image on create (--pull missing), never with --pull never → ErrNoSuchImage and nothing created; ps shows the image name', async () => {
    await expect(createContainer(runtime, { image: ref('test/busybox'), pull: 'never', command: ['true'] })).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrNoSuchImage'));
    expect(runtime.containers()).toHaveLength(0);
    const ctr = await createContainer(runtime, { image: ref('test/busybox'), command: ['echo', 'hi'], tlsVerify: false, start: true });
    expect(await ctr.wait()).toBe(0);
    expect(await output(ctr)).toEqual(['hi']);
    const [item] = await listContainerItems(runtime, { all: true });
    expect(item).toMatchObject({ id: ctr.id(), image: ref('test/busybox:latest'), command: ['echo', 'hi'] });
  });

  it('removal of a running container (force) unmounts and deletes its layer; nothing stays mounted under the store', async () => {
    await pull('test/busybox');
    const ctr = await fromImage(ref('test/busybox'), ['sleep', '100'], withStopSignal('KILL'));
    await ctr.start();
    await runtime.removeContainer(ctr, true, { timeout: 0 });
    await sleep(50);
    expect(mountinfo()).not.toContain(store.graphRoot);
    expect(readdirSync(join(store.graphRoot, 'containers'))).toEqual([]);
  });

  it('vfs driver: the rootfs is a copy with whiteouts applied, and the copy goes with the container', async () => {
    runtime.shutdown(true);
    runtime = openRuntime(store, [withOCIRuntime('crun'), withStorageConfig({ driver: 'vfs' })], { cliScript: null });
    await pull('test/layered');
    const ctr = await fromImage(ref('test/layered'), ['sh', '-c', 'test ! -e /etc/removeme && test ! -e /opq/a && test -f /opq/c && test -f /app/hello.txt && echo x > /w']);
    await ctr.start();
    expect(await ctr.wait()).toBe(0);
    const paths = rootfsPaths(store.graphRoot, ctr.id());
    expect(mountLine(paths.merged)).toBeUndefined();
    expect(readFileSync(join(paths.merged, 'w'), 'utf8')).toBe('x\n');
    await runtime.removeContainer(ctr, true);
    expect(existsSync(paths.dir)).toBe(false);
  });

  it('containers.create through the router takes an image (pulled when missing) as an alternative to rootfs; exactly one of them', async () => {
    runtime.shutdown(true);
    const router = createAppRouter(createAppContext({ root: store.graphRoot, runRoot: store.runRoot, runtime: 'crun' }));
    const signal = new AbortController().signal;
    const call = <T>(path: string, input: unknown) => router.call(path, input, signal) as Promise<T>;
    const created = await call<ContainerCreateReport>('containers.create', { image: ref('test/configured'), tlsVerify: false, name: 'from-ui', start: true });
    expect(await call<{ exitCode: number }>('containers.wait', { nameOrId: 'from-ui' })).toEqual({ exitCode: 0 });
    const inspect = await call<ContainerInspect>('containers.inspect', { nameOrId: created.id });
    expect(inspect).toMatchObject({ image: ref('test/configured:latest'), rootfs: null, command: ['/bin/sh', '-c', 'echo default; id -u; id -g; pwd; echo $FOO'], user: 'app', workingDir: '/app', stopSignal: 10 });
    expect(inspect.rootfsImage?.id).toBe(configured.configDigest.slice(7));
    for (const bad of [{ command: ['true'] }, { image: 'x', rootfs: store.rootfs, command: ['true'] }, { rootfs: store.rootfs, command: [] }]) {
      await expect(call('containers.create', bad)).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrInvalidArg'));
    }
    await expect(call('containers.create', { image: 'nosuch/image', pull: 'never' })).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrNoSuchImage'));
    await call('containers.remove', { nameOrIds: [created.id], force: true });
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
  });
});
