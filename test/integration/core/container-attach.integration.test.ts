// Container.attach through real conmon + crun: a session knows which run it watched, so its exit code is
// that run's even once a restart runs the next (what the Console's "[exited with code N]" line shows).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withRootFSFromPath, withStdin } from '../../../main/core/container-config.ts';
import { withOCIRuntime } from '../../../main/core/runtime-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');

describe.skipIf(skip !== null)(`Container.attach (crun)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let runtime: Runtime;
  beforeEach(() => {
    store = tempStore();
    makeBusyboxRootfs(store.rootfs);
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
  });
  afterEach(async () => {
    await runtime.removeContainers(runtime.containers(), true, { timeout: 0 });
    runtime.shutdown(true);
    await removeStoreDir(store.dir);
  });

  it('reports the exit code of the run it was attached to after a restart has already started the next run', async () => {
    const ctr = await runtime.newContainer({ process: { args: ['sh'], terminal: true } }, [withRootFSFromPath(store.rootfs), withStdin()]);
    await ctr.start();
    const session = await ctr.attach({ onFrame: () => undefined, detachKeys: '' });
    // The restart completes first: the next run is up before anyone asks how the first one ended.
    await ctr.restart({ timeout: 0 });
    expect(ctr.status()).toBe('running');
    expect(await session.done).toBe('exited');
    expect(await session.exitCode({ timeoutMs: 3_000 })).toBe(137);
    session.close();
  });
});
