// A container's network around its runs (libpod networking_linux.go createNetNS / teardownNetNS and
// container_internal_common.go addHosts / addResolvConf), for containers whose network mode is
// bridge: the connections are made when the container is created, the namespace is set up at each
// start — netavark runs while the OCI runtime creates the container in the same namespace —, the
// container's /etc/hosts and /etc/resolv.conf then say its address and nameservers, and everything
// is torn down when the process is gone. A slirp4netns container (rootless) gets slirp4netns once the
// runtime made its namespace, ended at cleanup. Every helper here assumes the caller holds the
// container's lease (or, after removal, that the container is gone from the store).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerConfig, ContainerConfigDraft } from './container-config.ts';
import { ownsNetwork, usesSlirp } from './container-config.ts';
import type { LifecycleContext } from './container-internal.ts';
import type { NetworkManager, PendingNetworkSetup } from './network/network-manager.ts';
import { hostsFile, resolvConf } from './network/network-files.ts';
import type { StatusBlocks } from './network/netavark.ts';
import { portProtocols } from './network/port-mappings.ts';
import type { PortMapping, PortProtocol } from './network/port-mappings.ts';
import { slirpStatus, startSlirp4netns, stopSlirp4netnsSync } from './rootless/slirp4netns.ts';
import type { CreatedContainer } from './oci/oci-runtime.ts';

/**
 * Records the connections of a new bridge container (one per network it asked for, eth0 first). A
 * network that does not exist → ErrNoSuchNetwork; what was connected before the failure is undone.
 */
export async function connectNewContainer(network: NetworkManager, config: ContainerConfig): Promise<void> {
  if (!ownsNetwork(config)) return;
  const ref = { id: config.id, name: config.name };
  try {
    for (const request of config.networks ?? []) {
      await network.connect(ref, request.network, {
        ...(request.aliases.length ? { aliases: request.aliases } : {}),
        ...(request.staticIps.length ? { staticIps: request.staticIps } : {}),
        ...(request.staticMac ? { staticMac: request.staticMac } : {}),
        ...(request.interfaceName ? { interfaceName: request.interfaceName } : {}),
      });
    }
  } catch (error) {
    network.disconnectAll(config.id);
    throw error;
  }
}

/** The networks of the request that do not exist (checked before the container is added). */
export function checkRequestedNetworks(network: NetworkManager, config: Pick<ContainerConfig, 'networks'>): void {
  for (const request of config.networks ?? []) network.get(request.network);
}

/**
 * Begins the network of a container that owns one (bridge, not joining another's): its namespace is
 * created and recorded, netavark still to run. Null for every other container.
 */
export async function beginContainerNetwork(ctx: LifecycleContext, config: ContainerConfig, signal?: AbortSignal): Promise<PendingNetworkSetup | null> {
  if (!ownsNetwork(config)) return null;
  const network = await ctx.network();
  return network.beginSetup({ id: config.id, name: config.name }, { ...(config.portMappings?.length ? { portMappings: config.portMappings } : {}), ...(signal ? { signal } : {}) });
}

/**
 * Rewrites the container's hosts and resolv.conf from its network status: its addresses with its
 * hostname and name, host.containers.internal, and the networks' nameservers (aardvark-dns) before
 * the host's. Written in place, not renamed: the OCI runtime has already bound these very files.
 */
export async function writeNetworkFiles(ctx: LifecycleContext, config: ContainerConfig, status: StatusBlocks): Promise<void> {
  const { bundleDir } = ctx.containerPaths(config.id);
  const hostResolvConf = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  const hostname = config.spec.hostname ?? config.id.slice(0, 12);
  await Promise.all([
    writeFile(join(bundleDir, 'hosts'), hostsFile({ status, hostname, containerName: config.name })),
    writeFile(join(bundleDir, 'resolv.conf'), resolvConf({ status, hostResolvConf })),
  ]);
}

/**
 * A container joining another's network namespace (a pod member) sees that container's hosts and
 * resolv.conf, as libpod binds the infra container's files into its members; its own name is added
 * to the hosts file. Nothing happens when the source has no network of its own.
 */
export async function copyJoinedNetworkFiles(ctx: LifecycleContext, config: ContainerConfig): Promise<void> {
  const from = config.sharedNamespaces.net;
  const source = from && ctx.state().hasContainer(from) ? ctx.state().container(from).config : null;
  if (!from || !source || (!ownsNetwork(source) && !usesSlirp(source))) return;
  const sourceDir = ctx.containerPaths(from).bundleDir;
  const target = ctx.containerPaths(config.id).bundleDir;
  const [hosts, resolv] = await Promise.all([readFile(join(sourceDir, 'hosts'), 'utf8'), readFile(join(sourceDir, 'resolv.conf'), 'utf8')]);
  await Promise.all([writeFile(join(target, 'hosts'), `${hosts}127.0.0.1\t${config.name}\n`), writeFile(join(target, 'resolv.conf'), resolv)]);
}

/**
 * A slirp4netns container once the OCI runtime created it: slirp4netns connects its namespace (its
 * exit fd watching conmon), publishes its ports, and hosts/resolv.conf say tap0's address and
 * slirp4netns's DNS. A no-op for other containers (the exit watch is then closed).
 */
export async function startSlirpNetwork(ctx: LifecycleContext, config: ContainerConfig, created: CreatedContainer, signal?: AbortSignal): Promise<void> {
  if (!usesSlirp(config)) {
    created.exitWatch?.destroy();
    return;
  }
  await startSlirp4netns({
    pid: created.pid,
    runDir: ctx.containerPaths(config.id).runDir,
    ...(config.portMappings?.length ? { portMappings: config.portMappings } : {}),
    ...(created.exitWatch ? { exitWatch: created.exitWatch } : {}),
    ...(signal ? { signal } : {}),
  });
  await writeNetworkFiles(ctx, config, slirpStatus());
}

/** Ends the container's slirp4netns (any process may: its pid is in the run dir). Idempotent. */
export function stopSlirpNetwork(ctx: LifecycleContext, config: ContainerConfig): void {
  if (usesSlirp(config)) stopSlirp4netnsSync(ctx.containerPaths(config.id).runDir);
}

/**
 * Takes down what a run of the container set up (its namespace, veth, firewall rules, addresses),
 * keeping the bridge and the network's shared rules for the next container (the fast teardown; the
 * bridge goes with `network rm`, prune or a sweep). Idempotent; a no-op for containers that own no
 * network. Call only once the container's process is gone.
 */
export async function teardownContainerNetwork(ctx: LifecycleContext, config: ContainerConfig, signal?: AbortSignal): Promise<void> {
  if (!ownsNetwork(config)) return;
  const network = await ctx.network();
  await network.teardown(config.id, { keepBridge: true, ...(signal ? { signal } : {}) });
}

/** After a container is removed: its network torn down if it was up, its connections and addresses forgotten. */
export async function forgetContainerNetwork(ctx: LifecycleContext, config: ContainerConfig): Promise<void> {
  if (config.networkMode !== 'bridge') return;
  const network = await ctx.network();
  try {
    await network.teardown(config.id, { keepBridge: true });
  } finally {
    network.disconnectAll(config.id);
  }
}

/**
 * Refuses network settings a pod member cannot have: it uses its pod's network namespace, so its
 * networks and published ports are the pod's (podman: "networks must be defined when the pod is
 * created", "published or exposed ports must be defined when the pod is created").
 */
/** A namespace both the host's and another container's (withHostNamespaces + withSharedNamespaces) → ErrInvalidArg. */
export function checkHostNamespaces(config: Pick<ContainerConfig, 'hostNamespaces' | 'sharedNamespaces'>): void {
  for (const kind of config.hostNamespaces ?? []) {
    if (config.sharedNamespaces[kind]) throw new PodbayError('ErrInvalidArg', `the ${kind} namespace cannot be both the host's and container ${config.sharedNamespaces[kind]}'s`);
  }
}

export function checkMemberNetwork(config: Pick<ContainerConfig, 'networkMode' | 'portMappings' | 'sharedNamespaces'>): void {
  if (!config.sharedNamespaces.net) return;
  if (config.portMappings?.length) throw new PodbayError('ErrInvalidArg', 'published ports must be defined when the pod is created: the container uses the network namespace of its pod');
  if (config.networkMode === 'bridge' || config.networkMode === 'host' || config.networkMode === 'slirp4netns') {
    throw new PodbayError('ErrInvalidArg', 'networks must be defined when the pod is created: the container uses the network namespace of its pod');
  }
}

/** Ports need a network of the container's own. */
export function checkPorts(config: Pick<ContainerConfig, 'networkMode' | 'portMappings' | 'sharedNamespaces'>): void {
  if (config.portMappings?.length && config.networkMode !== 'bridge' && config.networkMode !== 'slirp4netns' && !config.sharedNamespaces.net) {
    throw new PodbayError('ErrInvalidArg', `ports cannot be published with network mode ${config.networkMode ?? 'none'}: use a bridge network (rootless: slirp4netns)`);
  }
}

/**
 * podman -P (libpod ports.go, PublishExposedPorts): each port the image's config exposes
 * (`ExposedPorts: {"80/tcp": {}}`) that no -p already publishes gets a free host port on every
 * address, chosen at each start. Malformed keys are skipped, as podman skips them.
 */
export function publishExposedPorts(draft: ContainerConfigDraft, imageConfig: { config?: Record<string, unknown> }): void {
  if (!draft.publishAll) return;
  const exposed = imageConfig.config?.ExposedPorts;
  if (!exposed || typeof exposed !== 'object') return;
  const mappings: PortMapping[] = [...(draft.portMappings ?? [])];
  for (const key of Object.keys(exposed)) {
    const match = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(key);
    if (!match) continue;
    const port = Number(match[1]);
    const protocol = (match[2]?.toLowerCase() ?? 'tcp') as PortProtocol;
    if (port < 1 || port > 65535 || !portProtocols.includes(protocol)) continue;
    const taken = mappings.some((m) => m.protocol === protocol && port >= m.container_port && port < m.container_port + m.range);
    if (!taken) mappings.push({ host_ip: '', container_port: port, host_port: 0, range: 1, protocol });
  }
  if (mappings.length) draft.portMappings = mappings;
}
