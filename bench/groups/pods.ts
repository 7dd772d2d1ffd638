// Pods (PERFORMANCE.md / issue 6): creating and starting a pod with three containers — what the
// Create pod flow costs — in-process against the same calls on podman's REST API (pod create, three
// container creates in the pod, pod start), and the same through each CLI. Both sides run the same
// busybox rootfs (`--rootfs`) with the pod's infra holding net/ipc/uts and no network attached, so the
// figures are about pods, not networks or images. The previous run's pod is removed outside the timing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withName, withPod, withRootFSFromPath } from '../../main/core/container-config.ts';
import { withPodInfra, withPodName } from '../../main/core/pod-config.ts';
import { Runtime } from '../../main/core/runtime.ts';
import { defaultPaths, detectMode } from '../../main/core/runtime-paths.ts';
import { makeBusyboxRootfs } from '../../test/helpers/oci-rootfs.ts';
import { command } from '../measure.ts';
import { podmanService } from '../podman-service.ts';
import type { BenchCase, BenchGroup } from '../types.ts';

const members = ['a', 'b', 'c'];
const memberCommand = ['sleep', '1000'];

export const podsGroup: BenchGroup = {
  name: 'pods',
  async setup(context) {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-pods-'));
    const rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    const root = join(dir, 'root');
    const runRoot = join(dir, 'run');
    const podbayGlobals = ['--root', root, '--runroot', runRoot];
    const podmanGlobals = ['--root', join(dir, 'podman-root'), '--runroot', join(dir, 'podman-run')];
    const runtime = Runtime.forPaths({ ...defaultPaths(detectMode()), graphRoot: root, runRoot });
    // As the window and the web host run it (main/ipc/handlers/runtime.ts): exits cleaned in-process.
    runtime.cleanUpExitsInProcess();
    const service = await podmanService(podmanGlobals, dir);
    let serial = 0;

    // `sleep` as PID 1 ignores SIGTERM: kill first, or each removal waits out the stop timeout.
    const removePodbayPods = async () => {
      for (const pod of runtime.pods()) {
        await pod.kill('KILL').catch(() => undefined);
        await runtime.removePod(pod, true, {});
      }
    };
    const removePodmanPods = async () => {
      await service.call('POST', '/pods/bench/kill?signal=SIGKILL');
      await service.call('DELETE', '/pods/bench?force=true');
    };

    const inProcess = async () => {
      const name = `bench-${serial++}`;
      const pod = await runtime.newPod([withPodName(name), withPodInfra(true)]);
      for (const member of members) {
        await runtime.newContainer({ process: { args: memberCommand } }, [withName(`${name}-${member}`), withRootFSFromPath(rootfs), withPod(pod)]);
      }
      const errors = await pod.start();
      if (errors.size > 0) throw new Error(`pod start: ${[...errors.values()].map((e) => e.message).join('; ')}`);
    };
    const overRest = async () => {
      const pod = (await service.expect(201, 'POST', '/pods/create', { name: 'bench', netns: { nsmode: 'none' } })) as { Id: string };
      for (const member of members) {
        await service.expect(201, 'POST', '/containers/create', { name: `bench-${member}`, pod: pod.Id, rootfs, command: memberCommand });
      }
      const started = await service.call('POST', '/pods/bench/start');
      if (started.status !== 200) throw new Error(`podman REST pod start answered ${started.status}: ${JSON.stringify(started.json)}`);
    };

    const cli = (argv: string[]) => () => {
      const result = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
      if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr?.toString().slice(0, 500)}`);
    };
    const podbayCli = async () => {
      const name = `cli-${serial++}`;
      cli(context.podbayArgv([...podbayGlobals, 'pod', 'create', '--network', 'none', '--name', name]))();
      for (const member of members) cli(context.podbayArgv([...podbayGlobals, 'create', '--pod', name, '--name', `${name}-${member}`, '--rootfs', rootfs, ...memberCommand]))();
      cli(context.podbayArgv([...podbayGlobals, 'pod', 'start', name]))();
    };
    const podmanCli = async () => {
      const podman = (...args: string[]) => cli(['podman', ...podmanGlobals, ...args])();
      podman('pod', 'create', '--network', 'none', '--name', 'bench');
      for (const member of members) podman('create', '--pod', 'bench', '--name', `bench-${member}`, '--rootfs', rootfs, ...memberCommand);
      podman('pod', 'start', 'bench');
    };

    const cases: BenchCase[] = [
      {
        group: 'pods',
        work: 'create + start a pod with 3 containers in-process vs podman REST API',
        podbay: { label: 'Runtime in-process', before: removePodbayPods, run: inProcess },
        peer: { label: 'podman REST API', before: removePodmanPods, run: overRest },
        goalRatio: 0.3,
      },
      {
        group: 'pods',
        work: '`pod create` + 3 × `create --pod` + `pod start` (CLI processes)',
        podbay: { label: 'podbay CLI', before: removePodbayPods, run: podbayCli },
        peer: { label: 'podman CLI', before: removePodmanPods, run: podmanCli },
      },
    ];
    return {
      cases,
      teardown: async () => {
        await removePodbayPods().catch(() => undefined);
        runtime.shutdown(true);
        await removePodmanPods().catch(() => undefined);
        service.stop();
        command(['podman', ...podmanGlobals, 'pod', 'rm', '-f', '-a', '-t', '0'])();
        spawnSync('umount', ['-R', join(dir, 'podman-root', 'overlay')], { stdio: 'ignore' });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
