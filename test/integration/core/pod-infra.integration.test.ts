// Pods with an infra container through real conmon + crun (busybox rootfs, throw-away store): the
// infra runs `catatonit -P` and holds net, ipc and uts; members join them through /proc/<pid>/ns/*,
// so they share a hostname and loopback. Pod start/stop/kill/restart in dependency order, status from
// the members, events, atomic forced removal; the same through the CLI.
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withName, withPod, withRootFSFromPath, withStopTimeout } from '../../../main/core/container-config.ts';
import type { ContainerSpec } from '../../../main/core/container-config.ts';
import { withPodHostname, withPodInfra, withPodName, withPodSharedNamespaces } from '../../../main/core/pod-config.ts';
import type { Pod } from '../../../main/core/pod.ts';
import { withOCIRuntime } from '../../../main/core/runtime-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { runCli } from '../../../main/cli/run-cli.ts';
import { createAppContext } from '../../../main/app-context.ts';
import { EventLog } from '../../../main/core/events/event-log.ts';
import { realExec } from '../../../main/core/exec.ts';
import { resolvePaths } from '../../../main/core/runtime-paths.ts';
import { createHandlers } from '../../../main/ipc/handlers.ts';
import { createRouter } from '../../../main/ipc/router.ts';
import { contract } from '../../../shared/contract.ts';
import type { PodActionReport } from '../../../shared/types/pods.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';

const spec = (...args: string[]): ContainerSpec => ({ process: { args } });

interface LoggedEvent {
  type: string;
  action: string;
  id: string;
}

function events(store: TempStore): LoggedEvent[] {
  if (!existsSync(store.eventsLog)) return [];
  return readFileSync(store.eventsLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LoggedEvent);
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

function ns(pid: number, kind: string): string {
  return readlinkSync(`/proc/${pid}/ns/${kind}`);
}

function logText(store: TempStore, id: string): string {
  const path = join(store.graphRoot, 'containers', id, 'userdata', 'ctr.log');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');
describe.skipIf(skip !== null)(`Pods with an infra container${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let runtime: Runtime;
  beforeEach(() => {
    store = tempStore();
    makeBusyboxRootfs(store.rootfs);
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
  });
  afterEach(async () => {
    try {
      for (const pod of runtime.pods()) await runtime.removePod(pod, true).catch(() => undefined);
      await runtime.removeContainers(runtime.containers(), true, { timeout: 0 });
      runtime.shutdown(true);
    } catch {
      // the test shut it down
    }
    await removeStoreDir(store.dir);
  });

  const member = (pod: Pod, name: string, ...args: string[]) =>
    runtime.newContainer(spec(...args), [withName(name), withRootFSFromPath(store.rootfs), withPod(pod), withStopTimeout(2)]);

  it('creates an infra container running catatonit -P that holds net, ipc and uts; members join them', async () => {
    const pod = await runtime.newPod([withPodName('web'), withPodInfra(true)]);
    const infraId = pod.infraContainerId();
    expect(infraId).not.toBeNull();
    const infra = runtime.getContainer(infraId as string);
    expect(infra.podId()).toBe(pod.id());
    expect(pod.sharedNamespaces()).toEqual(['net', 'ipc', 'uts']);
    expect(pod.status()).toBe('Created');

    const a = await member(pod, 'a', 'sleep', '1000');
    // Starting a member starts the infra first.
    await a.start();
    const infraState = runtime.getContainer(infraId as string).cachedState();
    expect(infraState.status).toBe('running');
    expect(readFileSync(`/proc/${infraState.pid}/cmdline`, 'utf8').split('\0').filter(Boolean)).toEqual(['/catatonit', '-P']);
    const aPid = runtime.getContainer(a.id()).cachedState().pid;
    for (const kind of ['net', 'ipc', 'uts']) expect(ns(aPid, kind)).toBe(ns(infraState.pid, kind));
    expect(ns(aPid, 'mnt')).not.toBe(ns(infraState.pid, 'mnt'));
    expect(ns(aPid, 'pid')).not.toBe(ns(infraState.pid, 'pid'));
    expect(ns(aPid, 'net')).not.toBe(ns(process.pid, 'net'));
  });

  it('two members share the hostname and talk over loopback', async () => {
    const pod = await runtime.newPod([withPodName('talk'), withPodInfra(true), withPodHostname('podhost')]);
    const server = await member(pod, 'server', 'sh', '-c', 'hostname > /tmp/h; echo hello-from-pod | nc -l -p 8080');
    const client = await member(pod, 'client', 'sh', '-c', 'hostname; for i in $(seq 1 100); do nc 127.0.0.1 8080 && exit 0; sleep 0.1; done; exit 1');
    const errors = await pod.start();
    expect([...errors]).toEqual([]);
    await until(() => runtime.getContainer(client.id()).status() === 'exited', 20_000);
    const c = runtime.getContainer(client.id()).cachedState();
    expect(c.exitCode).toBe(0);
    const out = logText(store, client.id());
    expect(out).toContain('podhost');
    expect(out).toContain('hello-from-pod');
    await until(() => runtime.getContainer(server.id()).status() === 'exited', 10_000);
  });

  it('pod start, stop, kill and restart in dependency order, with status and events', async () => {
    const pod = await runtime.newPod([withPodName('verbs'), withPodInfra(true), withPodSharedNamespaces(['net', 'ipc', 'uts', 'pid'])]);
    const a = await member(pod, 'a', 'sleep', '1000');
    const b = await member(pod, 'b', 'sleep', '1000');
    const infraId = pod.infraContainerId() as string;
    expect(await pod.start()).toEqual(new Map());
    expect(pod.status()).toBe('Running');
    const infraPid = runtime.getContainer(infraId).cachedState().pid;
    expect(ns(runtime.getContainer(a.id()).cachedState().pid, 'pid')).toBe(ns(infraPid, 'pid'));

    // Timeout 0 kills at once; the infra stops last.
    const started = Date.now();
    expect(await pod.stop({ timeout: 0 })).toEqual(new Map());
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(pod.status()).toBe('Exited');
    const stops = events(store).filter((e) => e.action === 'stop' && e.type === 'container').map((e) => e.id);
    expect(stops.indexOf(infraId)).toBe(stops.length - 1);

    expect(await pod.restart({ timeout: 0 })).toEqual(new Map());
    expect(pod.status()).toBe('Running');
    const starts = events(store).filter((e) => e.action === 'start' && e.type === 'container').map((e) => e.id);
    expect(starts.slice(-3)[0]).toBe(infraId);

    expect(await pod.kill('KILL')).toEqual(new Map());
    await until(() => pod.status() === 'Exited', 10_000);
    expect(runtime.getContainer(b.id()).cachedState().status).toBe('exited');
    const podActions = events(store).filter((e) => e.type === 'pod' && e.id === pod.id()).map((e) => e.action);
    expect(podActions).toEqual(['create', 'start', 'stop', 'restart', 'kill']);
  });

  it('a stop waits for the timeout before SIGKILL', async () => {
    const pod = await runtime.newPod([withPodName('slow'), withPodInfra(true)]);
    await runtime.newContainer(spec('sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done'), [withName('stubborn'), withRootFSFromPath(store.rootfs), withPod(pod)]);
    await pod.start();
    const started = Date.now();
    expect(await pod.stop({ timeout: 1 })).toEqual(new Map());
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(8_000);
    expect(pod.status()).toBe('Exited');
  });

  it('pod rm -f stops and removes every container, the infra included, and the pod directory', async () => {
    const pod = await runtime.newPod([withPodName('gone'), withPodInfra(true)]);
    await member(pod, 'a', 'sleep', '1000');
    await member(pod, 'b', 'sleep', '1000');
    await pod.start();
    const ids = pod.getContainers().map((c) => c.id());
    expect(ids).toHaveLength(3);
    await expect(runtime.removePod(pod, false)).rejects.toMatchObject({ code: 'ErrCtrStateInvalid' });
    expect(runtime.lookupPod('gone').getContainers()).toHaveLength(3);
    const removed = await runtime.removePod(runtime.lookupPod('gone'), true);
    expect(removed.sort()).toEqual([...ids].sort());
    expect(runtime.hasPod(pod.id())).toBe(false);
    for (const id of ids) expect(runtime.hasContainer(id)).toBe(false);
    expect(existsSync(join(store.graphRoot, 'pods', pod.id()))).toBe(false);
  });

  it('a pod without infra shares nothing', async () => {
    const pod = await runtime.newPod([withPodName('plain'), withPodInfra(false)]);
    expect(pod.infraContainerId()).toBeNull();
    const a = await member(pod, 'a', 'sleep', '1000');
    await pod.start();
    expect(runtime.getContainer(a.id()).cachedState().status).toBe('running');
  });

  it('the CLI creates, starts, stops and removes a pod with members that share loopback', async () => {
    const cli = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), isTTY: false };
      const code = await runCli(['--root', store.graphRoot, '--runroot', store.runRoot, '--runtime', 'crun', ...argv], io, new AbortController().signal);
      return { code, stdout, stderr };
    };
    const created = await cli('pod', 'create', '--name', 'clipod', '--hostname', 'clihost');
    expect(created).toMatchObject({ code: 0 });
    const podId = created.stdout.trim();
    expect(podId).toMatch(/^[a-f0-9]{64}$/);
    expect((await cli('create', '--pod', 'clipod', '--name', 'srv', '--rootfs', store.rootfs, 'httpd', '-f', '-p', '8080', '-h', '/etc')).code).toBe(0);
    expect((await cli('create', '--pod', 'clipod', '--name', 'cl', '--rootfs', store.rootfs, 'sh', '-c', 'hostname; for i in $(seq 1 100); do wget -q -O- http://127.0.0.1:8080/passwd && exit 0; sleep 0.1; done; exit 1')).code).toBe(0);
    const started = await cli('pod', 'start', 'clipod');
    expect(started).toMatchObject({ code: 0, stdout: `${podId}\n` });
    runtime.shutdown(true);
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
    const cl = runtime.lookupContainer('cl');
    await until(() => runtime.lookupContainer('cl').status() === 'exited', 20_000);
    expect(runtime.lookupContainer('cl').cachedState().exitCode).toBe(0);
    const log = logText(store, cl.id());
    expect(log).toContain('clihost');
    expect(log).toContain('root:x:0:0');
    expect((await cli('pod', 'stop', '-t', '0', 'clipod'))).toMatchObject({ code: 0, stdout: `${podId}\n` });
    expect((await cli('pod', 'kill', 'clipod')).code).toBe(0);
    expect((await cli('pod', 'restart', '-t', '0', 'clipod')).code).toBe(0);
    expect((await cli('pod', 'stop', 'nope')).code).toBe(1);
    expect((await cli('pod', 'rm', 'clipod')).code).toBe(2);
    expect((await cli('pod', 'stop', '-t', '0', 'clipod')).code).toBe(0);
    expect((await cli('pod', 'rm', '-f', 'clipod'))).toMatchObject({ code: 0, stdout: `${podId}\n` });
    expect(runtime.hasPod(podId)).toBe(false);
  });

  it('pods.start, pods.stop, pods.kill and pods.restart through the router, with per-pod reports', async () => {
    const paths = resolvePaths({ root: store.graphRoot, runRoot: store.runRoot });
    const router = createRouter(contract, createHandlers({ config: createAppContext({ root: store.graphRoot, runRoot: store.runRoot }).config, paths, exec: realExec, events: new EventLog(store.eventsLog), defaultRuntime: 'crun' }));
    const signal = new AbortController().signal;
    const call = (path: string, input: unknown) => router.call(path, input, signal) as Promise<PodActionReport[]>;
    const pod = await runtime.newPod([withPodName('rpc'), withPodInfra(true)]);
    await member(pod, 'a', 'sleep', '1000');
    expect(await call('pods.start', { nameOrIds: ['rpc', 'missing'] })).toMatchObject([
      { nameOrId: 'rpc', id: pod.id(), containerErrors: [], error: null },
      { nameOrId: 'missing', id: null, error: { code: 'ErrNoSuchPod' } },
    ]);
    expect(pod.status()).toBe('Running');
    expect(await call('pods.restart', { nameOrIds: ['rpc'], timeout: 0 })).toMatchObject([{ containerErrors: [], error: null }]);
    expect(await call('pods.kill', { nameOrIds: ['rpc'], signal: 'KILL' })).toMatchObject([{ containerErrors: [], error: null }]);
    await until(() => pod.status() === 'Exited');
    await call('pods.start', { nameOrIds: ['rpc'] });
    expect(await call('pods.stop', { nameOrIds: ['rpc'], timeout: 0 })).toMatchObject([{ containerErrors: [], error: null }]);
    expect(pod.status()).toBe('Exited');
  });
});
