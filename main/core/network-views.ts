// What listings and inspect report about the networks of containers and pods: their published ports
// (podman ps PORTS) and the networks they are on, read for many containers at once — one query of
// the connections, and an attachment file only for a running container whose host port was chosen
// at start — so listing a thousand containers stays a matter of milliseconds. A pod member reports
// its pod's: it lives in its infra container's network namespace.
import type { ContainerNetwork, PublishedPort } from '../../shared/types/networks.ts';
import type { ContainerConfig } from './container-config.ts';
import { ownsNetwork, usesSlirp } from './container-config.ts';
import { hasMonitor } from './container-state.ts';
import type { LifecycleContext } from './container-internal.ts';
import type { NetworkManager } from './network/network-manager.ts';
import type { PortMapping } from './network/port-mappings.ts';
import type { ContainerRecord } from './state/state.ts';
import { readSlirpPorts } from './rootless/slirp4netns.ts';

export interface NetworkView {
  ports: PublishedPort[];
  networks: string[];
}

const none: NetworkView = Object.freeze({ ports: [], networks: [] }) as NetworkView;

export function publishedPorts(mappings: readonly PortMapping[]): PublishedPort[] {
  return mappings.map((m) => ({ hostIp: m.host_ip, hostPort: m.host_port, containerPort: m.container_port, protocol: m.protocol, range: m.range }));
}

/** The container whose network namespace `config` uses: itself, or the container it joins. */
function networkOwnerId(config: Pick<ContainerConfig, 'id' | 'sharedNamespaces'>): string {
  return config.sharedNamespaces.net ?? config.id;
}

/**
 * The network view of each record, by container id. The network database is opened only when a
 * record (or the container it joins) has a bridge network.
 */
export async function networkViews(ctx: Pick<LifecycleContext, 'network' | 'state' | 'containerPaths'>, records: readonly ContainerRecord[]): Promise<Map<string, NetworkView>> {
  const views = new Map<string, NetworkView>();
  const owners = new Map<string, ContainerRecord>();
  const slirpOwners = new Map<string, ContainerRecord>();
  const state = ctx.state();
  for (const record of records) {
    const ownerId = networkOwnerId(record.config);
    if (owners.has(ownerId)) continue;
    const owner = ownerId === record.config.id ? record : state.hasContainer(ownerId) ? state.container(ownerId) : null;
    if (owner && ownsNetwork(owner.config)) owners.set(ownerId, owner);
    else if (owner && usesSlirp(owner.config)) slirpOwners.set(ownerId, owner);
  }
  let connections: Map<string, string[]> | null = null;
  let network: NetworkManager | null = null;
  if (owners.size > 0) {
    network = await ctx.network();
    connections = new Map();
    for (const c of network.db.allConnections()) {
      const list = connections.get(c.containerId);
      if (list) list.push(c.network);
      else connections.set(c.containerId, [c.network]);
    }
  }
  const ownerViews = new Map<string, NetworkView>();
  for (const [id, owner] of owners) {
    let mappings = owner.config.portMappings ?? [];
    // A port chosen at start (`-p 80`) is known from the running network's attachment.
    if (network && hasMonitor(owner.state.status) && mappings.some((m) => m.host_port === 0)) {
      mappings = network.attachmentOf(id)?.options.port_mappings ?? mappings;
    }
    ownerViews.set(id, { ports: publishedPorts(mappings), networks: connections?.get(id) ?? [] });
  }
  for (const [id, owner] of slirpOwners) {
    const mappings = owner.config.portMappings ?? [];
    // slirp4netns records the ports it forwards; one chosen at start is known only from there.
    const running = hasMonitor(owner.state.status) && mappings.some((m) => m.host_port === 0) ? readSlirpPorts(ctx.containerPaths(id).runDir) : null;
    ownerViews.set(id, { ports: publishedPorts(running ?? mappings), networks: [] });
  }
  for (const record of records) views.set(record.config.id, ownerViews.get(networkOwnerId(record.config)) ?? none);
  return views;
}

/** podman's NetworkSettings of one container: its mode and, per network, what it got there. */
export async function containerNetworkSettings(ctx: Pick<LifecycleContext, 'network' | 'state'>, config: ContainerConfig): Promise<{ mode: string; networks: ContainerNetwork[]; netnsPath: string | null }> {
  if (config.sharedNamespaces.net) {
    const owner = ctx.state().hasContainer(config.sharedNamespaces.net) ? ctx.state().container(config.sharedNamespaces.net).config : null;
    const inner = owner && ownsNetwork(owner) ? await containerNetworkSettings(ctx, owner) : { networks: [], netnsPath: null };
    return { mode: `container:${config.sharedNamespaces.net}`, networks: inner.networks, netnsPath: inner.netnsPath };
  }
  const mode = config.networkMode ?? 'none';
  if (!ownsNetwork(config)) return { mode, networks: [], netnsPath: null };
  const network = await ctx.network();
  const attachment = network.attachmentOf(config.id);
  const networks = network.connectionsOf(config.id).map((c): ContainerNetwork => {
    const iface = attachment?.status?.[c.network]?.interfaces?.[c.options.interfaceName];
    const subnets = iface?.subnets ?? [];
    return {
      network: c.network,
      interface: c.options.interfaceName,
      addresses: subnets.map((s) => s.ipnet),
      gateway: subnets.find((s) => s.gateway)?.gateway ?? null,
      macAddress: iface?.mac_address ?? null,
      aliases: c.options.aliases ?? [],
    };
  });
  return { mode, networks, netnsPath: attachment?.phase === 'up' ? attachment.netnsPath : null };
}
