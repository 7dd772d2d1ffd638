#!/usr/bin/env node
// Second step of `npm test`: host quirks the tests need, prepared here and only here — the app itself
// reports them (system.info) and never changes the host. Each step is idempotent and says what it did.
//
// cgroups: on a v1 "hybrid" host, crun 1.8 refuses to run while the cgroup2 hierarchy at
// /sys/fs/cgroup/unified still lists controllers ("cgroups in hybrid mode not supported"). Mounting
// each listed controller as its own v1 hierarchy takes it out of cgroup2 and crun runs; runc does
// not care. The mounts do not survive a reboot, so every test run checks again.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';

const cgroupRoot = '/sys/fs/cgroup';
const hybridControllers = `${cgroupRoot}/unified/cgroup.controllers`;
const isRoot = process.getuid?.() === 0;

function readControllers() {
  try {
    return readFileSync(hybridControllers, 'utf8').split(/\s+/).filter(Boolean);
  } catch {
    return null;
  }
}

function mountPoints() {
  // Field 5 of /proc/self/mountinfo is the mount point (octal escapes do not occur under /sys/fs/cgroup).
  return new Set(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((line) => line.split(' ')[4]).filter(Boolean));
}

function prepareCgroups() {
  const controllers = readControllers();
  if (controllers === null) return 'cgroups: not a hybrid host (no cgroup2 hierarchy at /sys/fs/cgroup/unified): nothing to do';
  if (controllers.length === 0) return 'cgroups: hybrid host with no controllers left in cgroup2: crun runs, nothing to do';
  if (!isRoot) return `cgroups: skipped (not root): crun refuses this hybrid host until these cgroup2 controllers are mounted as v1 hierarchies: ${controllers.join(', ')}; crun tests will say so`;

  const mounted = mountPoints();
  const done = [];
  const failed = [];
  for (const controller of controllers) {
    // The name becomes a path: accept only what the kernel calls its controllers.
    if (!/^[a-z_]+$/.test(controller)) {
      failed.push(`${controller} (unexpected controller name)`);
      continue;
    }
    const dir = `${cgroupRoot}/${controller}`;
    if (mounted.has(dir)) continue;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      failed.push(`${controller} (mkdir ${dir}: ${error.message})`);
      continue;
    }
    const result = spawnSync('mount', ['-t', 'cgroup', '-o', controller, 'cgroup', dir], { encoding: 'utf8' });
    if (result.status === 0) done.push(`${controller} at ${dir}`);
    else failed.push(`${controller} (mount: ${(result.stderr || result.error?.message || '').trim()})`);
  }
  const left = readControllers() ?? [];
  const lines = [];
  if (done.length) lines.push(`cgroups: mounted as v1 hierarchies so crun runs on this hybrid host: ${done.join(', ')}`);
  if (failed.length) lines.push(`cgroups: WARNING: could not mount ${failed.join('; ')}: crun tests will report crun unusable`);
  lines.push(`cgroups: controllers left in cgroup2: [${left.join(' ')}]${left.length === 0 ? ' (crun runs)' : ''}`);
  return lines.join('\n');
}

function hasSubids(file, user) {
  try {
    return readFileSync(file, 'utf8').split('\n').some((line) => line.startsWith(`${user}:`));
  } catch {
    return false;
  }
}

// rootless: the integration suite runs the CLI as this unprivileged user, who needs a home and a
// range of 65536 subordinate IDs (useradd gives one by default; usermod adds it when it did not).
function prepareRootlessUser() {
  const user = 'podbay-test'; // test/helpers/rootless-cli.ts runs the CLI as this user

  if (!isRoot) return `rootless: skipped (not root): rootless tests need the user ${user}; they will say so`;
  const lines = [];
  // Some host setups recreate /dev/null as 0644: then no unprivileged program can discard output.
  if ((statSync('/dev/null').mode & 0o666) !== 0o666) {
    chmodSync('/dev/null', 0o666);
    lines.push('rootless: /dev/null was not writable by users: chmod 666 /dev/null');
  }
  if (spawnSync('id', ['-u', user]).status !== 0) {
    const made = spawnSync('useradd', ['-m', '-s', '/bin/sh', user], { encoding: 'utf8' });
    if (made.status !== 0) return `rootless: WARNING: useradd ${user}: ${(made.stderr || made.error?.message || '').trim()}`;
    lines.push(`rootless: created the user ${user}`);
  }
  for (const [file, flag] of [['/etc/subuid', '--add-subuids'], ['/etc/subgid', '--add-subgids']]) {
    if (hasSubids(file, user)) continue;
    const range = '300000-365535';
    const added = spawnSync('usermod', [flag, range, user], { encoding: 'utf8' });
    lines.push(added.status === 0 ? `rootless: gave ${user} ${file} range ${range}` : `rootless: WARNING: usermod ${flag}: ${(added.stderr || '').trim()}`);
  }
  lines.push(`rootless: user ${user} ready (${readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`)) ?? 'no subuid entry'})`);
  return lines.join('\n');
}

console.log(prepareCgroups());
console.log(prepareRootlessUser());
