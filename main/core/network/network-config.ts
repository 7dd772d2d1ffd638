// Network definitions in netavark's own JSON format (netavark src/network/types.rs `Network`), so the
// same object is written to disk and handed to `netavark setup` as network_info without translation.
// Field names are therefore snake_case: they are netavark's wire format, not ours.
//
// Files: <graphRoot>/networks/<name>.json, written temp + fsync + rename (a crash leaves the old or
// the new file, never half of one). Validation mirrors podman's common/libnetwork (name rule, subnet
// and gateway checks, overlap with other networks and with the host's routes).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';
import type { IpNet } from './ip-address.ts';
import { formatIp, formatNet, hostRange, mustParseIp, netContains, netsOverlap, parseCidr } from './ip-address.ts';

export interface NetworkSubnet {
  /** CIDR with host bits cleared: "10.89.0.0/24". */
  subnet: string;
  /** Absent only on internal networks without DNS (nothing routes through the bridge). */
  gateway?: string;
  lease_range?: { start_ip?: string; end_ip?: string };
}

/** One network exactly as netavark 1.4 reads it. */
export interface NetworkConfig {
  name: string;
  /** 64 lower-case hex digits. */
  id: string;
  driver: 'bridge';
  /** The host bridge, "podbayN" (at most 15 bytes: IFNAMSIZ). */
  network_interface: string;
  /** RFC 3339 time of creation. */
  created: string;
  subnets: NetworkSubnet[];
  ipv6_enabled: boolean;
  internal: boolean;
  dns_enabled: boolean;
  labels?: Record<string, string>;
  options?: Record<string, string>;
  ipam_options: { driver: 'host-local' };
}

export const defaultNetworkName = 'podbay';
export const defaultNetworkInterface = 'podbay0';
export const bridgeNamePrefix = 'podbay';

/** podman's network name rule (common/libnetwork/util `NameRegex`). */
export const networkNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const interfaceNamePattern = /^[a-zA-Z0-9_.-]{1,15}$/;
const idPattern = /^[0-9a-f]{64}$/;

/** Bridge options netavark 1.4 understands; anything else is refused rather than silently ignored. */
const bridgeOptions: Record<string, (value: string) => boolean> = {
  mtu: (v) => /^\d+$/.test(v) && Number(v) >= 68 && Number(v) <= 65535,
  vlan: (v) => /^\d+$/.test(v) && Number(v) <= 4094,
  isolate: (v) => v === 'true' || v === 'false',
};

/** libpod's ErrNetworkInUse: refusing to remove a network that containers still use. */
export const networkInUseCode = 'ErrNetworkInUse' as const;

/**
 * The default network as podbay.conf's [network] section sets it (containers.conf `default_network`,
 * `default_subnet`): null subnet and interface are chosen when the network is first used.
 */
export interface DefaultNetworkSettings {
  name: string;
  /** A CIDR; null: the first free 10.89.N.0/24 of the pool (podman's default_subnet_pools). */
  subnet: string | null;
  /** The bridge; null: podbay0, or the next free podbayN when the host already has one. */
  interface: string | null;
}

export const defaultNetworkSettings: DefaultNetworkSettings = { name: defaultNetworkName, subnet: null, interface: null };

/**
 * The default network, as podman synthesises "podman": its id is the sha256 of its name, DNS is off,
 * and its gateway is the subnet's first host address.
 */
export function defaultNetworkConfig(subnet: string, networkInterface: string, name: string = defaultNetworkName, now: Date = new Date()): NetworkConfig {
  return {
    name,
    id: createHash('sha256').update(name).digest('hex'),
    driver: 'bridge',
    network_interface: networkInterface,
    created: now.toISOString(),
    subnets: normalizeSubnets(name, [{ subnet }], true),
    ipv6_enabled: subnet.includes(':'),
    internal: false,
    dns_enabled: false,
    ipam_options: { driver: 'host-local' },
  };
}

export function newNetworkId(): string {
  return randomBytes(32).toString('hex');
}

export function validateNetworkName(name: string): void {
  if (!networkNamePattern.test(name)) {
    throw new PodbayError('ErrInvalidArg', `network name "${name}" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  }
}

/** The parsed subnets of a network, for IPAM and overlap checks. */
export interface ParsedSubnet {
  net: IpNet;
  gateway: bigint | null;
  /** Allocatable range (lease range if set, else the host range), inclusive. */
  first: bigint;
  last: bigint;
}

export function parseSubnets(config: Pick<NetworkConfig, 'name' | 'subnets'>): ParsedSubnet[] {
  return config.subnets.map((s) => parseSubnet(s, config.name));
}

function parseSubnet(s: NetworkSubnet, networkName: string): ParsedSubnet {
  const net = parseCidr(s.subnet);
  if (!net) throw new PodbayError('ErrInvalidArg', `network ${networkName}: subnet "${s.subnet}" is not a CIDR`);
  const range = hostRange(net);
  let gateway: bigint | null = null;
  if (s.gateway !== undefined) {
    const gw = mustParseIp(s.gateway, `network ${networkName}: gateway`);
    if (!netContains(net, gw)) throw new PodbayError('ErrInvalidArg', `network ${networkName}: gateway ${s.gateway} is not in subnet ${formatNet(net)}`);
    if (gw.value < range.first || gw.value > range.last) {
      throw new PodbayError('ErrInvalidArg', `network ${networkName}: gateway ${s.gateway} is the network or broadcast address of ${formatNet(net)}`);
    }
    gateway = gw.value;
  }
  let { first, last } = range;
  if (s.lease_range?.start_ip !== undefined) first = leaseBound(s.lease_range.start_ip, net, range, networkName);
  if (s.lease_range?.end_ip !== undefined) last = leaseBound(s.lease_range.end_ip, net, range, networkName);
  if (first > last) throw new PodbayError('ErrInvalidArg', `network ${networkName}: lease range of ${formatNet(net)} is empty`);
  return { net, gateway, first, last };
}

function leaseBound(text: string, net: IpNet, range: { first: bigint; last: bigint }, networkName: string): bigint {
  const ip = mustParseIp(text, `network ${networkName}: lease range bound`);
  if (!netContains(net, ip) || ip.value < range.first || ip.value > range.last) {
    throw new PodbayError('ErrInvalidArg', `network ${networkName}: lease range bound ${text} is not a host address of ${formatNet(net)}`);
  }
  return ip.value;
}

/**
 * Normalises subnets as podman does: host bits cleared, a gateway chosen (the first host address)
 * unless the network is internal without DNS. Throws ErrInvalidArg on any bad value.
 */
export function normalizeSubnets(name: string, subnets: readonly NetworkSubnet[], needsGateway: boolean): NetworkSubnet[] {
  return subnets.map((s) => {
    const net = parseCidr(s.subnet);
    if (!net) throw new PodbayError('ErrInvalidArg', `network ${name}: subnet "${s.subnet}" is not a CIDR`);
    const out: NetworkSubnet = { subnet: formatNet(net) };
    if (s.gateway !== undefined) out.gateway = formatIp(mustParseIp(s.gateway, `network ${name}: gateway`));
    else if (needsGateway) out.gateway = formatIp({ family: net.family, value: hostRange(net).first });
    if (s.lease_range) out.lease_range = { ...s.lease_range };
    return out;
  });
}

/**
 * Checks one network on its own and against `others` (the networks already defined) and the host's
 * routes. Throws ErrInvalidArg (bad values, overlaps) or ErrNetworkExists (name, id or bridge taken).
 */
export function validateNetworkConfig(config: NetworkConfig, others: readonly NetworkConfig[], hostRoutes: readonly IpNet[] = []): void {
  validateNetworkName(config.name);
  if (!idPattern.test(config.id)) throw new PodbayError('ErrInvalidArg', `network ${config.name}: id must be 64 lower-case hex digits`);
  if (config.driver !== 'bridge') throw new PodbayError('ErrInvalidArg', `network ${config.name}: unsupported driver "${String(config.driver)}" (only bridge)`);
  if (!interfaceNamePattern.test(config.network_interface)) {
    throw new PodbayError('ErrInvalidArg', `network ${config.name}: bridge name "${config.network_interface}" must be 1-15 characters of [a-zA-Z0-9_.-]`);
  }
  for (const [key, value] of Object.entries(config.options ?? {})) {
    const check = bridgeOptions[key];
    if (!check) throw new PodbayError('ErrInvalidArg', `network ${config.name}: unsupported bridge option "${key}" (supported: ${Object.keys(bridgeOptions).join(', ')})`);
    if (!check(value)) throw new PodbayError('ErrInvalidArg', `network ${config.name}: invalid value "${value}" for option ${key}`);
  }
  if (config.subnets.length === 0) throw new PodbayError('ErrInvalidArg', `network ${config.name}: at least one subnet is needed`);
  const parsed = parseSubnets(config);
  if (config.ipv6_enabled !== parsed.some((s) => s.net.family === 6)) {
    throw new PodbayError('ErrInvalidArg', `network ${config.name}: ipv6_enabled must be true exactly when an IPv6 subnet is given`);
  }
  for (const [i, s] of parsed.entries()) {
    if (s.gateway === null && (!config.internal || config.dns_enabled)) {
      throw new PodbayError('ErrInvalidArg', `network ${config.name}: subnet ${formatNet(s.net)} needs a gateway`);
    }
    const hosts = s.last - s.first + 1n - (s.gateway !== null && s.gateway >= s.first && s.gateway <= s.last ? 1n : 0n);
    if (hosts < 1n) throw new PodbayError('ErrInvalidArg', `network ${config.name}: subnet ${formatNet(s.net)} has no address left for containers`);
    for (const other of parsed.slice(i + 1)) {
      if (netsOverlap(s.net, other.net)) throw new PodbayError('ErrInvalidArg', `network ${config.name}: subnets ${formatNet(s.net)} and ${formatNet(other.net)} overlap`);
    }
  }
  for (const other of others) {
    if (other.name === config.name) continue;
    if (other.id === config.id) throw new PodbayError('ErrNetworkExists', `network id ${config.id.slice(0, 12)} is already used by network ${other.name}`);
    if (other.network_interface === config.network_interface) {
      throw new PodbayError('ErrNetworkExists', `bridge ${config.network_interface} is already used by network ${other.name}`);
    }
    for (const theirs of safeSubnets(other)) {
      for (const ours of parsed) {
        if (netsOverlap(ours.net, theirs)) {
          throw new PodbayError('ErrInvalidArg', `subnet ${formatNet(ours.net)} overlaps subnet ${formatNet(theirs)} of network ${other.name}`);
        }
      }
    }
  }
  for (const route of hostRoutes) {
    for (const ours of parsed) {
      if (netsOverlap(ours.net, route)) throw new PodbayError('ErrInvalidArg', `subnet ${formatNet(ours.net)} is already used on the host (route ${formatNet(route)})`);
    }
  }
}

function safeSubnets(config: NetworkConfig): IpNet[] {
  return config.subnets.map((s) => parseCidr(s.subnet)).filter((n): n is IpNet => n !== null);
}

/** Shape check for a file read from disk: what netavark would choke on is refused here first. */
export function parseNetworkFile(text: string, file: string): NetworkConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PodbayError('ErrStoreCorrupt', `network file ${file} is not JSON`, { cause: error });
  }
  const v = value as Partial<NetworkConfig> | null;
  if (
    !v || typeof v !== 'object' || typeof v.name !== 'string' || typeof v.id !== 'string' || v.driver !== 'bridge' ||
    typeof v.network_interface !== 'string' || !Array.isArray(v.subnets) || typeof v.internal !== 'boolean' ||
    typeof v.dns_enabled !== 'boolean' || typeof v.ipv6_enabled !== 'boolean'
  ) {
    throw new PodbayError('ErrStoreCorrupt', `network file ${file} is not a bridge network definition`);
  }
  return {
    ...(v as NetworkConfig),
    created: typeof v.created === 'string' ? v.created : new Date(0).toISOString(),
    ipam_options: { driver: 'host-local' },
  };
}

/**
 * The network files under one directory. Reads are cheap (a handful of small files), so every
 * call reads the directory afresh and another process's changes are seen at once. Mutations must
 * be serialised by the caller (NetworkManager holds the IPAM database's write lock around them).
 */
export class NetworkFileStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  fileOf(name: string): string {
    validateNetworkName(name);
    return join(this.dir, `${name}.json`);
  }

  /** Every readable network, sorted by name; unreadable files are reported in `problems`. */
  readAll(): { networks: NetworkConfig[]; problems: string[] } {
    let entries: string[];
    try {
      entries = readdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { networks: [], problems: [] };
      throw error;
    }
    const networks: NetworkConfig[] = [];
    const problems: string[] = [];
    for (const entry of entries.sort()) {
      if (!entry.endsWith('.json') || !networkNamePattern.test(entry.slice(0, -5))) continue;
      const file = join(this.dir, entry);
      try {
        const config = parseNetworkFile(readFileSync(file, 'utf8'), file);
        if (`${config.name}.json` !== entry) throw new PodbayError('ErrStoreCorrupt', `network file ${file} holds network ${config.name}`);
        networks.push(config);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed while we listed
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    return { networks, problems };
  }

  /** Atomic replace: temp file, fsync, rename, fsync of the directory. */
  write(config: NetworkConfig): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = this.fileOf(config.name);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, `${JSON.stringify(config, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    syncDir(this.dir);
  }

  remove(name: string): void {
    rmSync(this.fileOf(name), { force: true });
    syncDir(this.dir);
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The host's routed IPv4 and IPv6 prefixes (default routes excluded), read from /proc as podman
 * reads them over netlink: a new network must not shadow a route the host already uses.
 */
export function readHostRoutes(procNet = '/proc/net'): IpNet[] {
  return readDeviceRoutes(procNet).map((r) => r.net);
}

/** The routes of one interface (a bridge's own subnets, from the addresses on it). */
export function readInterfaceRoutes(device: string, procNet = '/proc/net'): IpNet[] {
  return readDeviceRoutes(procNet).filter((r) => r.device === device).map((r) => r.net);
}

function readDeviceRoutes(procNet: string): { device: string; net: IpNet }[] {
  const routes: { device: string; net: IpNet }[] = [];
  try {
    for (const line of readFileSync(join(procNet, 'route'), 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 8) continue;
      const dest = littleEndianV4(f[1] ?? '');
      const maskValue = littleEndianV4(f[7] ?? '');
      if (dest === null || maskValue === null || maskValue === 0n) continue;
      const prefix = maskValue.toString(2).replace(/0+$/, '').length;
      const net = parseCidr(`${formatIp({ family: 4, value: dest })}/${prefix}`);
      if (net) routes.push({ device: f[0] ?? '', net });
    }
  } catch {
    // no /proc/net/route (not Linux, or no IPv4): nothing to avoid
  }
  try {
    for (const line of readFileSync(join(procNet, 'ipv6_route'), 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !/^[0-9a-f]{32}$/.test(f[0] ?? '')) continue;
      const prefix = parseInt(f[1] ?? '0', 16);
      const device = f[9] ?? '';
      // Link-local, multicast and loopback routes exist on every host and never collide with ours.
      if (prefix === 0 || device === 'lo' || /^(fe80|ff)/.test(f[0] ?? '')) continue;
      routes.push({ device, net: { family: 6, address: BigInt(`0x${f[0]}`), network: BigInt(`0x${f[0]}`), prefix } });
    }
  } catch {
    // no IPv6
  }
  return routes;
}

function littleEndianV4(hex: string): bigint | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  const bytes = hex.match(/../g) ?? [];
  return BigInt(`0x${bytes.reverse().join('')}`);
}
