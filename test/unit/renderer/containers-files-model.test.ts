import { describe, expect, it } from 'vitest';
import type { ContainerFileEntry, ContainerStats } from '../../../shared/types/container-files.ts';
import { breadcrumbs, canDownload, entryOpen, joinPath, modeString, parentPath, sortEntries } from '../../../renderer/src/containers/files-model.ts';
import { emptyHistory, pushSample, sparklinePoints, statsView } from '../../../renderer/src/containers/stats-model.ts';
import { changeCounts, changesSummary, filterChanges } from '../../../renderer/src/containers/changes-model.ts';
import { commitFormProblems, commitInput, emptyCommitForm } from '../../../renderer/src/containers/commit-form.ts';

const entry = (name: string, type: ContainerFileEntry['type'], mode = 0o644): ContainerFileEntry => ({ name, type, size: 3, mode, uid: 0, gid: 0, mtime: '2024-01-01T00:00:00.000Z' });

describe('files model', () => {
  it('joins paths without ever climbing above /', () => {
    expect(joinPath('/', 'etc')).toBe('/etc');
    expect(joinPath('/etc', '../../..')).toBe('/');
    expect(joinPath('/a/b', './c/../d')).toBe('/a/b/d');
    expect(parentPath('/a/b')).toBe('/a');
    expect(parentPath('/')).toBe('/');
  });

  it('builds breadcrumbs from the root', () => {
    expect(breadcrumbs('/usr/local/bin')).toEqual([
      { label: '/', path: '/' },
      { label: 'usr', path: '/usr' },
      { label: 'local', path: '/usr/local' },
      { label: 'bin', path: '/usr/local/bin' },
    ]);
    expect(breadcrumbs('/')).toEqual([{ label: '/', path: '/' }]);
  });

  it('lists directories first, then by name', () => {
    expect(sortEntries([entry('b', 'file'), entry('z', 'dir'), entry('a', 'symlink'), entry('c', 'dir')]).map((e) => e.name)).toEqual(['c', 'z', 'a', 'b']);
  });

  it('shows modes as ls does, with setuid, setgid and sticky', () => {
    expect(modeString('dir', 0o755)).toBe('drwxr-xr-x');
    expect(modeString('file', 0o4755)).toBe('-rwsr-xr-x');
    expect(modeString('file', 0o2644)).toBe('-rw-r-Sr--');
    expect(modeString('dir', 0o1777)).toBe('drwxrwxrwt');
    expect(modeString('symlink', 0o777)).toBe('lrwxrwxrwx');
  });

  it('enters directories and symlinks, downloads files, and leaves devices alone', () => {
    expect(entryOpen({ type: 'dir' })).toBe('navigate');
    expect(entryOpen({ type: 'symlink' })).toBe('navigate');
    expect(entryOpen({ type: 'file' })).toBe('download');
    expect(entryOpen({ type: 'char' })).toBe('none');
    expect(canDownload({ type: 'fifo' })).toBe(false);
    expect(canDownload({ type: 'dir' })).toBe(true);
  });
});

const sample = (over: Partial<ContainerStats> = {}): ContainerStats => ({
  id: 'a'.repeat(64), name: 'web', cpuPercent: 12.345, avgCpuPercent: 1.5, cpuNanos: 1e9, memUsage: 10 * 1024 * 1024, memLimit: 64 * 1024 * 1024, memPercent: 15.625,
  netInput: 1024, netOutput: 2048, blockInput: 0, blockOutput: 4096, pids: 3, time: 0, ...over,
});

describe('stats model', () => {
  it('keeps the last samples up to its limit', () => {
    let h = emptyHistory(2);
    for (const pids of [1, 2, 3]) h = pushSample(h, sample({ pids }));
    expect(h.samples.map((s) => s.pids)).toEqual([2, 3]);
  });

  it('shows a sample as people read it', () => {
    expect(statsView(sample())).toEqual({
      cpu: '12.3%', avgCpu: '1.50%', memory: '10 MiB / 64 MiB', memoryFraction: 10 / 64, memoryPercent: '15.6%', pids: '3', net: '1 KiB in / 2 KiB out', block: '0 B read / 4 KiB written',
    });
    expect(statsView(sample({ netInput: null })).net).toBe('not available');
  });

  it('draws a sparkline with the newest value at the right, scaled to at least the floor', () => {
    expect(sparklinePoints([0, 50, 100], 100, 10)).toBe('0.0,10.0 50.0,5.0 100.0,0.0');
    expect(sparklinePoints([1], 100, 10, 10)).toBe('100.0,9.0');
    expect(sparklinePoints([], 100, 10)).toBe('');
  });
});

describe('changes model', () => {
  const changes = [{ path: '/etc', kind: 'C' as const }, { path: '/etc/a', kind: 'A' as const }, { path: '/b', kind: 'D' as const }];
  it('counts, filters and summarizes', () => {
    expect(changeCounts(changes)).toEqual({ A: 1, C: 1, D: 1 });
    expect(filterChanges(changes, new Set(['A', 'D']), '').map((c) => c.path)).toEqual(['/etc/a', '/b']);
    expect(filterChanges(changes, new Set(['A', 'C', 'D']), 'etc').map((c) => c.path)).toEqual(['/etc', '/etc/a']);
    expect(changesSummary(changes)).toBe('1 added, 1 changed, 1 deleted');
    expect(changesSummary([])).toBe('No changes against the image.');
  });
});

describe('commit form', () => {
  it('turns the form into a commit input, one change a line', () => {
    expect(commitInput({ ...emptyCommitForm, name: ' app:1 ', changes: 'CMD=/bin/sh\n\n ENV A=b \n', pause: false }, { nameOrId: 'id1', containerName: 'web' })).toEqual({
      nameOrId: 'id1', containerName: 'web', name: 'app:1', changes: ['CMD=/bin/sh', 'ENV A=b'], pause: false, format: 'oci',
    });
  });

  it('flags unknown instructions and bad names before sending', () => {
    expect(commitFormProblems({ ...emptyCommitForm, changes: 'CMD=/bin/sh\nRUN make' })).toEqual([expect.stringContaining('"RUN make"')]);
    expect(commitFormProblems({ ...emptyCommitForm, name: 'My App' })).toHaveLength(1);
    expect(commitFormProblems({ ...emptyCommitForm, name: 'registry.example.com/team/app:1.0' })).toEqual([]);
  });
});
