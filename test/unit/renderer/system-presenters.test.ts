import { describe, expect, it } from 'vitest';
import {
  alternativeSentence,
  archLabel,
  cgroupModeDescription,
  cgroupModeLabel,
  componentRoleLabel,
  componentStatusLabel,
  engineStatus,
  formatRlimit,
  networkHelperLabel,
  overlayLabel,
  rlimitRows,
  rootlessLimitsLabel,
  subordinateRangesLabel,
  systemProblems,
} from '../../../renderer/src/presenters/system-presenters.ts';
import type { ComponentInfo, RootlessInfo, SystemInfo } from '../../../shared/types/system-info.ts';

const component = (over: Partial<ComponentInfo> & Pick<ComponentInfo, 'name' | 'role'>): ComponentInfo => ({
  path: `/usr/bin/${over.name}`,
  version: '1.0',
  status: 'ok',
  problem: null,
  fix: null,
  package: over.name,
  ...over,
});

function info(over: { components?: ComponentInfo[]; ociRuntime?: SystemInfo['ociRuntime']; rootless?: RootlessInfo } = {}): SystemInfo {
  return {
    podbay: { version: '0.1.0', node: '20.20.2', electron: null, pid: 42, mode: 'rootful', uid: 0 },
    host: {
      kernel: '6.1.0',
      os: 'Debian GNU/Linux 12 (bookworm)',
      arch: 'x64',
      hostname: 'vm',
      cpus: 2,
      memTotal: 8 * 1024 ** 3,
      cgroups: { version: 'v2', mode: 'v2', unifiedControllers: ['cpu', 'memory'], manager: 'systemd' },
      rlimits: [],
    },
    components: over.components ?? [component({ name: 'crun', role: 'oci-runtime', version: '1.8.1' }), component({ name: 'conmon', role: 'monitor' })],
    ociRuntime: over.ociRuntime ?? { default: 'crun', usable: true, problem: null, fix: null },
    store: { graphRoot: '/var/lib/podbay', runRoot: '/run/podbay', graphRootExists: true, runRootExists: true, databasePath: '/var/lib/podbay/podbay.db', configFiles: [] },
    rootless: over.rootless ?? null,
  };
}

const hybridFix = {
  note: 'as root, mount them as v1 hierarchies',
  command: 'mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb',
  alternative: 'or choose runc (--runtime runc)',
};

describe('component labels', () => {
  it('names each status with a tone', () => {
    expect(componentStatusLabel('ok')).toEqual({ label: 'Ready', tone: 'ok' });
    expect(componentStatusLabel('missing')).toEqual({ label: 'Missing', tone: 'danger' });
    expect(componentStatusLabel('unusable')).toEqual({ label: 'Unusable', tone: 'warning' });
  });

  it('names each role', () => {
    expect(componentRoleLabel('oci-runtime')).toBe('OCI runtime');
    expect(componentRoleLabel('monitor')).toBe('Container monitor');
  });
});

describe('cgroup presenters', () => {
  it('labels the three modes', () => {
    expect(cgroupModeLabel('v2')).toBe('cgroup v2 (unified)');
    expect(cgroupModeLabel('hybrid')).toBe('cgroup v1 (hybrid)');
    expect(cgroupModeLabel('v1')).toBe('cgroup v1 (legacy)');
  });

  it('explains why hybrid mode with cgroup2 controllers stops crun', () => {
    const text = cgroupModeDescription({ version: 'v1', mode: 'hybrid', unifiedControllers: ['hugetlb'], manager: 'cgroupfs' });
    expect(text).toContain('hugetlb');
    expect(text).toContain('crun refuses');
  });

  it('does not blame crun for an empty cgroup2 tree', () => {
    expect(cgroupModeDescription({ version: 'v1', mode: 'hybrid', unifiedControllers: [], manager: 'cgroupfs' })).not.toContain('refuses');
  });
});

describe('rlimits', () => {
  it('formats limits in their units, null as unlimited', () => {
    expect(formatRlimit(null, 'bytes')).toBe('unlimited');
    expect(formatRlimit(8388608, 'bytes')).toBe('8 MiB');
    expect(formatRlimit(20000, 'files')).toBe('20,000');
    expect(formatRlimit(5, 'seconds')).toBe('5 s');
  });

  it('puts open files and processes first, the rest in their order', () => {
    const rows = rlimitRows([
      { resource: 'RLIMIT_CPU', label: 'Max cpu time', soft: null, hard: null, units: 'seconds' },
      { resource: 'RLIMIT_AS', label: 'Max address space', soft: null, hard: null, units: 'bytes' },
      { resource: 'RLIMIT_NPROC', label: 'Max processes', soft: 10, hard: 20, units: 'processes' },
      { resource: 'RLIMIT_NOFILE', label: 'Max open files', soft: 1024, hard: 4096, units: 'files' },
    ]);
    expect(rows.map((r) => r.resource)).toEqual(['RLIMIT_NOFILE', 'RLIMIT_NPROC', 'RLIMIT_CPU', 'RLIMIT_AS']);
    expect(rows[0]).toEqual({ resource: 'RLIMIT_NOFILE', label: 'Max open files', soft: '1,024', hard: '4,096' });
  });
});

describe('alternativeSentence', () => {
  it('words the alternative as a sentence', () => {
    expect(alternativeSentence('or choose runc (--runtime runc)')).toBe('Or choose runc (--runtime runc).');
    expect(alternativeSentence('use runc')).toBe('Or use runc.');
  });
});

describe('systemProblems', () => {
  it('finds nothing on a healthy host', () => {
    expect(systemProblems(info())).toEqual([]);
  });

  it('gives a missing component its install command', () => {
    const problems = systemProblems(
      info({ components: [component({ name: 'crun', role: 'oci-runtime' }), component({ name: 'netavark', role: 'network', status: 'missing', path: null, version: null, problem: 'netavark was not found', fix: { note: null, command: 'apt-get install -y netavark', alternative: null } })] }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ title: 'netavark (Network backend) is missing', tone: 'warning', fix: { command: 'apt-get install -y netavark' } });
  });

  it('marks an unusable default runtime as blocking, once', () => {
    const problem = 'crun refuses cgroup v1 hybrid mode';
    const problems = systemProblems(
      info({
        components: [component({ name: 'crun', role: 'oci-runtime', status: 'unusable', problem, fix: hybridFix }), component({ name: 'conmon', role: 'monitor' })],
        ociRuntime: { default: 'crun', usable: false, problem, fix: hybridFix },
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ title: 'crun (OCI runtime) cannot be used on this host', tone: 'danger', problem });
  });

  it('reports an unknown default runtime that no component covers', () => {
    const problems = systemProblems(info({ ociRuntime: { default: 'kata', usable: false, problem: 'OCI runtime kata is not known', fix: { note: 'choose crun or runc with --runtime', command: null, alternative: null } } }));
    expect(problems.map((p) => p.key)).toEqual(['oci-runtime']);
  });
});

describe('engineStatus', () => {
  it('is ready with a usable runtime and conmon', () => {
    expect(engineStatus(info())).toEqual({ label: 'Engine ready', detail: 'crun 1.8.1', tone: 'ok' });
  });

  it('is not ready when the runtime cannot run containers', () => {
    expect(engineStatus(info({ ociRuntime: { default: 'crun', usable: false, problem: 'x', fix: null } }))).toMatchObject({ label: 'Engine not ready', tone: 'danger', detail: 'crun 1.8.1 unusable' });
  });

  it('is not ready without conmon', () => {
    const components = [component({ name: 'crun', role: 'oci-runtime' }), component({ name: 'conmon', role: 'monitor', status: 'missing' })];
    expect(engineStatus(info({ components }))).toMatchObject({ label: 'Engine not ready', detail: 'conmon missing' });
  });
});

describe('archLabel', () => {
  it('uses the names uname prints', () => {
    expect(archLabel('x64')).toBe('x86_64');
    expect(archLabel('arm64')).toBe('aarch64');
    expect(archLabel('mips')).toBe('mips');
  });
});

const rootless = (over: Partial<RootlessInfo> = {}): RootlessInfo => ({
  user: 'alice',
  uid: 1000,
  gid: 1000,
  subuids: [{ start: 100000, count: 65536 }],
  subgids: [{ start: 100000, count: 65536 }],
  userNamespaces: true,
  newuidmap: '/usr/bin/newuidmap',
  newgidmap: '/usr/bin/newgidmap',
  overlay: 'native',
  networkHelper: { name: 'slirp4netns', path: '/usr/bin/slirp4netns', version: '1.2.0' },
  resourceLimits: false,
  problems: [],
  ...over,
});

describe('rootless presenters', () => {
  it('turns each rootless problem into a panel, a missing network helper only a warning', () => {
    const fix = { note: 'as root', command: 'usermod --add-subuids 100000-165535 alice', alternative: null };
    const problems = systemProblems(
      info({
        rootless: rootless({
          problems: [
            { key: 'subids', title: 'alice has no subordinate ID range', problem: 'no entry', fix },
            { key: 'network-helper', title: 'No rootless network helper', problem: 'none', fix: { note: null, command: 'apt-get install -y slirp4netns', alternative: null } },
          ],
        }),
      }),
    );
    expect(problems.map((p) => [p.key, p.tone, p.fix?.command])).toEqual([
      ['rootless:subids', 'danger', 'usermod --add-subuids 100000-165535 alice'],
      ['rootless:network-helper', 'warning', 'apt-get install -y slirp4netns'],
    ]);
  });

  it('labels ranges, overlay, network helper and the cgroup v1 refusal of limits', () => {
    expect(subordinateRangesLabel([{ start: 100000, count: 65536 }])).toMatch(/^100000–165535 \(65.536 IDs\)$/);
    expect(subordinateRangesLabel([])).toBe('none');
    expect(overlayLabel('fuse-overlayfs')).toBe('fuse-overlayfs');
    expect(networkHelperLabel(null)).toBe('none (only --network none or host)');
    expect(networkHelperLabel(rootless().networkHelper)).toBe('slirp4netns 1.2.0');
    expect(rootlessLimitsLabel(rootless(), { version: 'v1', mode: 'v1', unifiedControllers: [], manager: 'cgroupfs' })).toMatch(/^refused: cgroup v1/);
    expect(rootlessLimitsLabel(rootless({ resourceLimits: true }), { version: 'v2', mode: 'v2', unifiedControllers: ['memory', 'pids'], manager: 'systemd' })).toMatch(/^available/);
  });
});
