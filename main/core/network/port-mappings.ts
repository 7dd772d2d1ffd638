// `-p/--publish` parsing into netavark port_mappings (podman pkg/specgen/generate/ports.go semantics):
//   [ip:][hostPort[-hostEnd]:]containerPort[-containerEnd][/tcp|udp|sctp[,…]]
// IPv6 host addresses are bracketed: "[::1]:8080:80". A missing or empty host port means "any free
// port", resolved at setup time (resolveHostPorts). netavark takes one protocol per mapping and puts
// it straight into `iptables -p`, so "tcp,udp" becomes two mappings.
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { PodbayError } from '../../../shared/errors.ts';
import { formatIp, parseIp } from './ip-address.ts';

export const portProtocols = ['tcp', 'udp', 'sctp'] as const;
export type PortProtocol = (typeof portProtocols)[number];

/** netavark's PortMapping, field for field. `host_port` 0 = not chosen yet. */
export interface PortMapping {
  host_ip: string;
  container_port: number;
  host_port: number;
  /** How many consecutive ports, ≥ 1. */
  range: number;
  protocol: PortProtocol;
}

const portPattern = /^(0|[1-9]\d{0,4})$/;

function parsePort(text: string, what: string, spec: string, allowZero: boolean): number {
  if (!portPattern.test(text)) throw invalid(spec, `${what} "${text}" is not a number`);
  const port = Number(text);
  if (port > 65535 || (port === 0 && !allowZero)) throw invalid(spec, `${what} ${port} is out of range 1-65535`);
  return port;
}

function parseRange(text: string, what: string, spec: string, allowZero: boolean): { start: number; count: number } {
  const dash = text.indexOf('-');
  if (dash < 0) return { start: parsePort(text, what, spec, allowZero), count: 1 };
  const start = parsePort(text.slice(0, dash), what, spec, false);
  const end = parsePort(text.slice(dash + 1), what, spec, false);
  if (end < start) throw invalid(spec, `${what} range ${text} ends before it starts`);
  return { start, count: end - start + 1 };
}

function invalid(spec: string, why: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `invalid publish spec "${spec}": ${why}`);
}

/** Parses one `-p` value. Throws ErrInvalidArg naming the spec and the part that is wrong. */
export function parsePublish(spec: string): PortMapping[] {
  if (spec.length === 0 || spec.length > 200) throw invalid(spec, 'expected [ip:][hostPort:]containerPort[/protocol]');
  let rest = spec;
  let protocols: PortProtocol[] = ['tcp'];
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const names = rest.slice(slash + 1).split(',');
    protocols = [];
    for (const name of names) {
      const lower = name.toLowerCase();
      if (!(portProtocols as readonly string[]).includes(lower)) throw invalid(spec, `unknown protocol "${name}" (tcp, udp or sctp)`);
      if (!protocols.includes(lower as PortProtocol)) protocols.push(lower as PortProtocol);
    }
    rest = rest.slice(0, slash);
  }
  let hostIp = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') throw invalid(spec, 'an IPv6 host address is written [addr]:hostPort:containerPort');
    hostIp = parseHostIp(rest.slice(1, close), spec, 6);
    rest = rest.slice(close + 2);
    if (!rest.includes(':')) throw invalid(spec, 'a host address needs a host port field (it may be empty)');
  }
  const parts = rest.split(':');
  let hostText = '';
  let containerText: string;
  if (parts.length === 1) {
    containerText = parts[0] ?? '';
  } else if (parts.length === 2) {
    [hostText = '', containerText = ''] = parts;
  } else if (parts.length === 3 && hostIp === '') {
    hostIp = parseHostIp(parts[0] ?? '', spec, 4);
    hostText = parts[1] ?? '';
    containerText = parts[2] ?? '';
  } else {
    throw invalid(spec, 'too many ":" (bracket IPv6 addresses: [::1]:8080:80)');
  }
  if (containerText === '') throw invalid(spec, 'the container port is missing');
  const container = parseRange(containerText, 'container port', spec, false);
  const host = hostText === '' ? { start: 0, count: container.count } : parseRange(hostText, 'host port', spec, true);
  if (host.start === 0 && hostText !== '' && hostText !== '0') throw invalid(spec, 'host port 0 cannot start a range');
  if (host.count !== container.count) {
    throw invalid(spec, `host range has ${host.count} ports but container range has ${container.count}`);
  }
  if (container.start + container.count - 1 > 65535 || host.start + host.count - 1 > 65535) throw invalid(spec, 'the range runs past port 65535');
  return protocols.map((protocol) => ({ host_ip: hostIp, container_port: container.start, host_port: host.start, range: container.count, protocol }));
}

function parseHostIp(text: string, spec: string, family: 4 | 6): string {
  const ip = parseIp(text);
  if (!ip || ip.family !== family) throw invalid(spec, `host address "${text}" is not an IPv${family} address`);
  // "0.0.0.0" and "::" mean all addresses, which netavark spells as an empty host_ip.
  return ip.value === 0n ? '' : formatIp(ip);
}

/** Writes a mapping back in `-p` syntax (for `podbay port` and inspect output). */
export function formatPublish(m: PortMapping): string {
  const span = (start: number) => (m.range > 1 ? `${start}-${start + m.range - 1}` : String(start));
  const ip = m.host_ip === '' ? '' : m.host_ip.includes(':') ? `[${m.host_ip}]:` : `${m.host_ip}:`;
  const host = m.host_port === 0 ? '' : span(m.host_port);
  return `${ip}${host}:${span(m.container_port)}/${m.protocol}`;
}

function overlaps(a: PortMapping, b: PortMapping, field: 'host_port' | 'container_port'): boolean {
  return a[field] <= b[field] + b.range - 1 && b[field] <= a[field] + a.range - 1;
}

function sameHostAddress(a: PortMapping, b: PortMapping): boolean {
  return a.host_ip === '' || b.host_ip === '' || a.host_ip === b.host_ip;
}

/**
 * Parses every `-p` of one container and refuses overlaps: the same host port (and protocol) on
 * the same or a wildcard address twice, as the second DNAT rule would silently lose to the first.
 */
export function parsePublishList(specs: readonly string[]): PortMapping[] {
  const mappings = specs.flatMap((spec) => parsePublish(spec));
  assertNoOverlap(mappings);
  return mappings;
}

export function assertNoOverlap(mappings: readonly PortMapping[], against: readonly PortMapping[] = [], owner = ''): void {
  for (const [i, a] of mappings.entries()) {
    const others = [...mappings.slice(i + 1).map((m) => ({ m, own: true })), ...against.map((m) => ({ m, own: false }))];
    for (const { m: b, own } of others) {
      if (a.protocol !== b.protocol || a.host_port === 0 || b.host_port === 0 || !sameHostAddress(a, b)) continue;
      if (overlaps(a, b, 'host_port')) {
        const where = own ? 'another -p of the same container' : `${owner || 'another container'}`;
        throw new PodbayError('ErrInvalidArg', `host port ${formatPublish(a)} overlaps ${formatPublish(b)} published by ${where}`);
      }
    }
  }
}

export interface PortProbe {
  /** Resolves when `port` can be bound on `hostIp` ('' = all addresses), rejects with the bind error. */
  tryBind(hostIp: string, port: number, protocol: PortProtocol): Promise<void>;
}

/** Binds and closes a socket: only the local stack is involved, nothing is sent anywhere. */
export const socketPortProbe: PortProbe = {
  tryBind: (hostIp, port, protocol) =>
    new Promise((resolve, reject) => {
      if (protocol === 'udp') {
        const socket = createSocket(hostIp.includes(':') ? 'udp6' : 'udp4');
        socket.once('error', (error) => {
          socket.close();
          reject(error);
        });
        socket.bind({ port, address: hostIp || undefined, exclusive: true }, () => socket.close(() => resolve()));
        return;
      }
      // sctp cannot be probed from Node; tcp's view of the port is the best available proxy.
      const server = createServer();
      server.once('error', reject);
      server.listen({ port, host: hostIp || undefined, exclusive: true }, () => server.close(() => resolve()));
    }),
};

/**
 * Checks that every host port is free on the host, and gives "any free port" mappings (host_port 0)
 * a concrete port: the kernel's choice for single ports, a probed random block for ranges.
 * A port in use → ErrInvalidArg naming it (podman reports the bind error the same way).
 */
export async function resolveHostPorts(mappings: readonly PortMapping[], probe: PortProbe = socketPortProbe, signal?: AbortSignal): Promise<PortMapping[]> {
  const out: PortMapping[] = [];
  for (const m of mappings) {
    signal?.throwIfAborted();
    if (m.host_port !== 0) {
      for (let p = m.host_port; p < m.host_port + m.range; p++) {
        try {
          await probe.tryBind(m.host_ip, p, m.protocol);
        } catch (error) {
          throw new PodbayError('ErrInvalidArg', `host port ${m.host_ip || '0.0.0.0'}:${p}/${m.protocol} is not available: ${(error as Error).message}`, { cause: error });
        }
      }
      out.push({ ...m });
      continue;
    }
    out.push({ ...m, host_port: await findFreeBlock(m, [...out, ...mappings.filter((x) => x.host_port !== 0)], probe, signal) });
  }
  assertNoOverlap(out);
  return out;
}

async function findFreeBlock(m: PortMapping, chosen: readonly PortMapping[], probe: PortProbe, signal?: AbortSignal): Promise<number> {
  // The ephemeral range Linux uses by default; podman also picks random ports from it.
  const low = 32768;
  const high = 60999 - m.range + 1;
  for (let attempt = 0; attempt < 64; attempt++) {
    signal?.throwIfAborted();
    const base = low + Math.floor(Math.random() * (high - low + 1));
    const candidate = { ...m, host_port: base };
    if (chosen.some((c) => c.protocol === m.protocol && c.host_port !== 0 && sameHostAddress(c, candidate) && overlaps(c, candidate, 'host_port'))) continue;
    let free = true;
    for (let p = base; p < base + m.range && free; p++) {
      free = await probe.tryBind(m.host_ip, p, m.protocol).then(() => true, () => false);
    }
    if (free) return base;
  }
  throw new PodbayError('ErrInternal', `no free block of ${m.range} host port(s) found for ${formatPublish(m)}`);
}
