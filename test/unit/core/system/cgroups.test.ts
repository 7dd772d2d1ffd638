import { describe, expect, it } from 'vitest';
import { ociRuntimeUsability } from '../../../../main/core/system/cgroups.ts';
import type { CgroupInfo } from '../../../../shared/types/system-info.ts';

const hybrid = (controllers: string[]): CgroupInfo => ({ version: 'v1', mode: 'hybrid', unifiedControllers: controllers, manager: 'cgroupfs' });

describe('ociRuntimeUsability', () => {
  it('says crun cannot run on a hybrid host whose cgroup2 tree has controllers, and names the fix', () => {
    const verdict = ociRuntimeUsability('crun', hybrid(['hugetlb']));
    expect(verdict.usable).toBe(false);
    expect(verdict.problem).toContain('hugetlb');
    expect(verdict.fix?.command).toBe('mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb');
    expect(verdict.fix?.alternative).toContain('runc');
  });

  it('accepts crun once the cgroup2 tree is empty, and runc in any mode', () => {
    expect(ociRuntimeUsability('crun', hybrid([])).usable).toBe(true);
    expect(ociRuntimeUsability('runc', hybrid(['hugetlb'])).usable).toBe(true);
    expect(ociRuntimeUsability('crun', { version: 'v2', mode: 'v2', unifiedControllers: ['cpu', 'memory'], manager: 'systemd' }).usable).toBe(true);
  });
});
