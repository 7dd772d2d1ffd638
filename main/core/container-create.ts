// `ContainerCreateOptions` (what the UI's Run dialog and the CLI's create/run flags say) → the
// container's spec and options (podman's specgen → libpod options step), then newContainer. An image
// is pulled first as the pull policy says (podman `--pull missing` by default).
import { refuseUnavailableLimits } from './rootless/rootless-limits.ts';
import { refuseRootlessNetwork } from './rootless/rootless-network.ts';
import { PodbayError, hasCode } from '../../shared/errors.ts';
import type { ImagePullFrame } from '../../shared/types/images.ts';
import type { ContainerCreateOptions } from '../../shared/types/containers.ts';
import type { Container } from './container.ts';
import {
  withAutoRemove,
  withInit,
  withLabels,
  withName,
  withNetworkMode,
  withPod,
  withPortMappings,
  withPublishAll,
  withResources,
  withRootFSFromImage,
  withRootFSFromPath,
  withStdin,
  withStopSignal,
  withStopTimeout,
} from './container-config.ts';
import type { ContainerOption, ContainerSpec } from './container-config.ts';
import { storageOptions } from './container-mounts.ts';
import type { LockWaitOptions } from './lock/lock-manager.ts';
import { parsePublishList } from './network/port-mappings.ts';
import type { Runtime } from './runtime.ts';

/** Where the container's network comes from when `input.network` says nothing. */
export interface NetworkDefaults {
  /** The runtime's default network (what `bridge` means). */
  defaultNetwork?: string;
  /** It joins a pod that shares its network: then it gets none of its own (podman). */
  podNetwork?: boolean;
}

/**
 * `imageId`: the image a pull just stored, pinned so a short name cannot resolve to another. Without
 * `input.network` the container is on the default bridge network, as podman's rootful default.
 */
export function containerSpecAndOptions(input: ContainerCreateOptions, imageId?: string, defaults: NetworkDefaults = {}): { spec: ContainerSpec; options: ContainerOption[] } {
  const spec: ContainerSpec = { process: { args: [...input.command] } };
  if (input.entrypoint) spec.process.entrypoint = [...input.entrypoint];
  if (input.env?.length) spec.process.env = [...input.env];
  if (input.workdir) spec.process.cwd = input.workdir;
  if (input.user) spec.process.user = input.user;
  if (input.terminal) spec.process.terminal = true;
  if (input.hostname) spec.hostname = input.hostname;
  if ((input.rootfs === undefined) === (input.image === undefined)) throw new PodbayError('ErrInvalidArg', 'a container needs exactly one of an image and a rootfs path');
  const options: ContainerOption[] = [input.image !== undefined ? withRootFSFromImage(input.image, true, imageId) : withRootFSFromPath(input.rootfs as string)];
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
  if (input.network !== undefined) options.push(withNetworkMode(input.network, defaults.defaultNetwork));
  else if (!defaults.podNetwork) options.push(withNetworkMode('bridge', defaults.defaultNetwork));
  if (input.publish?.length) options.push(withPortMappings(parsePublishList(input.publish)));
  if (input.publishAll) options.push(withPublishAll());
  options.push(...storageOptions(input));
  return { spec, options };
}

export interface CreateHooks {
  /** Progress of a pull the policy makes (podman prints it on stderr). */
  onPullFrame?: (frame: ImagePullFrame) => void;
}

/**
 * podman's pull policy before create: `always` pulls; `missing` pulls when the store has no image by
 * that name or ID; `never` pulls nothing. Returns the ID a pull stored, or undefined (resolved by name).
 */
export async function pullForCreate(runtime: Runtime, input: ContainerCreateOptions, hooks: CreateHooks = {}, signal?: AbortSignal): Promise<string | undefined> {
  const name = input.image;
  if (name === undefined) return undefined;
  const policy = input.pull ?? 'missing';
  if (policy === 'never') return undefined;
  const images = await runtime.images();
  if (policy === 'missing') {
    try {
      images.store.lookupImageId(name);
      return undefined;
    } catch (error) {
      if (!hasCode(error, 'ErrNoSuchImage')) throw error;
    }
  }
  // A name with a digest or an ID prefix cannot be pulled by name: only names go to a registry.
  const pulled = await images.pull(name, {
    ...(input.tlsVerify !== undefined ? { tlsVerify: input.tlsVerify } : {}),
    ...(hooks.onPullFrame ? { onFrame: hooks.onPullFrame } : {}),
    ...(signal ? { signal } : {}),
  });
  return pulled[0]?.id;
}

/**
 * Creates the container (and starts it with `start`), pulling its image first as `input.pull` says.
 * A failed start of an --rm container removes it.
 */
export async function createContainer(runtime: Runtime, input: ContainerCreateOptions, extra: ContainerOption[] = [], wait: LockWaitOptions = {}, hooks: CreateHooks = {}): Promise<Container> {
  const pod = input.pod !== undefined ? runtime.lookupPod(input.pod) : null;
  const defaults: NetworkDefaults = {
    defaultNetwork: runtime.settings().network.defaultNetwork,
    podNetwork: pod !== null && pod.infraContainerId() !== null && pod.sharedNamespaces().includes('net'),
  };
  // Options are checked before anything is pulled: a bad request never reaches a registry.
  containerSpecAndOptions(input, undefined, defaults);
  await refuseUnavailableLimits(input);
  refuseRootlessNetwork(input.network, defaults.podNetwork === true, Boolean(input.publish?.length || input.publishAll));
  const imageId = await pullForCreate(runtime, input, hooks, wait.signal);
  const { spec, options } = containerSpecAndOptions(input, imageId, defaults);
  // A pod member joins its infra container's namespaces (runtime.newContainer adds them).
  if (pod) options.push(withPod(pod));
  const ctr = await runtime.newContainer(spec, [...options, ...extra], wait);
  if (input.start) {
    try {
      await ctr.start(wait.signal ? { signal: wait.signal } : {});
    } catch (error) {
      if (input.autoRemove) await runtime.removeContainer(ctr, true, { volumes: true }).catch(() => undefined);
      throw error;
    }
  }
  return ctr;
}
