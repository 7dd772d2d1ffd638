// The network-derived parts of a container's /etc/resolv.conf and /etc/hosts, from netavark's status
// (libpod container_internal_common.go addResolvConf/addHosts with common/libnetwork/resolvconf and
// etchosts). Pure text in, text out: the container code writes the files into its run dir.
import type { StatusBlocks } from './netavark.ts';
import { parseIp } from './ip-address.ts';

export interface ResolvConfOptions {
  /** netavark status of the container's networks (null: not on a bridge network). */
  status: StatusBlocks | null;
  /** The host's /etc/resolv.conf text. */
  hostResolvConf: string;
  /** --dns: replaces every other server, network and host alike. */
  dnsServers?: string[];
  /** --dns-search: replaces the host's search domains. */
  dnsSearch?: string[];
  /** --dns-option: added to the host's options. */
  dnsOptions?: string[];
}

interface ParsedResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

export function parseResolvConf(text: string): ParsedResolvConf {
  const out: ParsedResolvConf = { nameservers: [], search: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) out.nameservers.push(fields[0]);
    else if ((key === 'search' || key === 'domain') && fields.length) out.search = fields; // the last one wins, as in glibc
    else if (key === 'options') out.options.push(...fields);
  }
  return out;
}

/** A host server the container cannot reach: the host's loopback is not the container's. */
function isLocalhost(server: string): boolean {
  const ip = parseIp(server);
  if (!ip) return false;
  return ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}

/**
 * The container's resolv.conf: --dns alone when given; otherwise the networks' DNS servers
 * (aardvark-dns on the gateway) first, then the host's servers minus loopback ones; Google's
 * public servers only when nothing is left (podman's fallback). Search domains: the networks'
 * ("dns.podman" with aardvark) then the host's, or --dns-search.
 */
export function resolvConf(options: ResolvConfOptions): string {
  const host = parseResolvConf(options.hostResolvConf);
  const blocks = Object.values(options.status ?? {});
  const networkServers = blocks.flatMap((b) => b.dns_server_ips ?? []);
  const networkSearch = blocks.flatMap((b) => b.dns_search_domains ?? []);
  let servers = options.dnsServers?.length ? [...options.dnsServers] : [...networkServers, ...host.nameservers.filter((s) => !isLocalhost(s))];
  servers = [...new Set(servers)];
  if (servers.length === 0) servers = ['8.8.8.8', '8.8.4.4'];
  const search = [...new Set([...networkSearch, ...(options.dnsSearch ?? host.search)])].filter((s) => s !== '.');
  const opts = [...new Set([...host.options, ...(options.dnsOptions ?? [])])];
  const lines = [];
  if (search.length) lines.push(`search ${search.join(' ')}`);
  for (const server of servers) lines.push(`nameserver ${server}`);
  if (opts.length) lines.push(`options ${opts.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

export interface HostsOptions {
  status: StatusBlocks | null;
  hostname: string;
  containerName: string;
  /** Base content: the image's /etc/hosts, or null for podman's default localhost lines. */
  base?: string | null;
  /** --add-host entries "name:ip". */
  extraHosts?: string[];
}

const defaultBase = '127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n::1         localhost localhost.localdomain localhost6 localhost6.localdomain6\n';

/**
 * The container's /etc/hosts: base, --add-host entries, the container's own addresses with its
 * hostname and name, and host.containers.internal / host.docker.internal → the first bridge gateway
 * (rootful podman's choice: the host as the container sees it).
 */
export function hostsFile(options: HostsOptions): string {
  const lines: string[] = [];
  for (const entry of options.extraHosts ?? []) {
    const colon = entry.indexOf(':');
    lines.push(`${entry.slice(colon + 1)}\t${entry.slice(0, colon)}`);
  }
  let gateway: string | null = null;
  const names = [...new Set([options.hostname, options.containerName])].join(' ');
  for (const block of Object.values(options.status ?? {})) {
    for (const iface of Object.values(block.interfaces ?? {})) {
      for (const subnet of iface.subnets ?? []) {
        lines.push(`${subnet.ipnet.split('/')[0]}\t${names}`);
        if (gateway === null && subnet.gateway) gateway = subnet.gateway;
      }
    }
  }
  if (gateway !== null) lines.push(`${gateway}\thost.containers.internal host.docker.internal`);
  const base = options.base ?? defaultBase;
  return `${base}${base.endsWith('\n') || base === '' ? '' : '\n'}${lines.map((l) => `${l}\n`).join('')}`;
}
