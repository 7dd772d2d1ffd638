import { describe, expect, it } from 'vitest';
import { statsFrom } from '../../../main/core/container-stats.ts';
import type { CgroupSample } from '../../../main/core/system/cgroup-stats.ts';

const record = { config: { id: 'c'.repeat(64), name: 'web' }, state: { startedAt: new Date(0).toISOString() } } as Parameters<typeof statsFrom>[0];
const sample = (cpuNanos: number): CgroupSample => ({ cpuNanos, memUsage: 25, memLimit: 100, pids: 2, blockRead: 1, blockWrite: 2, netRx: 3, netTx: 4 });

describe('statsFrom', () => {
  it('measures the first sample from the start, later ones from the previous sample (podman\'s CPU %)', () => {
    const first = statsFrom(record, sample(1e9), null, 10_000);
    expect(first.cpuPercent).toBeCloseTo(10);
    expect(first.avgCpuPercent).toBeCloseTo(10);
    const second = statsFrom(record, sample(2e9), { cpuNanos: 1e9, time: 10_000 }, 12_000);
    expect(second.cpuPercent).toBeCloseTo(50);
    expect(second.avgCpuPercent).toBeCloseTo(2e9 / 12e9 * 100);
    expect(second).toMatchObject({ memPercent: 25, pids: 2, netInput: 3, netOutput: 4, blockInput: 1, blockOutput: 2, name: 'web' });
  });
});
