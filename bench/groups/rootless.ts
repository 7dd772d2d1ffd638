// Rootless starts (issue 9's bench row): `run --rm --network none` of busybox `true` as the
// unprivileged test user, podbay against rootless podman in the same run. Both use the same busybox
// rootfs directory (`--rootfs`) and their own stores under the user's temporary HOME; each keeps its
// user namespace holder (podbay's `sleep`, podman's pause process) alive between runs, as a
// workstation does.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '../../test/helpers/oci-rootfs.ts';
import { makeRootlessUserDirs, podbayAs, removeRootlessUserDirs, rootlessSkipReason, rootlessTestUser } from '../../test/helpers/rootless-cli.ts';
import { command } from '../measure.ts';
import type { BenchCase, BenchGroup } from '../types.ts';

export const rootlessGroup: BenchGroup = {
  name: 'rootless',
  async setup(context) {
    const skip = rootlessSkipReason();
    if (skip) throw new Error(`the rootless bench needs the test user: ${skip}`);
    const dirs = makeRootlessUserDirs('podbay-brl-'); // short: with a longer $XDG_RUNTIME_DIR podman's runs took ~20 s
    const rootfs = makeBusyboxRootfs(join(dirs.dir, 'rootfs'));
    // A user's rootfs directory is their own: the runtime creates its bind-mount targets (/etc/hostname…) in it.
    spawnSync('chown', ['-R', `${rootlessTestUser}:`, rootfs]);
    // The user's own containers.conf, as a user of this machine would set it: rlimits a user may set,
    // cgroupfs and a file event log (no systemd user session here: podman's defaults wait ~20 s on it).
    const podmanConf = join(dirs.dir, 'containers.conf');
    writeFileSync(podmanConf, '[containers]\ndefault_ulimits = ["nofile=1024:1024"]\n\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n', { mode: 0o644 });
    const env = [`HOME=${dirs.home}`, `XDG_RUNTIME_DIR=${dirs.runtimeDir}`, 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
    const asUser = (argv: readonly string[]) => command(['runuser', '-u', rootlessTestUser, '--', 'env', '-i', ...env, ...argv]);
    // podman's rootless defaults (~/.local/share/containers, $XDG_RUNTIME_DIR/containers): a --runroot
    // under the temporary dir would pass its 50-character limit.
    const podmanArgv = ['podman'];
    const podmanEnv = [`CONTAINERS_CONF=${podmanConf}`];
    const cases: BenchCase[] = [
      {
        group: 'rootless',
        work: 'rootless `run --rm --network none` busybox `true` (CLI process, as a user)',
        podbay: { label: 'podbay run --rm (rootless)', run: asUser(context.podbayArgv(['run', '--rm', '--network', 'none', '--rootfs', rootfs, '/bin/true'])) },
        peer: { label: 'podman run --rm (rootless)', run: asUser([...podmanEnv, ...podmanArgv, 'run', '--rm', '--network', 'none', '--cgroups', 'disabled', '--rootfs', rootfs, '/bin/true']) },
        goalRatio: 0.5,
      },
    ];
    return {
      cases,
      teardown: async () => {
        podbayAs(dirs, ['rm', '-f', '-a', '-t', '0']);
        // podman's pause process is the one other process this group started.
        try {
          const pid = Number(readFileSync(join(dirs.runtimeDir, 'libpod', 'tmp', 'pause.pid'), 'utf8').trim());
          if (Number.isSafeInteger(pid) && pid > 1) process.kill(pid, 'SIGKILL');
        } catch {
          // podman never got that far
        }
        removeRootlessUserDirs(dirs);
      },
    };
  },
};
