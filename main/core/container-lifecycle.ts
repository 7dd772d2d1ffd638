// The container verbs that drive the OCI runtime (libpod/container_api.go: Start, Stop, Kill, Pause,
// Unpause, Wait, Restart, Cleanup; logs, exec and attach). Each follows one shape: lock (a lease on the
// container, sharing its pod with the other members) → sync with conmon → check the state (ErrCtrStateInvalid names it) → act →
// save → emit. Saving the state and dropping the lease are one transaction, so a verb costs two commits
// (take, save+release). No lock is held across a long wait: stop saves `stopping`, releases, waits for
// the process to die, then re-locks to record the exit (libpod stopInternal, podman issue 8501).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PodbayError, hasCode } from '../../shared/errors.ts';
import { dependencies, parseSignal, usesSlirp } from './container-config.ts';
import type { NamespaceKind } from './container-config.ts';
import { cleanupStopped, initContainer, readExitFileSync, removeExitFilesSync, syncRecords } from './container-internal.ts';
import { beginContainerNetwork, copyJoinedNetworkFiles, startSlirpNetwork, writeNetworkFiles } from './container-network.ts';
import type { NetworkSetupReport } from './network/network-manager.ts';
import type { LifecycleContext } from './container-internal.ts';
import { hasMonitor, isActive, shouldRestart, stateInvalid } from './container-state.ts';
import type { ContainerState } from './container-state.ts';
import { containerLockTargets } from './lock/lock-manager.ts';
import type { LockHandle, LockTargets, LockWaitOptions } from './lock/lock-manager.ts';
import { attachContainer } from './oci/attach.ts';
import { pidAlive } from './oci/oci-runtime.ts';
import type { AttachOptions, AttachSession } from './oci/attach.ts';
import { startExecSession } from './oci/exec-session.ts';
import type { ExecSession, ExecSessionOptions } from './oci/exec-session.ts';
import { readLog } from './oci/k8s-file-log.ts';
import type { LogLine } from './oci/k8s-file-log.ts';
import type { OciSpec } from './oci/spec.ts';
import type { SpecNamespaces } from './oci/spec-generator.ts';
import { readRootfsUserFiles, resolveUser } from './oci/user-resolver.ts';
import type { ContainerRecord, State } from './state/state.ts';
import { crashPoint } from './crash-point.ts';

function lockIds(record: ContainerRecord): LockTargets {
  return containerLockTargets(record.config);
}

export function readRecord(ctx: LifecycleContext, id: string): ContainerRecord {
  try {
    return ctx.state().container(id);
  } catch (error) {
    if (hasCode(error, 'ErrNoSuchCtr')) throw new PodbayError('ErrCtrRemoved', `container ${id} has been removed`, { cause: error });
    throw error;
  }
}

/** Leases the container (and its pod), then syncs it with conmon. */
export async function lease(ctx: LifecycleContext, id: string, wait: LockWaitOptions): Promise<{ handle: LockHandle; record: ContainerRecord }> {
  const handle = await ctx.locks().acquire(lockIds(readRecord(ctx, id)), wait);
  try {
    const [record] = syncRecords(ctx, [readRecord(ctx, id)], handle.token);
    return { handle, record: record as ContainerRecord };
  } catch (error) {
    handle.release();
    throw error;
  }
}

/**
 * Saves the state and drops the lease in one transaction (one disk sync). `volatile`: the commit
 * does not wait for the disk (State.volatileTransaction) — for a state that means nothing after a
 * reboot, which a power loss may then undo.
 */
function saveAndRelease(ctx: LifecycleContext, handle: LockHandle, id: string, state: ContainerState, volatile = false): void {
  const store = ctx.state();
  const save = () => {
    store.saveContainer(id, state);
    store.deleteLocks(handle.token);
  };
  if (volatile) store.volatileTransaction(save);
  else store.writeTransaction(save);
  handle.release();
}

const specNamespace: Partial<Record<NamespaceKind, keyof SpecNamespaces>> = { net: 'network', ipc: 'ipc', uts: 'uts', pid: 'pid', cgroup: 'cgroup' };
const procNamespace: Partial<Record<NamespaceKind, string>> = { net: 'net', ipc: 'ipc', uts: 'uts', pid: 'pid', cgroup: 'cgroup' };

/**
 * The namespaces a container joins, as /proc/<pid>/ns/* paths of the running containers it names
 * (libpod WithNetNSFrom…). A source that is not running → ErrCtrStateInvalid; mount and user → ErrNotImplemented.
 */
function joinedNamespaces(ctx: LifecycleContext, config: ContainerRecord['config']): SpecNamespaces | null {
  const entries = Object.entries(config.sharedNamespaces) as [NamespaceKind, string][];
  if (entries.length === 0) return null;
  const result: SpecNamespaces = {};
  for (const [kind, from] of entries) {
    const key = specNamespace[kind];
    if (!key) throw new PodbayError('ErrNotImplemented', `joining another container's ${kind} namespace is not supported`);
    const [source] = syncRecords(ctx, [readRecord(ctx, from)]);
    if (!source || source.state.status !== 'running' || !(source.state.pid > 0)) {
      throw stateInvalid(from, source?.state.status ?? 'removing', `join its ${kind} namespace (it must be running)`);
    }
    result[key] = { path: `/proc/${source.state.pid}/ns/${procNamespace[kind]}` };
  }
  return result;
}

export interface StartOptions {
  /** Runs after the runtime created the container and before its process starts (attach here: no output is lost). */
  beforeStart?: () => Promise<void>;
  /** Keep a stdin pipe for attach (-i) even if the container was created without one. */
  stdin?: boolean;
  /** A start by the restart policy: the restart count is kept (a user's start resets it, as libpod init). */
  byRestartPolicy?: boolean;
  signal?: AbortSignal;
  wait?: LockWaitOptions;
}

/**
 * libpod Start: a configured or exited container is created in the runtime first (init), a created one
 * just started. Already running → returned as is (podman start is idempotent). Paused or stopping →
 * ErrCtrStateInvalid. A failed start leaves the container exited with the error recorded, and nothing
 * of it in the runtime.
 */
export async function startContainer(ctx: LifecycleContext, id: string, options: StartOptions = {}): Promise<ContainerRecord> {
  // The containers whose namespaces it joins (a pod's infra) run first (libpod startDependencies).
  for (const dep of dependencies(readRecord(ctx, id).config)) {
    // One already running needs no lease (the members of a pod would queue on their infra's): the
    // namespaces are read below through a sync that refuses one that has died meanwhile.
    const current = readRecord(ctx, dep).state;
    if (current.status === 'running' && pidAlive(current.pid)) continue;
    await startContainer(ctx, dep, { ...(options.signal ? { signal: options.signal } : {}), ...(options.wait ? { wait: options.wait } : {}) });
  }
  const { handle, record } = await lease(ctx, id, { signal: options.signal, ...options.wait });
  const { config } = record;
  let state = record.state;
  if (state.status === 'running') {
    handle.release();
    return record;
  }
  if (state.status === 'paused' || state.status === 'stopping' || state.status === 'removing') {
    handle.release();
    throw stateInvalid(id, state.status, 'start it (unpause or wait for it instead)');
  }
  const oci = await ctx.ociRuntime(config.ociRuntime).catch((error: unknown) => {
    handle.release();
    throw error;
  });
  let created = state.status === 'created' ? { pid: state.pid, conmonPid: state.conmonPid ?? 0 } : null;
  let network: Promise<NetworkSetupReport> | null = null;
  try {
    if (!created) {
      // An earlier run the exit command has not cleaned up yet would make `create` fail: delete it first.
      // So would one a killed process created without recording it (the state still says configured).
      if (state.status !== 'configured' || oci.hasState(id)) await oci.deleteContainer(id, { force: true });
      let namespaces = joinedNamespaces(ctx, config);
      // A bridge network: the namespace first, then netavark configures it while the OCI runtime
      // creates the container in it (libpod does both before create; overlapping them saves the
      // longer of the two).
      const pending = await beginContainerNetwork(ctx, config, options.signal);
      if (pending) {
        network = pending.complete();
        network.catch(() => undefined);
        namespaces = { ...namespaces, network: { path: pending.netnsPath } };
      }
      created = await initContainer(ctx, config, oci, {
        ...(options.stdin ? { stdin: true } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(namespaces ? { namespaces } : {}),
        ...(network ? { ownNetns: true } : {}),
        ...(usesSlirp(config) ? { exitWatch: true } : {}),
      });
      crashPoint('start.runtime-created');
      state = { ...state, status: 'created', pid: created.pid, conmonPid: created.conmonPid, error: null };
      await startSlirpNetwork(ctx, config, created, options.signal);
      if (network) await writeNetworkFiles(ctx, config, (await network).status);
      else if (config.sharedNamespaces.net) await copyJoinedNetworkFiles(ctx, config);
    }
    if (options.beforeStart) await options.beforeStart();
    ctx.claimExitCleanup?.(id);
    await oci.startContainer(id, options.signal);
    crashPoint('start.started');
  } catch (error) {
    // libpod cleans up the runtime side of a failed start; the container keeps its record and the error.
    ctx.dropExitCleanup?.(id);
    if (created) await oci.deleteContainer(id, { force: true }).catch(() => undefined);
    // A network setup still running must end before its teardown (a failed one has undone itself).
    if (network) await (network as Promise<NetworkSetupReport>).catch(() => undefined);
    await cleanupStopped(ctx, config, true).catch(() => undefined);
    const exit = readExitFileSync(ctx.exitDir(), ctx.persistRoot(), id);
    removeExitFilesSync(ctx, id);
    const message = error instanceof Error ? error.message : String(error);
    const failed: ContainerState = {
      ...record.state,
      status: record.state.status === 'configured' ? 'configured' : 'exited',
      pid: 0,
      conmonPid: 0,
      exitCode: exit?.exitCode ?? (hasCode(error, 'ErrOCIRuntimeNotFound') ? 127 : hasCode(error, 'ErrPermission') ? 126 : record.state.exitCode),
      error: message,
    };
    try {
      saveAndRelease(ctx, handle, id, failed);
    } catch {
      handle.release();
    }
    throw error;
  }
  const running: ContainerState = {
    ...state,
    status: 'running',
    startedAt: ctx.now().toISOString(),
    finishedAt: null,
    oomKilled: false,
    error: null,
    stoppedByUser: false,
    restartCount: options.byRestartPolicy ? (state.restartCount ?? 0) : 0,
  };
  // Running is void after a reboot: the process and its conmon are gone then, and a power loss that
  // undoes this commit leaves the state before the start, which the reboot would have made of it
  // anyway (configured or exited). A pod's members each save at once; none waits ~4 ms for the disk.
  saveAndRelease(ctx, handle, id, running, true);
  ctx.emitContainer('start', config);
  return { config, state: running };
}

export interface StopOptions {
  /** Seconds between the stop signal and SIGKILL; default the container's stop timeout (10). 0 kills at once. */
  timeout?: number;
  signal?: AbortSignal;
  wait?: LockWaitOptions;
}

/**
 * libpod Stop: sends the stop signal, SIGKILL after the timeout, and records the exit. The lease is
 * dropped while waiting for the process to die (the state says `stopping` meanwhile). A container that
 * is not running (configured, exited) is left as it is; a paused one is resumed first so it can die.
 */
export async function stopContainer(ctx: LifecycleContext, id: string, options: StopOptions = {}): Promise<ContainerRecord> {
  if (options.timeout !== undefined && (!Number.isInteger(options.timeout) || options.timeout < 0)) {
    throw new PodbayError('ErrInvalidArg', `stop timeout ${options.timeout} must be a whole number of seconds, 0 or more`);
  }
  const { handle, record } = await lease(ctx, id, { signal: options.signal, ...options.wait });
  const { config } = record;
  if (!hasMonitor(record.state.status)) {
    // Already exited: libpod's stop still cleans up what no exit command did (the rootfs mount).
    try {
      await cleanupStopped(ctx, config, true);
    } finally {
      handle.release();
    }
    return record;
  }
  if (!((record.state.conmonPid ?? 0) > 0) && !pidAlive(record.state.pid)) {
    // A record no conmon supervises (written before the lifecycle existed) whose process is gone:
    // nothing will write an exit file, so the stop is only recorded.
    const stopped: ContainerState = { ...record.state, status: 'exited', pid: 0, exitCode: record.state.exitCode ?? -1, finishedAt: ctx.now().toISOString(), stoppedByUser: true };
    saveAndRelease(ctx, handle, id, stopped);
    ctx.emitContainer('stop', config);
    return { config, state: stopped };
  }
  let oci;
  try {
    oci = await ctx.ociRuntime(config.ociRuntime);
    if (record.state.status === 'paused') await oci.resumeContainer(id, options.signal);
  } catch (error) {
    handle.release();
    throw error;
  }
  const pid = record.state.pid;
  // A user's stop: the restart policy must leave it stopped (libpod sets StoppedByUser in stop).
  saveAndRelease(ctx, handle, id, { ...record.state, status: 'stopping', stoppedByUser: true });
  const timeout = options.timeout ?? config.stopTimeout ?? 10;
  let stopError: unknown = null;
  try {
    await oci.stopContainer(id, pid, config.stopSignal, timeout, options.signal, record.state.conmonPid ?? 0);
  } catch (error) {
    stopError = error;
  }
  const after = await recordExit(ctx, id, { timeoutMs: 5_000, ...(options.signal ? { signal: options.signal } : {}) });
  if (stopError && after && isActive(after.state.status)) throw stopError;
  // libpod's stop ends with cleanup: the network is torn down, the rootfs unmounted (the writable layer stays).
  if (after && !isActive(after.state.status)) await cleanupStopped(ctx, config, false).catch(() => undefined);
  ctx.emitContainer('stop', config);
  return after ?? record;
}

/** The exit is in the state already (or the container is gone): no exit file will tell more. */
function exitRecorded(store: State, id: string): boolean {
  return !store.hasContainer(id) || !hasMonitor(store.container(id).state.status);
}

/**
 * Waits (without any lock) for conmon's exit file, then records the exit under the lock. The exit may
 * also be recorded by another process (the exit command, a `ps`): the store is re-read every second.
 * Returns null when the container was removed meanwhile (e.g. by `--rm`).
 */
async function recordExit(ctx: LifecycleContext, id: string, options: { signal?: AbortSignal; timeoutMs?: number }): Promise<ContainerRecord | null> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const store = ctx.state();
  for (;;) {
    if (!store.hasContainer(id)) return null;
    const [record] = syncRecords(ctx, [store.container(id)]);
    const current = record as ContainerRecord;
    if (!hasMonitor(current.state.status)) return current;
    const left = deadline - Date.now();
    if (left <= 0) {
      // conmon is alive but wrote no exit: leave the state for a later sync rather than guess.
      return current;
    }
    const oci = await ctx.ociRuntime(current.config.ociRuntime);
    try {
      await oci.waitForExit(id, { timeoutMs: Math.min(1_000, left), settled: () => exitRecorded(store, id), ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      if (hasCode(error, 'ErrCanceled')) throw error;
    }
  }
}

/**
 * libpod Kill: sends `signal` (number or name) to the container's init process. Not running →
 * ErrCtrStateInvalid. The state is not changed here: the exit (if the signal ends it) is synced later.
 */
export async function killContainer(ctx: LifecycleContext, id: string, signal: number | string = 9, options: { signal?: AbortSignal; wait?: LockWaitOptions } = {}): Promise<ContainerRecord> {
  const signum = parseSignal(signal);
  // The lock only orders the check against other verbs; the sync (and its events) follow the commit.
  const stored = await ctx.locks().runLocked(lockIds(readRecord(ctx, id)), () => readRecord(ctx, id), { signal: options.signal, ...options.wait });
  const record = syncRecords(ctx, [stored])[0] as ContainerRecord;
  if (record.state.status !== 'running' && record.state.status !== 'paused' && record.state.status !== 'created') {
    throw stateInvalid(id, record.state.status, 'kill it: it is not running');
  }
  const oci = await ctx.ociRuntime(record.config.ociRuntime);
  await oci.kill(id, signum, options.signal ? { abort: options.signal } : {});
  ctx.emitContainer('kill', record.config, { signal: String(signum) });
  return record;
}

/** libpod Pause (cgroup freezer through the runtime): only a running container → else ErrCtrStateInvalid. */
export async function pauseContainer(ctx: LifecycleContext, id: string, options: { signal?: AbortSignal; wait?: LockWaitOptions } = {}): Promise<ContainerRecord> {
  return freeze(ctx, id, true, options);
}

export async function unpauseContainer(ctx: LifecycleContext, id: string, options: { signal?: AbortSignal; wait?: LockWaitOptions } = {}): Promise<ContainerRecord> {
  return freeze(ctx, id, false, options);
}

async function freeze(ctx: LifecycleContext, id: string, pause: boolean, options: { signal?: AbortSignal; wait?: LockWaitOptions }): Promise<ContainerRecord> {
  const { handle, record } = await lease(ctx, id, { signal: options.signal, ...options.wait });
  const need = pause ? 'running' : 'paused';
  if (record.state.status !== need) {
    handle.release();
    throw stateInvalid(id, record.state.status, pause ? 'pause it: only running containers can be paused' : 'unpause it: it is not paused');
  }
  let next: ContainerState;
  try {
    const oci = await ctx.ociRuntime(record.config.ociRuntime);
    if (pause) await oci.pauseContainer(id, options.signal);
    else await oci.resumeContainer(id, options.signal);
    next = { ...record.state, status: pause ? 'paused' : 'running' };
    saveAndRelease(ctx, handle, id, next);
  } catch (error) {
    handle.release();
    throw error;
  }
  ctx.emitContainer(pause ? 'pause' : 'unpause', record.config);
  return { config: record.config, state: next };
}

/** libpod Restart: stops a running container (its stop timeout, or `timeout`), then starts it. */
export async function restartContainer(ctx: LifecycleContext, id: string, options: StopOptions = {}): Promise<ContainerRecord> {
  const current = syncRecords(ctx, [readRecord(ctx, id)])[0] as ContainerRecord;
  if (current.state.status === 'paused' || current.state.status === 'running' || current.state.status === 'created' || current.state.status === 'stopping') {
    await stopContainer(ctx, id, options);
  }
  const started = await startContainer(ctx, id, { ...(options.signal ? { signal: options.signal } : {}), ...(options.wait ? { wait: options.wait } : {}) });
  ctx.emitContainer('restart', started.config);
  return started;
}

/**
 * libpod Wait: resolves with the exit code once the container is no longer running (at once if it is
 * not). A container removed after it exited (--rm) still reports the code it ended with; one removed
 * with no code known → ErrCtrRemoved. Holds no lock while waiting.
 */
export async function waitContainer(ctx: LifecycleContext, id: string, options: { signal?: AbortSignal } = {}): Promise<number> {
  const store = ctx.state();
  for (;;) {
    const record = await recordExit(ctx, id, options.signal ? { signal: options.signal } : {});
    if (!record) {
      const code = store.removedExitCode(id);
      if (code !== null) return code;
      throw new PodbayError('ErrCtrRemoved', `container ${id} was removed before its exit code was known`);
    }
    if (!hasMonitor(record.state.status)) {
      // A configured container (never started) has nothing to wait for yet: wait for a run to end.
      if (record.state.status !== 'configured' || record.state.exitCode !== null) return record.state.exitCode ?? 0;
      const oci = await ctx.ociRuntime(record.config.ociRuntime);
      await oci.waitForExit(id, { timeoutMs: 1_000, ...(options.signal ? { signal: options.signal } : {}) }).catch((error: unknown) => {
        if (hasCode(error, 'ErrCanceled')) throw error;
      });
    }
  }
}

/**
 * What conmon's exit command runs (`podbay container cleanup <id>`, libpod Cleanup): records the exit,
 * deletes the container from the OCI runtime, then either starts it again as its restart policy says
 * (libpod handleRestartPolicy: the restart count goes up first, under the lease), or removes it when it
 * was created with --rm. A container that is running again (restarted meanwhile) or already removed is
 * left alone. Says what it did; a failed restart is recorded on the container and rethrown.
 */
export async function cleanupContainer(ctx: LifecycleContext, id: string, removeFn: (id: string) => Promise<void>): Promise<'removed' | 'cleaned' | 'restarted' | 'skipped'> {
  const store = ctx.state();
  if (!store.hasContainer(id)) return 'skipped';
  // Under the lease: a restart by another process cannot slip between the check and the delete.
  const { handle, record } = await lease(ctx, id, {});
  let restart: boolean;
  try {
    if (hasMonitor(record.state.status)) return 'skipped';
    const oci = await ctx.ociRuntime(record.config.ociRuntime);
    await oci.deleteContainer(id).catch(() => undefined);
    restart = shouldRestart(record.config, record.state);
    if (restart) saveAndRelease(ctx, handle, id, { ...record.state, restartCount: (record.state.restartCount ?? 0) + 1 });
    // An --rm container's removal below unmounts it anyway: the lease is held no longer than needed.
    else if (!record.config.autoRemove) await cleanupStopped(ctx, record.config, true);
  } finally {
    handle.release();
  }
  ctx.emitContainer('cleanup', record.config);
  if (restart) {
    try {
      await startContainer(ctx, id, { byRestartPolicy: true });
    } catch (error) {
      if (hasCode(error, 'ErrCtrRemoved')) return 'skipped';
      throw error;
    }
    return 'restarted';
  }
  if (record.config.autoRemove) {
    try {
      await removeFn(id);
    } catch (error) {
      if (hasCode(error, 'ErrCtrRemoved') || hasCode(error, 'ErrNoSuchCtr')) return 'skipped';
      throw error;
    }
    return 'removed';
  }
  return 'cleaned';
}

export interface LogsOptions {
  follow?: boolean;
  sinceMs?: number;
  untilMs?: number;
  tail?: number;
  signal?: AbortSignal;
  /** Called once the lines already in the log have been read (pod-logs.ts merges several logs by it). */
  onCaughtUp?: () => void;
}

/** The container's k8s-file log, oldest first; with `follow`, until the container stops running. */
export async function* containerLogs(ctx: LifecycleContext, id: string, options: LogsOptions = {}): AsyncGenerator<LogLine> {
  readRecord(ctx, id);
  const { logPath } = ctx.containerPaths(id);
  const store = ctx.state();
  const isDone = () => {
    if (!store.hasContainer(id)) return true;
    const [record] = syncRecords(ctx, [store.container(id)]);
    return !isActive((record as ContainerRecord).state.status);
  };
  yield* readLog(logPath, {
    ...(options.follow ? { follow: true, isDone } : {}),
    ...(options.sinceMs !== undefined ? { sinceMs: options.sinceMs } : {}),
    ...(options.untilMs !== undefined ? { untilMs: options.untilMs } : {}),
    ...(options.tail !== undefined ? { tail: options.tail } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onCaughtUp ? { onCaughtUp: options.onCaughtUp } : {}),
  });
}

function requireRunning(ctx: LifecycleContext, id: string, doing: string): ContainerRecord {
  const [record] = syncRecords(ctx, [readRecord(ctx, id)]);
  const current = record as ContainerRecord;
  if (current.state.status !== 'running') throw stateInvalid(id, current.state.status, `${doing}: it is not running`);
  return current;
}

export interface ExecOptions {
  command: string[];
  /** "K=V" entries added to the container's environment. */
  env?: string[];
  cwd?: string;
  /** A user name or uid[:gid] of the container's /etc/passwd. */
  user?: string;
  terminal?: boolean;
  stdin?: boolean;
  attach?: ExecSessionOptions['attach'];
  signal?: AbortSignal;
}

/**
 * Runs a command in a running container through a second conmon (libpod ExecContainer). Not running →
 * ErrCtrStateInvalid; a missing command → ErrOCIRuntimeNotFound (exit 127 with execExitCode). No lock
 * is held while it runs.
 */
export async function execInContainer(ctx: LifecycleContext, id: string, options: ExecOptions): Promise<ExecSession> {
  if (options.command.length === 0) throw new PodbayError('ErrInvalidArg', 'exec needs a command');
  const record = requireRunning(ctx, id, 'exec in it');
  const paths = ctx.containerPaths(id);
  const spec = JSON.parse(await readFile(join(paths.bundleDir, 'config.json'), 'utf8')) as OciSpec;
  let user;
  if (options.user) {
    const { passwd, group } = await readRootfsUserFiles(record.config.rootfs ?? spec.root.path);
    const resolved = resolveUser(options.user, passwd, group);
    user = { uid: resolved.uid, gid: resolved.gid, ...(resolved.additionalGids?.length ? { additionalGids: resolved.additionalGids } : {}) };
  }
  const oci = await ctx.ociRuntime(record.config.ociRuntime);
  const session = await startExecSession({
    runtime: oci,
    containerId: id,
    containerName: record.config.name,
    bundleDir: paths.bundleDir,
    baseProcess: spec.process,
    command: options.command,
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(user ? { user } : {}),
    terminal: options.terminal ?? false,
    stdin: options.stdin ?? false,
    ...(options.attach ? { attach: options.attach } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  ctx.emitContainer('exec', record.config, { execID: session.sessionId });
  return session;
}

/** An attach session that knows which run it is attached to. */
export interface ContainerAttachSession extends AttachSession {
  /**
   * Once the session ended with 'exited': the exit code of the run it was attached to, even when the
   * container is already running again (a restart, the restart policy); null if it cannot be known
   * within `timeoutMs` (default 10 s) or the container was removed without one.
   */
  exitCode(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<number | null>;
}

/** Connects to a running container's attach socket (libpod Attach). Not running → ErrCtrStateInvalid. */
export async function attachToContainer(ctx: LifecycleContext, id: string, options: Omit<AttachOptions, 'bundleDir'>): Promise<ContainerAttachSession> {
  const record = requireRunning(ctx, id, 'attach to it');
  const conmonPid = record.state.conmonPid ?? 0;
  const session = await attachContainer({ ...options, bundleDir: ctx.containerPaths(id).bundleDir });
  ctx.emitContainer('attach', record.config);
  return Object.assign(session, { exitCode: (wait: { signal?: AbortSignal; timeoutMs?: number } = {}) => runExitCode(ctx, id, conmonPid, wait) });
}

/**
 * The exit code of the run that conmon `conmonPid` supervised. It is known once that run's exit is
 * recorded (by this process's sync, the exit command or a stop): then the record shows another conmon
 * (or none), and `exitCode` still holds that run's code until a newer run ends — a start keeps it.
 * Waiting for the container to stop instead (libpod Wait) would wait for the *next* run after a
 * restart, which is how a console missed its exit line when a Restart raced the exit file.
 */
export async function runExitCode(ctx: LifecycleContext, id: string, conmonPid: number, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<number | null> {
  const store = ctx.state();
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    options.signal?.throwIfAborted();
    if (!store.hasContainer(id)) return store.removedExitCode(id);
    const record = syncRecords(ctx, [store.container(id)])[0] as ContainerRecord;
    if (!hasMonitor(record.state.status) || (record.state.conmonPid ?? 0) !== conmonPid) return record.state.exitCode;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    const oci = await ctx.ociRuntime(record.config.ociRuntime);
    await oci.waitForExit(id, { timeoutMs: Math.min(1_000, left), settled: () => exitRecorded(store, id), ...(options.signal ? { signal: options.signal } : {}) }).catch((error: unknown) => {
      if (hasCode(error, 'ErrCanceled')) throw error;
    });
  }
}
