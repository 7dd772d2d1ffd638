// The small files libpod writes into a container's run directory and binds into it: /etc/hostname,
// /etc/hosts, /etc/resolv.conf and /run/.containerenv (libpod container_internal_common.go
// addHosts / addResolvConf / makePlatformBindMounts). Content builders are pure; `writeContainerFiles`
// writes them with temp-then-rename so a crash never leaves a half-written file bound into a container.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ContainerFilesOptions {
  hostname: string;
  name: string;
  /** Extra "ip name…" lines (--add-host). */
  extraHosts?: string[];
  /** Nameservers to use instead of the host's (--dns). */
  dnsServers?: string[];
  /** The host's resolv.conf text; read from /etc/resolv.conf when omitted. */
  hostResolvConf?: string;
  /** True when the container shares the host's network namespace (then the host's files apply). */
  hostNetwork?: boolean;
}

export function hostsFileContent(options: ContainerFilesOptions): string {
  const lines = [
    '127.0.0.1 localhost localhost.localdomain localhost4 localhost4.localdomain4',
    '::1 localhost localhost.localdomain localhost6 localhost6.localdomain6',
    ...(options.extraHosts ?? []),
  ];
  // Without a network of its own the container still resolves its own name (podman: 127.0.0.1 entry).
  if (!options.hostNetwork) lines.push(`127.0.1.1 ${options.hostname} ${options.name}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The host's resolv.conf minus loopback nameservers (they would point into the container's own
 * network namespace), as libpod's resolvconf.FilterResolvDNS; `dnsServers` replace the nameservers.
 */
export function resolvConfContent(hostResolvConf: string, dnsServers: string[] = [], hostNetwork = false): string {
  const lines = hostResolvConf.split('\n');
  const keep = lines.filter((line) => {
    const match = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!match) return line.trim() !== '';
    if (dnsServers.length > 0) return false;
    return hostNetwork || !(/^127\./.test(match[1] ?? '') || match[1] === '::1');
  });
  const servers = dnsServers.map((s) => `nameserver ${s}`);
  const text = [...keep, ...servers].join('\n');
  return text ? `${text}\n` : '';
}

export async function writeContainerFiles(userdataDir: string, options: ContainerFilesOptions): Promise<void> {
  const hostResolv = options.hostResolvConf ?? (await readFile('/etc/resolv.conf', 'utf8').catch(() => ''));
  const files: [string, string][] = [
    ['hostname', `${options.hostname}\n`],
    ['hosts', hostsFileContent(options)],
    ['resolv.conf', resolvConfContent(hostResolv, options.dnsServers, options.hostNetwork)],
    ['.containerenv', ''],
  ];
  await Promise.all(files.map(async ([file, content]) => {
    const target = join(userdataDir, file);
    await writeFile(`${target}.tmp`, content, { mode: 0o644 });
    await rename(`${target}.tmp`, target);
  }));
}
