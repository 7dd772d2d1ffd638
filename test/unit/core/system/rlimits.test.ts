import { describe, expect, it } from 'vitest';
import { parseProcLimits, readRlimits } from '../../../../main/core/system/rlimits.ts';

const sample = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 20000                files
Max processes             96364                96364                processes
Max nice priority         0                    0
`;

describe('parseProcLimits', () => {
  it('reads soft and hard limits, unlimited as null', () => {
    const limits = parseProcLimits(sample);
    expect(limits.find((l) => l.resource === 'RLIMIT_NOFILE')).toEqual({ resource: 'RLIMIT_NOFILE', label: 'Max open files', soft: 1024, hard: 20000, units: 'files' });
    expect(limits.find((l) => l.resource === 'RLIMIT_CPU')).toMatchObject({ soft: null, hard: null });
    expect(limits.find((l) => l.resource === 'RLIMIT_NICE')).toMatchObject({ soft: 0, hard: 0, units: '' });
  });

  it('reads this process, which always has a NOFILE limit', async () => {
    const nofile = (await readRlimits()).find((l) => l.resource === 'RLIMIT_NOFILE');
    expect(nofile?.hard === null || (nofile?.hard ?? 0) > 0).toBe(true);
  });
});
