// Listing containers (PERFORMANCE.md's list rows): `ps -a` with 0, 100 and 1,000 containers in the
// store against podman with the same rootfs containers in its own throw-away root, and listing 1,000
// in-process (what the Containers page costs per refresh). `images` with 50 images sharing a layer is
// in the transfer group, beside the registry its images come from.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listContainerItems } from '../../main/core/container-inspect.ts';
import { Runtime } from '../../main/core/runtime.ts';
import { defaultPaths, detectMode } from '../../main/core/runtime-paths.ts';
import { command } from '../measure.ts';
import type { BenchCase, BenchGroup } from '../types.ts';
import { containerNames, podbayCreateMany, podmanCreateMany } from './container-fixtures.ts';

export const listGroup: BenchGroup = {
  name: 'list',
  async setup(context) {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-list-'));
    const rootfs = join(dir, 'rootfs');
    mkdirSync(rootfs);
    const sizes = [0, context.scale(100, 10), context.scale(1000)];
    const largest = sizes.at(-1)!;
    const runtimes: Runtime[] = [];
    const cases: BenchCase[] = [];
    let fillMs = 0;
    process.stdout.write(`filling stores of ${sizes.join(', ')} containers for each tool…\n`);
    for (const size of sizes) {
      const root = join(dir, `root-${size}`);
      const runRoot = join(dir, `run-${size}`);
      const podmanGlobals = ['--root', join(dir, `podman-root-${size}`), '--runroot', join(dir, `podman-run-${size}`)];
      const runtime = Runtime.forPaths({ ...defaultPaths(detectMode()), graphRoot: root, runRoot });
      runtimes.push(runtime);
      const names = containerNames('bench', size);
      const started = performance.now();
      await podbayCreateMany(runtime, rootfs, names);
      if (size === largest) fillMs = performance.now() - started;
      await podmanCreateMany(podmanGlobals, rootfs, names);
      cases.push({
        group: 'list',
        work: `\`ps -a --format json\`, ${size} containers (CLI)`,
        podbay: { label: 'podbay ps -a', run: context.podbay(['--root', root, '--runroot', runRoot, 'ps', '-a', '--format', 'json']) },
        peer: { label: 'podman ps -a', run: command(['podman', ...podmanGlobals, 'ps', '-a', '--format', 'json']) },
        // PERFORMANCE.md sets the goal for 1,000; the smaller stores show how the cost grows.
        ...(size === 1000 ? { goalRatio: 0.25 } : {}),
      });
    }
    const full = runtimes.at(-1)!;
    cases.push(
      {
        group: 'list',
        work: `listing ${largest} containers in-process`,
        podbay: { label: 'containers.list', run: () => void listContainerItems(full, { all: true }) },
        goalMax: 10,
      },
      {
        group: 'list',
        work: `creating ${largest} containers in-process, one after another (each its own transaction)`,
        // Measured once, while filling the store the other cases use.
        podbay: { label: 'Runtime.newContainer', measure: async () => fillMs, run: () => undefined },
        runs: 1,
        warmups: 0,
      },
    );
    return {
      cases,
      teardown: async () => {
        for (const runtime of runtimes) runtime.shutdown(true);
        for (const size of sizes) command(['podman', '--root', join(dir, `podman-root-${size}`), '--runroot', join(dir, `podman-run-${size}`), 'rm', '-f', '-a'])();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
