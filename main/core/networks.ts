// The network verbs of the engine (podman pkg/domain/infra/abi/network.go: NetworkList, Inspect,
// Create, Remove, Connect, Disconnect, Prune, Exists) over the store's NetworkManager, with the
// events that keep open windows current (podman's network events: create, remove, connect,
// disconnect, prune). Connecting and disconnecting a running container changes its network live.
import { PodbayError, hasCode, toErrorData } from '../../shared/errors.ts';
import type { NetworkCreateOptions, NetworkListItem, NetworkMember, NetworkRemoveReport } from '../../shared/types/networks.ts';
import type { Container } from './container.ts';
import { ownsNetwork } from './container-config.ts';
import { containerLockTargets } from './lock/lock-manager.ts';
import type { NetworkConfig } from './network/network-config.ts';
import type { NetworkManager } from './network/network-manager.ts';
import type { Runtime } from './runtime.ts';

function emit(runtime: Runtime, action: string, network: Pick<NetworkConfig, 'id' | 'name'>, attributes: Record<string, string> = {}): void {
  runtime.events().write({ type: 'network', action, id: network.id, name: network.name, attributes });
}

function item(network: NetworkManager, config: NetworkConfig, members: NetworkMember[]): NetworkListItem {
  return {
    name: config.name,
    id: config.id,
    driver: config.driver,
    interface: config.network_interface,
    subnets: config.subnets.map((s) => ({ subnet: s.subnet, gateway: s.gateway ?? null })),
    ipv6: config.ipv6_enabled,
    internal: config.internal,
    dnsEnabled: config.dns_enabled,
    createdAt: config.created,
    labels: { ...config.labels },
    options: { ...config.options },
    isDefault: config.name === network.defaultNetwork.name,
    containers: members,
  };
}

/** Who is on each network: names from the store (a rename shows), addresses while the network is up. */
function membersByNetwork(runtime: Runtime, network: NetworkManager, only?: string): Map<string, NetworkMember[]> {
  const state = runtime.state();
  const byNetwork = new Map<string, NetworkMember[]>();
  const connections = only === undefined ? network.db.allConnections() : network.db.connectionsTo(only);
  for (const c of connections) {
    const status = network.attachmentOf(c.containerId)?.status?.[c.network];
    const iface = status?.interfaces?.[c.options.interfaceName];
    const member: NetworkMember = {
      id: c.containerId,
      name: state.hasContainer(c.containerId) ? state.container(c.containerId).config.name : c.containerName,
      interface: c.options.interfaceName,
      addresses: iface?.subnets?.map((s) => s.ipnet) ?? [],
      aliases: c.options.aliases ?? [],
    };
    const list = byNetwork.get(c.network);
    if (list) list.push(member);
    else byNetwork.set(c.network, [member]);
  }
  for (const list of byNetwork.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return byNetwork;
}

export interface NetworkListOptions {
  /** podman network ls --filter: name, id (prefixes), driver, label (key or key=value), dangling (true: no containers). */
  filters?: Record<string, readonly string[]> | undefined;
}

const filterKeys = ['name', 'id', 'driver', 'label', 'dangling'];

/** Every network, sorted by name, filtered as podman network ls filters (keys AND'ed, values OR'ed; labels AND'ed). */
export async function listNetworks(runtime: Runtime, options: NetworkListOptions = {}): Promise<NetworkListItem[]> {
  const network = await runtime.network();
  for (const key of Object.keys(options.filters ?? {})) {
    if (!filterKeys.includes(key)) throw new PodbayError('ErrInvalidArg', `invalid network filter "${key}": use ${filterKeys.join(', ')}`);
  }
  const members = membersByNetwork(runtime, network);
  const items = network.all().map((config) => item(network, config, members.get(config.name) ?? []));
  return items.filter((n) => matchesFilters(n, options.filters ?? {}));
}

function matchesFilters(n: NetworkListItem, filters: Record<string, readonly string[]>): boolean {
  for (const [key, values] of Object.entries(filters)) {
    if (values.length === 0) continue;
    switch (key) {
      case 'name':
        if (!values.some((v) => n.name.includes(v))) return false;
        break;
      case 'id':
        if (!values.some((v) => n.id.startsWith(v))) return false;
        break;
      case 'driver':
        if (!values.includes(n.driver)) return false;
        break;
      case 'label':
        if (!values.every((v) => (v.includes('=') ? n.labels[v.slice(0, v.indexOf('='))] === v.slice(v.indexOf('=') + 1) : v in n.labels))) return false;
        break;
      case 'dangling': {
        const want = values.some((v) => v === 'true' || v === '1');
        if ((n.containers.length === 0) !== want) return false;
        break;
      }
    }
  }
  return true;
}

/** One network by name, full id or unique id prefix → ErrNoSuchNetwork. */
export async function inspectNetwork(runtime: Runtime, nameOrId: string): Promise<NetworkListItem> {
  const network = await runtime.network();
  const config = network.get(nameOrId);
  return item(network, config, membersByNetwork(runtime, network, config.name).get(config.name) ?? []);
}

export async function networkExists(runtime: Runtime, nameOrId: string): Promise<boolean> {
  return (await runtime.network()).exists(nameOrId);
}

/**
 * podman network create: a bridge network, its name, bridge and subnet chosen when not given, DNS on
 * unless `dnsEnabled: false` (as podman with aardvark-dns). Taken name → ErrNetworkExists, bad
 * values or an overlapping subnet → ErrInvalidArg. Emits `create`.
 */
export async function createNetwork(runtime: Runtime, options: NetworkCreateOptions = {}): Promise<NetworkListItem> {
  const network = await runtime.network();
  const existed = options.name !== undefined && options.ignoreExisting === true && network.exists(options.name);
  const config = network.create({
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.subnets?.length ? { subnets: options.subnets.map((s) => ({ subnet: s.subnet, ...(s.gateway ? { gateway: s.gateway } : {}) })) } : {}),
    internal: options.internal ?? false,
    dnsEnabled: options.dnsEnabled ?? true,
    ...(options.labels ? { labels: options.labels } : {}),
    ...(options.options ? { options: options.options } : {}),
    ...(options.interfaceName ? { interfaceName: options.interfaceName } : {}),
    ...(options.ignoreExisting ? { ignoreExisting: true } : {}),
  });
  if (!existed) emit(runtime, 'create', config);
  return inspectNetwork(runtime, config.name);
}

/**
 * podman network rm: each network on its own, one report each. In use → ErrNetworkInUse unless
 * `force`, which removes the containers using it first (stopping running ones, `timeout` seconds
 * before SIGKILL), as podman does. The default network → ErrInvalidArg. Emits `remove`.
 */
export async function removeNetworks(runtime: Runtime, nameOrIds: readonly string[], options: { force?: boolean; timeout?: number; signal?: AbortSignal } = {}): Promise<NetworkRemoveReport[]> {
  const network = await runtime.network();
  const reports: NetworkRemoveReport[] = [];
  for (const nameOrId of nameOrIds) {
    let name: string | null = null;
    const removedContainers: string[] = [];
    try {
      options.signal?.throwIfAborted();
      const config = network.get(nameOrId);
      name = config.name;
      if (config.name === network.defaultNetwork.name) throw new PodbayError('ErrInvalidArg', `the default network ${config.name} cannot be removed`);
      const users = network.db.connectionsTo(config.name).map((c) => c.containerId);
      if (users.length > 0 && !options.force) {
        const state = runtime.state();
        const names = users.map((id) => (state.hasContainer(id) ? state.container(id).config.name : id.slice(0, 12)));
        throw new PodbayError('ErrNetworkInUse', `network ${config.name} is being used by ${users.length} container(s): ${names.join(', ')}`);
      }
      if (users.length > 0) {
        const state = runtime.state();
        const ctrs = users.filter((id) => state.hasContainer(id)).map((id) => runtime.getContainer(id));
        const results = await runtime.removeContainers(ctrs, true, { ...(options.timeout !== undefined ? { timeout: options.timeout } : {}), ...(options.signal ? { signal: options.signal } : {}) });
        for (const [id, error] of results) {
          if (error && !hasCode(error, 'ErrCtrRemoved')) throw new PodbayError(error.code, `removing container ${id.slice(0, 12)} of network ${config.name}: ${error.message}`, { cause: error });
          removedContainers.push(id);
        }
      }
      await network.remove(config.name, { force: true, ...(options.signal ? { signal: options.signal } : {}) });
      emit(runtime, 'remove', config);
      reports.push({ nameOrId, name, removedContainers, error: null });
    } catch (error) {
      reports.push({ nameOrId, name, removedContainers, error: toErrorData(error) });
    }
  }
  return reports;
}

export interface NetworkConnectOptions {
  aliases?: string[] | undefined;
  /** A static IPv4 and/or IPv6 address on the network. */
  staticIps?: string[] | undefined;
  staticMac?: string | undefined;
  interfaceName?: string | undefined;
  signal?: AbortSignal;
}

/** Locks the container (and its pod) for a connect/disconnect, as podman's NetworkConnect does. */
async function withContainer<T>(runtime: Runtime, ctr: Container, fn: () => Promise<T>): Promise<T> {
  const config = ctr.view();
  if (!ownsNetwork(config)) {
    const why = config.sharedNamespaces.net ? 'it uses the network of its pod' : `its network mode is ${config.networkMode ?? 'none'}`;
    throw new PodbayError('ErrInvalidArg', `container ${config.name} cannot change networks: ${why} (only containers on bridge networks can)`);
  }
  const handle = await runtime.locks().acquire(containerLockTargets(config), {});
  try {
    return await fn();
  } finally {
    handle.release();
  }
}

/**
 * podman network connect: the container joins the network, live when it runs (netavark sets the
 * new interface up in its namespace). Already connected → ErrNetworkExists; no such network →
 * ErrNoSuchNetwork; a container not on bridge networks → ErrInvalidArg. Emits `connect`.
 */
export async function connectContainer(runtime: Runtime, networkName: string, ctr: Container, options: NetworkConnectOptions = {}): Promise<void> {
  const network = await runtime.network();
  const config = network.get(networkName);
  await withContainer(runtime, ctr, () =>
    network.connect({ id: ctr.id(), name: ctr.name() }, config.name, {
      ...(options.aliases?.length ? { aliases: options.aliases } : {}),
      ...(options.staticIps?.length ? { staticIps: options.staticIps } : {}),
      ...(options.staticMac ? { staticMac: options.staticMac } : {}),
      ...(options.interfaceName ? { interfaceName: options.interfaceName } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  emit(runtime, 'connect', config, { container: ctr.id(), containerName: ctr.name() });
}

/** podman network disconnect: the container leaves the network (live when it runs). Not connected → ErrInvalidArg. Emits `disconnect`. */
export async function disconnectContainer(runtime: Runtime, networkName: string, ctr: Container, options: { signal?: AbortSignal } = {}): Promise<void> {
  const network = await runtime.network();
  const config = network.get(networkName);
  await withContainer(runtime, ctr, () => network.disconnect(ctr.id(), config.name, options.signal ? { signal: options.signal } : {}));
  emit(runtime, 'disconnect', config, { container: ctr.id(), containerName: ctr.name() });
}

/**
 * podman network prune: removes every network but the default one that no container is connected
 * to, then does the idle work crashes and fast teardowns leave (stale networks torn down, idle
 * bridges and their firewall rules removed). Returns the names removed. Emits `remove` for each.
 */
export async function pruneNetworks(runtime: Runtime, options: { filters?: Record<string, readonly string[]>; signal?: AbortSignal } = {}): Promise<string[]> {
  const network = await runtime.network();
  const unused = (await listNetworks(runtime, { filters: options.filters })).filter((n) => !n.isDefault && n.containers.length === 0);
  const removed: string[] = [];
  for (const n of unused) {
    options.signal?.throwIfAborted();
    try {
      const config = network.get(n.name);
      await network.remove(n.name, options.signal ? { signal: options.signal } : {});
      emit(runtime, 'remove', config);
      removed.push(n.name);
    } catch (error) {
      // Connected meanwhile (another process): no longer unused.
      if (!hasCode(error, 'ErrNetworkInUse') && !hasCode(error, 'ErrNoSuchNetwork')) throw error;
    }
  }
  await runtime.cleanupStaleNetworks({ sweep: true, ...(options.signal ? { signal: options.signal } : {}) });
  return removed;
}
