// What list and inspect report about containers (libpod/container_inspect.go, podman ps), built from
// store records in one pass: listing 1,000 containers is one query and no per-container lookup.
import type { ContainerInspect, ContainerInspectMount, ContainerListItem } from '../../shared/types/containers.ts';
import type { Container } from './container.ts';
import { dependencies } from './container-config.ts';
import { containerNetworkSettings, networkViews } from './network-views.ts';
import type { NetworkView } from './network-views.ts';
import type { ContainerConfig } from './container-config.ts';
import { volumeMountPoint } from './volume.ts';
import type { Runtime } from './runtime.ts';
import type { State } from './state/state.ts';

/** `network`: its ports and networks (network-views.ts); none when not given. */
export function containerListItem(ctr: Container, podNames: ReadonlyMap<string, string>, network: NetworkView = { ports: [], networks: [] }): ContainerListItem {
  const config = ctr.view();
  const state = ctr.cachedState();
  return {
    id: config.id,
    name: config.name,
    image: config.rootfsImage?.name ?? '',
    rootfs: config.rootfs,
    command: [...config.spec.process.args],
    createdAt: config.createdAt,
    state: state.status,
    exitCode: state.exitCode,
    startedAt: state.startedAt,
    finishedAt: state.finishedAt,
    pid: state.pid,
    labels: { ...config.labels },
    podId: config.pod,
    podName: config.pod ? (podNames.get(config.pod) ?? null) : null,
    ports: network.ports.map((p) => ({ ...p })),
    networks: [...network.networks],
  };
}

export function podNameMap(state: State): Map<string, string> {
  return new Map(state.allPods().map((p) => [p.config.id, p.config.name]));
}

/** Network details of an inspect (network-views.ts containerNetworkSettings); none when not given. */
export interface InspectNetwork {
  view: NetworkView;
  settings: ContainerInspect['networkSettings'];
}

export function inspectContainer(ctr: Container, state: State, paths?: { logPath: string; graphRoot?: string }, network?: InspectNetwork): ContainerInspect {
  const graphRoot = paths?.graphRoot;
  const current = ctr.sync();
  const config = ctr.configuration();
  const names = config.pod ? new Map([[config.pod, state.pod(config.pod).config.name]]) : new Map<string, string>();
  return {
    ...containerListItem(ctr, names, network?.view),
    annotations: config.annotations,
    stopSignal: config.stopSignal,
    env: config.spec.process.env ?? [],
    workingDir: config.spec.process.cwd ?? null,
    hostname: config.spec.hostname ?? null,
    terminal: config.spec.process.terminal ?? false,
    rootfsImage: config.rootfsImage,
    sharedNamespaces: { ...config.sharedNamespaces },
    hostNamespaces: [...(config.hostNamespaces ?? [])],
    dependencies: dependencies(config),
    dependents: state.containerDependents(config.id),
    ociRuntime: config.ociRuntime ?? 'crun',
    conmonPid: current.conmonPid ?? 0,
    oomKilled: current.oomKilled ?? false,
    error: current.error ?? null,
    user: config.spec.process.user ?? '',
    stopTimeout: config.stopTimeout ?? 10,
    autoRemove: config.autoRemove ?? false,
    memoryBytes: config.resources?.memoryBytes ?? null,
    cpus: config.resources?.cpus ?? null,
    pidsLimit: config.resources?.pidsLimit ?? null,
    init: config.init ?? false,
    logPath: paths?.logPath ?? '',
    networkSettings: network?.settings ?? { mode: config.networkMode ?? 'none', networks: [], netnsPath: null },
    mounts: inspectMounts(config, graphRoot),
    readOnly: config.readOnlyRootfs ?? false,
    restartPolicy: { name: config.restartPolicy ?? 'no', maximumRetryCount: config.restartRetries ?? 0 },
    restartCount: current.restartCount ?? 0,
    logSizeMax: config.logSizeMax ?? -1,
  };
}

const propagationWords = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable'];

/** podman inspect's Mounts: binds, tmpfs and volumes, in the order they were given. */
export function inspectMounts(config: Pick<ContainerConfig, 'mounts' | 'namedVolumes'>, graphRoot: string | undefined): ContainerInspectMount[] {
  const view = (type: ContainerInspectMount['type'], source: string, destination: string, options: readonly string[]): ContainerInspectMount => ({
    type,
    source,
    destination,
    options: options.filter((o) => !propagationWords.includes(o) && o !== 'rw' && o !== 'ro'),
    rw: !options.includes('ro'),
    propagation: type === 'tmpfs' ? '' : (options.find((o) => propagationWords.includes(o)) ?? 'rprivate'),
  });
  return [
    ...(config.mounts ?? []).map((m) => view(m.type, m.type === 'bind' ? (m.source ?? '') : 'tmpfs', m.destination, m.options)),
    ...(config.namedVolumes ?? []).map((v) => ({
      ...view('volume', graphRoot ? volumeMountPoint(graphRoot, v.name) : '', v.destination, v.options),
      name: v.name,
      ...(v.anonymous ? { anonymous: true } : {}),
    })),
  ];
}

export interface ListContainersOptions {
  /** false: only running containers (podman ps without -a). */
  all?: boolean | undefined;
  filters?: Record<string, readonly string[]> | undefined;
}

/** `podman ps` in the core: filtered list items, oldest first, with their ports and networks. */
export async function listContainerItems(runtime: Runtime, options: ListContainersOptions = {}): Promise<ContainerListItem[]> {
  const state = runtime.state();
  const filters = { ...options.filters };
  let containers = runtime.listContainers(filters);
  if (options.all === false) containers = containers.filter((c) => c.cachedState().status === 'running');
  const names = podNameMap(state);
  const views = await networkViews(runtime, containers.map((c) => ({ config: c.view(), state: c.cachedState() })));
  return containers.map((c) => containerListItem(c, names, views.get(c.id())));
}

/** inspectContainer with the container's network details read from the store's networks. */
export async function inspectContainerWithNetwork(runtime: Runtime, ctr: Container): Promise<ContainerInspect> {
  const config = ctr.view();
  const [views, settings] = await Promise.all([networkViews(runtime, [{ config, state: ctr.sync() }]), containerNetworkSettings(runtime, config)]);
  return inspectContainer(ctr, runtime.state(), { ...runtime.containerPaths(ctr.id()), graphRoot: runtime.settings().storage.graphRoot }, { view: views.get(ctr.id()) ?? { ports: [], networks: [] }, settings });
}
