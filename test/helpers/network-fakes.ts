// Typed fakes for network unit tests: an exec that plays unshare/mount/umount/netavark/iptables
// (recording every call and its stdin), a mount table it maintains, and a manager on temp roots.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exec, ExecResult } from '../../main/core/exec.ts';
import type { NetavarkNetworkOptions, StatusBlocks } from '../../main/core/network/netavark.ts';
import { NetworkManager } from '../../main/core/network/network-manager.ts';
import type { NetworkManagerOptions } from '../../main/core/network/network-manager.ts';
import type { PortProbe } from '../../main/core/network/port-mappings.ts';

export interface ExecCall {
  file: string;
  args: string[];
  input: string | undefined;
}

export interface FakeHost {
  exec: Exec;
  calls: ExecCall[];
  mounts: Map<string, { shared: boolean }>;
  /** Bridges "up" on the fake host (setup adds, last teardown removes). */
  bridges: Set<string>;
  /** Make the next netavark `setup` or `teardown` fail with this message. */
  failNext: { setup?: string; teardown?: string };
  netavarkCalls(command?: 'setup' | 'teardown'): { command: string; netns: string; options: NetavarkNetworkOptions }[];
}

/** Status netavark would print: one eth per network with its first static IP. */
function fakeStatus(options: NetavarkNetworkOptions): StatusBlocks {
  const status: StatusBlocks = {};
  for (const [name, per] of Object.entries(options.networks)) {
    const network = options.network_info[name];
    const prefix = network?.subnets[0]?.subnet.split('/')[1] ?? '24';
    const subnets = (per.static_ips ?? []).map((ip, i) => ({ ipnet: `${ip}/${prefix}`, gateway: network?.subnets[i]?.gateway ?? '' }));
    status[name] = { dns_search_domains: [], dns_server_ips: [], interfaces: { [per.interface_name]: { mac_address: '02:00:00:00:00:01', subnets } } };
  }
  return status;
}

export function fakeHost(): FakeHost {
  const calls: ExecCall[] = [];
  const mounts = new Map<string, { shared: boolean }>();
  const bridges = new Set<string>();
  const members = new Map<string, Set<string>>();
  const failNext: FakeHost['failNext'] = {};
  const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' });
  const exec: Exec = async (file, args, options = {}) => {
    calls.push({ file, args: [...args], input: options.input });
    const name = file.split('/').at(-1);
    if (name === 'unshare') {
      mounts.set((args[0] ?? '').replace('--net=', ''), { shared: false });
      return ok();
    }
    if (name === 'mount') {
      if (args[0] === '--bind') mounts.set(args[2] ?? '', { shared: false });
      if (args[0] === '--make-shared') mounts.set(args[1] ?? '', { shared: true });
      return ok();
    }
    if (name === 'umount') {
      const path = args.at(-1) ?? '';
      mounts.delete(path);
      // As the kernel: the namespace dies and its veths leave their bridges (the bridges stay).
      for (const set of members.values()) for (const m of set) if (m.endsWith(`@${path}`)) set.delete(m);
      return ok();
    }
    if (name === 'netavark') {
      const command = args.at(-2) as 'setup' | 'teardown';
      const netns = args.at(-1) ?? '';
      const opts = JSON.parse(options.input ?? '{}') as NetavarkNetworkOptions;
      const failure = failNext[command];
      if (failure) {
        delete failNext[command];
        return { exitCode: 1, stdout: JSON.stringify({ error: failure }), stderr: '[WARN] something' };
      }
      const missing: string[] = [];
      for (const [name, network] of Object.entries(opts.network_info)) {
        const set = members.get(network.network_interface) ?? new Set<string>();
        if (command === 'setup') {
          set.add(`${opts.container_id}@${netns}`);
          bridges.add(network.network_interface);
        } else if (set.delete(`${opts.container_id}@${netns}`)) {
          if (set.size === 0) bridges.delete(network.network_interface);
        } else {
          // As netavark: no veth in that namespace; the firewall part still runs, the bridge stays.
          missing.push(`failed to delete container veth ${opts.networks[name]?.interface_name}: Netlink error: No such device (os error 19)`);
        }
        members.set(network.network_interface, set);
      }
      if (missing.length) {
        const message = missing.length === 1 ? missing[0] : `netavark encountered multiple errors:${missing.map((m) => `\n\t- ${m}`).join('')}`;
        return { exitCode: 1, stdout: JSON.stringify({ error: message }), stderr: '' };
      }
      return ok(command === 'setup' ? JSON.stringify(fakeStatus(opts)) : '');
    }
    return ok();
  };
  return {
    exec,
    calls,
    mounts,
    bridges,
    failNext,
    netavarkCalls: (command) =>
      calls
        .filter((c) => c.file.endsWith('netavark') && (!command || c.args.at(-2) === command))
        .map((c) => ({ command: c.args.at(-2) ?? '', netns: c.args.at(-1) ?? '', options: JSON.parse(c.input ?? '{}') as NetavarkNetworkOptions })),
  };
}

/** A probe that reports the listed ports as taken and everything else free. */
export function fakePortProbe(taken: number[] = []): PortProbe {
  return {
    tryBind: async (_ip, port) => {
      if (taken.includes(port)) throw Object.assign(new Error(`listen EADDRINUSE: address already in use :::${port}`), { code: 'EADDRINUSE' });
    },
  };
}

export interface FakeNetworkEnv {
  dir: string;
  host: FakeHost;
  manager: NetworkManager;
  open(extra?: Partial<NetworkManagerOptions>): NetworkManager;
  cleanup(): void;
}

/** A manager on temporary roots whose every external effect goes to a FakeHost. */
export function fakeNetworkEnv(extra: Partial<NetworkManagerOptions> = {}): FakeNetworkEnv {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-net-unit-'));
  const host = fakeHost();
  const opened: NetworkManager[] = [];
  const open = (more: Partial<NetworkManagerOptions> = {}) => {
    const manager = new NetworkManager({
      graphRoot: join(dir, 'graph'),
      runRoot: join(dir, 'run'),
      exec: host.exec,
      mounts: () => host.mounts,
      hostRoutes: () => [],
      interfaceRoutes: () => [],
      portProbe: fakePortProbe(),
      interfaceExists: (name) => host.bridges.has(name),
      sysClassNet: join(dir, 'sys-class-net'),
      ...extra,
      ...more,
    });
    opened.push(manager);
    return manager;
  };
  const manager = open();
  return {
    dir,
    host,
    manager,
    open,
    cleanup: () => {
      for (const m of opened) m.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function hexId(n: number): string {
  return n.toString(16).padStart(64, '0');
}
