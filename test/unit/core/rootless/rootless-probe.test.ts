import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelAtLeast, nextFreeStart, overlayKind, readRootlessInfo, rootlessLimitsAvailable } from '../../../../main/core/rootless/rootless-probe.ts';
import type { Exec } from '../../../../main/core/exec.ts';
import type { CgroupInfo } from '../../../../shared/types/system-info.ts';

const v1: CgroupInfo = { version: 'v1', mode: 'v1', unifiedControllers: [], manager: 'cgroupfs' };
const exec: Exec = async () => ({ exitCode: 0, stdout: 'slirp4netns version 1.2.0\n', stderr: '' });

describe('readRootlessInfo', () => {
  it('reports a missing subuid/subgid entry with the usermod command that adds a free range', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-subid-'));
    writeFileSync(join(dir, 'subuid'), 'someone:100000:65536\nother:165536:65536\n');
    writeFileSync(join(dir, 'subgid'), '');
    const info = await readRootlessInfo({ exec, cgroups: v1, uid: 4242, gid: 4242, subuidFile: join(dir, 'subuid'), subgidFile: join(dir, 'subgid'), kernel: '6.1.0' });
    const problem = info.problems.find((p) => p.key === 'subids');
    expect(info.subuids).toEqual([]);
    expect(problem?.fix.command).toMatch(/^usermod --add-subuids 231072-296607 --add-subgids 231072-296607 \S+$/);
    expect(info.overlay).toBe('native');
    expect(info.resourceLimits).toBe(false);
  });

  it('has no subid problem when both files name the uid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-subid-'));
    for (const f of ['subuid', 'subgid']) writeFileSync(join(dir, f), '4242:100000:65536\n');
    const info = await readRootlessInfo({ exec, cgroups: v1, uid: 4242, gid: 4242, subuidFile: join(dir, 'subuid'), subgidFile: join(dir, 'subgid'), kernel: '6.1.0' });
    expect(info.subuids).toEqual([{ start: 100000, count: 65536 }]);
    expect(info.problems.map((p) => p.key)).not.toContain('subids');
  });
});

describe('rootless probe helpers', () => {
  it('places a new range after every range given out, from 100000', () => {
    expect(nextFreeStart([])).toBe(100000);
    expect(nextFreeStart([{ start: 100000, count: 65536 }, { start: 300000, count: 10 }])).toBe(300010);
  });

  it('compares kernel releases by major and minor', () => {
    expect(kernelAtLeast('5.11.0-1-amd64', 5, 11)).toBe(true);
    expect(kernelAtLeast('5.10.209', 5, 11)).toBe(false);
    expect(kernelAtLeast('6.1.0', 5, 11)).toBe(true);
    expect(kernelAtLeast('garbage', 5, 11)).toBe(false);
  });

  it('picks native overlay on 5.11 and later, something else before', async () => {
    expect(await overlayKind('6.1.0')).toBe('native');
    expect(await overlayKind('5.4.0')).not.toBe('native');
  });

  it('allows limits only on cgroup v2 with memory and pids delegated', () => {
    expect(rootlessLimitsAvailable(v1)).toBe(false);
    expect(rootlessLimitsAvailable({ version: 'v2', mode: 'v2', unifiedControllers: ['cpu', 'memory', 'pids'], manager: 'systemd' })).toBe(true);
  });
});
