// Starting containers (PERFORMANCE.md's start rows): the CLI `run --rm`, what one click costs in
// process (create → start → wait → remove) against podman's REST API — what Podman Desktop drives —
// and against the bare OCI runtime, `create`, and `start` of a pre-created container. Both tools run
// the same busybox rootfs directory (`--rootfs`), so image storage does not enter these figures.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContainer } from '../../main/core/container-create.ts';
import { Runtime } from '../../main/core/runtime.ts';
import { defaultPaths, detectMode } from '../../main/core/runtime-paths.ts';
import { makeBusyboxRootfs } from '../../test/helpers/oci-rootfs.ts';
import { command } from '../measure.ts';
import { cliPath } from '../paths.ts';
import type { BenchCase, BenchGroup } from '../types.ts';

/** podman cannot apply its default rlimits without CAP_SYS_RESOURCE here (PERFORMANCE.md). */
const podmanUlimits = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

function rest(socket: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request({ socketPath: socket, method, path, headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function waitForSocket(path: string): Promise<void> {
  for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!existsSync(path)) throw new Error(`podman system service did not create ${path}`);
}

export const startGroup: BenchGroup = {
  name: 'start',
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-start-'));
    const rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    const podbayGlobals = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')];
    const podmanGlobals = ['--root', join(dir, 'podman-root'), '--runroot', join(dir, 'podman-run')];
    const podbay = (...args: string[]) => command([process.execPath, cliPath, ...podbayGlobals, ...args]);
    const podman = (...args: string[]) => command(['podman', ...podmanGlobals, ...args]);

    const runtime = Runtime.forPaths({ ...defaultPaths(detectMode()), graphRoot: join(dir, 'root'), runRoot: join(dir, 'run') });

    // podman's REST API on a unix socket, as Podman Desktop uses it.
    const socket = join(dir, 'podman.sock');
    const service: ChildProcess = spawn('podman', [...podmanGlobals, 'system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore' });
    await waitForSocket(socket);
    const api = '/v4.0.0/libpod';

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
      const created = await rest(socket, 'POST', `${api}/containers/create`, {
        rootfs,
        command: ['/bin/true'],
        netns: { nsmode: 'none' },
        r_limits: [
          { type: 'nofile', hard: 1024, soft: 1024 },
          { type: 'nproc', hard: 1024, soft: 1024 },
        ],
      });
      const id = (created.json as { Id?: string } | null)?.Id;
      if (created.status !== 201 || !id) throw new Error(`podman REST create answered ${created.status}: ${JSON.stringify(created.json)}`);
      const started = await rest(socket, 'POST', `${api}/containers/${id}/start`);
      if (started.status !== 204) throw new Error(`podman REST start answered ${started.status}: ${JSON.stringify(started.json)}`);
      await rest(socket, 'POST', `${api}/containers/${id}/wait`);
      await rest(socket, 'DELETE', `${api}/containers/${id}?force=true`);
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
        runtime.shutdown(true);
        closeSync(floorErrors);
        service.kill('SIGTERM');
        spawnSync('podman', [...podmanGlobals, 'rm', '-f', '-a'], { stdio: 'ignore' });
        spawnSync('umount', ['-R', join(dir, 'podman-root', 'overlay')], { stdio: 'ignore' });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
