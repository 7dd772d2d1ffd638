// What the networks procedures return (podman's network ls / inspect, netavark's Network), and the
// published ports and network attachments that containers and pods report, in camelCase.
import type { ErrorData } from '../errors.ts';

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

/** One `-p` mapping: `range` consecutive ports from hostPort to containerPort. */
export interface PublishedPort {
  /** "" for every address (podman prints 0.0.0.0). */
  hostIp: string;
  /** 0 until the container runs when any free port was asked for (`-p 80`). */
  hostPort: number;
  containerPort: number;
  protocol: PortProtocol;
  range: number;
}

export interface NetworkSubnetInfo {
  subnet: string;
  gateway: string | null;
}

/** A container connected to a network, as the Networks page lists it. */
export interface NetworkMember {
  id: string;
  name: string;
  /** Its interface inside the container: eth0, eth1… */
  interface: string;
  /** "10.89.0.2/24" while its network is up, else empty. */
  addresses: string[];
  aliases: string[];
}

export interface NetworkListItem {
  name: string;
  id: string;
  driver: 'bridge';
  /** The host bridge: podbay0, podbay1… */
  interface: string;
  subnets: NetworkSubnetInfo[];
  ipv6: boolean;
  internal: boolean;
  dnsEnabled: boolean;
  /** RFC 3339. */
  createdAt: string;
  labels: Record<string, string>;
  options: Record<string, string>;
  /** The network `bridge` means; it cannot be removed. */
  isDefault: boolean;
  containers: NetworkMember[];
}

export type NetworkInspect = NetworkListItem;

/** What `networks.create` takes (podman network create). */
export interface NetworkCreateOptions {
  name?: string | undefined;
  /** Each `subnet` a CIDR; `gateway` default the first host address. */
  subnets?: { subnet: string; gateway?: string | undefined }[] | undefined;
  internal?: boolean | undefined;
  /** aardvark-dns on the bridge: containers resolve each other by name (default true, as podman). */
  dnsEnabled?: boolean | undefined;
  labels?: Record<string, string> | undefined;
  /** Bridge options: mtu, vlan, isolate. */
  options?: Record<string, string> | undefined;
  interfaceName?: string | undefined;
  /** An existing network of that name is returned instead of ErrNetworkExists. */
  ignoreExisting?: boolean | undefined;
}

export interface NetworkRemoveReport {
  nameOrId: string;
  name: string | null;
  /** Containers removed with it (force). */
  removedContainers: string[];
  error: ErrorData | null;
}

/** One network a container is on, with what it got there. */
export interface ContainerNetwork {
  network: string;
  interface: string;
  /** "10.89.0.2/24" while its network is up, else empty. */
  addresses: string[];
  gateway: string | null;
  macAddress: string | null;
  aliases: string[];
}

/** podman ps's PORTS column: `0.0.0.0:8080->80/tcp`, ranges as `0.0.0.0:8080-8081->80-81/tcp`. */
export function formatPublishedPort(port: PublishedPort): string {
  const span = (start: number) => (port.range > 1 ? `${start}-${start + port.range - 1}` : String(start));
  const ip = port.hostIp === '' ? '0.0.0.0' : port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  if (port.hostPort === 0) return `${span(port.containerPort)}/${port.protocol}`;
  return `${ip}:${span(port.hostPort)}->${span(port.containerPort)}/${port.protocol}`;
}

/** podman ps joins the ports of one container with ", ". */
export function formatPublishedPorts(ports: readonly PublishedPort[]): string {
  return ports.map(formatPublishedPort).join(', ');
}
