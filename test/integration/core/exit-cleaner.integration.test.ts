// A long-lived process (the window, the web host) cleans up the exits of the containers it starts
// (main/core/oci/exit-cleaner.ts), through real conmon + crun. The runtimes here have no exit command
// at all (cliScript: null), so whatever cleans up after an exit can only be this process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withAutoRemove, withRootFSFromPath } from '../../../main/core/container-config.ts';
import type { ContainerOption } from '../../../main/core/container-config.ts';
import { withRestartPolicy } from '../../../main/core/container-mounts.ts';
import { cleanerFileName } from '../../../main/core/oci/exit-command.ts';
import { useCrunStore } from '../../helpers/core-store.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');
describe.skipIf(skip !== null)(`Exits cleaned up in-process${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const fixture = useCrunStore();

  const create = (args: string[], ...options: ContainerOption[]) => fixture.runtime.newContainer({ process: { args } }, [withRootFSFromPath(fixture.store.rootfs), ...options]);
  const cleanerFile = (id: string) => join(fixture.runtime.containerPaths(id).runDir, cleanerFileName);

  it('claims a container it starts and removes an --rm one itself when it exits', async () => {
    fixture.runtime.cleanUpExitsInProcess();
    const ctr = await create(['sh', '-c', 'sleep 0.5; exit 4'], withAutoRemove());
    await ctr.start();
    // While it runs, its exit command would find this live process named and stand down.
    expect(readFileSync(cleanerFile(ctr.id()), 'utf8').trim()).toBe(String(process.pid));
    await until(() => !fixture.runtime.hasContainer(ctr.id()), 10_000);
    expect(fixture.runtime.state().removedExitCode(ctr.id())).toBe(4);
    expect(await (await fixture.runtime.ociRuntime('crun')).state(ctr.id())).toBeNull();
  });

  it('without the claim nobody cleans up here: the exited --rm container stays', async () => {
    const ctr = await create(['true'], withAutoRemove());
    await ctr.start();
    expect(existsSync(cleanerFile(ctr.id()))).toBe(false);
    expect(await ctr.wait()).toBe(0);
    await sleep(1500);
    expect(fixture.runtime.hasContainer(ctr.id())).toBe(true);
  });

  it('records the exit, deletes the runtime state and releases the claim of a container without --rm', async () => {
    fixture.runtime.cleanUpExitsInProcess();
    const ctr = await create(['sh', '-c', 'exit 3']);
    await ctr.start();
    const oci = await fixture.runtime.ociRuntime('crun');
    await until(() => !existsSync(cleanerFile(ctr.id())), 5_000);
    expect(await oci.state(ctr.id())).toBeNull();
    expect(fixture.runtime.state().container(ctr.id()).state).toMatchObject({ status: 'exited', exitCode: 3 });
    expect(await ctr.wait()).toBe(3);
  });

  it('applies the restart policy in-process and keeps claiming the restarted runs', async () => {
    fixture.runtime.cleanUpExitsInProcess();
    const ctr = await create(['sh', '-c', 'exit 1'], withRestartPolicy('on-failure', 2));
    await ctr.start();
    await until(() => {
      const { state } = fixture.runtime.state().container(ctr.id());
      return state.restartCount === 2 && state.status === 'exited' && !existsSync(cleanerFile(ctr.id()));
    }, 15_000);
    expect(fixture.runtime.state().container(ctr.id()).state.exitCode).toBe(1);
  });

  it('releases its claims when it shuts down, so exit commands clean up again', async () => {
    fixture.runtime.cleanUpExitsInProcess();
    const ctr = await create(['sleep', '30']);
    await ctr.start();
    const file = cleanerFile(ctr.id());
    expect(existsSync(file)).toBe(true);
    fixture.runtime.shutdown(true);
    expect(existsSync(file)).toBe(false);
    fixture.reopen();
  });
});
