// Networks for containers and pods, as libpod's network code (libpod/networking_linux.go +
// common/libnetwork/netavark): definitions (create/list/inspect/remove), which container is
// connected to which network (connect/disconnect), and a container's network lifecycle — setup
// when it starts (netns, IPAM, netavark, port publishing) and teardown when it stops — with
// cleanupStale to undo whatever a crash left behind.
//
// On disk:
//   <graphRoot>/networks/<name>.json      definitions (network-config.ts)
//   <graphRoot>/networks/ipam.db          allocations, connections, the netavark lease (network-db.ts)
//   <runRoot>/networks/                   netavark's --config dir (aardvark-dns state)
//   <runRoot>/netns/netns-<uuid>          network namespaces (netns.ts)
//   <runRoot>/network-attachments/<id>.json  what was set up for a running container: its netns and
//                                         the exact options netavark got, so teardown (also after a
//                                         crash, by another process) removes exactly those rules.
// The run root is a tmpfs: after a reboot the attachments vanish with the namespaces, interfaces
// and iptables rules they describe; cleanupStale then frees the allocations left in ipam.db.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PodbayError, wrap } from '../../../shared/errors.ts';
import { realExec } from '../exec.ts';
import type { Exec } from '../exec.ts';
import { currentProcessIdentity } from '../lock/lock-manager.ts';
import type { IpNet } from './ip-address.ts';
import { formatNet, parseCidr } from './ip-address.ts';
import { Ipam } from './ipam.ts';
import type { Allocation } from './ipam.ts';
import { Netavark, networkChainHash, onlyMissingVeth } from './netavark.ts';
import type { NetavarkNetworkOptions, PerNetworkOptions, StatusBlocks } from './netavark.ts';
import { NetnsManager } from './netns.ts';
import type { NetnsTools } from './netns.ts';
import {
  bridgeNamePrefix,
  defaultNetworkConfig,
  defaultNetworkSettings,
  networkInUseCode,
  NetworkFileStore,
  newNetworkId,
  normalizeSubnets,
  readHostRoutes,
  readInterfaceRoutes,
  validateNetworkConfig,
  validateNetworkName,
} from './network-config.ts';
import type { DefaultNetworkSettings, NetworkConfig, NetworkSubnet } from './network-config.ts';
import { NetworkDb, networkDbFileName } from './network-db.ts';
import type { Connection, ConnectionOptions } from './network-db.ts';
import { assertNoOverlap, resolveHostPorts, socketPortProbe } from './port-mappings.ts';
import type { PortMapping, PortProbe } from './port-mappings.ts';

export interface NetworkManagerOptions {
  graphRoot: string;
  runRoot: string;
  exec?: Exec;
  netavarkPath?: string;
  aardvarkPath?: string;
  netnsTools?: NetnsTools;
  /** The mount table (unit tests with a fake exec pass their own). */
  mounts?: () => Map<string, { shared: boolean }>;
  /** The host's routes a new subnet must not overlap; default reads /proc/net. */
  hostRoutes?: () => IpNet[];
  /** The routes of one host interface (whose subnets a bridge carries); default reads /proc/net. */
  interfaceRoutes?: (name: string) => IpNet[];
  portProbe?: PortProbe;
  /** Does /sys/class/net/<name> exist? Used to pick a bridge name nobody uses. */
  interfaceExists?: (name: string) => boolean;
  /** Where bridges list their ports (<dir>/<bridge>/brif); default /sys/class/net. */
  sysClassNet?: string;
  now?: () => Date;
  busyTimeoutMs?: number;
  /** For the one chain netavark 1.4 can leave behind (see dropPortChain). */
  iptablesPath?: string;
  ip6tablesPath?: string;
  /** The default network's name, subnet and bridge (podbay.conf [network]); default podbay from the pool. */
  defaultNetwork?: DefaultNetworkSettings;
}

export interface NetworkCreateOptions {
  /** Default: the first free "podbayN", as podman names networks "podmanN". */
  name?: string;
  /** Default: the first free 10.89.N.0/24 (podman's default subnet pool). */
  subnets?: NetworkSubnet[];
  internal?: boolean;
  /** Run aardvark-dns on the bridge so containers resolve each other by name. Default false. */
  dnsEnabled?: boolean;
  /** Bridge interface name; default the first free "podbayN". */
  interfaceName?: string;
  labels?: Record<string, string>;
  /** Bridge options: mtu, vlan, isolate. */
  options?: Record<string, string>;
  /** An existing network of that name is returned instead of ErrNetworkExists (podman --ignore). */
  ignoreExisting?: boolean;
}

export interface NetworkListItem {
  name: string;
  id: string;
  driver: string;
  subnets: string[];
  internal: boolean;
  dnsEnabled: boolean;
  created: string;
  /** Containers connected to it (by the bookkeeping of connect/disconnect). */
  containers: number;
}

export interface NetworkInspect extends NetworkConfig {
  containers: Record<string, { name: string; interface: string; addresses: string[]; macAddress?: string }>;
}

export interface NetworkRemoveOptions {
  /** Remove even when containers use it: they are disconnected (torn down if running) first. */
  force?: boolean;
  /** Containers the state knows to use the network beyond those connected here (libpod checks its DB). */
  usedBy?: (network: NetworkConfig) => string[] | Promise<string[]>;
  signal?: AbortSignal;
}

export interface NetworkRemoveReport {
  name: string;
  id: string;
  /** Containers that were using it; with force the caller removes them, as podman does. */
  containers: string[];
}

export interface ContainerRef {
  id: string;
  name: string;
}

export interface NetworkConnectOptions {
  aliases?: string[];
  staticIps?: string[];
  staticMac?: string;
  /** Default: the next free ethN of the container. */
  interfaceName?: string;
  signal?: AbortSignal;
}

export interface NetworkSetupOptions {
  portMappings?: readonly PortMapping[];
  dnsServers?: string[];
  /**
   * A namespace made beforehand with `netns.create()`, so the OCI runtime can create the container
   * in it while netavark configures it (both need only the path). setup owns it from then on:
   * a failed setup removes it.
   */
  netnsPath?: string;
  signal?: AbortSignal;
}

/** What setup leaves behind for one container, read by teardown and cleanupStale. */
export interface NetworkAttachment {
  containerId: string;
  containerName: string;
  netnsPath: string;
  /** 'setting-up' until netavark answered: a crash in between is torn down like a finished setup. */
  phase: 'setting-up' | 'up';
  options: NetavarkNetworkOptions;
  status: StatusBlocks | null;
  createdAt: string;
}

export interface NetworkSetupReport {
  /** The namespace to put in the OCI spec: {type: 'network', path: netnsPath}. */
  netnsPath: string;
  status: StatusBlocks;
  /** Port mappings as set up, with host ports chosen for "any free port". */
  portMappings: PortMapping[];
}

/**
 * A setup whose namespace exists and is recorded, with netavark still to run: the OCI runtime can
 * create the container in `netnsPath` while `complete()` configures it (both need only the path).
 */
export interface PendingNetworkSetup {
  readonly netnsPath: string;
  /** Runs netavark; on failure everything of this setup is undone (namespace, rules, addresses) and the error thrown. */
  complete(): Promise<NetworkSetupReport>;
}

export interface NetworkCleanupOptions {
  /** True while the container's process may still use its namespace (running, paused, stopping). */
  isLive: (containerId: string) => boolean;
  /** True while the container exists at all; connections of those that don't are forgotten. */
  exists?: (containerId: string) => boolean;
  /** Also take down idle bridges (sweepIdleBridges); default true. The exit-command path skips it. */
  sweep?: boolean;
  signal?: AbortSignal;
}

export interface NetworkCleanupReport {
  tornDown: string[];
  netnsRemoved: string[];
  allocationsReleased: string[];
  connectionsForgotten: string[];
  bridgesRemoved: string[];
  problems: string[];
}

const attachmentIdPattern = /^[0-9a-f]{64}$|^[0-9a-zA-Z][0-9a-zA-Z_.-]{0,127}$/;

export class NetworkManager {
  readonly graphRoot: string;
  readonly runRoot: string;
  readonly files: NetworkFileStore;
  readonly db: NetworkDb;
  readonly ipam: Ipam;
  readonly netns: NetnsManager;
  readonly netavark: Netavark;
  readonly attachmentsDir: string;
  private readonly hostRoutes: () => IpNet[];
  private readonly interfaceRoutes: (name: string) => IpNet[];
  private readonly portProbe: PortProbe;
  private readonly interfaceExists: (name: string) => boolean;
  private readonly sysClassNet: string;
  private readonly now: () => Date;
  private leaseChain: Promise<void> = Promise.resolve();
  private readonly exec: Exec;
  private readonly iptables: { 4: string; 6: string };
  /** The default network's settings; `defaultNetwork.name` is the network `bridge` means. */
  readonly defaultNetwork: DefaultNetworkSettings;

  constructor(options: NetworkManagerOptions) {
    this.defaultNetwork = { ...(options.defaultNetwork ?? defaultNetworkSettings) };
    const exec = options.exec ?? realExec;
    this.exec = exec;
    this.iptables = { 4: options.iptablesPath ?? '/usr/sbin/iptables', 6: options.ip6tablesPath ?? '/usr/sbin/ip6tables' };
    this.graphRoot = options.graphRoot;
    this.runRoot = options.runRoot;
    this.files = new NetworkFileStore(join(options.graphRoot, 'networks'));
    this.db = NetworkDb.open(join(options.graphRoot, 'networks', networkDbFileName), { busyTimeoutMs: options.busyTimeoutMs });
    this.ipam = new Ipam(this.db);
    this.netns = new NetnsManager(join(options.runRoot, 'netns'), exec, options.netnsTools, options.mounts);
    this.netavark = new Netavark({ binary: options.netavarkPath, aardvarkBinary: options.aardvarkPath, configDir: join(options.runRoot, 'networks'), exec });
    this.attachmentsDir = join(options.runRoot, 'network-attachments');
    this.hostRoutes = options.hostRoutes ?? (() => readHostRoutes());
    this.interfaceRoutes = options.interfaceRoutes ?? ((name) => readInterfaceRoutes(name));
    this.portProbe = options.portProbe ?? socketPortProbe;
    this.sysClassNet = options.sysClassNet ?? '/sys/class/net';
    this.interfaceExists = options.interfaceExists ?? ((name) => existsSync(join(this.sysClassNet, name)));
    this.now = options.now ?? (() => new Date());
  }

  close(): void {
    this.db.close();
  }

  // --- definitions ------------------------------------------------------------------------------

  /** Every network, the default one included (created on first use). */
  list(): NetworkListItem[] {
    this.ensureDefault();
    const counts = new Map<string, number>();
    for (const c of this.db.allConnections()) counts.set(c.network, (counts.get(c.network) ?? 0) + 1);
    return this.readNetworks().map((n) => ({
      name: n.name,
      id: n.id,
      driver: n.driver,
      subnets: n.subnets.map((s) => s.subnet),
      internal: n.internal,
      dnsEnabled: n.dns_enabled,
      created: n.created,
      containers: counts.get(n.name) ?? 0,
    }));
  }

  /** Every network definition, sorted by name, the default one included (created on first use). */
  all(): NetworkConfig[] {
    this.ensureDefault();
    return this.readNetworks();
  }

  /** A network by name, full id or unique id prefix → ErrNoSuchNetwork when none. */
  get(nameOrId: string): NetworkConfig {
    if (nameOrId === this.defaultNetwork.name) this.ensureDefault();
    const networks = this.readNetworks();
    const byName = networks.find((n) => n.name === nameOrId);
    if (byName) return byName;
    if (/^[0-9a-f]{1,64}$/.test(nameOrId)) {
      const matches = networks.filter((n) => n.id.startsWith(nameOrId));
      if (matches.length === 1 && matches[0]) return matches[0];
      if (matches.length > 1) throw new PodbayError('ErrInvalidArg', `more than one network has an id starting with ${nameOrId}`);
    }
    throw new PodbayError('ErrNoSuchNetwork', `network ${nameOrId} not found`);
  }

  exists(nameOrId: string): boolean {
    try {
      this.get(nameOrId);
      return true;
    } catch {
      return false;
    }
  }

  inspect(nameOrId: string): NetworkInspect {
    const config = this.get(nameOrId);
    const containers: NetworkInspect['containers'] = {};
    for (const c of this.db.connectionsTo(config.name)) {
      const attachment = this.readAttachment(c.containerId);
      const iface = attachment?.status?.[config.name]?.interfaces?.[c.options.interfaceName];
      const entry: NetworkInspect['containers'][string] = {
        name: c.containerName,
        interface: c.options.interfaceName,
        addresses: iface?.subnets?.map((s) => s.ipnet) ?? [],
      };
      if (iface?.mac_address) entry.macAddress = iface.mac_address;
      containers[c.containerId] = entry;
    }
    return { ...config, containers };
  }

  /**
   * Creates a network definition. Name, bridge and subnet are chosen when not given; every check of
   * network-config.ts applies (bad values → ErrInvalidArg, taken name → ErrNetworkExists). The check
   * and the write happen under the database's write lock, so two processes never pick the same
   * subnet or bridge.
   */
  create(options: NetworkCreateOptions = {}): NetworkConfig {
    if (options.name !== undefined) validateNetworkName(options.name);
    // The default network takes part in overlap checks even before anything used it, as podman's
    // synthesised "podman" network does.
    this.ensureDefault();
    const routes = this.hostRoutes();
    return this.db.immediate(() => {
      const existing = this.readNetworks();
      if (options.name !== undefined) {
        const same = existing.find((n) => n.name === options.name);
        if (same) {
          if (options.ignoreExisting) return same;
          throw new PodbayError('ErrNetworkExists', `network ${options.name} already exists`);
        }
      }
      const internal = options.internal ?? false;
      const dnsEnabled = options.dnsEnabled ?? false;
      const name = options.name ?? this.freeNumberedName(existing.map((n) => n.name));
      const subnets = options.subnets?.length
        ? normalizeSubnets(name, options.subnets, !internal || dnsEnabled)
        : normalizeSubnets(name, [{ subnet: this.freeSubnet(existing, routes) }], !internal || dnsEnabled);
      const config: NetworkConfig = {
        name,
        id: newNetworkId(),
        driver: 'bridge',
        network_interface: options.interfaceName ?? this.freeBridgeName(existing),
        created: this.now().toISOString(),
        subnets,
        ipv6_enabled: subnets.some((s) => s.subnet.includes(':')),
        internal,
        dns_enabled: dnsEnabled,
        ipam_options: { driver: 'host-local' },
      };
      if (options.labels && Object.keys(options.labels).length) config.labels = { ...options.labels };
      if (options.options && Object.keys(options.options).length) config.options = { ...options.options };
      validateNetworkConfig(config, existing, routes);
      this.files.write(config);
      return config;
    });
  }

  /**
   * Removes a network. In use (connected containers, or any `usedBy` names) → the in-use error
   * unless `force`, which first disconnects them (tearing down those running). The default network
   * cannot be removed (ErrInvalidArg), as podman refuses to remove "podman".
   */
  async remove(nameOrId: string, options: NetworkRemoveOptions = {}): Promise<NetworkRemoveReport> {
    const config = this.get(nameOrId);
    if (config.name === this.defaultNetwork.name) throw new PodbayError('ErrInvalidArg', `the default network ${config.name} cannot be removed`);
    const connected = this.db.connectionsTo(config.name).map((c) => c.containerId);
    const extra = options.usedBy ? await options.usedBy(config) : [];
    const users = [...new Set([...connected, ...extra])];
    if (users.length > 0 && !options.force) {
      throw new PodbayError(networkInUseCode, `network ${config.name} is being used by ${users.length} container(s): ${users.map((id) => id.slice(0, 12)).join(', ')}`);
    }
    for (const id of connected) await this.disconnect(id, config.name, { signal: options.signal });
    // A bridge kept up by keepBridge teardowns goes with its network.
    if (this.interfaceExists(config.network_interface) && this.bridgeIsOurs(config) && !this.readAttachments().some((a) => a.options.network_info[config.name])) {
      await this.sweepBridge(config, options.signal);
    }
    this.db.immediate(() => {
      this.files.remove(config.name);
      for (const id of connected) this.db.removeConnection(id, config.name);
    });
    this.ipam.releaseNetwork(config.name);
    return { name: config.name, id: config.id, containers: users };
  }

  /**
   * Writes the default network's file if it is missing (first use), as podman synthesises "podman".
   * Its subnet and bridge are the settings' or, when those are null, the first free ones at that
   * moment: a 10.89.N.0/24 no network of ours and no host route uses (so it never shadows podman's
   * own 10.88.0.0/16 "podman" network), and podbay0 unless the host has that interface already.
   */
  ensureDefault(): NetworkConfig {
    const { name } = this.defaultNetwork;
    const existing = this.readNetworks().find((n) => n.name === name);
    if (existing) return existing;
    const routes = this.defaultNetwork.subnet === null ? this.hostRoutes() : [];
    return this.db.immediate(() => {
      const networks = this.readNetworks();
      const again = networks.find((n) => n.name === name);
      if (again) return again;
      const subnet = this.defaultNetwork.subnet ?? this.freeSubnet(networks, routes);
      const bridge = this.defaultNetwork.interface ?? this.freeBridgeName(networks, 0);
      const config = defaultNetworkConfig(subnet, bridge, name, this.now());
      // Checked against our other networks, not against host routes: a bridge of ours already up
      // with this subnet routes it, and the definition must exist regardless (a clash shows at setup).
      validateNetworkConfig(config, networks);
      this.files.write(config);
      return config;
    });
  }

  // --- connections ------------------------------------------------------------------------------

  /**
   * Records that a container is on a network (at container create, or `network connect`). When the
   * container's network is up, the network is also set up live in its namespace, as podman's
   * NetworkConnect does; a failure then undoes the record. Already connected → ErrNetworkExists.
   */
  async connect(container: ContainerRef, nameOrId: string, options: NetworkConnectOptions = {}): Promise<Connection> {
    const network = this.get(nameOrId);
    const connection = this.db.immediate(() => {
      const mine = this.db.connectionsOf(container.id);
      const used = new Set(mine.map((c) => c.options.interfaceName));
      let interfaceName = options.interfaceName;
      if (interfaceName === undefined) {
        let n = 0;
        while (used.has(`eth${n}`)) n++;
        interfaceName = `eth${n}`;
      } else if (used.has(interfaceName) || !/^[a-zA-Z0-9_.-]{1,15}$/.test(interfaceName)) {
        throw new PodbayError('ErrInvalidArg', `interface name ${interfaceName} is invalid or already used by container ${container.id.slice(0, 12)}`);
      }
      const connectionOptions: ConnectionOptions = { interfaceName };
      if (options.aliases?.length) connectionOptions.aliases = [...options.aliases];
      if (options.staticIps?.length) connectionOptions.staticIps = [...options.staticIps];
      if (options.staticMac) connectionOptions.staticMac = options.staticMac;
      const c: Connection = { containerId: container.id, containerName: container.name, network: network.name, options: connectionOptions };
      this.db.addConnection(c);
      return c;
    });
    const attachment = this.readAttachment(container.id);
    if (attachment?.phase === 'up') {
      let partial: NetavarkNetworkOptions | null = null;
      try {
        await this.withLease(options.signal, async () => {
          const perNetwork = this.perNetworkOptions(container.id, connection, network);
          partial = {
            container_id: container.id,
            container_name: container.name,
            networks: { [network.name]: perNetwork },
            network_info: { [network.name]: network },
          };
          const updated: NetworkAttachment = {
            ...attachment,
            options: {
              ...attachment.options,
              networks: { ...attachment.options.networks, [network.name]: perNetwork },
              network_info: { ...attachment.options.network_info, [network.name]: network },
            },
          };
          // Recorded before netavark runs, so a crash in between is still torn down completely.
          this.writeAttachment(updated);
          const status = await this.netavark.setup(attachment.netnsPath, partial, { signal: options.signal });
          this.writeAttachment({ ...updated, status: { ...(attachment.status ?? {}), ...status } });
        });
      } catch (error) {
        // netavark may have got half-way: undo its part for this one network before forgetting it.
        const ran: NetavarkNetworkOptions | null = partial;
        if (ran) {
          await this.withLease(undefined, () => this.netavark.teardown(attachment.netnsPath, ran)).catch(() => undefined);
        }
        this.ipam.release(container.id, network.name);
        this.db.removeConnection(container.id, network.name);
        const current = this.readAttachment(container.id);
        if (current) this.writeAttachment(withoutNetwork(current, network.name));
        throw wrap(error, `connecting container ${container.id.slice(0, 12)} to network ${network.name}`);
      }
    }
    return connection;
  }

  /**
   * Forgets a connection; when the container's network is up, that network is torn down in its
   * namespace first (podman NetworkDisconnect). Not connected → ErrInvalidArg.
   */
  async disconnect(containerId: string, nameOrId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const networkName = this.db.connectionsOf(containerId).find((c) => c.network === nameOrId)?.network ?? this.get(nameOrId).name;
    if (!this.db.connectionsOf(containerId).some((c) => c.network === networkName)) {
      throw new PodbayError('ErrInvalidArg', `container ${containerId.slice(0, 12)} is not connected to network ${networkName}`);
    }
    const attachment = this.readAttachment(containerId);
    if (attachment?.options.networks[networkName]) {
      const only = onlyNetwork(attachment.options, networkName);
      await this.withLease(options.signal, async () => {
        if (this.netns.isMounted(attachment.netnsPath)) {
          await this.netavark.teardown(attachment.netnsPath, only, { signal: options.signal }).catch((error: unknown) => {
            if (!onlyMissingVeth(error)) throw error;
          });
        } else {
          await this.teardownInScratch({ ...attachment, options: only }, options.signal);
        }
      });
      this.writeAttachment(withoutNetwork(attachment, networkName));
    }
    this.ipam.release(containerId, networkName);
    this.db.immediate(() => this.db.removeConnection(containerId, networkName));
  }

  /** Forgets every connection of a removed container (its network must be down already). */
  disconnectAll(containerId: string): void {
    this.db.immediate(() => this.db.removeConnectionsOf(containerId));
    this.ipam.release(containerId);
  }

  connectionsOf(containerId: string): Connection[] {
    return this.db.connectionsOf(containerId);
  }

  // --- a container's network lifecycle ----------------------------------------------------------

  /**
   * Brings a container's networks up before its process starts: a new namespace, one address per
   * subnet of every connected network, netavark setup with the port mappings. Already up → the
   * existing attachment (idempotent). A container connected to no network (all disconnected) gets
   * a namespace with only loopback. Host ports in use, by the host or another container of ours →
   * ErrInvalidArg. On any failure everything done so far is undone.
   */
  async setup(container: ContainerRef, options: NetworkSetupOptions = {}): Promise<NetworkSetupReport> {
    return (await this.beginSetup(container, options)).complete();
  }

  /**
   * The first half of setup: checks the port mappings, creates (or adopts) the namespace and records
   * the attachment in its `setting-up` phase, so a crash from here on is torn down completely. The
   * returned `complete()` runs netavark. A failure here has undone its own part.
   */
  async beginSetup(container: ContainerRef, options: NetworkSetupOptions = {}): Promise<PendingNetworkSetup> {
    const { signal } = options;
    const existing = this.readAttachment(container.id);
    if (existing?.phase === 'up' && existing.status && this.netns.isMounted(existing.netnsPath)) {
      const report: NetworkSetupReport = { netnsPath: existing.netnsPath, status: existing.status, portMappings: existing.options.port_mappings ?? [] };
      return { netnsPath: report.netnsPath, complete: async () => report };
    }
    if (existing) await this.teardown(container.id, { signal });
    const connections = this.db.connectionsOf(container.id);
    const networks = connections.map((c) => this.get(c.network));
    if (options.netnsPath !== undefined && !this.netns.owns(options.netnsPath)) {
      throw new PodbayError('ErrInvalidArg', `${options.netnsPath} is not a namespace made by this network manager`);
    }

    const requested = connections.length ? [...(options.portMappings ?? [])] : [];
    for (const other of this.readAttachments()) {
      if (other.containerId !== container.id) assertNoOverlap(requested, other.options.port_mappings ?? [], `container ${other.containerName}`);
    }
    let netnsPath: string | null = null;
    let attachment: NetworkAttachment;
    try {
      const portMappings = await resolveHostPorts(requested, this.portProbe, signal);
      const netavarkOptions: NetavarkNetworkOptions = { container_id: container.id, container_name: container.name, networks: {}, network_info: {} };
      for (const [i, c] of connections.entries()) {
        const network = networks[i] as NetworkConfig;
        netavarkOptions.networks[network.name] = this.perNetworkOptions(container.id, c, network);
        netavarkOptions.network_info[network.name] = network;
      }
      if (portMappings.length) netavarkOptions.port_mappings = portMappings;
      if (options.dnsServers?.length) netavarkOptions.dns_servers = [...options.dnsServers];
      attachment = {
        containerId: container.id,
        containerName: container.name,
        netnsPath: options.netnsPath ?? this.netns.newPath(),
        phase: 'setting-up',
        options: netavarkOptions,
        status: null,
        createdAt: this.now().toISOString(),
      };
      // Recorded before the namespace exists: a cleanup in another process never takes it for a stray.
      this.writeAttachment(attachment);
      if (options.netnsPath === undefined) netnsPath = await this.netns.create(signal, attachment.netnsPath);
    } catch (error) {
      if (netnsPath) await this.netns.remove(netnsPath).catch(() => undefined);
      this.ipam.release(container.id);
      this.removeAttachment(container.id);
      throw wrap(error, `setting up the network of container ${container.id.slice(0, 12)}`);
    }
    const recorded = attachment;
    return { netnsPath: recorded.netnsPath, complete: () => this.completeSetup(recorded, networks, signal) };
  }

  private async completeSetup(attachment: NetworkAttachment, networks: readonly NetworkConfig[], signal?: AbortSignal): Promise<NetworkSetupReport> {
    const { containerId } = attachment;
    const portMappings = attachment.options.port_mappings ?? [];
    if (Object.keys(attachment.options.networks).length === 0) {
      // Connected to no network: the namespace keeps only loopback, netavark has nothing to do.
      this.writeAttachment({ ...attachment, phase: 'up', status: {} });
      return { netnsPath: attachment.netnsPath, status: {}, portMappings };
    }
    let netavarkStarted = false;
    try {
      const status = await this.withLease(signal, () => {
        // Again under the lease, where it is authoritative: another process may have published the
        // same host port since the check above (a DNAT'd port is invisible to the bind probe).
        for (const other of this.readAttachments()) {
          if (other.containerId !== containerId && other.phase === 'up') {
            assertNoOverlap(portMappings, other.options.port_mappings ?? [], `container ${other.containerName}`);
          }
        }
        netavarkStarted = true;
        return this.netavark.setup(attachment.netnsPath, attachment.options, { signal });
      });
      this.writeAttachment({ ...attachment, phase: 'up', status });
      if (portMappings.length) for (const network of networks) this.markPortChain(network.name, true);
      return { netnsPath: attachment.netnsPath, status, portMappings };
    } catch (error) {
      // Undo in reverse, never letting a cleanup error hide the reason setup failed. Once netavark
      // ran (even cut short), its teardown must run too, and is not cancellable: it is the cleanup.
      if (netavarkStarted) {
        await this.teardown(containerId).catch(() => undefined);
      } else {
        await this.netns.remove(attachment.netnsPath).catch(() => undefined);
        this.ipam.release(containerId);
        this.removeAttachment(containerId);
      }
      throw wrap(error, `setting up the network of container ${containerId.slice(0, 12)}`);
    }
  }

  /**
   * Takes a container's networks down after its process exited: netavark teardown (iptables rules,
   * veth, and the bridge when it was the last user), the namespace, the addresses. Idempotent; the
   * attachment record is removed last, so an interrupted teardown is finished by cleanupStale.
   * A netavark failure is thrown after the namespace and addresses are released anyway.
   *
   * `keepBridge` is the fast path (here about 17 ms instead of about 185 ms without ports): netavark removes the
   * container's own firewall rules through the scratch namespace, and the container's namespace is
   * simply unmounted — the kernel destroys it, and the veth with it, in the background, off our
   * critical path. The bridge and the network's shared rules stay up for the next container, as
   * Docker keeps docker0; sweepIdleBridges (or cleanupStale, or removing the network) takes them
   * down. A container with no published port on networks without DNS has no firewall or aardvark
   * state of its own (netavark 1.4 adds only the network's shared rules for it), so then netavark
   * is not run at all: unmounting the namespace is the whole teardown. Without keepBridge, teardown
   * is exactly podman's.
   */
  async teardown(containerId: string, options: { signal?: AbortSignal; keepBridge?: boolean } = {}): Promise<void> {
    const attachment = this.readAttachment(containerId);
    if (!attachment) {
      this.ipam.release(containerId);
      return;
    }
    let failure: unknown = null;
    if (Object.keys(attachment.options.networks).length > 0 && !(options.keepBridge && !hasContainerState(attachment))) {
      try {
        await this.withLease(options.signal, async () => {
          if (this.netns.isMounted(attachment.netnsPath) && !options.keepBridge) {
            // A veth already gone (a setup that failed half-way) is no failure: netavark removed
            // the rules regardless, and a bridge it therefore kept is left to the sweep.
            await this.netavark.teardown(attachment.netnsPath, attachment.options, { signal: options.signal }).catch((error: unknown) => {
              if (!onlyMissingVeth(error)) throw error;
            });
          } else {
            await this.teardownInScratch(attachment, options.signal);
          }
          const hadPorts = (attachment.options.port_mappings ?? []).length > 0;
          for (const network of Object.values(attachment.options.network_info)) {
            // The bridge is gone: this was the network's last container (netavark's complete teardown).
            if (this.interfaceExists(network.network_interface)) continue;
            if (!hadPorts && this.portChainMarked(network.name)) await this.dropPortChain(network);
            this.markPortChain(network.name, false);
          }
        });
      } catch (error) {
        failure = error;
      }
    }
    await this.netns.remove(attachment.netnsPath, options.signal);
    this.ipam.release(containerId);
    if (failure) {
      // Keep the record (with no namespace) so cleanupStale retries the firewall part.
      throw wrap(failure, `tearing down the network of container ${containerId.slice(0, 12)}`);
    }
    this.removeAttachment(containerId);
  }

  /** The attachment of a container whose network is up (or was interrupted), else null. */
  attachmentOf(containerId: string): NetworkAttachment | null {
    return this.readAttachment(containerId);
  }

  /**
   * Undoes what crashes left behind, for a start of the app or `system check`: networks of
   * containers that are no longer live are torn down, namespaces nobody records are removed,
   * addresses of dead containers are freed, connections of containers that no longer exist are
   * forgotten, and bridges of ours with no container left are removed with their firewall rules.
   * Each problem is reported, none stops the rest.
   */
  async cleanupStale(options: NetworkCleanupOptions): Promise<NetworkCleanupReport> {
    const report: NetworkCleanupReport = { tornDown: [], netnsRemoved: [], allocationsReleased: [], connectionsForgotten: [], bridgesRemoved: [], problems: [] };
    const { signal } = options;
    for (const attachment of this.readAttachments()) {
      signal?.throwIfAborted();
      if (options.isLive(attachment.containerId)) continue;
      try {
        await this.teardown(attachment.containerId, { signal });
        report.tornDown.push(attachment.containerId);
      } catch (error) {
        // The namespace and addresses are gone; the record stays so the next cleanup retries the
        // firewall part (through a scratch namespace).
        report.problems.push((error as Error).message);
      }
    }
    const referenced = new Set(this.readAttachments().map((a) => a.netnsPath));
    for (const path of this.netns.list()) {
      if (referenced.has(path)) continue;
      // A setup in another process records its namespace before making it: look again before removing.
      if (this.readAttachments().some((a) => a.netnsPath === path)) continue;
      try {
        await this.netns.remove(path, signal);
        report.netnsRemoved.push(path);
      } catch (error) {
        report.problems.push((error as Error).message);
      }
    }
    // A sweep's namespace outlives it only when the sweep was killed: then nobody holds the lease.
    if (!this.db.leaseHeld(currentProcessIdentity())) {
      for (const path of this.netns.listSweeps()) {
        try {
          await this.netns.remove(path, signal);
          report.netnsRemoved.push(path);
        } catch (error) {
          report.problems.push((error as Error).message);
        }
      }
    }
    // Only isLive decides: a container starting in another process holds its addresses a moment
    // before its attachment is written, and must not lose them.
    report.allocationsReleased = this.ipam.gc(options.isLive);
    if (options.exists) {
      const exists = options.exists;
      const gone = [...new Set(this.db.allConnections().map((c) => c.containerId))].filter((id) => !exists(id));
      this.db.immediate(() => {
        for (const id of gone) this.db.removeConnectionsOf(id);
      });
      report.connectionsForgotten = gone;
    }
    if (options.sweep !== false) {
      const swept = await this.sweepIdleBridges({ signal });
      report.bridgesRemoved = swept.bridgesRemoved;
      report.problems.push(...swept.problems);
    }
    return report;
  }

  /**
   * Takes down the bridges of our networks that no container uses — left by keepBridge teardowns
   * or by a crash — with the networks' firewall rules, through netavark's own complete teardown.
   * For the app to call when idle (and at quit); each sweep costs about one podman-style teardown.
   */
  async sweepIdleBridges(options: { signal?: AbortSignal } = {}): Promise<{ bridgesRemoved: string[]; problems: string[] }> {
    const result = { bridgesRemoved: [] as string[], problems: [] as string[] };
    const inUse = new Set(this.readAttachments().flatMap((a) => Object.values(a.options.network_info).map((n) => n.network_interface)));
    for (const network of this.readNetworks()) {
      if (inUse.has(network.network_interface) || !this.interfaceExists(network.network_interface)) continue;
      if (!this.bridgeIsOurs(network)) {
        result.problems.push(`bridge ${network.network_interface} carries another subnet than network ${network.name}'s: another store's, left alone`);
        continue;
      }
      try {
        if (!(await this.sweepBridge(network, options.signal))) continue;
        if (this.interfaceExists(network.network_interface)) result.problems.push(`bridge ${network.network_interface} still has interfaces attached: it stays until the next sweep`);
        else result.bridgesRemoved.push(network.network_interface);
      } catch (error) {
        result.problems.push((error as Error).message);
      }
    }
    return result;
  }

  // --- internals ----------------------------------------------------------------------------------

  /** Reads are lock-free; mutations re-read inside db.immediate() before deciding. */
  private readNetworks(): NetworkConfig[] {
    return this.files.readAll().networks;
  }

  private perNetworkOptions(containerId: string, connection: Connection, network: NetworkConfig): PerNetworkOptions {
    const allocations: Allocation[] = this.ipam.allocate(network, containerId, connection.options.staticIps ?? []);
    const options: PerNetworkOptions = { interface_name: connection.options.interfaceName, static_ips: allocations.map((a) => a.address) };
    if (connection.options.aliases?.length) options.aliases = [...connection.options.aliases];
    if (connection.options.staticMac) options.static_mac = connection.options.staticMac;
    return options;
  }

  private freeNumberedName(names: readonly string[]): string {
    const taken = new Set(names);
    let n = 1;
    while (taken.has(`${bridgeNamePrefix}${n}`)) n++;
    return `${bridgeNamePrefix}${n}`;
  }

  /** podbay1, podbay2… (podbay0 is the default network's), skipping names used by a network or the host. */
  private freeBridgeName(existing: readonly NetworkConfig[], from = 1): string {
    const taken = new Set(existing.map((n) => n.network_interface));
    for (let n = from; n < 100_000; n++) {
      const name = `${bridgeNamePrefix}${n}`;
      if (!taken.has(name) && !this.interfaceExists(name)) return name;
    }
    throw new PodbayError('ErrInternal', 'no free bridge name left');
  }

  /** The first 10.89.N.0/24 … 10.255.255.0/24 no network and no host route uses (podman's default pool). */
  private freeSubnet(existing: readonly NetworkConfig[], routes: readonly IpNet[]): string {
    const used = [...existing.flatMap((n) => n.subnets.map((s) => parseCidr(s.subnet))).filter((n): n is IpNet => n !== null), ...routes];
    for (let second = 89; second <= 255; second++) {
      for (let third = 0; third <= 255; third++) {
        const candidate = parseCidr(`10.${second}.${third}.0/24`) as IpNet;
        if (!used.some((u) => u.family === 4 && overlapsV4(u, candidate))) return formatNet(candidate);
      }
    }
    throw new PodbayError('ErrInternal', 'no free subnet left in 10.89.0.0-10.255.255.0');
  }

  /** One netavark run at a time, across processes (podman holds its network lock the same way). */
  private async withLease<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const previous = this.leaseChain;
    let done!: () => void;
    this.leaseChain = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
      const token = randomUUID();
      const self = currentProcessIdentity();
      let wait = 2;
      const deadline = Date.now() + 120_000;
      while (!this.db.tryTakeLease(token, self)) {
        if (signal?.aborted) throw new PodbayError('ErrCanceled', 'waiting for the network lock: canceled');
        if (Date.now() > deadline) throw new PodbayError('ErrCanceled', 'waiting for the network lock: another process has held it for 2 minutes');
        await sleep(wait);
        wait = Math.min(wait * 2, 50);
      }
      try {
        return await fn();
      } finally {
        this.db.releaseLease(token);
      }
    } finally {
      done();
    }
  }

  /**
   * netavark teardown pointed at the shared empty scratch namespace instead of the container's:
   * used when the container's namespace is gone (unmounted by hand, or a half-finished teardown)
   * and for keepBridge. netavark's veth removal then fails — the veth is not there — and netavark
   * goes on to remove the container's firewall rules; that one failure is expected, any other is
   * thrown. With no veth seen leaving, netavark never decides the bridge is idle.
   */
  private async teardownInScratch(attachment: NetworkAttachment, signal?: AbortSignal): Promise<void> {
    const scratch = await this.netns.scratch(signal);
    try {
      await this.netavark.teardown(scratch, attachment.options, { signal });
    } catch (error) {
      if (!onlyMissingVeth(error)) throw error;
    }
  }

  /**
   * Removes a bridge of ours that no container uses (left by a crash) together with the network's
   * firewall chains, using netavark's own teardown logic: a throwaway container is set up on the
   * network and torn down, and as the last one leaving it takes the bridge and rules with it.
   */
  private async sweepBridge(network: NetworkConfig, signal?: AbortSignal): Promise<boolean> {
    // Veths of keepBridge teardowns leave the bridge when the kernel destroys their namespaces, in
    // the background (seconds on a loaded host); netavark sees the bridge idle only once they are gone.
    for (let i = 0; i < 500 && this.bridgeMembers(network.network_interface) > 0; i++) await sleep(20);
    const sweeperId = `podbay-sweep-${randomUUID()}`;
    // All under the lease, the namespace included: a cleanup elsewhere leaves sweep namespaces alone
    // while the lease is held, and removes those a crash left once it is free.
    return this.withLease(signal, async () => {
      // Another process may have brought a container up on it since the caller looked: not idle then.
      if (this.readAttachments().some((a) => a.options.network_info[network.name])) return false;
      const netnsPath = await this.netns.create(signal, this.netns.newSweepPath());
      try {
        const allocations = this.ipam.allocate(network, sweeperId);
        const options: NetavarkNetworkOptions = {
          container_id: sweeperId,
          container_name: sweeperId,
          networks: { [network.name]: { interface_name: 'eth0', static_ips: allocations.map((a) => a.address) } },
          network_info: { [network.name]: network },
        };
        await this.netavark.setup(netnsPath, options, { signal });
        await this.netavark.teardown(netnsPath, options, { signal });
        await this.dropPortChain(network);
        this.markPortChain(network.name, false);
        return true;
      } finally {
        this.ipam.release(sweeperId);
        await this.netns.remove(netnsPath);
      }
    });
  }

  /**
   * Whether the host's bridge of that name is this network's: another store on the host may have
   * a network with the same bridge name (chosen while ours was down), and its bridge must not be
   * swept for ours. A bridge with no address tells nothing either way and is taken as ours.
   */
  private bridgeIsOurs(network: NetworkConfig): boolean {
    const carried = this.interfaceRoutes(network.network_interface);
    if (carried.length === 0) return true;
    const ours = network.subnets.map((s) => parseCidr(s.subnet)).filter((n): n is IpNet => n !== null);
    return carried.some((route) => ours.some((net) => net.family === route.family && net.prefix === route.prefix && net.network === route.network));
  }

  private bridgeMembers(bridge: string): number {
    try {
      return readdirSync(join(this.sysClassNet, bridge, 'brif')).length;
    } catch {
      return 0;
    }
  }

  /**
   * netavark 1.4 removes a network's NETAVARK-DN-<hash> chain only when the container leaving last
   * had port mappings itself; after `-p` containers left first, the empty chain stays. A marker
   * file says the chain may exist, so only then is one `iptables -X` spent on it (it fails
   * harmlessly when the chain is gone or still referenced).
   */
  private async dropPortChain(network: NetworkConfig): Promise<void> {
    const chain = `NETAVARK-DN-${networkChainHash(network.name)}`;
    const families = new Set(network.subnets.map((s) => (s.subnet.includes(':') ? 6 : 4) as 4 | 6));
    for (const family of families) {
      await this.exec(this.iptables[family], ['-t', 'nat', '-X', chain, '--wait'], { timeoutMs: 10_000 }).catch(() => undefined);
    }
  }

  private portChainMarker(networkName: string): string {
    return join(this.attachmentsDir, 'port-chains', networkName);
  }

  private portChainMarked(networkName: string): boolean {
    return existsSync(this.portChainMarker(networkName));
  }

  private markPortChain(networkName: string, on: boolean): void {
    const marker = this.portChainMarker(networkName);
    if (!on) {
      rmSync(marker, { force: true });
      return;
    }
    mkdirSync(join(this.attachmentsDir, 'port-chains'), { recursive: true, mode: 0o700 });
    closeSync(openSync(marker, 'a', 0o600));
  }

  private attachmentFile(containerId: string): string {
    if (!attachmentIdPattern.test(containerId)) throw new PodbayError('ErrInvalidArg', `invalid container id ${containerId}`);
    return join(this.attachmentsDir, `${containerId}.json`);
  }

  private readAttachment(containerId: string): NetworkAttachment | null {
    try {
      return JSON.parse(readFileSync(this.attachmentFile(containerId), 'utf8')) as NetworkAttachment;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw wrap(error, `reading the network attachment of container ${containerId.slice(0, 12)}`);
    }
  }

  private readAttachments(): NetworkAttachment[] {
    let names: string[];
    try {
      names = readdirSync(this.attachmentsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => this.readAttachment(n.slice(0, -5)))
      .filter((a): a is NetworkAttachment => a !== null);
  }

  private writeAttachment(attachment: NetworkAttachment): void {
    mkdirSync(this.attachmentsDir, { recursive: true, mode: 0o700 });
    const target = this.attachmentFile(attachment.containerId);
    const temp = `${target}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(attachment));
      // The run root is a tmpfs in production, where fsync is free; on a disk it keeps the
      // record ahead of the netavark run it describes.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  }

  private removeAttachment(containerId: string): void {
    rmSync(this.attachmentFile(containerId), { force: true });
  }
}

/** Whether netavark keeps anything for this container alone: DNAT rules for its ports, aardvark entries for its names. */
function hasContainerState(attachment: NetworkAttachment): boolean {
  return (attachment.options.port_mappings ?? []).length > 0 || Object.values(attachment.options.network_info).some((n) => n.dns_enabled);
}

function overlapsV4(a: IpNet, b: IpNet): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  const shift = BigInt(32 - prefix);
  return a.network >> shift === b.network >> shift;
}

function onlyNetwork(options: NetavarkNetworkOptions, name: string): NetavarkNetworkOptions {
  const out: NetavarkNetworkOptions = {
    container_id: options.container_id,
    container_name: options.container_name,
    networks: {},
    network_info: {},
  };
  const per = options.networks[name];
  const info = options.network_info[name];
  if (per) out.networks[name] = per;
  if (info) out.network_info[name] = info;
  // Harmless when this network never got them: netavark deletes only rules that exist.
  if (options.port_mappings) out.port_mappings = options.port_mappings;
  return out;
}

function withoutNetwork(attachment: NetworkAttachment, name: string): NetworkAttachment {
  const networks = { ...attachment.options.networks };
  const info = { ...attachment.options.network_info };
  const status = attachment.status ? { ...attachment.status } : null;
  delete networks[name];
  delete info[name];
  if (status) delete status[name];
  return { ...attachment, options: { ...attachment.options, networks, network_info: info }, status };
}
