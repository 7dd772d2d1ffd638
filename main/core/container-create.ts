// `ContainerCreateOptions` (what the UI's Run dialog and the CLI's create/run flags say) → the
// container's spec and options (podman's specgen → libpod options step), then newContainer.
import type { ContainerCreateOptions } from '../../shared/types/containers.ts';
import type { Container } from './container.ts';
import {
  withAutoRemove,
  withInit,
  withLabels,
  withName,
  withNetworkMode,
  withResources,
  withRootFSFromPath,
  withStdin,
  withStopSignal,
  withStopTimeout,
} from './container-config.ts';
import type { ContainerOption, ContainerSpec } from './container-config.ts';
import type { LockWaitOptions } from './lock/lock-manager.ts';
import type { Runtime } from './runtime.ts';

export function containerSpecAndOptions(input: ContainerCreateOptions): { spec: ContainerSpec; options: ContainerOption[] } {
  const spec: ContainerSpec = { process: { args: [...input.command] } };
  if (input.env?.length) spec.process.env = [...input.env];
  if (input.workdir) spec.process.cwd = input.workdir;
  if (input.user) spec.process.user = input.user;
  if (input.terminal) spec.process.terminal = true;
  if (input.hostname) spec.hostname = input.hostname;
  const options: ContainerOption[] = [withRootFSFromPath(input.rootfs)];
  if (input.name !== undefined) options.push(withName(input.name));
  if (input.labels && Object.keys(input.labels).length) options.push(withLabels(input.labels));
  if (input.stopSignal !== undefined) options.push(withStopSignal(input.stopSignal));
  if (input.stopTimeout !== undefined) options.push(withStopTimeout(input.stopTimeout));
  if (input.memoryBytes !== undefined || input.cpus !== undefined || input.pidsLimit !== undefined) {
    options.push(withResources({
      ...(input.memoryBytes !== undefined ? { memoryBytes: input.memoryBytes } : {}),
      ...(input.cpus !== undefined ? { cpus: input.cpus } : {}),
      ...(input.pidsLimit !== undefined ? { pidsLimit: input.pidsLimit } : {}),
    }));
  }
  if (input.init) options.push(withInit());
  if (input.stdin) options.push(withStdin());
  if (input.autoRemove) options.push(withAutoRemove());
  if (input.network !== undefined) options.push(withNetworkMode(input.network));
  return { spec, options };
}

/** Creates the container (and starts it with `start`). A failed start of an --rm container removes it. */
export async function createContainer(runtime: Runtime, input: ContainerCreateOptions, extra: ContainerOption[] = [], wait: LockWaitOptions = {}): Promise<Container> {
  const { spec, options } = containerSpecAndOptions(input);
  const ctr = await runtime.newContainer(spec, [...options, ...extra], wait);
  if (input.start) {
    try {
      await ctr.start(wait.signal ? { signal: wait.signal } : {});
    } catch (error) {
      if (input.autoRemove) await runtime.removeContainer(ctr, true).catch(() => undefined);
      throw error;
    }
  }
  return ctr;
}
