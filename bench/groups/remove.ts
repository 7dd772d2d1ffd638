// Removing containers (PERFORMANCE.md's remove rows): `rm -f -t 0` of one running container, and
// `rm -f -a` of 1,000 created ones, against podman with the same rootfs containers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '../../test/helpers/oci-rootfs.ts';
import { Runtime } from '../../main/core/runtime.ts';
import { defaultPaths, detectMode } from '../../main/core/runtime-paths.ts';
import { command } from '../measure.ts';
import type { BenchCase, BenchGroup } from '../types.ts';
import { containerNames, podbayCreateMany, podmanCreateMany, podmanUlimits } from './container-fixtures.ts';

/** The id a detached `run -d` printed; a failure stops the benchmark. */
function runDetached(argv: string[]): string {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout.trim().split('\n').at(-1)!;
}

export const removeGroup: BenchGroup = {
  name: 'remove',
  async setup(context) {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-remove-'));
    const rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    const root = join(dir, 'root');
    const runRoot = join(dir, 'run');
    const podbayGlobals = ['--root', root, '--runroot', runRoot];
    const podmanGlobals = ['--root', join(dir, 'podman-root'), '--runroot', join(dir, 'podman-run')];
    const count = context.scale(1000);
    const names = containerNames('bench', count);
    const runtime = Runtime.forPaths({ ...defaultPaths(detectMode()), graphRoot: root, runRoot });
    const podbay = (...args: string[]) => context.podbay([...podbayGlobals, ...args]);
    const podman = (...args: string[]) => command(['podman', ...podmanGlobals, ...args]);

    let podbayRunning = '';
    let podmanRunning = '';
    const cases: BenchCase[] = [
      {
        group: 'remove',
        work: '`rm -f -t 0` of one running container (CLI)',
        podbay: {
          label: 'podbay rm -f -t 0',
          before: () => void (podbayRunning = runDetached(context.podbayArgv([...podbayGlobals, 'run', '-d', '--network', 'none', '--rootfs', rootfs, 'sleep', '1000']))),
          run: () => podbay('rm', '-f', '-t', '0', podbayRunning)(),
        },
        peer: {
          label: 'podman rm -f -t 0',
          before: () => void (podmanRunning = runDetached(['podman', ...podmanGlobals, 'run', '-d', '--network', 'none', ...podmanUlimits, '--rootfs', rootfs, 'sleep', '1000'])),
          run: () => podman('rm', '-f', '-t', '0', podmanRunning)(),
        },
        goalRatio: 0.5,
      },
      {
        group: 'remove',
        work: `\`rm -f -a\`, ${count} created containers`,
        // Refilling 1,000 podman containers takes ~15 s: this case runs once, after no warm-up.
        runs: 1,
        warmups: 0,
        podbay: { label: 'podbay rm -f -a', before: () => podbayCreateMany(runtime, rootfs, names), run: podbay('rm', '-f', '-a') },
        peer: { label: 'podman rm -f -a', before: () => podmanCreateMany(podmanGlobals, rootfs, names), run: podman('rm', '-f', '-a') },
        goalRatio: 0.3,
      },
    ];
    return {
      cases,
      teardown: async () => {
        runtime.shutdown(true);
        spawnSync(process.execPath, context.podbayArgv([...podbayGlobals, 'rm', '-f', '-a', '-t', '0']).slice(1), { stdio: 'ignore' });
        spawnSync('podman', [...podmanGlobals, 'rm', '-f', '-a', '-t', '0'], { stdio: 'ignore' });
        spawnSync('umount', ['-R', join(dir, 'podman-root', 'overlay')], { stdio: 'ignore' });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
