// Starting containers (PERFORMANCE.md's start rows): the CLI `run --rm`, what one click costs in
// process (create → start → wait → remove) against podman's REST API — what Podman Desktop drives —
// and against the bare OCI runtime, `create`, and `start` of a pre-created container. Both tools run
// the same busybox rootfs directory (`--rootfs`), so image storage does not enter these figures.
// `run --rm` on the default bridge network also sets up and tears down netavark networking on both
// sides (podbay's default network and podman's "podman").
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContainer } from '../../main/core/container-create.ts';
import { Runtime } from '../../main/core/runtime.ts';
import { defaultPaths, detectMode } from '../../main/core/runtime-paths.ts';
import { makeBusyboxRootfs } from '../../test/helpers/oci-rootfs.ts';
import { command } from '../measure.ts';
import { podmanService } from '../podman-service.ts';
import { podmanUlimits } from './container-fixtures.ts';
import { cliPath } from '../paths.ts';
import type { BenchCase, BenchGroup } from '../types.ts';

export const startGroup: BenchGroup = {
  name: 'start',
  async setup(context) {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-start-'));
    const rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    const podbayGlobals = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')];
    const podmanGlobals = ['--root', join(dir, 'podman-root'), '--runroot', join(dir, 'podman-run')];
    const podbay = (...args: string[]) => context.podbay([...podbayGlobals, ...args]);
    const podman = (...args: string[]) => command(['podman', ...podmanGlobals, ...args]);

    const runtime = Runtime.forPaths({ ...defaultPaths(detectMode()), graphRoot: join(dir, 'root'), runRoot: join(dir, 'run') });
    // As the window and the web host run it (main/ipc/handlers/runtime.ts): exits cleaned in-process.
    runtime.cleanUpExitsInProcess();

    const service = await podmanService(podmanGlobals, dir);

    // The floor: the bare runtime on a bundle of the same rootfs.
    const bundle = join(dir, 'bundle');
    mkdirSync(bundle);
    cpSync(rootfs, join(bundle, 'rootfs'), { recursive: true, verbatimSymlinks: true });
    spawnSync('crun', ['spec'], { cwd: bundle });
    const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as { process: { terminal: boolean; args: string[]; rlimits: unknown[] } };
    spec.process.terminal = false;
    spec.process.args = ['/bin/true'];
    spec.process.rlimits = [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }];
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    let floorSerial = 0;
    const floorErrors = openSync(join(dir, 'crun-floor.err'), 'w');

    const inProcess = async () => {
      const ctr = await createContainer(runtime, { rootfs, command: ['/bin/true'], network: 'none' });
      await ctr.start();
      await ctr.wait();
      await runtime.removeContainer(ctr, true);
    };
    const overRest = async () => {
      const created = (await service.expect(201, 'POST', '/containers/create', {
        rootfs,
        command: ['/bin/true'],
        netns: { nsmode: 'none' },
        r_limits: [
          { type: 'nofile', hard: 1024, soft: 1024 },
          { type: 'nproc', hard: 1024, soft: 1024 },
        ],
      })) as { Id: string };
      await service.expect(204, 'POST', `/containers/${created.Id}/start`);
      await service.call('POST', `/containers/${created.Id}/wait`);
      await service.call('DELETE', `/containers/${created.Id}?force=true`);
    };
    const floor = () => {
      const id = `floor-${process.pid}-${floorSerial++}`;
      for (const args of [['create', '--bundle', bundle, id], ['start', id], ['delete', '--force', id]]) {
        // stderr goes to a file: a pipe would be held open by the created container's process, and
        // spawnSync would wait for it until the container ends — which needs the `start` below.
        const result = spawnSync('crun', args, { stdio: ['ignore', 'ignore', floorErrors] });
        if (result.status !== 0) throw new Error(`crun ${args.join(' ')} exited ${result.status}: ${readFileSync(join(dir, 'crun-floor.err'), 'utf8').trim()}`);
      }
    };

    let podbayPrepared = '';
    let podmanPrepared = '';
    const cases: BenchCase[] = [
      {
        group: 'start',
        work: '`run --rm --network none` busybox `true` (CLI process)',
        podbay: { label: 'podbay run --rm', run: podbay('run', '--rm', '--network', 'none', '--rootfs', rootfs, '/bin/true') },
        peer: { label: 'podman run --rm', run: podman('run', '--rm', '--network', 'none', ...podmanUlimits, '--rootfs', rootfs, '/bin/true') },
        goalRatio: 0.75,
      },
      {
        group: 'start',
        work: '`run --rm` busybox `true` on the default bridge network (CLI process)',
        podbay: { label: 'podbay run --rm', run: podbay('run', '--rm', '--rootfs', rootfs, '/bin/true') },
        peer: { label: 'podman run --rm', run: podman('run', '--rm', ...podmanUlimits, '--rootfs', rootfs, '/bin/true') },
        goalRatio: 0.8,
      },
      {
        group: 'start',
        work: 'create → start → wait → remove in-process (one click) vs podman REST API',
        podbay: { label: 'Runtime in-process', run: inProcess },
        peer: { label: 'podman REST API', run: overRest },
        goalRatio: 0.15,
      },
      {
        group: 'start',
        work: 'create → start → wait → remove in-process vs `crun create+start+delete`',
        podbay: { label: 'Runtime in-process', run: inProcess },
        peer: { label: 'crun floor', run: floor },
        goalRatio: 3,
      },
      {
        group: 'start',
        work: '`create` (CLI)',
        podbay: { label: 'podbay create', run: podbay('create', '--network', 'none', '--rootfs', rootfs, '/bin/true') },
        peer: { label: 'podman create', run: podman('create', '--network', 'none', ...podmanUlimits, '--rootfs', rootfs, '/bin/true') },
      },
      {
        group: 'start',
        work: '`start` of a pre-created container (CLI)',
        podbay: {
          label: 'podbay start',
          before: () => {
            const result = spawnSync(process.execPath, [cliPath, ...podbayGlobals, 'create', '--network', 'none', '--rootfs', rootfs, '/bin/true'], { encoding: 'utf8' });
            podbayPrepared = result.stdout.trim();
          },
          run: () => podbay('start', podbayPrepared)(),
        },
        peer: {
          label: 'podman start',
          before: () => {
            const result = spawnSync('podman', [...podmanGlobals, 'create', '--network', 'none', ...podmanUlimits, '--rootfs', rootfs, '/bin/true'], { encoding: 'utf8' });
            podmanPrepared = result.stdout.trim();
          },
          run: () => podman('start', podmanPrepared)(),
        },
        goalRatio: 0.8,
      },
    ];
    return {
      cases,
      teardown: async () => {
        spawnSync(process.execPath, [cliPath, ...podbayGlobals, 'rm', '-f', '-a'], { stdio: 'ignore' });
        // The bridge kept between runs goes with its rules; then the namespace directory's mounts.
        spawnSync(process.execPath, [cliPath, ...podbayGlobals, 'network', 'prune', '-f'], { stdio: 'ignore' });
        spawnSync('umount', ['--lazy', join(dir, 'run', 'netns', 'netns-scratch')], { stdio: 'ignore' });
        spawnSync('umount', ['--lazy', join(dir, 'run', 'netns')], { stdio: 'ignore' });
        runtime.shutdown(true);
        closeSync(floorErrors);
        service.stop();
        spawnSync('podman', [...podmanGlobals, 'rm', '-f', '-a'], { stdio: 'ignore' });
        spawnSync('umount', ['-R', join(dir, 'podman-root', 'overlay')], { stdio: 'ignore' });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
