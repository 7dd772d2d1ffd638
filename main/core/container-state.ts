// Container states as libpod's define.ContainerStatus, with the integers its database uses
// (libpod/define/containerstate.go). Pure: no I/O.
import { PodbayError } from '../../shared/errors.ts';

export const containerStatuses = ['unknown', 'configured', 'created', 'running', 'stopped', 'paused', 'exited', 'removing', 'stopping'] as const;
export type ContainerStatus = (typeof containerStatuses)[number];

/** The integer stored in the `containers.state` column: the index in libpod's enum. */
export function statusToInt(status: ContainerStatus): number {
  return containerStatuses.indexOf(status);
}

export function statusFromInt(value: number): ContainerStatus {
  return containerStatuses[value] ?? 'unknown';
}

export function isContainerStatus(value: string): value is ContainerStatus {
  return (containerStatuses as readonly string[]).includes(value);
}

/** The mutable half of a container, saved after every verb (libpod ContainerState). */
export interface ContainerState {
  status: ContainerStatus;
  /** PID of the container's init process while it runs; 0 otherwise. */
  pid: number;
  /** Exit code of the last run; null until it has exited once. */
  exitCode: number | null;
  /** RFC 3339, or null when never started / never finished. */
  startedAt: string | null;
  finishedAt: string | null;
  // Set by the OCI lifecycle; absent in records from before it (read as 0 / false / null).
  /** conmon's pid while it supervises the container: a sync checks it is still alive. */
  conmonPid?: number;
  /** The kernel's OOM killer ended the last run (conmon's persist-dir `oom` file). */
  oomKilled?: boolean;
  /** Why the last run ended abnormally (conmon died, the runtime failed…), or null. */
  error?: string | null;
  /** Restarts made by the restart policy since the user last started it (libpod RestartCount). */
  restartCount?: number;
  /** The last run was ended by a user's stop: the restart policy leaves it stopped (libpod StoppedByUser). */
  stoppedByUser?: boolean;
}

export function initialContainerState(): ContainerState {
  return { status: 'configured', pid: 0, exitCode: null, startedAt: null, finishedAt: null };
}

/**
 * States in which a process may exist: removing the container needs force, and shutdown(false)
 * refuses (libpod removeContainer: "running or paused containers cannot be removed without force").
 */
export function isActive(status: ContainerStatus): boolean {
  return status === 'running' || status === 'paused' || status === 'stopping';
}

/** States a conmon may still supervise: a read syncs these with conmon's exit file. */
export function hasMonitor(status: ContainerStatus): boolean {
  return status === 'created' || status === 'running' || status === 'paused' || status === 'stopping';
}

/** The word `podman ps` shows: libpod's Configured is "Created" to users, Created is "Initialized". */
export function displayStatus(status: ContainerStatus): string {
  switch (status) {
    case 'configured':
      return 'Created';
    case 'created':
      return 'Initialized';
    default:
      return status.charAt(0).toUpperCase() + status.slice(1);
  }
}

/** For verbs that need a state the container is not in: the message names the current state. */
export function stateInvalid(id: string, status: ContainerStatus, doing: string): PodbayError {
  return new PodbayError('ErrCtrStateInvalid', `container ${id} is ${status}: cannot ${doing}`);
}

/**
 * libpod handleRestartPolicy's decision, once a run has ended: never after a user's stop or with policy
 * no; on-failure only for a non-zero exit and while the count is below its retries (0: no limit);
 * always and unless-stopped every time.
 */
export function shouldRestart(config: { restartPolicy?: string | undefined; restartRetries?: number | undefined }, state: ContainerState): boolean {
  if (state.stoppedByUser || state.status !== 'exited') return false;
  switch (config.restartPolicy) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      if (state.exitCode === 0 || state.exitCode === null) return false;
      return !config.restartRetries || (state.restartCount ?? 0) < config.restartRetries;
    default:
      return false;
  }
}
