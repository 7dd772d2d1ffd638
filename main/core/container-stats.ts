// libpod GetContainerStats (stats_linux.go) and podman stats' loop: one sample per container per
// interval from its cgroup (system/cgroup-stats.ts). CPU percent is podman's: the CPU time used since
// the previous sample over the wall time since then — the first sample measures from the container's
// start — so 100% is one CPU busy. Memory excludes reclaimable page cache; the limit is the
// container's, or the host's memory when it has none.
import type { ContainerStats } from '../../shared/types/container-files.ts';
import type { LifecycleContext } from './container-internal.ts';
import { syncRecords } from './container-internal.ts';
import { readRecord } from './container-lifecycle.ts';
import { stateInvalid } from './container-state.ts';
import type { ContainerRecord } from './state/state.ts';
import { readCgroupInfo } from './system/cgroups.ts';
import { readCgroupStats } from './system/cgroup-stats.ts';
import type { CgroupSample } from './system/cgroup-stats.ts';

interface Previous {
  cpuNanos: number;
  time: number;
}

/** One ContainerStats from a sample and the previous one (pure). */
export function statsFrom(record: Pick<ContainerRecord, 'config' | 'state'>, sample: CgroupSample, previous: Previous | null, now: number): ContainerStats {
  const started = record.state.startedAt ? Date.parse(record.state.startedAt) : now;
  const prior = previous ?? { cpuNanos: 0, time: started };
  const wallNanos = (now - prior.time) * 1e6;
  const cpuDelta = sample.cpuNanos - prior.cpuNanos;
  const sinceStart = (now - started) * 1e6;
  return {
    id: record.config.id,
    name: record.config.name,
    cpuPercent: wallNanos > 0 && cpuDelta > 0 ? (cpuDelta / wallNanos) * 100 : 0,
    avgCpuPercent: sinceStart > 0 ? (sample.cpuNanos / sinceStart) * 100 : 0,
    cpuNanos: sample.cpuNanos,
    memUsage: sample.memUsage,
    memLimit: sample.memLimit,
    memPercent: sample.memLimit > 0 ? (sample.memUsage / sample.memLimit) * 100 : 0,
    netInput: sample.netRx,
    netOutput: sample.netTx,
    blockInput: sample.blockRead,
    blockOutput: sample.blockWrite,
    pids: sample.pids,
    time: now,
  };
}

export interface StatsOptions {
  /** Keep sampling every `intervalMs` until aborted (podman stats without --no-stream). */
  stream?: boolean;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Injected clock (tests). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultSleep = async (ms: number, signal?: AbortSignal) => {
  const { setTimeout } = await import('node:timers/promises');
  await setTimeout(ms, undefined, signal ? { signal } : {});
};

/**
 * Samples the containers `ids` (full IDs; null: every running container, re-listed each round as
 * podman does). A named container that is not running → ErrCtrStateInvalid at the first round; one
 * that stops later drops out. Yields one array per round.
 */
export async function* containerStats(ctx: LifecycleContext, ids: readonly string[] | null, options: StatsOptions = {}): AsyncGenerator<ContainerStats[]> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const { unifiedControllers } = await readCgroupInfo();
  const previous = new Map<string, Previous>();
  for (let round = 0; ; round++) {
    const records = ids === null ? ctx.state().containersWithStatus(['running']) : ids.map((id) => readRecord(ctx, id));
    const synced = syncRecords(ctx, records);
    const out: ContainerStats[] = [];
    for (const record of synced) {
      if (record.state.status !== 'running' || !(record.state.pid > 0)) {
        if (ids !== null && round === 0) throw stateInvalid(record.config.id, record.state.status, 'read its stats: it is not running');
        continue;
      }
      let sample: CgroupSample;
      try {
        sample = readCgroupStats(record.state.pid, unifiedControllers);
      } catch (error) {
        // Exited between the sync and the read: gone from this round.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      const time = now();
      const stats = statsFrom(record, sample, previous.get(record.config.id) ?? null, time);
      previous.set(record.config.id, { cpuNanos: sample.cpuNanos, time });
      out.push(stats);
    }
    yield out;
    if (!options.stream || options.signal?.aborted) return;
    try {
      await sleep(options.intervalMs ?? 5_000, options.signal);
    } catch {
      return; // aborted while waiting: the stream ends
    }
  }
}
