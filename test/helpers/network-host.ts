// Drivers for network integration tests on the real host: what is missing to run them, commands
// inside a namespace (nsenter), a TCP listener in a namespace, and a snapshot of everything a
// container's network leaves on the host (links, firewall rules, namespaces, allocations).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NetworkManager } from '../../main/core/network/network-manager.ts';
import { defaultAardvarkPath, defaultNetavarkPath, networkChainHash } from '../../main/core/network/netavark.ts';
import type { NetworkConfig } from '../../main/core/network/network-config.ts';

/** What this host lacks for real-netavark tests; empty when they can run. */
export function networkHostProblems(): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('not root (netavark, namespaces and iptables need uid 0)');
  const need: [string, string][] = [
    [defaultNetavarkPath, 'netavark'],
    [defaultAardvarkPath, 'aardvark-dns'],
    ['/usr/bin/unshare', 'util-linux'],
    ['/usr/bin/nsenter', 'util-linux'],
    ['/usr/bin/busybox', 'busybox-static'],
  ];
  for (const [path, pkg] of need) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      problems.push(`${path} missing (apt-get install ${pkg})`);
    }
  }
  if (spawnSync('iptables', ['--version']).status !== 0) problems.push('iptables missing (apt-get install iptables)');
  return problems;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program inside the network namespace at `netnsPath` (as `ip netns exec`, for any path). */
export function inNetns(netnsPath: string, args: string[], timeoutMs = 10_000): RunResult {
  const result = spawnSync('nsenter', [`--net=${netnsPath}`, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** The IPv4 addresses of `iface` inside a namespace, as "10.89.0.2/24". */
export function addressesIn(netnsPath: string, iface = 'eth0'): string[] {
  const result = inNetns(netnsPath, ['ip', '-j', 'addr', 'show', 'dev', iface]);
  if (result.code !== 0) return [];
  const links = JSON.parse(result.stdout) as { addr_info: { family: string; local: string; prefixlen: number }[] }[];
  return links.flatMap((l) => l.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`));
}

export function ping(netnsPath: string, address: string): boolean {
  return inNetns(netnsPath, ['busybox', 'ping', '-c', '1', '-W', '2', address]).code === 0;
}

/** Every rule of the filter and nat tables (iptables -S), one string. */
export function firewallRules(): string {
  const filter = spawnSync('iptables', ['-S'], { encoding: 'utf8' }).stdout ?? '';
  const nat = spawnSync('iptables', ['-t', 'nat', '-S'], { encoding: 'utf8' }).stdout ?? '';
  return `${filter}\n${nat}`;
}

export function linkNames(): string[] {
  return readdirSync('/sys/class/net').sort();
}

/**
 * Starts a TCP server inside a namespace that answers every connection with `reply` and closes.
 * Resolves once it listens (Node, not nc: it serves any number of connections and says when ready).
 */
export async function startListener(netnsPath: string, port: number, reply: string): Promise<{ stop(): void }> {
  const script = `require('net').createServer((s) => s.end(${JSON.stringify(reply)})).listen(${port}, '0.0.0.0', () => console.log('listening'))`;
  const child = spawn('nsenter', [`--net=${netnsPath}`, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('listener did not start within 10 s')), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`listener exited with ${code}`));
    });
  });
  return { stop: () => child.kill('SIGKILL') };
}

/** Connects to host:port and returns everything read until the peer closes. */
export function readFrom(host: string, port: number, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString());
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * What a container's network may leave behind, as a list of human-readable findings (empty = clean):
 * the bridge, veths, firewall rules naming the subnet or the container, namespace files, attachment
 * records and IPAM allocations of the given containers.
 */
export function leftovers(manager: NetworkManager, network: NetworkConfig, containerIds: readonly string[], linksBefore: readonly string[]): string[] {
  const bridge = network.network_interface;
  const subnet = network.subnets[0]?.subnet ?? '-';
  const hash = networkChainHash(network.name);
  const found: string[] = [];
  const links = linkNames();
  if (links.includes(bridge)) found.push(`bridge ${bridge} still exists`);
  // Only links that appeared during the test: other programs on the host may own veths of their own.
  const veths = links.filter((l) => l.startsWith('veth') && !linksBefore.includes(l));
  if (veths.length) found.push(`veth links remain: ${veths.join(', ')}`);
  const rules = firewallRules().split('\n');
  for (const rule of rules) {
    if (rule.includes(subnet) || rule.includes(hash) || containerIds.some((id) => rule.includes(id))) found.push(`firewall rule or chain remains: ${rule}`);
  }
  const netnsFiles = manager.netns.list();
  if (netnsFiles.length) found.push(`namespace files remain: ${netnsFiles.join(', ')}`);
  for (const id of containerIds) {
    if (manager.attachmentOf(id)) found.push(`attachment of ${id.slice(0, 12)} remains`);
    const allocations = manager.ipam.allocationsOf(id);
    if (allocations.length) found.push(`allocations of ${id.slice(0, 12)} remain: ${allocations.map((a) => a.address).join(', ')}`);
  }
  return found;
}

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes; returns its last answer. */
export async function eventually(check: () => boolean, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A random 64-hex container id. */
export function containerId(): string {
  return Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
}

/** GET http://host:port/path and its body, retried while nothing listens yet (a server starting in a container). */
export async function httpGet(port: number, path = '/', host = '127.0.0.1', timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<string>((resolve, reject) => {
        const req = request({ host, port, path, timeout: 2_000 }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
        req.end();
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}
