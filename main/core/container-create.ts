// `ContainerCreateOptions` (what the UI's Run dialog and the CLI's create/run flags say) → the
// container's spec and options (podman's specgen → libpod options step), then newContainer. An image
// is pulled first as the pull policy says (podman `--pull missing` by default).
import { refuseUnavailableLimits } from './rootless/rootless-limits.ts';
import { defaultNetworkMode, refuseRootlessNetwork } from './rootless/rootless-network.ts';
import { readKeepIdMappings, refuseKeepIdRootful } from './rootless/keep-id.ts';
import { hostIdentity } from './rootless/host-identity.ts';
import { PodbayError, hasCode } from '../../shared/errors.ts';
import type { ImagePullFrame } from '../../shared/types/images.ts';
import type { ContainerCreateOptions } from '../../shared/types/containers.ts';
import type { Container } from './container.ts';
import {
  withAutoRemove,
  withIdMappings,
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
  withSharedNamespaces,
  withStopTimeout,
  withHostNamespaces,
  hostNamespaceKinds,
} from './container-config.ts';
import type { ContainerOption, ContainerSpec, HostNamespaceKind, NamespaceKind } from './container-config.ts';
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
  /** The mode without --network: `bridge` (the default network) rootful, `slirp4netns` rootless. */
  defaultMode?: string;
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
  // keep-id runs the container as the user unless --user says otherwise, over the image's USER (podman).
  else if (input.userns === 'keep-id') spec.process.user = `${hostIdentity().uid}:${hostIdentity().gid}`;
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
  // Joining another container's network (container:NAME) gives it none of its own, as a pod member's.
  const joinsNetwork = joinedNamespaces(input).some((j) => j.kinds.includes('net'));
  if (input.network !== undefined && !joinsNetwork) options.push(withNetworkMode(input.network, defaults.defaultNetwork));
  else if (!defaults.podNetwork && !joinsNetwork) options.push(withNetworkMode(defaults.defaultMode ?? 'bridge', defaults.defaultNetwork));
  if (input.publish?.length) options.push(withPortMappings(parsePublishList(input.publish)));
  if (input.publishAll) options.push(withPublishAll());
  const fromHost = hostNamespaces(input);
  if (fromHost.length) options.push(withHostNamespaces(fromHost));
  options.push(...storageOptions(input));
  if (input.userns === 'keep-id') options.push(withIdMappings(readKeepIdMappings()));
  return { spec, options };
}

/** The namespaces taken from the host (podman --ipc/--pid/--uts host). */
export function hostNamespaces(input: Pick<ContainerCreateOptions, 'ipc' | 'pid' | 'uts'>): HostNamespaceKind[] {
  return hostNamespaceKinds.filter((kind) => input[kind] === 'host');
}

/**
 * The namespaces taken from other containers (podman --network/--ipc/--pid/--uts container:NAME),
 * grouped by source name. `container:` as one of several networks → ErrInvalidArg; another mode for
 * --ipc/--pid/--uts than `container:NAME`, `host` or `private` → ErrInvalidArg (podman's `ns:PATH`
 * and `shareable` → ErrNotImplemented).
 */
export function joinedNamespaces(input: Pick<ContainerCreateOptions, 'network' | 'ipc' | 'pid' | 'uts'>): { from: string; kinds: NamespaceKind[] }[] {
  const bySource = new Map<string, NamespaceKind[]>();
  const add = (from: string, kind: NamespaceKind) => bySource.set(from, [...(bySource.get(from) ?? []), kind]);
  const networks = input.network === undefined ? [] : typeof input.network === 'string' ? [input.network] : input.network;
  const joined = networks.filter((n) => n.startsWith('container:'));
  if (joined.length > 0) {
    if (networks.length > 1) throw new PodbayError('ErrInvalidArg', '--network container:NAME cannot be combined with other networks');
    const from = (joined[0] as string).slice('container:'.length);
    if (!from) throw new PodbayError('ErrInvalidArg', '--network container: needs a container name or id');
    add(from, 'net');
  }
  for (const kind of ['ipc', 'pid', 'uts'] as const) {
    const value = input[kind];
    if (value === undefined || value === 'private' || value === 'host') continue;
    if (!value.startsWith('container:') || value.length === 'container:'.length) {
      const podmanOnly = value.startsWith('ns:') || value === 'shareable';
      throw new PodbayError(podmanOnly ? 'ErrNotImplemented' : 'ErrInvalidArg', `--${kind} ${value}: expected private, host or container:NAME`);
    }
    add(value.slice('container:'.length), kind);
  }
  return [...bySource].map(([from, kinds]) => ({ from, kinds }));
}

/**
 * keep-id needs namespaces the container's user namespace owns: joining a pod's or another container's
 * (made in the engine's namespace) cannot work, so it is refused, as is keep-id rootful.
 */
function refuseKeepIdJoins(input: ContainerCreateOptions): void {
  refuseKeepIdRootful();
  if (input.pod !== undefined || joinedNamespaces(input).length > 0) {
    throw new PodbayError('ErrInvalidArg', '--userns=keep-id cannot be combined with --pod or with namespaces joined from another container');
  }
  // The engine's namespaces are no more the container user namespace's than another container's.
  const fromHost = hostNamespaces(input);
  if (fromHost.length > 0) throw new PodbayError('ErrInvalidArg', `--userns=keep-id cannot be combined with --${fromHost[0]} host`);
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
    defaultMode: defaultNetworkMode(),
  };
  // Options are checked before anything is pulled: a bad request never reaches a registry.
  if (input.userns === 'keep-id') refuseKeepIdJoins(input);
  containerSpecAndOptions(input, undefined, defaults);
  await refuseUnavailableLimits(input);
  if (!defaults.podNetwork) refuseRootlessNetwork(input.network);
  const imageId = await pullForCreate(runtime, input, hooks, wait.signal);
  const { spec, options } = containerSpecAndOptions(input, imageId, defaults);
  // A pod member joins its infra container's namespaces (runtime.newContainer adds them).
  if (pod) options.push(withPod(pod));
  for (const join of joinedNamespaces(input)) options.push(withSharedNamespaces(runtime.lookupContainer(join.from), join.kinds));
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
