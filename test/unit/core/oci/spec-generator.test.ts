import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import type { RlimitInfo } from '../../../../shared/types/system-info.ts';
import {
  clampRlimits, defaultCapabilities, defaultMaskedPaths, defaultReadonlyPaths, generateSpec, mergeImageConfig, sortMounts,
} from '../../../../main/core/oci/spec-generator.ts';
import type { SpecGeneratorOptions } from '../../../../main/core/oci/spec-generator.ts';

const id = 'a'.repeat(12) + 'b'.repeat(52);
const hostLimits: RlimitInfo[] = [
  { resource: 'RLIMIT_NOFILE', label: 'Max open files', soft: 20000, hard: 20000, units: 'files' },
  { resource: 'RLIMIT_NPROC', label: 'Max processes', soft: 96364, hard: 96364, units: 'processes' },
];

function options(extra: Partial<SpecGeneratorOptions> = {}): SpecGeneratorOptions {
  return {
    id,
    rootfs: '/var/lib/podbay/containers/x/merged',
    userdataDir: '/run/podbay/containers/x/userdata',
    args: ['sh'],
    env: ['PATH=/usr/bin:/bin', 'container=podman'],
    cwd: '/',
    user: { uid: 0, gid: 0 },
    cgroupVersion: 'v1',
    hostRlimits: hostLimits,
    ...extra,
  };
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return null;
}

describe('generateSpec', () => {
  it('uses podman\'s namespaces: pid, network, ipc, uts, mount, and cgroup only on v2', () => {
    expect(generateSpec(options()).linux.namespaces).toEqual([{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }]);
    expect(generateSpec(options({ cgroupVersion: 'v2' })).linux.namespaces.map((n) => n.type)).toEqual(['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup']);
  });

  it('drops host namespaces and keeps joined ones with their path', () => {
    const spec = generateSpec(options({ namespaces: { network: 'host', ipc: { path: '/proc/42/ns/ipc' } } }));
    expect(spec.linux.namespaces).toEqual([{ type: 'pid' }, { type: 'ipc', path: '/proc/42/ns/ipc' }, { type: 'uts' }, { type: 'mount' }]);
  });

  it('mounts /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, /sys/fs/cgroup and the /etc files, parents first', () => {
    const spec = generateSpec(options());
    expect(spec.mounts.map((m) => m.destination)).toEqual([
      '/proc', '/dev', '/sys', '/dev/pts', '/dev/mqueue', '/dev/shm', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/run/.containerenv', '/sys/fs/cgroup',
    ]);
    const byDest = Object.fromEntries(spec.mounts.map((m) => [m.destination, m]));
    expect(byDest['/proc']).toEqual({ destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] });
    expect(byDest['/dev/pts']?.options).toContain('gid=5');
    expect(byDest['/sys']).toMatchObject({ type: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] });
    expect(byDest['/sys/fs/cgroup']?.options).toContain('ro');
    expect(byDest['/etc/hosts']).toEqual({ destination: '/etc/hosts', type: 'bind', source: '/run/podbay/containers/x/userdata/hosts', options: ['bind', 'rprivate'] });
    expect(byDest['/etc/resolv.conf']?.source).toBe('/run/podbay/containers/x/userdata/resolv.conf');
    expect(byDest['/etc/hostname']?.source).toBe('/run/podbay/containers/x/userdata/hostname');
  });

  it('binds the host /sys when sharing the host network (a new sysfs needs a private netns)', () => {
    const sys = generateSpec(options({ namespaces: { network: 'host' } })).mounts.find((m) => m.destination === '/sys');
    expect(sys).toMatchObject({ type: 'bind', source: '/sys' });
    expect(sys?.options).toContain('ro');
  });

  it('makes /dev and the /etc files read-only with a read-only rootfs', () => {
    const spec = generateSpec(options({ readOnlyRootfs: true }));
    expect(spec.root.readonly).toBe(true);
    expect(spec.mounts.find((m) => m.destination === '/dev')?.options).toContain('ro');
    expect(spec.mounts.find((m) => m.destination === '/etc/hosts')?.options).toEqual(['bind', 'rprivate', 'ro', 'nosuid', 'noexec', 'nodev']);
  });

  it('lets a user mount replace a default on the same destination', () => {
    const spec = generateSpec(options({ mounts: [{ destination: '/etc/hosts', type: 'bind', source: '/srv/hosts', options: ['ro'] }, { destination: '/tmp', type: 'tmpfs' }] }));
    expect(spec.mounts.filter((m) => m.destination === '/etc/hosts')).toEqual([{ destination: '/etc/hosts', type: 'bind', source: '/srv/hosts', options: ['rbind', 'ro'] }]);
    expect(spec.mounts.find((m) => m.destination === '/tmp')?.type).toBe('tmpfs');
  });

  it('gives root the default capabilities in bounding, effective and permitted, and never inheritable', () => {
    const caps = generateSpec(options()).process.capabilities;
    expect(caps.bounding).toEqual([...defaultCapabilities]);
    expect(caps.effective).toEqual([...defaultCapabilities]);
    expect(caps.permitted).toEqual([...defaultCapabilities]);
    expect(caps.inheritable).toEqual([]);
    expect(caps.ambient).toEqual([]);
  });

  it('gives a non-root user only the added capabilities as effective', () => {
    const caps = generateSpec(options({ user: { uid: 1000, gid: 1000 }, capAdd: ['net_admin'], capDrop: ['CAP_KILL'] })).process.capabilities;
    expect(caps.bounding).toContain('CAP_NET_ADMIN');
    expect(caps.bounding).not.toContain('CAP_KILL');
    expect(caps.effective).toEqual(['CAP_NET_ADMIN']);
    expect(caps.ambient).toEqual(['CAP_NET_ADMIN']);
    expect(caps.inheritable).toEqual([]);
  });

  it('drops every default capability with --cap-drop all', () => {
    expect(generateSpec(options({ capDrop: ['all'], capAdd: ['CAP_CHOWN'] })).process.capabilities.bounding).toEqual(['CAP_CHOWN']);
  });

  it('rejects a malformed capability', () => {
    expect(hasCode(errorOf(() => generateSpec(options({ capAdd: ['cap net admin'] }))), 'ErrInvalidArg')).toBe(true);
  });

  it('masks and write-protects podman\'s kernel paths', () => {
    const spec = generateSpec(options());
    expect(spec.linux.maskedPaths).toEqual([...defaultMaskedPaths]);
    expect(spec.linux.readonlyPaths).toEqual([...defaultReadonlyPaths]);
    expect(spec.linux.maskedPaths).toContain('/proc/kcore');
  });

  it('sets the hostname to the short id with a private UTS namespace, and none with the host\'s', () => {
    expect(generateSpec(options()).hostname).toBe('aaaaaaaaaaaa');
    expect(generateSpec(options({ hostname: 'web' })).hostname).toBe('web');
    expect(generateSpec(options({ namespaces: { uts: 'host' } })).hostname).toBeUndefined();
  });

  it('adds HOSTNAME, HOME and (with a terminal) TERM unless the environment sets them', () => {
    expect(generateSpec(options({ terminal: true })).process.env).toEqual(['PATH=/usr/bin:/bin', 'container=podman', 'HOSTNAME=aaaaaaaaaaaa', 'HOME=/root', 'TERM=xterm']);
    const env = generateSpec(options({ env: ['HOME=/srv', 'TERM=vt100'], terminal: true, user: { uid: 5, gid: 5, home: '/home/u' } })).process.env;
    expect(env).toEqual(['HOME=/srv', 'TERM=vt100', 'HOSTNAME=aaaaaaaaaaaa']);
    expect(generateSpec(options()).process.terminal).toBe(false);
  });

  it('clamps podman\'s 1048576 NOFILE and NPROC to the caller\'s hard limits', () => {
    expect(generateSpec(options()).process.rlimits).toEqual([
      { type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 },
      { type: 'RLIMIT_NPROC', hard: 96364, soft: 96364 },
    ]);
    expect(generateSpec(options({ canRaiseRlimits: true })).process.rlimits[0]).toEqual({ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 });
  });

  it('sets user, cwd, args and, with --init, runs catatonit first', () => {
    const spec = generateSpec(options({ user: { uid: 1000, gid: 100, additionalGids: [100, 10] }, cwd: '/srv', args: ['top', '-b'], initPath: '/usr/libexec/podman/catatonit' }));
    expect(spec.process.user).toEqual({ uid: 1000, gid: 100, umask: 0o022, additionalGids: [100, 10] });
    expect(spec.process.cwd).toBe('/srv');
    expect(spec.process.args).toEqual(['/run/podman-init', '--', 'top', '-b']);
    expect(spec.mounts.find((m) => m.destination === '/run/podman-init')).toMatchObject({ source: '/usr/libexec/podman/catatonit', type: 'bind' });
  });

  it('puts pids, memory and CPU limits in the resources and the container under the cgroupfs parent', () => {
    const spec = generateSpec(options({ pidsLimit: 2048, memoryLimitBytes: 64 * 1024 * 1024, cpus: 1.5 }));
    expect(spec.linux.resources).toEqual({
      devices: [{ allow: false, access: 'rwm' }],
      pids: { limit: 2048 },
      memory: { limit: 67108864 },
      cpu: { period: 100000, quota: 150000 },
    });
    expect(spec.linux.cgroupsPath).toBe(`/podbay_parent/podbay-${id}`);
    expect(generateSpec(options({ pidsLimit: 0 })).linux.resources.pids).toBeUndefined();
    expect(generateSpec(options({ pidsLimit: -1 })).linux.resources.pids).toBeUndefined();
  });

  it('rejects a memory limit below 6 MiB, a non-positive CPU count, a relative cwd and an empty command', () => {
    expect(hasCode(errorOf(() => generateSpec(options({ memoryLimitBytes: 1024 }))), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(errorOf(() => generateSpec(options({ cpus: 0 }))), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(errorOf(() => generateSpec(options({ cwd: 'srv' }))), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(errorOf(() => generateSpec(options({ args: [] }))), 'ErrInvalidArg')).toBe(true);
  });

  it('annotates the stop signal and timeout as libpod does, keeping the user\'s annotations', () => {
    expect(generateSpec(options({ stopSignal: 2, stopTimeout: 10, annotations: { team: 'a' } })).annotations).toEqual({
      team: 'a',
      'io.container.manager': 'podbay',
      'org.opencontainers.image.stopSignal': '2',
      'org.systemd.property.KillSignal': '2',
      'org.systemd.property.TimeoutStopUSec': 'uint64 10000000',
    });
  });

  it('lets unprivileged processes ping in a private network namespace, and adds --sysctl values', () => {
    expect(generateSpec(options()).linux.sysctl).toEqual({ 'net.ipv4.ping_group_range': '0 0' });
    expect(generateSpec(options({ namespaces: { network: 'host' } })).linux.sysctl).toBeUndefined();
    expect(generateSpec(options({ sysctl: { 'net.ipv4.ip_forward': '1' } })).linux.sysctl).toEqual({ 'net.ipv4.ping_group_range': '0 0', 'net.ipv4.ip_forward': '1' });
  });

  it('converts a seccomp profile for the container\'s own capabilities, and runs unconfined without one', () => {
    const profile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 38,
      syscalls: [
        { names: ['read'], action: 'SCMP_ACT_ALLOW' },
        { names: ['chroot'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_CHROOT'] } },
        { names: ['chroot'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, excludes: { caps: ['CAP_SYS_CHROOT'] } },
      ],
    };
    expect(generateSpec(options({ seccompProfile: profile, hostArch: 'amd64', kernel: '6.1.0' })).linux.seccomp?.syscalls.map((r) => r.action)).toEqual(['SCMP_ACT_ALLOW', 'SCMP_ACT_ALLOW']);
    const dropped = generateSpec(options({ seccompProfile: profile, capDrop: ['SYS_CHROOT'], hostArch: 'amd64', kernel: '6.1.0' }));
    expect(dropped.linux.seccomp?.syscalls[1]).toEqual({ names: ['chroot'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 });
    expect(generateSpec(options()).linux.seccomp).toBeUndefined();
  });

  it('is pure: the same options give the same config.json', () => {
    expect(JSON.stringify(generateSpec(options()))).toBe(JSON.stringify(generateSpec(options())));
  });
});

describe('clampRlimits', () => {
  it('keeps limits the caller does not report or reports as unlimited', () => {
    const host: RlimitInfo[] = [{ resource: 'RLIMIT_CORE', label: 'Max core file size', soft: 0, hard: null, units: 'bytes' }];
    expect(clampRlimits([{ type: 'RLIMIT_CORE', hard: 100, soft: 50 }, { type: 'RLIMIT_MEMLOCK', hard: 9, soft: 9 }], host, false)).toEqual([
      { type: 'RLIMIT_CORE', hard: 100, soft: 50 },
      { type: 'RLIMIT_MEMLOCK', hard: 9, soft: 9 },
    ]);
  });

  it('lowers the soft limit with the hard one, and rejects soft above hard', () => {
    expect(clampRlimits([{ type: 'RLIMIT_NOFILE', hard: 50000, soft: 30000 }], hostLimits, false)).toEqual([{ type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 }]);
    expect(clampRlimits([{ type: 'RLIMIT_NOFILE', hard: 50000, soft: 1024 }], hostLimits, false)).toEqual([{ type: 'RLIMIT_NOFILE', hard: 20000, soft: 1024 }]);
    expect(hasCode(errorOf(() => clampRlimits([{ type: 'RLIMIT_NOFILE', hard: 1, soft: 2 }], hostLimits, false)), 'ErrInvalidArg')).toBe(true);
  });
});

describe('sortMounts', () => {
  it('orders by depth and keeps the given order within a depth', () => {
    const m = (destination: string) => ({ destination, type: 'bind', source: '/x', options: [] });
    expect(sortMounts([m('/a/b/c'), m('/z'), m('/a/b'), m('/a')]).map((x) => x.destination)).toEqual(['/z', '/a', '/a/b', '/a/b/c']);
  });
});

describe('mergeImageConfig', () => {
  const image = {
    Entrypoint: ['/entry.sh'],
    Cmd: ['serve', '--port', '80'],
    Env: ['PATH=/opt/bin:/usr/bin', 'MODE=image', 'EMPTY='],
    WorkingDir: '/app',
    User: 'www',
    StopSignal: 'SIGQUIT',
    Labels: { a: 'image', b: 'image' },
    Volumes: { '/data': {}, '/cache': {} },
  };

  it('runs the image entrypoint with the image cmd when the user gives neither', () => {
    const merged = mergeImageConfig(image, {});
    expect(merged.args).toEqual(['/entry.sh', 'serve', '--port', '80']);
    expect(merged.cwd).toBe('/app');
    expect(merged.user).toBe('www');
    expect(merged.stopSignal).toBe(3);
    expect(merged.volumes).toEqual(['/cache', '/data']);
  });

  it('replaces the cmd with the user command, keeping the entrypoint', () => {
    expect(mergeImageConfig(image, { command: ['sh'] }).args).toEqual(['/entry.sh', 'sh']);
  });

  it('drops the image cmd when the user sets an entrypoint, and [""] means no entrypoint', () => {
    expect(mergeImageConfig(image, { entrypoint: ['/bin/other'] }).args).toEqual(['/bin/other']);
    expect(mergeImageConfig(image, { entrypoint: [''], command: ['ls'] }).args).toEqual(['ls']);
  });

  it('rejects a container with nothing to run', () => {
    expect(hasCode(errorOf(() => mergeImageConfig(null, {})), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(errorOf(() => mergeImageConfig({ Entrypoint: [''] }, {})), 'ErrInvalidArg')).toBe(true);
  });

  it('layers the environment: defaults < image < user', () => {
    const env = mergeImageConfig(image, { env: { MODE: 'user', EXTRA: 'x=y' } }).env;
    expect(env).toEqual(['PATH=/opt/bin:/usr/bin', 'container=podman', 'MODE=user', 'EMPTY=', 'EXTRA=x=y']);
    expect(mergeImageConfig(null, { command: ['true'] }).env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'container=podman']);
  });

  it('lets the user\'s workdir, user, stop signal and labels win', () => {
    const merged = mergeImageConfig(image, { workdir: '/srv', user: '0:0', stopSignal: 'INT', labels: { b: 'user' } });
    expect(merged).toMatchObject({ cwd: '/srv', user: '0:0', stopSignal: 2, labels: { a: 'image', b: 'user' } });
  });

  it('defaults to / as root with SIGTERM', () => {
    expect(mergeImageConfig(null, { command: ['true'] })).toMatchObject({ cwd: '/', user: '', stopSignal: 15, labels: {}, volumes: [] });
  });

  it('rejects a bad stop signal, a relative workdir and a bad env name', () => {
    expect(hasCode(errorOf(() => mergeImageConfig(image, { stopSignal: 'SIGNOPE' })), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(errorOf(() => mergeImageConfig(image, { workdir: 'rel' })), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(errorOf(() => mergeImageConfig(image, { env: { 'A=B': 'c' } })), 'ErrInvalidArg')).toBe(true);
  });
});

describe('generateSpec without cgroups (rootless, no delegation)', () => {
  it('leaves out cgroupsPath and every limit, keeping only the device rule', () => {
    const spec = generateSpec(options({ cgroups: false, pidsLimit: 2048 }));
    expect(spec.linux.cgroupsPath).toBeUndefined();
    expect(spec.linux.resources).toEqual({ devices: [{ allow: false, access: 'rwm' }] });
  });

  it('keeps the cgroup path and the pids limit by default', () => {
    const spec = generateSpec(options({ pidsLimit: 2048 }));
    expect(spec.linux.cgroupsPath).toMatch(/\/podbay-/);
    expect(spec.linux.resources.pids).toEqual({ limit: 2048 });
  });
});
