// Per-container and per-pod locks that hold across processes (libpod/lock: SHM locks, one per object).
//
// Node has no flock/fcntl, and a file lock would live beside the state it protects rather than in it.
// So a lock is a row of the store's `locks` table, and there are two ways to hold one:
//
//  - `runLocked(ids, fn)`: for verbs whose whole act is a change of the store (create, remove,
//    rename). The IMMEDIATE write transaction itself is the lock — every writer in every process is
//    serialised by it — and inside it `fn` runs only if no *other* holder keeps a lease on the
//    objects; otherwise the transaction ends at once and we wait outside it, then retry.
//  - `acquire(ids)`: a lease for verbs that must wait on something outside the store (a runtime call,
//    the OCI issue's start/stop). It is taken atomically for all ids (pod before container, by the
//    caller's order), so two holders can never deadlock; it is released by `release()`.
//
// Either way a pod can be held *shared*: a member's verbs share their pod (so the members of one pod
// start, stop and clean up at once, each under its own container's exclusive lease) while a verb on
// the pod as a whole (remove, adding a member) holds it exclusively and excludes them all.
//
// A lease whose holder process is gone (pid not alive, or reused: the start time differs; or the
// machine rebooted: the boot id differs) is stale and is taken over, so a SIGKILLed process never
// wedges an object. Waiting happens outside every transaction with a short, capped backoff — no lock
// of the store is ever held across a wait.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PodbayError } from '../../../shared/errors.ts';
import { lockedObjectId, sharedLockMark } from '../state/state.ts';
import type { LockHolder, LockRow, State } from '../state/state.ts';

export interface ProcessIdentity {
  pid: number;
  startTime: string;
  bootId: string;
}

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot): tells a reused pid apart. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export function currentProcessIdentity(): ProcessIdentity {
  return { pid: process.pid, startTime: processStartTime(process.pid) ?? 'unknown', bootId: readBootId() };
}

/** Whether the process that wrote `row` still runs (same boot, same pid, same start time). */
export function holderAlive(row: Pick<LockRow, 'pid' | 'startTime' | 'bootId'>, self: ProcessIdentity): boolean {
  if (row.bootId !== self.bootId) return false;
  if (row.pid === self.pid) return row.startTime === self.startTime;
  try {
    process.kill(row.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startTime = processStartTime(row.pid);
  return startTime === null || startTime === row.startTime;
}

export interface LockWaitOptions {
  signal?: AbortSignal | undefined;
  /** Give up after this long (ms) with ErrCanceled naming the holder. Default 60 s. */
  timeoutMs?: number | undefined;
}

export interface LockHandle {
  readonly token: string;
  /** Releases every object of the lease. Idempotent. */
  release(): void;
}

/** Objects held exclusively, and objects shared with other holders of the same kind (a member's pod). */
export interface LockTargets {
  exclusive: readonly string[];
  shared: readonly string[];
}

function targets(ids: readonly string[] | LockTargets): LockTargets {
  return 'exclusive' in ids ? ids : { exclusive: ids as readonly string[], shared: [] };
}

/** The lock targets of a verb on one container: the container exclusively, its pod (if any) shared. */
export function containerLockTargets(config: { id: string; pod?: string | null | undefined }): LockTargets {
  return { exclusive: [config.id], shared: config.pod ? [config.pod] : [] };
}

export class LockManager {
  private readonly state: State;
  private readonly self: ProcessIdentity;

  constructor(state: State, self: ProcessIdentity = currentProcessIdentity()) {
    this.state = state;
    this.self = self;
  }

  /**
   * Runs `fn` inside one write transaction once no other live holder leases any of `ids`; `fn` is
   * synchronous and must not wait on anything (it runs with the store locked). `ids` may be a
   * function, evaluated inside the transaction (for "the pod and all its current containers").
   */
  async runLocked<T>(ids: readonly string[] | LockTargets | (() => readonly string[]), fn: () => T, options: LockWaitOptions = {}): Promise<T> {
    const label = typeof ids === 'function' ? ['(computed)'] : [...targets(ids).exclusive, ...targets(ids).shared];
    return this.wait<T>(label, options, () => {
      return this.state.writeTransaction((): { busy: LockRow } | { value: T } => {
        // Computed inside the transaction: a pod's member list cannot change before fn runs.
        const holder = this.liveForeignHolder(targets(typeof ids === 'function' ? ids() : ids), null);
        return holder ? { busy: holder } : { value: fn() };
      });
    });
  }

  /** Leases `ids` (all at once, so two holders never deadlock) until `release()`. */
  async acquire(ids: readonly string[] | LockTargets, options: LockWaitOptions = {}): Promise<LockHandle> {
    const holder: LockHolder = { token: randomUUID(), ...this.self };
    const wanted = targets(ids);
    const rows = [...wanted.exclusive, ...wanted.shared.map((id) => `${id}${sharedLockMark}${holder.token}`)];
    await this.wait([...wanted.exclusive, ...wanted.shared], options, () => {
      // A lease is void after a reboot (boot id): its rows need no disk sync.
      return this.state.volatileTransaction(() => {
        const busy = this.liveForeignHolder(wanted, holder.token);
        if (busy) return { busy };
        this.state.insertLocks(rows, holder);
        return { value: undefined };
      });
    });
    let released = false;
    return {
      token: holder.token,
      release: () => {
        if (released) return;
        released = true;
        this.state.volatileTransaction(() => this.state.deleteLocks(holder.token));
      },
    };
  }

  /**
   * Inside a transaction: drops stale leases on the targets and returns a live one held by someone
   * else — any lease on an object wanted exclusively, only an exclusive one on an object shared.
   */
  private liveForeignHolder(wanted: LockTargets, ownToken: string | null): LockRow | null {
    const rows = [...this.state.locksOn([...wanted.exclusive, ...wanted.shared]), ...(wanted.exclusive.length ? this.state.sharedLocksOn(wanted.exclusive) : [])];
    for (const row of rows) {
      if (row.token === ownToken) continue;
      if (holderAlive(row, this.self)) return row;
      this.state.deleteLocks(row.token, [row.objectId]);
    }
    return null;
  }

  private async wait<T>(ids: readonly string[], options: LockWaitOptions, attempt: () => { busy: LockRow } | { value: T }): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
      if (options.signal?.aborted) throw new PodbayError('ErrCanceled', `waiting for the lock on ${ids.join(', ')} was canceled`);
      const result = attempt();
      if ('value' in result) return result.value;
      if (Date.now() >= deadline) {
        throw new PodbayError('ErrCanceled', `timed out waiting for the lock on ${lockedObjectId(result.busy.objectId)}, held by process ${result.busy.pid}`);
      }
      try {
        await sleep(delay, undefined, { signal: options.signal });
      } catch {
        throw new PodbayError('ErrCanceled', `waiting for the lock on ${ids.join(', ')} was canceled`);
      }
    }
  }
}
