// The container verbs through real conmon + crun/runc (busybox rootfs, throw-away store): what a user
// sees of each verb in the store, the event log and the runtime — and that the state stays true when
// the process that started a container is gone, when conmon dies, and after a "reboot".
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { withAutoRemove, withInit, withName, withPod, withResources, withRootFSFromPath, withStopTimeout } from '../../../main/core/container-config.ts';
import { withPodName } from '../../../main/core/pod-config.ts';
import type { ContainerOption, ContainerSpec } from '../../../main/core/container-config.ts';
import { pidAlive } from '../../../main/core/oci/oci-runtime.ts';
import { withOCIRuntime } from '../../../main/core/runtime-config.ts';
import type { Runtime, RuntimeDeps } from '../../../main/core/runtime.ts';
import { requireBuiltCli } from '../../helpers/cli.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';

const spec = (...args: string[]): ContainerSpec => ({ process: { args } });

function actions(store: TempStore, id: string): string[] {
  if (!existsSync(store.eventsLog)) return [];
  return readFileSync(store.eventsLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; action: string }).filter((e) => e.id === id).map((e) => e.action);
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

for (const runtimeName of ['crun', 'runc'] as const) {
  const skip = ociSkipReason(runtimeName) ?? crunRefusalReason(runtimeName);
  describe.skipIf(skip !== null)(`Container lifecycle with ${runtimeName}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let store: TempStore;
    let runtime: Runtime;
    const open = (deps: RuntimeDeps = {}) => openRuntime(store, [withOCIRuntime(runtimeName)], deps);
    beforeEach(() => {
      store = tempStore();
      makeBusyboxRootfs(store.rootfs);
      runtime = open();
    });
    afterEach(async () => {
      try {
        const live = runtime.containers();
        await runtime.removeContainers(live, true, { timeout: 0 });
        runtime.shutdown(true);
      } catch {
        // the test shut it down
      }
      await removeStoreDir(store.dir);
    });

    const create = (args: string[], ...options: ContainerOption[]) =>
      runtime.newContainer(spec(...args), [withRootFSFromPath(store.rootfs), ...options]);

    it('create → start → running with a pid; the exit code, finish time and a died event come from conmon on read', async () => {
      const ctr = await create(['sh', '-c', 'sleep 0.3; exit 3'], withName('three'));
      expect(ctr.status()).toBe('configured');
      await ctr.start();
      const running = ctr.sync();
      expect(running.status).toBe('running');
      expect(running.pid).toBeGreaterThan(0);
      expect(pidAlive(running.pid)).toBe(true);
      expect(running.conmonPid).toBeGreaterThan(0);
      expect(runtime.state().container(ctr.id()).config.ociRuntime).toBe(runtimeName);
      // No wait verb: conmon's exit file alone, seen by a listing.
      await until(() => existsSync(join(store.runRoot, 'exits', ctr.id())) || runtime.state().container(ctr.id()).state.status === 'exited');
      const listed = runtime.listContainers().find((c) => c.id() === ctr.id());
      const state = listed?.cachedState();
      expect(state?.status).toBe('exited');
      expect(state?.exitCode).toBe(3);
      expect(state?.oomKilled).toBe(false);
      expect(Date.parse(state?.finishedAt ?? '')).toBeGreaterThan(Date.parse(running.startedAt ?? ''));
      expect(actions(store, ctr.id())).toEqual(expect.arrayContaining(['create', 'start', 'died']));
    });

    it('wait returns the exit code; the log holds the output', async () => {
      const ctr = await create(['sh', '-c', 'echo out; echo err >&2; exit 5']);
      await ctr.start();
      expect(await ctr.wait()).toBe(5);
      const lines = [];
      for await (const line of ctr.logs()) lines.push(`${line.stream}:${line.text}`);
      expect(lines.sort()).toEqual(['stderr:err', 'stdout:out']);
    });

    it('stop sends the stop signal, SIGKILL after the timeout, and holds no lock while waiting', async () => {
      const ctr = await create(['sleep', '100'], withStopTimeout(1)); // PID 1 ignores SIGTERM
      await ctr.start();
      const other = open();
      const started = Date.now();
      const stopping = ctr.stop();
      await until(() => other.state().container(ctr.id()).state.status === 'stopping', 2_000);
      // Another process can take the container's lock during the wait.
      const lease = await other.locks().acquire([ctr.id()], { timeoutMs: 500 });
      lease.release();
      await stopping;
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      const state = ctr.sync();
      expect(state).toMatchObject({ status: 'exited', exitCode: 137, pid: 0 });
      expect(actions(store, ctr.id())).toEqual(expect.arrayContaining(['died', 'stop']));
      other.shutdown(true);
    });

    it('stop ends a container that handles SIGTERM (behind --init) with 143, before the timeout', async () => {
      const ctr = await create(['sleep', '100'], withInit());
      await ctr.start();
      const started = Date.now();
      await ctr.stop({ timeout: 10 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(ctr.sync()).toMatchObject({ status: 'exited', exitCode: 143 });
    });

    it('kill sends the signal; pause and unpause freeze and thaw; restart runs it again', async () => {
      const ctr = await create(['sleep', '100']);
      await ctr.start();
      await ctr.pause();
      expect(ctr.status()).toBe('paused');
      expect((await (await runtime.ociRuntime(runtimeName)).state(ctr.id()))?.status).toBe('paused');
      await expect(ctr.pause()).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrCtrStateInvalid'));
      await ctr.unpause();
      expect(ctr.status()).toBe('running');
      const firstPid = ctr.sync().pid;
      await ctr.restart({ timeout: 0 });
      const again = ctr.sync();
      expect(again.status).toBe('running');
      expect(again.pid).not.toBe(firstPid);
      await ctr.kill('KILL');
      expect(await ctr.wait()).toBe(137);
      await expect(ctr.kill(9)).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrCtrStateInvalid'));
      expect(actions(store, ctr.id())).toEqual(expect.arrayContaining(['start', 'pause', 'unpause', 'stop', 'restart', 'kill', 'died']));
    });

    it('rm -f stops a running container first and leaves nothing in the runtime or on disk', async () => {
      const ctr = await create(['sleep', '100']);
      await ctr.start();
      const { pid } = ctr.sync();
      await expect(runtime.removeContainer(ctr, false)).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrCtrStateInvalid'));
      await runtime.removeContainer(ctr, true, { timeout: 0 });
      expect(runtime.hasContainer(ctr.id())).toBe(false);
      expect(pidAlive(pid)).toBe(false);
      expect(await (await runtime.ociRuntime(runtimeName)).state(ctr.id())).toBeNull();
      expect(existsSync(join(store.graphRoot, 'containers', ctr.id()))).toBe(false);
      expect(existsSync(join(store.runRoot, 'containers', ctr.id()))).toBe(false);
    });

    it('an --rm container is removed by the exit command (container cleanup) after it exits', async () => {
      requireBuiltCli();
      const ctr = await create(['sh', '-c', 'exit 4'], withAutoRemove());
      await ctr.start();
      await until(() => !runtime.hasContainer(ctr.id()) && actions(store, ctr.id()).includes('remove'), 15_000);
      expect(runtime.state().removedExitCode(ctr.id())).toBe(4);
      expect(await (await runtime.ociRuntime(runtimeName)).state(ctr.id())).toBeNull();
      expect(actions(store, ctr.id())).toEqual(expect.arrayContaining(['cleanup', 'remove']));
    });

    it('the exit command cleans up a container without --rm: exit recorded, runtime state deleted', async () => {
      requireBuiltCli();
      const ctr = await create(['true']);
      await ctr.start();
      await until(() => actions(store, ctr.id()).includes('cleanup'), 15_000);
      expect(runtime.state().container(ctr.id()).state).toMatchObject({ status: 'exited', exitCode: 0 });
      expect(await (await runtime.ociRuntime(runtimeName)).state(ctr.id())).toBeNull();
    });

    it('a container keeps running when the runtime that started it shuts down; a later runtime sees its exit code', async () => {
      const first = open({ cliScript: null }); // no exit command: nothing of Podbay runs at the exit
      const ctr = await first.newContainer(spec('sh', '-c', 'sleep 1; exit 7'), [withRootFSFromPath(store.rootfs)]);
      await ctr.start();
      expect(() => first.shutdown(false)).toThrow(/active containers/);
      first.shutdown(true);
      const second = open();
      expect(second.getContainer(ctr.id()).status()).toBe('running');
      second.shutdown(true);
      await until(() => existsSync(join(store.runRoot, 'exits', ctr.id())));
      const third = open();
      expect(third.getContainer(ctr.id()).sync()).toMatchObject({ status: 'exited', exitCode: 7 });
      third.shutdown(true);
    });

    it('a container whose conmon died is marked exited with an error, never running', async () => {
      const ctr = await create(['sleep', '100']);
      await ctr.start();
      const { pid, conmonPid } = ctr.sync();
      killPid(conmonPid ?? 0);
      killPid(pid);
      await until(() => !pidAlive(conmonPid ?? 0));
      const state = runtime.getContainer(ctr.id()).sync();
      expect(state.status).toBe('exited');
      expect(state.error).toMatch(/conmon/);
    });

    it('after a reboot (the run root is gone) running containers show exited, never running', async () => {
      const ctr = await create(['sleep', '100']);
      await ctr.start();
      const { pid, conmonPid } = ctr.sync();
      runtime.shutdown(true);
      // A reboot ends every process, conmon included, and empties the run root (a tmpfs).
      killPid(conmonPid ?? 0);
      killPid(pid);
      await until(() => !pidAlive(conmonPid ?? 0) && !pidAlive(pid));
      rmSync(store.runRoot, { recursive: true, force: true });
      runtime = open();
      const state = runtime.getContainer(ctr.id()).sync();
      expect(state.status).toBe('exited');
      expect(state.error).toMatch(/reboot/);
      expect(runtime.listContainers({ status: ['running'] })).toHaveLength(0);
    });

    it('a run root wiped while conmon lives is no reboot: the container stays running and stop still ends it', async () => {
      const ctr = await create(['sleep', '100']);
      await ctr.start();
      const { pid } = ctr.sync();
      runtime.shutdown(true);
      rmSync(store.runRoot, { recursive: true, force: true });
      runtime = open();
      const reopened = runtime.getContainer(ctr.id());
      expect(reopened.sync().status).toBe('running');
      await reopened.stop({ timeout: 0 });
      expect(pidAlive(pid)).toBe(false);
      expect(reopened.sync().status).toBe('exited');
    });

    it('a memory limit the container exceeds ends it with the OOM flag set', async () => {
      const ctr = await create(['sh', '-c', 'tail /dev/zero'], withResources({ memoryBytes: 8 * 1024 * 1024 }));
      await ctr.start();
      expect(await ctr.wait()).toBe(137);
      expect(ctr.sync().oomKilled).toBe(true);
    });

    it('shutdown(false) with a running container is an error naming it', async () => {
      const ctr = await create(['sleep', '100'], withName('busy'));
      await ctr.start();
      expect(() => runtime.shutdown(false)).toThrow(/busy \(running\)/);
      await ctr.stop({ timeout: 0 });
    });
  });
}

describe.skipIf(ociSkipReason('crun') !== null)('Container.start with a runtime that refuses the host', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
    makeBusyboxRootfs(store.rootfs);
  });
  afterEach(async () => {
    await removeStoreDir(store.dir);
  });

  it('says why crun cannot run on a hybrid cgroup host and what to do, and leaves the container as it was', async () => {
    // A stand-in that answers `create` as crun 1.8 does on a hybrid host whose cgroup2 tree has controllers.
    const fake = join(store.dir, 'bin', 'crun');
    mkdirSync(dirname(fake), { recursive: true });
    writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do case "$a" in create) echo "cgroups in hybrid mode not supported, drop all controllers from cgroupv2" >&2; exit 1;; delete) exit 0;; esac; done\nexit 0\n', { mode: 0o755 });
    const runtime = openRuntime(store, [withOCIRuntime(fake)], { cliScript: null });
    try {
      const ctr = await runtime.newContainer(spec('true'), [withRootFSFromPath(store.rootfs)]);
      const error = await ctr.start().catch((e: unknown) => e);
      expect(hasCode(error, 'ErrOCIRuntime')).toBe(true);
      expect((error as Error).message).toMatch(/cannot create containers on this host: .*hybrid/);
      expect((error as Error).message).toMatch(/Fix: .*(mount|--runtime runc)/);
      const state = ctr.sync();
      expect(state.status).toBe('configured');
      expect(state.error).toMatch(/hybrid/);
      expect(actions(store, ctr.id())).not.toContain('start');
    } finally {
      runtime.shutdown(true);
    }
  });
});

describe.skipIf(ociSkipReason('crun') !== null || crunRefusalReason('crun') !== null)('Runtime.removePod with force', () => {
  it('stops the running members first, then removes the pod whole', async () => {
    const store = tempStore();
    makeBusyboxRootfs(store.rootfs);
    const runtime = openRuntime(store, [], { cliScript: null });
    try {
      const pod = await runtime.newPod([withPodName('pp')]);
      const member = await runtime.newContainer(spec('sleep', '100'), [withRootFSFromPath(store.rootfs), withPod(pod), withStopTimeout(0)]);
      await member.start();
      const { pid } = member.sync();
      await expect(runtime.removePod(pod, false)).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrCtrStateInvalid'));
      expect(await runtime.removePod(pod, true)).toEqual([member.id()]);
      expect(pidAlive(pid)).toBe(false);
      expect(runtime.pods()).toEqual([]);
    } finally {
      runtime.shutdown(true);
      await removeStoreDir(store.dir);
    }
  });
});
