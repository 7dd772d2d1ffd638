// Address and CIDR arithmetic for IPAM and network validation. Addresses are bigints so IPv4 and IPv6
// share one code path (Go's net.IP does the same with 16-byte slices). Pure: no I/O.
import { PodbayError } from '../../../shared/errors.ts';

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

/** A parsed CIDR. `network` has the host bits cleared; `address` keeps what was written. */
export interface IpNet {
  family: IpFamily;
  address: bigint;
  network: bigint;
  prefix: number;
}

const bits = (family: IpFamily): number => (family === 4 ? 32 : 128);

function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    // Leading zeros are refused: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIPv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  let head = text;
  let tailV4: bigint | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    // An embedded IPv4 tail ("::ffff:10.0.0.1") counts as two groups.
    tailV4 = parseIPv4(text.slice(lastColon + 1));
    if (tailV4 === null) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): string[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups : null;
  };
  const left = groupsOf(halves[0] ?? '');
  const right = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (!left || !right) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(parseInt(group, 16));
  if (tailV4 !== null) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses a literal address; null when it is not one. IPv6 zones ("%eth0") are not addresses here. */
export function parseIp(text: string): IpAddress | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseIPv6(text) : null;
  return v6 === null ? null : { family: 6, value: v6 };
}

/** Like parseIp, but a bad literal is ErrInvalidArg naming `what`. */
export function mustParseIp(text: string, what: string): IpAddress {
  const ip = parseIp(text);
  if (!ip) throw new PodbayError('ErrInvalidArg', `${what} "${text}" is not an IP address`);
  return ip;
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt((7 - i) * 16)) & 0xffffn));
  // RFC 5952: the longest run (length ≥ 2) of zero groups becomes "::", the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

function mask(family: IpFamily, prefix: number): bigint {
  const total = bits(family);
  return ((1n << BigInt(total)) - 1n) ^ ((1n << BigInt(total - prefix)) - 1n);
}

/** Parses "10.88.0.0/16"; null when malformed. Host bits may be set ("10.88.0.1/16" keeps its address). */
export function parseCidr(text: string): IpNet | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > bits(ip.family)) return null;
  return { family: ip.family, address: ip.value, network: ip.value & mask(ip.family, prefix), prefix };
}

/** "10.88.0.0/16" for a subnet (host bits cleared). */
export function formatNet(net: IpNet): string {
  return `${formatIp({ family: net.family, value: net.network })}/${net.prefix}`;
}

/** "10.88.0.5/16": an interface address inside its subnet, the form netavark reports. */
export function formatIpInNet(ip: IpAddress, net: IpNet): string {
  return `${formatIp(ip)}/${net.prefix}`;
}

export function netContains(net: IpNet, ip: IpAddress): boolean {
  return net.family === ip.family && (ip.value & mask(net.family, net.prefix)) === net.network;
}

/** Two subnets overlap when either contains the other's network address. */
export function netsOverlap(a: IpNet, b: IpNet): boolean {
  if (a.family !== b.family) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  const m = mask(a.family, prefix);
  return (a.network & m) === (b.network & m);
}

export function lastAddress(net: IpNet): bigint {
  return net.network | ((1n << BigInt(bits(net.family) - net.prefix)) - 1n);
}

/**
 * The addresses IPAM may hand out, as podman's IPAM computes them: IPv4 skips the network and
 * broadcast addresses (unless /31 or /32), IPv6 skips only the subnet-router anycast address.
 * The gateway is excluded by the caller, which knows it.
 */
export function hostRange(net: IpNet): { first: bigint; last: bigint } {
  const last = lastAddress(net);
  if (net.family === 4 && net.prefix < 31) return { first: net.network + 1n, last: last - 1n };
  if (net.family === 6 && net.prefix < 128) return { first: net.network + 1n, last };
  return { first: net.network, last };
}
