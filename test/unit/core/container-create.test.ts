import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { withResources, withStopTimeout } from '../../../main/core/container-config.ts';
import { withPodInfra, withPodName, withPodNetwork, withPodPortMappings } from '../../../main/core/pod-config.ts';
import { parsePublishList } from '../../../main/core/network/port-mappings.ts';
import { createContainer } from '../../../main/core/container-create.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { openRuntime, sleepSpec, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';

describe('createContainer', () => {
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

  it('records the run options and the OCI runtime in the configuration', async () => {
    const ctr = await createContainer(runtime, {
      rootfs: store.rootfs, name: 'web', command: ['sleep', '1'], env: ['A=1'], workdir: '/tmp', user: 'app', hostname: 'h',
      terminal: true, stdin: true, memoryBytes: 64 * 1024 * 1024, cpus: 0.5, pidsLimit: 10, init: true, stopTimeout: 3, autoRemove: true, network: 'host',
    });
    const config = ctr.configuration();
    expect(config).toMatchObject({
      name: 'web', spec: { process: { args: ['sleep', '1'], env: ['A=1'], cwd: '/tmp', user: 'app', terminal: true }, hostname: 'h' },
      resources: { memoryBytes: 64 * 1024 * 1024, cpus: 0.5, pidsLimit: 10 }, init: true, stdin: true, stopTimeout: 3, autoRemove: true, networkMode: 'host', ociRuntime: 'crun',
    });
    expect(config.stopSignalSet).toBeUndefined();
    expect(ctr.status()).toBe('configured');
  });

  it('tells a chosen stop signal from the default one', async () => {
    const unset = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'] });
    expect(unset.configuration()).toMatchObject({ stopSignal: 15 });
    expect(unset.configuration().stopSignalSet).toBeUndefined();
    const chosen = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], stopSignal: 'TERM' });
    expect(chosen.configuration()).toMatchObject({ stopSignal: 15, stopSignalSet: true });
  });

  it('refuses bad limits, timeouts and network modes with typed errors', async () => {
    for (const option of [withResources({ memoryBytes: 1024 }), withResources({ cpus: 0 }), withResources({ pidsLimit: -2 }), withStopTimeout(-1)]) {
      const error = await runtime.newContainer(sleepSpec, [option]).catch((e: unknown) => e);
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    }
    // container:NAME joins a container that must exist; ns:PATH is not supported.
    const joined = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: 'container:other' }).catch((e: unknown) => e);
    expect(hasCode(joined, 'ErrNoSuchCtr')).toBe(true);
    const nsPath = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: 'ns:/proc/1/ns/net' }).catch((e: unknown) => e);
    expect(hasCode(nsPath, 'ErrNotImplemented')).toBe(true);
    const mixed = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: ['container:other', 'bridge'] }).catch((e: unknown) => e);
    expect(hasCode(mixed, 'ErrInvalidArg')).toBe(true);
    for (const network of ['bad name!', 'none:x', 'bridge:what=1']) {
      expect(hasCode(await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network }).catch((e: unknown) => e), 'ErrInvalidArg')).toBe(true);
    }
    const ports = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: 'none', publish: ['8080:80'] }).catch((e: unknown) => e);
    expect(hasCode(ports, 'ErrInvalidArg')).toBe(true);
    const missing = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: 'nosuchnet' }).catch((e: unknown) => e);
    expect(hasCode(missing, 'ErrNoSuchNetwork')).toBe(true);
    expect(runtime.containers()).toEqual([]);
  });

  it('needs exactly one of an image and a rootfs (ErrInvalidArg), and --pull never leaves an unknown image ErrNoSuchImage', async () => {
    for (const input of [{ command: ['true'] }, { rootfs: store.rootfs, image: 'busybox', command: ['true'] }]) {
      const error = await createContainer(runtime, input).catch((e: unknown) => e);
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    }
    const missing = await createContainer(runtime, { image: 'nosuch/image', pull: 'never', command: [] }).catch((e: unknown) => e);
    expect(hasCode(missing, 'ErrNoSuchImage')).toBe(true);
    expect(runtime.containers()).toEqual([]);
  });

  it('folds --entrypoint into the argv of a rootfs container', async () => {
    const ctr = await createContainer(runtime, { rootfs: store.rootfs, entrypoint: ['/bin/sh', '-c'], command: ['echo hi'] });
    expect(ctr.spec().process).toMatchObject({ args: ['/bin/sh', '-c', 'echo hi'] });
    expect(ctr.spec().process.entrypoint).toBeUndefined();
  });

  it('puts a container on the default bridge network unless told otherwise, and records its connection and ports', async () => {
    const ctr = await createContainer(runtime, { rootfs: store.rootfs, name: 'web', command: ['true'], publish: ['127.0.0.1:8080:80', '53/udp'] });
    expect(ctr.configuration()).toMatchObject({
      networkMode: 'bridge',
      networks: [{ network: 'podbay', staticIps: [], aliases: [] }],
      portMappings: [
        { host_ip: '127.0.0.1', host_port: 8080, container_port: 80, range: 1, protocol: 'tcp' },
        { host_ip: '', host_port: 0, container_port: 53, range: 1, protocol: 'udp' },
      ],
    });
    const network = await runtime.network();
    expect(network.connectionsOf(ctr.id()).map((c) => [c.network, c.options.interfaceName])).toEqual([['podbay', 'eth0']]);
    network.create({ name: 'back', subnets: [{ subnet: '10.89.77.0/24' }] });
    const two = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: ['back:ip=10.89.77.9,alias=db', 'bridge'] });
    expect(network.connectionsOf(two.id()).map((c) => [c.network, c.options])).toEqual([
      ['back', { interfaceName: 'eth0', aliases: ['db'], staticIps: ['10.89.77.9'] }],
      ['podbay', { interfaceName: 'eth1' }],
    ]);
    await runtime.removeContainer(two, false);
    expect(network.connectionsOf(two.id())).toEqual([]);
    const none = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: 'none' });
    expect(none.configuration().networkMode).toBe('none');
    expect(network.connectionsOf(none.id())).toEqual([]);
  });

  it('gives a pod member its pod\'s network and refuses one of its own', async () => {
    const pod = await runtime.newPod([withPodName('shop'), withPodInfra(true), withPodNetwork('bridge'), withPodPortMappings(parsePublishList(['8080:80']))]);
    const infra = runtime.getContainer(pod.infraContainerId() as string).configuration();
    expect(infra).toMatchObject({ networkMode: 'bridge', portMappings: [{ host_port: 8080, container_port: 80 }] });
    expect((await runtime.network()).connectionsOf(infra.id).map((c) => c.network)).toEqual(['podbay']);
    const member = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], pod: 'shop' });
    expect(member.configuration().networkMode).toBeUndefined();
    expect(member.configuration().sharedNamespaces.net).toBe(infra.id);
    for (const input of [{ network: 'bridge' }, { publish: ['9090:90'] }]) {
      expect(hasCode(await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], pod: 'shop', ...input }).catch((e: unknown) => e), 'ErrInvalidArg')).toBe(true);
    }
    const solo = await runtime.newPod([withPodName('solo'), withPodInfra(false)]);
    expect((await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], pod: solo.id() })).configuration().networkMode).toBe('bridge');
    expect(hasCode(await runtime.newPod([withPodName('bad'), withPodInfra(false), withPodPortMappings(parsePublishList(['1:1']))]).catch((e: unknown) => e), 'ErrInvalidArg')).toBe(true);
  });
});
