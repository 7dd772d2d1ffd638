import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { withResources, withStopTimeout } from '../../../main/core/container-config.ts';
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
    const network = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: 'bridge' as 'host' }).catch((e: unknown) => e);
    expect(hasCode(network, 'ErrNotImplemented')).toBe(true);
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
});
