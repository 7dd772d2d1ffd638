// Listing and removing many containers: `ps -a` with 1,000 in the store (CLI and in-process) and
// `rm -f -a` of 1,000, against podman with the same 1,000 rootfs containers in its own throw-away root.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { listContainerItems } from '../../main/core/container-inspect.ts';
import { withName, withRootFSFromPath } from '../../main/core/container-config.ts';
import { Runtime } from '../../main/core/runtime.ts';
import { defaultPaths, detectMode } from '../../main/core/runtime-paths.ts';
import { command } from '../measure.ts';
import { cliPath } from '../paths.ts';
import type { BenchCase, BenchGroup } from '../types.ts';

const count = 1000;

/** Runs `podman create` for every name, a few at a time (36 ms each, sequentially 36 s). */
async function podmanCreateMany(globals: string[], rootfs: string, names: string[]): Promise<void> {
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      await new Promise<void>((resolve, reject) => {
        const child = spawn('podman', [...globals, 'create', '--name', name!, '--network', 'none', '--rootfs', rootfs, 'true'], { stdio: 'ignore' });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`podman create ${name} exited ${code}`))));
      });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

export const containersGroup: BenchGroup = {
  name: 'containers',
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-ctr-'));
    const rootfs = join(dir, 'rootfs');
    mkdirSync(rootfs);
    const root = join(dir, 'root');
    const runRoot = join(dir, 'run');
    const podmanGlobals = ['--root', join(dir, 'podman-root'), '--runroot', join(dir, 'podman-run')];
    const names = Array.from({ length: count }, (_, i) => `bench-${i}`);

    const runtime = Runtime.forPaths({ ...defaultPaths(detectMode()), graphRoot: root, runRoot });
    const fillPodbay = async () => {
      for (const name of names) await runtime.newContainer({ process: { args: ['true'] } }, [withName(name), withRootFSFromPath(rootfs)]);
    };
    process.stdout.write(`creating ${count} containers in each store…\n`);
    const fillStarted = performance.now();
    await fillPodbay();
    const fillMs = performance.now() - fillStarted;
    await podmanCreateMany(podmanGlobals, rootfs, names);

    const podbay = (...args: string[]) => command([process.execPath, cliPath, '--root', root, '--runroot', runRoot, ...args]);
    const podman = (...args: string[]) => command(['podman', ...podmanGlobals, ...args]);
    const cases: BenchCase[] = [
      {
        group: 'containers',
        work: `\`ps -a --format json\`, ${count} containers (CLI)`,
        podbay: { label: 'podbay ps -a', run: podbay('ps', '-a', '--format', 'json') },
        peer: { label: 'podman ps -a', run: podman('ps', '-a', '--format', 'json') },
        goalRatio: 0.25,
      },
      {
        group: 'containers',
        work: `listing ${count} containers in-process`,
        podbay: { label: 'containers.list', run: async () => void (await listContainerItems(runtime, { all: true })) },
        goalMax: 10,
      },
      {
        group: 'containers',
        work: `creating ${count} containers in-process, one after another (each its own transaction)`,
        // Measured once, while setting up the store the other cases use.
        podbay: { label: 'Runtime.newContainer', measure: async () => fillMs, run: () => undefined },
        runs: 1,
        warmups: 0,
      },
      {
        group: 'containers',
        work: `\`rm -f -a\`, ${count} created containers`,
        // Refilling 1,000 podman containers takes ~15 s: this case runs once, after no warm-up.
        runs: 1,
        warmups: 0,
        podbay: { label: 'podbay rm -f -a', before: async () => (runtime.listContainers().length ? undefined : fillPodbay()), run: podbay('rm', '-f', '-a') },
        peer: { label: 'podman rm -f -a', run: podman('rm', '-f', '-a') },
        goalRatio: 0.3,
      },
    ];
    return {
      cases,
      teardown: async () => {
        runtime.shutdown(true);
        command(['podman', ...podmanGlobals, 'rm', '-f', '-a'])();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
