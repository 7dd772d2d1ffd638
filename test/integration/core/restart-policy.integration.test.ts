// Restart policies through real conmon + crun and the built CLI as conmon's exit command (`podbay
// container cleanup`, which decides as libpod's handleRestartPolicy): on-failure:N restarts N times then
// stays exited, always restarts after a crash, a user's stop never restarts, and a user's start resets
// the count.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withRestartPolicy } from '../../../main/core/container-mounts.ts';
import { withRootFSFromPath } from '../../../main/core/container-config.ts';
import type { RestartPolicy } from '../../../main/core/container-config.ts';
import { withOCIRuntime } from '../../../main/core/runtime-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { requireBuiltCli } from '../../helpers/cli.ts';
import { exitCommandsRunning, openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');

function actions(store: TempStore, id: string): string[] {
  if (!existsSync(store.eventsLog)) return [];
  return readFileSync(store.eventsLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; action: string }).filter((e) => e.id === id).map((e) => e.action);
}

const count = (list: string[], action: string) => list.filter((a) => a === action).length;

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe.skipIf(skip !== null)(`Restart policies (crun, exit command)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let runtime: Runtime;
  beforeEach(() => {
    requireBuiltCli();
    store = tempStore();
    makeBusyboxRootfs(store.rootfs);
    runtime = openRuntime(store, [withOCIRuntime('crun')]);
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

  const create = (command: string, policy: RestartPolicy, retries?: number) =>
    runtime.newContainer({ process: { args: ['sh', '-c', command] } }, [withRootFSFromPath(store.rootfs), withRestartPolicy(policy, retries)]);
  /** Once no exit command works on the store any more, nothing else will change the container. */
  const settled = () => until(() => !exitCommandsRunning(store.dir), 'the exit commands to finish');

  it('on-failure:2 restarts a failing container twice, then leaves it exited with its code', async () => {
    const ctr = await create('exit 3', 'on-failure', 2);
    await ctr.start();
    await until(() => count(actions(store, ctr.id()), 'cleanup') >= 3, 'three runs to end');
    await settled();
    const { state } = runtime.state().container(ctr.id());
    expect(state).toMatchObject({ status: 'exited', exitCode: 3, restartCount: 2 });
    expect(count(actions(store, ctr.id()), 'start')).toBe(3);
  });

  it('on-failure does not restart a container that exits 0', async () => {
    const ctr = await create('exit 0', 'on-failure');
    await ctr.start();
    await until(() => count(actions(store, ctr.id()), 'cleanup') >= 1, 'the run to end');
    await settled();
    expect(runtime.state().container(ctr.id()).state).toMatchObject({ status: 'exited', exitCode: 0, restartCount: 0 });
    expect(count(actions(store, ctr.id()), 'start')).toBe(1);
  });

  it('always restarts after a crash; a user stop then ends it for good, and a user start resets the count', async () => {
    const ctr = await create('sleep 2; exit 1', 'always');
    await ctr.start();
    await until(() => (runtime.state().container(ctr.id()).state.restartCount ?? 0) >= 2, 'two restarts');
    await until(() => ctr.status() === 'running', 'the container to run again');
    await ctr.stop({ timeout: 0 });
    await settled();
    const after = actions(store, ctr.id());
    await sleep(500);
    expect(actions(store, ctr.id())).toEqual(after);
    expect(runtime.state().container(ctr.id()).state).toMatchObject({ status: 'exited', stoppedByUser: true });

    await ctr.start();
    expect(runtime.state().container(ctr.id()).state).toMatchObject({ status: 'running', restartCount: 0, stoppedByUser: false });
  });

  it('a user stop of a running container with a restart policy does not restart it', async () => {
    const ctr = await create('sleep 100', 'always');
    await ctr.start();
    await ctr.stop({ timeout: 0 });
    await until(() => count(actions(store, ctr.id()), 'cleanup') >= 1, 'the exit command');
    await settled();
    expect(runtime.state().container(ctr.id()).state).toMatchObject({ status: 'exited', exitCode: 137, restartCount: 0 });
    expect(count(actions(store, ctr.id()), 'start')).toBe(1);
  });
});
