// The pod verbs beyond start/stop through real conmon + crun (busybox rootfs, throw-away store): pause
// and unpause with the freezer, top over every member, stats per member, the members' logs merged
// and named; bad input (joining a pod being removed, a busy host port, a failed create) leaves
// nothing behind. The same through the router's pods.* procedures and the CLI.
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withName, withPod, withRootFSFromPath, withStopTimeout } from '../../../main/core/container-config.ts';
import type { ContainerSpec } from '../../../main/core/container-config.ts';
import { createPod } from '../../../main/core/pod-create.ts';
import { podBeingRemoved, withPodInfra, withPodName, withPodSharedNamespaces } from '../../../main/core/pod-config.ts';
import { podLogs } from '../../../main/core/pod-logs.ts';
import { podStats } from '../../../main/core/pod-stats.ts';
import { topPod } from '../../../main/core/pod-top.ts';
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
import { hasCode } from '../../../shared/errors.ts';
import type { PodActionReport, PodLogLine, PodStats } from '../../../shared/types/pods.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';

const spec = (...args: string[]): ContainerSpec => ({ process: { args } });

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** crun start returns once the process is released, which may be before it has exec'd its command. */
function membersExeced(runtime: Runtime, pod: Pod, command: string): boolean {
  return runtime.state().podContainers(pod.id()).every((c) => {
    if (c.config.isInfra) return true;
    try {
      return readFileSync(`/proc/${c.state.pid}/cmdline`, 'utf8').startsWith(`${command}\0`);
    } catch {
      return false;
    }
  });
}

/** The freezer's view of the process's cgroup: v1 `freezer.state`, else v2 `cgroup.freeze`. */
function freezerState(pid: number): string {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('freezer'));
  if (v1) return readFileSync(join('/sys/fs/cgroup/freezer', v1.split(':')[2] as string, 'freezer.state'), 'utf8').trim();
  const v2 = lines.find((l) => l.startsWith('0::'));
  return readFileSync(join('/sys/fs/cgroup', (v2 ?? '0::/').slice(3), 'cgroup.freeze'), 'utf8').trim();
}

/** A shell loop that waits for a file in the container's root (members share the test's root directory). */
const waitFor = (file: string) => `while [ ! -e /${file} ]; do sleep 0.02; done`;

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');
describe.skipIf(skip !== null)(`Pod pause, top, stats and logs${skip ? ` (skipped: ${skip})` : ''}`, () => {
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
    runtime.newContainer(spec(...args), [withName(name), withRootFSFromPath(store.rootfs), withPod(pod), withStopTimeout(0)]);

  const cli = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), isTTY: false };
    const code = await runCli(['--root', store.graphRoot, '--runroot', store.runRoot, '--runtime', 'crun', ...argv], io, new AbortController().signal);
    return { code, stdout, stderr };
  };

  it('pauses every member and the infra with the freezer, the pod reads Paused, and unpause thaws them', async () => {
    const pod = await runtime.newPod([withPodName('frozen'), withPodInfra(true)]);
    const a = await member(pod, 'a', 'sleep', '1000');
    const b = await member(pod, 'b', 'sleep', '1000');
    expect(await pod.start()).toEqual(new Map());
    const infraId = pod.infraContainerId() as string;
    const state = (id: string) => runtime.getContainer(id).cachedState();
    const { podActions } = await import('../../../main/core/pod-lifecycle.ts');
    expect(await podActions(runtime, 'pause', ['frozen'])).toMatchObject([{ id: pod.id(), containerErrors: [], error: null }]);
    for (const id of [a.id(), b.id(), infraId]) expect(state(id).status).toBe('paused');
    expect(pod.status()).toBe('Paused');
    // Frozen by the cgroup freezer (v1 freezer.state, v2 cgroup.freeze).
    for (const id of [a.id(), infraId]) expect(freezerState(state(id).pid)).toMatch(/^(FROZEN|1)$/);
    // A second pause has nothing running to freeze.
    expect(await podActions(runtime, 'pause', ['frozen'])).toMatchObject([{ error: { code: 'ErrCtrStateInvalid' } }]);
    expect(await podActions(runtime, 'unpause', ['frozen'])).toMatchObject([{ containerErrors: [], error: null }]);
    for (const id of [a.id(), b.id(), infraId]) expect(state(id).status).toBe('running');
    expect(freezerState(state(b.id()).pid)).toMatch(/^(THAWED|0)$/);
    expect(pod.status()).toBe('Running');
    // The CLI prints the pod's id for each.
    expect(await cli('pod', 'pause', 'frozen')).toMatchObject({ code: 0, stdout: `${pod.id()}\n` });
    expect(pod.status()).toBe('Paused');
    expect(await cli('pod', 'unpause', 'frozen')).toMatchObject({ code: 0, stdout: `${pod.id()}\n` });
    expect(pod.status()).toBe('Running');
    expect((await cli('pod', 'unpause', 'frozen')).code).toBe(125);
  });

  it('top lists the processes of every running member and the infra; with a shared pid namespace once', async () => {
    const pod = await runtime.newPod([withPodName('busy'), withPodInfra(true)]);
    await member(pod, 'a', 'sleep', '1001');
    await member(pod, 'b', 'sleep', '1002');
    await expect(topPod(runtime, pod.id())).rejects.toSatisfy((e) => hasCode(e, 'ErrCtrStateInvalid'));
    await pod.start();
    await until(() => membersExeced(runtime, pod, 'sleep'));
    const report = await topPod(runtime, pod.id());
    expect(report.titles).toEqual(['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND']);
    const commands = report.processes.map((row) => row[row.length - 1]).sort();
    expect(commands).toEqual(['/catatonit -P', 'sleep 1001', 'sleep 1002']);
    const cliTop = await cli('pod', 'top', 'busy', 'pid,args');
    expect(cliTop.code).toBe(0);
    expect(cliTop.stdout).toMatch(/^PID\s+COMMAND\n/);
    expect(cliTop.stdout).toContain('sleep 1001');
    expect(cliTop.stdout).toContain('sleep 1002');

    const shared = await runtime.newPod([withPodName('onepid'), withPodInfra(true), withPodSharedNamespaces(['net', 'ipc', 'uts', 'pid'])]);
    await member(shared, 'c', 'sleep', '1003');
    await shared.start();
    await until(() => membersExeced(runtime, shared, 'sleep'));
    const sharedRows = (await topPod(runtime, shared.id(), ['pid', 'args'])).processes.map((r) => r[1]).sort();
    expect(sharedRows).toEqual(['/catatonit -P', 'sleep 1003']);
  });

  it('stats gives one sample per running container of the pod, and the CLI prints them with the pod', async () => {
    const pod = await runtime.newPod([withPodName('measured'), withPodInfra(true)]);
    await member(pod, 'a', 'sh', '-c', 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 1000');
    await member(pod, 'b', 'sleep', '1000');
    const other = await runtime.newPod([withPodName('other'), withPodInfra(true)]);
    await member(other, 'c', 'sleep', '1000');
    await pod.start();
    await other.start();
    const [round] = await collect(podStats(runtime, [pod.id()], { stream: false }));
    const rows = round as PodStats[];
    expect(rows.map((r) => r.name).sort()).toEqual(['a', 'b', `${pod.id().slice(0, 12)}-infra`].sort());
    for (const row of rows) {
      expect(row.podId).toBe(pod.id());
      expect(row.podName).toBe('measured');
      expect(row.pids).toBeGreaterThanOrEqual(1);
      expect(row.memUsage).toBeGreaterThan(0);
    }
    const all = await collect(podStats(runtime, null, { stream: false }));
    expect(new Set(all[0]?.map((r) => r.podName))).toEqual(new Set(['measured', 'other']));
    const printed = await cli('pod', 'stats', '--no-stream', 'measured');
    expect(printed.code).toBe(0);
    const lines = printed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^POD\s+CID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[2]).sort()).toEqual(['a', 'b', `${pod.id().slice(0, 12)}-infra`].sort());
    expect(lines.slice(1).every((l) => l.startsWith(pod.id().slice(0, 12)))).toBe(true);
    const json = await cli('pod', 'stats', '--no-stream', '--format', 'json', 'other');
    expect((JSON.parse(json.stdout) as { name: string; pod: string }[]).map((r) => r.name)).toContain('c');
  });

  it('logs merges the members in time order, each line naming its container; -c keeps one; follow ends when they stop', async () => {
    const pod = await runtime.newPod([withPodName('chatty'), withPodInfra(true)]);
    // Interleaved in time: a writes 1 and 3, b writes 2 and 4, each waiting for the other's line
    // through files in the root directory they share.
    await member(pod, 'a', 'sh', '-c', `echo a-1; touch /s1; ${waitFor('s2')}; echo a-3; touch /s3; sleep 1000`);
    await member(pod, 'b', 'sh', '-c', `${waitFor('s1')}; echo b-2; touch /s2; ${waitFor('s3')}; echo b-4 >&2; touch /s4; sleep 1000`);
    await pod.start();
    await until(() => existsSync(join(store.rootfs, 's4')), 10_000);
    const entries = await collect(podLogs(runtime, pod.id()));
    expect(entries.map((e) => `${e.containerName}:${e.line.text}`)).toEqual(['a:a-1', 'b:b-2', 'a:a-3', 'b:b-4']);
    expect(entries.find((e) => e.line.text === 'b-4')?.line.stream).toBe('stderr');
    expect((await collect(podLogs(runtime, pod.id(), { container: 'b' }))).map((e) => e.line.text)).toEqual(['b-2', 'b-4']);
    expect((await collect(podLogs(runtime, pod.id(), { tail: 1 }))).map((e) => e.line.text)).toEqual(['a-3', 'b-4']);
    await expect(collect(podLogs(runtime, pod.id(), { container: 'nope' }))).rejects.toSatisfy((e) => hasCode(e, 'ErrNoSuchCtr'));

    const printed = await cli('pod', 'logs', 'chatty');
    expect(printed).toMatchObject({ code: 0, stdout: 'a a-1\nb b-2\na a-3\n', stderr: 'b b-4\n' });
    expect((await cli('pod', 'logs', '-c', 'a', '--tail', '1', 'chatty')).stdout).toBe('a a-3\n');

    // Following: the history, then nothing more once the members are stopped.
    const followed: string[] = [];
    const follow = (async () => {
      for await (const e of podLogs(runtime, pod.id(), { follow: true })) followed.push(`${e.containerName}:${e.line.text}`);
    })();
    await until(() => followed.length === 4);
    await pod.stop({ timeout: 0 });
    await follow;
    expect(followed).toEqual(['a:a-1', 'b:b-2', 'a:a-3', 'b:b-4']);
  });

  it('pods.pause, pods.unpause, pods.top, pods.stats and pods.logs through the router', async () => {
    const paths = resolvePaths({ root: store.graphRoot, runRoot: store.runRoot });
    const router = createRouter(contract, createHandlers({ config: createAppContext({ root: store.graphRoot, runRoot: store.runRoot }).config, paths, exec: realExec, events: new EventLog(store.eventsLog), defaultRuntime: 'crun' }));
    const signal = new AbortController().signal;
    const pod = await runtime.newPod([withPodName('rpc'), withPodInfra(true)]);
    await member(pod, 'one', 'sh', '-c', 'echo from-one; touch /t1; sleep 1000');
    await member(pod, 'two', 'sh', '-c', `${waitFor('t1')}; echo from-two; touch /t2; sleep 1000`);
    await pod.start();
    expect(await router.call('pods.pause', { nameOrIds: ['rpc', 'missing'] }, signal) as PodActionReport[]).toMatchObject([
      { id: pod.id(), containerErrors: [], error: null },
      { nameOrId: 'missing', error: { code: 'ErrNoSuchPod' } },
    ]);
    expect(pod.status()).toBe('Paused');
    expect(await router.call('pods.unpause', { nameOrIds: ['rpc'] }, signal)).toMatchObject([{ error: null }]);
    expect(pod.status()).toBe('Running');
    const top = await router.call('pods.top', { nameOrId: 'rpc' }, signal) as { processes: string[][] };
    expect(top.processes.length).toBeGreaterThanOrEqual(3);
    const rounds = await collect(router.stream('pods.stats', { nameOrIds: ['rpc'], stream: false }, signal)) as PodStats[][];
    expect(rounds[0]?.map((r) => r.name)).toContain('two');
    await until(() => existsSync(join(store.rootfs, 't2')));
    const lines = await collect(router.stream('pods.logs', { nameOrId: 'rpc' }, signal)) as PodLogLine[];
    expect(lines.map((l) => `${l.containerName}:${l.text}`)).toEqual(['one:from-one', 'two:from-two']);
    expect(lines[0]?.containerId).toBe(runtime.lookupContainer('one').id());
  });

  it('refuses a container joining a pod while a forced removal stops it, and removes the pod whole', async () => {
    const pod = await runtime.newPod([withPodName('leaving'), withPodInfra(true)]);
    // Ignores SIGTERM: the forced removal waits its stop timeout (1 s) before SIGKILL.
    await runtime.newContainer(spec('sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done'), [withName('slow'), withRootFSFromPath(store.rootfs), withPod(pod), withStopTimeout(1)]);
    await pod.start();
    const removal = runtime.removePod(pod, true);
    await until(() => podBeingRemoved(runtime.state().pod(pod.id()).state));
    await expect(member(runtime.lookupPod('leaving'), 'late', 'true')).rejects.toSatisfy((e) => hasCode(e, 'ErrPodRemoved'));
    await removal;
    expect(runtime.hasPod(pod.id())).toBe(false);
    expect(runtime.containers().map((c) => c.name())).toEqual([]);
  });

  it('a mark left by a removal that was killed half-way blocks nobody', async () => {
    const pod = await runtime.newPod([withPodName('orphaned'), withPodInfra(true)]);
    const state = runtime.state();
    // The remover was SIGKILLed before it could clear its mark: its process is gone (another boot here).
    state.writeTransaction(() => state.savePod(pod.id(), { ...state.pod(pod.id()).state, removing: { pid: 1, startTime: '0', bootId: 'a-previous-boot' } }));
    expect(podBeingRemoved(state.pod(pod.id()).state)).toBe(false);
    await expect(member(runtime.lookupPod('orphaned'), 'joins', 'true')).resolves.toBeDefined();
  });

  it('a refused removal leaves no mark, so containers may still join', async () => {
    const pod = await runtime.newPod([withPodName('stays'), withPodInfra(true)]);
    await member(pod, 'a', 'sleep', '1000');
    await pod.start();
    await expect(runtime.removePod(pod, false)).rejects.toSatisfy((e) => hasCode(e, 'ErrCtrStateInvalid'));
    expect(runtime.state().pod(pod.id()).state.removing).toBeUndefined();
    await expect(member(runtime.lookupPod('stays'), 'b', 'true')).resolves.toBeDefined();
  });

  it('a pod whose published host port is taken does not start: a typed error, nothing left running or attached', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const pod = await createPod(runtime, { name: 'busyport', publish: [`127.0.0.1:${port}:80`] });
      await member(pod, 'web', 'sleep', '1000');
      const errors = await pod.start();
      const infraError = errors.get(pod.infraContainerId() as string);
      expect(infraError?.code).toBe('ErrInvalidArg');
      expect(infraError?.message).toContain(`${port}`);
      expect(runtime.lookupContainer('web').status()).not.toBe('running');
      const started = await cli('pod', 'start', 'busyport');
      expect(started.code).toBe(125);
      expect(started.stderr).toContain('is not available');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a pod create that fails on its network leaves no pod, infra container, pod directory or address', async () => {
    const before = readdirSync(store.graphRoot);
    await expect(createPod(runtime, { name: 'nonet', network: 'no-such-network' })).rejects.toSatisfy((e) => hasCode(e, 'ErrNoSuchNetwork'));
    await expect(createPod(runtime, { name: 'badport', publish: ['80:80', '80:81'] })).rejects.toSatisfy((e) => hasCode(e, 'ErrInvalidArg'));
    expect(runtime.pods()).toEqual([]);
    expect(runtime.containers()).toEqual([]);
    expect(existsSync(join(store.graphRoot, 'pods')) ? readdirSync(join(store.graphRoot, 'pods')) : []).toEqual([]);
    expect(readdirSync(store.graphRoot).filter((f) => !before.includes(f) && f !== 'networks')).toEqual([]);
    // The name is free again, and a good create works.
    const pod = await createPod(runtime, { name: 'nonet' });
    expect(pod.infraContainerId()).not.toBeNull();
  });

  it('a container outside a pod joins another one\'s network, ipc and uts namespaces (container:NAME), started after it', async () => {
    const { createContainer } = await import('../../../main/core/container-create.ts');
    const base = await createContainer(runtime, { rootfs: store.rootfs, name: 'base', command: ['sleep', '1000'], network: 'none' });
    const joiner = await createContainer(runtime, { rootfs: store.rootfs, name: 'joiner', command: ['sleep', '1000'], network: 'container:base', ipc: 'container:base', uts: 'container:base' });
    // Starting the joiner starts what it joins first.
    await joiner.start();
    const pid = (name: string) => runtime.lookupContainer(name).cachedState().pid;
    const ns = (p: number, kind: string) => readlinkSync(`/proc/${p}/ns/${kind}`);
    for (const kind of ['net', 'ipc', 'uts']) expect(ns(pid('joiner'), kind)).toBe(ns(pid('base'), kind));
    expect(ns(pid('joiner'), 'pid')).not.toBe(ns(pid('base'), 'pid'));
    expect(base.id()).toBe(runtime.lookupContainer('base').id());
    // The CLI takes the same flags; an unknown source is ErrNoSuchCtr.
    expect((await cli('create', '--name', 'viacli', '--rootfs', store.rootfs, '--network', 'container:base', '--pid', 'container:base', 'sleep', '1000')).code).toBe(0);
    await cli('start', 'viacli');
    runtime.shutdown(true);
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
    for (const kind of ['net', 'pid']) expect(ns(pid('viacli'), kind)).toBe(ns(pid('base'), kind));
    await expect(createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: 'container:ghost' })).rejects.toSatisfy((e) => hasCode(e, 'ErrNoSuchCtr'));
    // podman's ns:PATH is not supported; a mode podman does not know either is bad input.
    await expect(createContainer(runtime, { rootfs: store.rootfs, command: ['true'], ipc: 'ns:/proc/1/ns/ipc' })).rejects.toSatisfy((e) => hasCode(e, 'ErrNotImplemented'));
    await expect(createContainer(runtime, { rootfs: store.rootfs, command: ['true'], ipc: 'bogus' })).rejects.toSatisfy((e) => hasCode(e, 'ErrInvalidArg'));
  });

  it('--share cgroup: members join the infra container\'s cgroup namespace', async () => {
    const created = await cli('pod', 'create', '--name', 'cg', '--network', 'none', '--share', 'net,ipc,uts,cgroup');
    expect(created.code).toBe(0);
    runtime.shutdown(true);
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
    const pod = runtime.lookupPod('cg');
    expect(pod.sharedNamespaces()).toEqual(['net', 'ipc', 'uts', 'cgroup']);
    const m = await member(pod, 'm', 'sleep', '1000');
    expect(await pod.start()).toEqual(new Map());
    const infraPid = runtime.getContainer(pod.infraContainerId() as string).cachedState().pid;
    const memberPid = runtime.getContainer(m.id()).cachedState().pid;
    expect(readlinkSync(`/proc/${memberPid}/ns/cgroup`)).toBe(readlinkSync(`/proc/${infraPid}/ns/cgroup`));
    await expect(createPod(runtime, { name: 'bad', share: ['net', 'time'] })).rejects.toSatisfy((e) => hasCode(e, 'ErrInvalidArg'));
  });
});
