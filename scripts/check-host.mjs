#!/usr/bin/env node
// First step of `npm test`: the Debian packages the tests use must be installed. As root the missing
// ones are installed with apt-get (its index refreshed only when it cannot offer them); otherwise the
// exact install command is printed and the run stops. One line when all is well.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

/** Package → why the tests need it. */
export const requiredPackages = {
  crun: 'default OCI runtime',
  runc: 'alternative OCI runtime',
  conmon: 'container monitor',
  catatonit: 'pod infra init',
  netavark: 'container networks',
  'aardvark-dns': 'DNS on container networks',
  iptables: 'port publishing',
  'docker-registry': 'local registry for pull and push tests',
  'apache2-utils': 'htpasswd for the registry auth fixtures',
  attr: 'setfattr for overlay whiteouts, opaque dirs and file capabilities in layers',
  openssl: 'keys and certificates for the registry token and TLS tests',
  'xz-utils': 'xz -dc for importing xz-compressed tarballs',
  bzip2: 'bzip2 -dc for importing bzip2-compressed tarballs',
  zstd: 'zstd -dc for importing zstd-compressed tarballs',
  'busybox-static': 'offline test image',
  skopeo: 'reference images and digests',
  podman: 'reference behaviour and benchmarks',
  chromium: 'browser end-to-end tests',
  uidmap: 'newuidmap/newgidmap for rootless mode',
  slirp4netns: 'rootless container networking',
  'fuse-overlayfs': 'rootless overlay on kernels before 5.11',
  python3: 'a real pseudo-terminal (its pty module) for the run -it / attach tests',
};

const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
// Waits for another apt or dpkg to finish instead of failing at once.
const aptOptions = ['-o', 'DPkg::Lock::Timeout=300'];

/** True when dpkg reports the package installed; null when there is no dpkg at all. */
export function isInstalled(pkg, query = spawnSync) {
  const result = query('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  if (result.error) return null;
  return result.status === 0 && /\binstalled$/.test(String(result.stdout).trim());
}

/** True when apt's index offers every package (else `apt-get update` must run first). */
function aptCanInstall(packages) {
  return packages.every((pkg) => {
    const result = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' });
    return result.status === 0 && /Candidate: (?!\(none\))\S+/.test(result.stdout);
  });
}

function apt(args) {
  console.log(`+ apt-get ${args.join(' ')}`);
  return spawnSync('apt-get', [...aptOptions, ...args], { env: aptEnv, stdio: ['ignore', 'inherit', 'inherit'] }).status === 0;
}

function installAsRoot(missing) {
  let updated = false;
  if (!aptCanInstall(missing)) {
    if (!apt(['update'])) return false;
    updated = true;
  }
  if (apt(['install', '-y', ...missing])) return true;
  // A stale index names versions the mirror no longer has: refresh once and try again.
  return !updated && apt(['update']) && apt(['install', '-y', ...missing]);
}

function main() {
  const packages = Object.keys(requiredPackages);
  const states = packages.map((pkg) => [pkg, isInstalled(pkg)]);
  if (states.some(([, state]) => state === null)) {
    console.error(`Error: dpkg-query not found: the tests run on Debian 12 with these packages: ${packages.join(' ')}`);
    process.exit(1);
  }
  const missing = states.filter(([, state]) => !state).map(([pkg]) => pkg);
  if (missing.length === 0) {
    console.log(`host: all ${packages.length} Debian packages the tests need are installed`);
    return;
  }
  const list = missing.map((pkg) => `${pkg} (${requiredPackages[pkg]})`).join(', ');
  if (process.getuid?.() !== 0) {
    console.error(`Error: missing Debian packages: ${list}. Install them with:`);
    console.error(`  sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`host: installing missing Debian packages: ${list}`);
  const stillMissing = installAsRoot(missing) ? missing.filter((pkg) => !isInstalled(pkg)) : missing;
  if (stillMissing.length > 0) {
    console.error(`Error: could not install: ${stillMissing.join(' ')}`);
    process.exit(1);
  }
  console.log(`host: installed ${missing.join(' ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
