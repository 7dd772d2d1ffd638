// What rootless mode needs from this machine and user, read fresh on each call (as system.info is):
// subordinate ID ranges, the setuid ID-map helpers, unprivileged user namespaces, an overlay that
// works inside a user namespace and a user-mode network helper. Each missing piece becomes one
// problem with the command that fixes it — Podbay reports, it never changes the host itself.
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { release, userInfo } from 'node:os';
import type { CgroupInfo, OverlayKind, RootlessInfo, RootlessProblem, SubordinateRange } from '../../../shared/types/system-info.ts';
import type { Exec } from '../exec.ts';
import { findBinary, parseVersion } from '../system/components.ts';
import { hostIdentity } from './host-identity.ts';
import { readSubordinateIds } from './subordinate-ids.ts';

export interface RootlessProbeOptions {
  exec: Exec;
  cgroups: CgroupInfo;
  uid?: number;
  gid?: number;
  subuidFile?: string;
  subgidFile?: string;
  kernel?: string;
}

/** The size of range podman's useradd defaults give, and what images using `nobody` (65534) need. */
const rangeSize = 65536;

export async function readRootlessInfo(options: RootlessProbeOptions): Promise<RootlessInfo> {
  const host = hostIdentity();
  const uid = options.uid ?? host.uid;
  const gid = options.gid ?? host.gid;
  const user = options.uid === undefined && host.user ? host.user : userName(uid);
  const owner = { name: user, id: uid };
  const subuidFile = options.subuidFile ?? '/etc/subuid';
  const subgidFile = options.subgidFile ?? '/etc/subgid';
  const [subuids, subgids, allSubuids, userns, newuidmap, newgidmap, networkHelper, overlay] = await Promise.all([
    readSubordinateIds(subuidFile, owner),
    readSubordinateIds(subgidFile, owner),
    readAllRanges(subuidFile),
    userNamespaceProblem(),
    findBinary('newuidmap', ['/usr/bin/newuidmap']),
    findBinary('newgidmap', ['/usr/bin/newgidmap']),
    findNetworkHelper(options.exec),
    overlayKind(options.kernel ?? release()),
  ]);

  const problems: RootlessProblem[] = [];
  if (userns) problems.push(userns);
  for (const [name, path] of [['newuidmap', newuidmap], ['newgidmap', newgidmap]] as const) {
    if (path) continue;
    problems.push({
      key: name,
      title: `${name} is missing`,
      problem: `${name} writes the user namespace's ID map from /etc/sub${name === 'newuidmap' ? 'uid' : 'gid'}; it was not found in /usr/bin or on $PATH.`,
      fix: { note: 'as root, install Debian’s uidmap package', command: 'apt-get install -y uidmap', alternative: null },
    });
  }
  if (subuids.length === 0 || subgids.length === 0) {
    const start = nextFreeStart(allSubuids);
    const range = `${start}-${start + rangeSize - 1}`;
    const which = [subuids.length === 0 ? '/etc/subuid' : null, subgids.length === 0 ? '/etc/subgid' : null].filter(Boolean).join(' and ');
    const flags = [subuids.length === 0 ? `--add-subuids ${range}` : null, subgids.length === 0 ? `--add-subgids ${range}` : null].filter(Boolean).join(' ');
    problems.push({
      key: 'subids',
      title: `${user} has no subordinate ID range`,
      problem: `${which} has no entry for ${user} (uid ${uid}), so containers could use only one user and one group.`,
      fix: { note: 'as root, give the user a range of 65536 IDs', command: `usermod ${flags} ${user}`, alternative: null },
    });
  }
  if (!networkHelper) {
    problems.push({
      key: 'network-helper',
      title: 'No rootless network helper',
      problem: 'Neither slirp4netns nor pasta was found: rootless containers can use only --network none or host.',
      fix: { note: 'as root, install slirp4netns', command: 'apt-get install -y slirp4netns', alternative: 'or install passt (pasta)' },
    });
  }
  return {
    user,
    uid,
    gid,
    subuids,
    subgids,
    userNamespaces: userns === null,
    newuidmap,
    newgidmap,
    overlay,
    networkHelper,
    resourceLimits: rootlessLimitsAvailable(options.cgroups),
    problems,
  };
}

function userName(uid: number): string {
  try {
    const info = userInfo();
    if (info.uid === uid) return info.username;
    return String(uid);
  } catch {
    // No passwd entry (a container's arbitrary uid): subid files may still name the number.
    return String(uid);
  }
}

async function readSysctl(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return null;
  }
}

/** The first kernel switch that forbids unprivileged user namespaces, with the sysctl that lifts it. */
async function userNamespaceProblem(): Promise<RootlessProblem | null> {
  const [max, clone, apparmor] = await Promise.all([
    readSysctl('/proc/sys/user/max_user_namespaces'),
    readSysctl('/proc/sys/kernel/unprivileged_userns_clone'),
    readSysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
  ]);
  const problem = (setting: string, value: string, allowed: number, why: string): RootlessProblem => ({
    key: 'userns',
    title: 'User namespaces are disabled',
    problem: `${why} (${setting} = ${value}), so a rootless engine cannot create its user namespace.`,
    fix: { note: 'as root, allow them (add the setting to /etc/sysctl.d/ to keep it after a reboot)', command: `sysctl -w ${setting}=${allowed}`, alternative: null },
  });
  if (max === '0') return problem('user.max_user_namespaces', max, 15000, 'The kernel allows no user namespaces');
  if (clone === '0') return problem('kernel.unprivileged_userns_clone', clone, 1, 'The kernel allows user namespaces only to root');
  if (apparmor === '1') return problem('kernel.apparmor_restrict_unprivileged_userns', apparmor, 0, 'AppArmor restricts unprivileged user namespaces');
  return null;
}

async function readAllRanges(path: string): Promise<SubordinateRange[]> {
  try {
    const text = await readFile(path, 'utf8');
    return text.split('\n').flatMap((line) => {
      const [, start, count] = line.trim().split(':');
      return start && count && /^\d+$/.test(start) && /^\d+$/.test(count) ? [{ start: Number(start), count: Number(count) }] : [];
    });
  } catch {
    return [];
  }
}

/** Where useradd would put the next range: past every range already given out, from 100000 on. */
export function nextFreeStart(ranges: readonly SubordinateRange[]): number {
  return ranges.reduce((next, r) => Math.max(next, r.start + r.count), 100_000);
}

/**
 * Native overlay mounts inside a user namespace since Linux 5.11 (with user.overlay.* xattrs);
 * before that fuse-overlayfs does the job where /dev/fuse exists; vfs (full copies) always works.
 */
export async function overlayKind(kernel: string): Promise<OverlayKind> {
  if (kernelAtLeast(kernel, 5, 11)) return 'native';
  const fuse = await findBinary('fuse-overlayfs', ['/usr/bin/fuse-overlayfs']);
  if (fuse && (await access('/dev/fuse', constants.R_OK | constants.W_OK).then(() => true, () => false))) return 'fuse-overlayfs';
  return 'vfs';
}

export function kernelAtLeast(kernel: string, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)/.exec(kernel);
  if (!match) return false;
  const [maj, min] = [Number(match[1]), Number(match[2])];
  return maj > major || (maj === major && min >= minor);
}

async function findNetworkHelper(exec: Exec): Promise<RootlessInfo['networkHelper']> {
  for (const name of ['slirp4netns', 'pasta'] as const) {
    const path = await findBinary(name, [`/usr/bin/${name}`]);
    if (!path) continue;
    let version: string | null = null;
    try {
      const result = await exec(path, ['--version'], { timeoutMs: 5_000 });
      version = parseVersion(`${result.stdout}\n${result.stderr}`.trim());
    } catch {
      // present but not runnable: still the helper we would use; the version stays unknown
    }
    return { name, path, version };
  }
  return null;
}

/**
 * An unprivileged user can set limits only through a delegated cgroup v2 subtree (systemd's
 * user@.service delegation); on cgroup v1 there is no safe delegation at all, as podman says.
 */
export function rootlessLimitsAvailable(cgroups: CgroupInfo): boolean {
  return cgroups.version === 'v2' && cgroups.manager === 'systemd' && cgroups.unifiedControllers.includes('memory') && cgroups.unifiedControllers.includes('pids');
}
