// Stores full of containers for the list and remove groups: the same rootfs containers in a Podbay
// store (in-process, fast) and in a throw-away podman root (its CLI, a few processes at a time).
import { spawn } from 'node:child_process';
import { withName, withRootFSFromPath } from '../../main/core/container-config.ts';
import type { Runtime } from '../../main/core/runtime.ts';

/** podman cannot apply its default rlimits without CAP_SYS_RESOURCE here (PERFORMANCE.md). */
export const podmanUlimits = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

/** Runs `podman create` for every name, four at a time (36 ms each, sequentially 36 s for 1,000). */
export async function podmanCreateMany(globals: string[], rootfs: string, names: string[]): Promise<void> {
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

/** Creates the named containers one after another, each its own transaction (as the UI does). */
export async function podbayCreateMany(runtime: Runtime, rootfs: string, names: string[]): Promise<void> {
  for (const name of names) await runtime.newContainer({ process: { args: ['true'] } }, [withName(name), withRootFSFromPath(rootfs)]);
}

export function containerNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}
