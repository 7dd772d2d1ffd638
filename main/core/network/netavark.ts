// The netavark driver, invoked exactly as podman's common/libnetwork/netavark does for a rootful
// bridge: `netavark --config <runRoot>/networks --rootless=false --aardvark-binary <path>
// setup|teardown <netns>` with the container's network options as JSON on stdin. setup prints a
// status block per network (interfaces, addresses, MACs); errors come as {"error": "..."} on stdout
// with a non-zero exit, warnings and logs on stderr. Both are kept on the thrown error.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PodbayError } from '../../../shared/errors.ts';
import type { Exec, ExecResult } from '../exec.ts';
import type { NetworkConfig } from './network-config.ts';
import type { PortMapping } from './port-mappings.ts';

export const defaultNetavarkPath = '/usr/lib/podman/netavark';
export const defaultAardvarkPath = '/usr/lib/podman/aardvark-dns';

/** netavark's PerNetworkOptions. */
export interface PerNetworkOptions {
  interface_name: string;
  static_ips?: string[];
  aliases?: string[];
  static_mac?: string;
}

/** netavark's NetworkOptions: what one setup or teardown is about. */
export interface NetavarkNetworkOptions {
  container_id: string;
  container_name: string;
  networks: Record<string, PerNetworkOptions>;
  network_info: Record<string, NetworkConfig>;
  port_mappings?: PortMapping[];
  dns_servers?: string[];
}

export interface NetAddress {
  /** "10.89.0.2/24": the interface address with its subnet's prefix. */
  ipnet: string;
  gateway?: string;
}

export interface NetInterface {
  mac_address: string;
  subnets?: NetAddress[];
}

/** netavark's StatusBlock, one per network name. */
export interface NetworkStatus {
  dns_search_domains?: string[];
  dns_server_ips?: string[];
  interfaces?: Record<string, NetInterface>;
}

export type StatusBlocks = Record<string, NetworkStatus>;

/** The parts of a failed netavark run, kept as the `cause` of the PodbayError thrown. */
export class NetavarkFailure extends Error {
  readonly command: 'setup' | 'teardown';
  readonly exitCode: number;
  readonly stderr: string;
  readonly stdout: string;

  constructor(command: 'setup' | 'teardown', result: ExecResult, message: string) {
    super(message);
    this.name = 'NetavarkFailure';
    this.command = command;
    this.exitCode = result.exitCode;
    this.stderr = result.stderr;
    this.stdout = result.stdout;
  }
}

export interface NetavarkConfig {
  binary?: string;
  aardvarkBinary?: string;
  /** netavark's --config: where it keeps aardvark-dns's state (<runRoot>/networks). */
  configDir: string;
  exec: Exec;
  /** netavark sets up several networks one after another; 60 s is podman's order of magnitude. */
  timeoutMs?: number;
}

export interface NetavarkRunOptions {
  signal?: AbortSignal;
}

export class Netavark {
  readonly binary: string;
  readonly aardvarkBinary: string;
  readonly configDir: string;
  private readonly exec: Exec;
  private readonly timeoutMs: number;

  constructor(config: NetavarkConfig) {
    this.binary = config.binary ?? defaultNetavarkPath;
    this.aardvarkBinary = config.aardvarkBinary ?? defaultAardvarkPath;
    this.configDir = config.configDir;
    this.exec = config.exec;
    this.timeoutMs = config.timeoutMs ?? 60_000;
  }

  /** Configures the namespace at `netnsPath` for every network in `options`; returns netavark's status. */
  async setup(netnsPath: string, options: NetavarkNetworkOptions, run: NetavarkRunOptions = {}): Promise<StatusBlocks> {
    const result = await this.run('setup', netnsPath, options, run);
    return parseStatus(result.stdout, result);
  }

  /**
   * Undoes setup for the networks in `options` (the same options setup got: the per-container
   * iptables rules are found by them). netavark removes the bridge and the network's rules when
   * the last container leaves it.
   */
  async teardown(netnsPath: string, options: NetavarkNetworkOptions, run: NetavarkRunOptions = {}): Promise<void> {
    await this.run('teardown', netnsPath, options, run);
  }

  private async run(command: 'setup' | 'teardown', netnsPath: string, options: NetavarkNetworkOptions, run: NetavarkRunOptions): Promise<ExecResult> {
    // netavark creates <config>/aardvark-dns but not <config> itself.
    mkdirSync(this.configDir, { recursive: true, mode: 0o700 });
    const args = ['--config', this.configDir, '--rootless=false', '--aardvark-binary', this.aardvarkBinary, command, netnsPath];
    let result: ExecResult;
    try {
      result = await this.exec(this.binary, args, { input: JSON.stringify(options), signal: run.signal, timeoutMs: this.timeoutMs });
    } catch (error) {
      if (run.signal?.aborted) throw new PodbayError('ErrCanceled', `netavark ${command} for container ${options.container_id.slice(0, 12)}: canceled`, { cause: error });
      const missing = (error as { cause?: { code?: string } }).cause?.code === 'ENOENT';
      throw new PodbayError(
        'ErrInternal',
        missing ? `netavark not found at ${this.binary}: install it with apt-get install netavark` : `running netavark ${command}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (result.exitCode !== 0) {
      const reason = errorMessage(result);
      throw new PodbayError('ErrInternal', `netavark ${command} for container ${options.container_id.slice(0, 12)}: ${reason}`, {
        cause: new NetavarkFailure(command, result, reason),
      });
    }
    return result;
  }
}

/** netavark's {"error": "..."} on stdout, else the last stderr line, else the exit code. */
function errorMessage(result: ExecResult): string {
  try {
    const parsed = JSON.parse(result.stdout) as { error?: unknown };
    if (typeof parsed.error === 'string' && parsed.error) return parsed.error;
  } catch {
    // not JSON: fall through to stderr
  }
  const lines = result.stderr.trim().split('\n').filter(Boolean);
  return lines.at(-1) ?? `exit ${result.exitCode}`;
}

function parseStatus(stdout: string, result: ExecResult): StatusBlocks {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    throw new PodbayError('ErrInternal', `netavark setup printed no status JSON: ${stdout.slice(0, 200)}`, { cause: new NetavarkFailure('setup', result, String(error)) });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PodbayError('ErrInternal', 'netavark setup printed a status that is not an object', { cause: new NetavarkFailure('setup', result, 'bad status') });
  }
  return parsed as StatusBlocks;
}

/**
 * True when a failed teardown failed only because the container's veth was not there — what a
 * teardown pointed at an empty namespace produces; every firewall step still ran (netavark collects
 * errors and goes on). Any other error in the list makes this false.
 */
export function onlyMissingVeth(error: unknown): boolean {
  let cause: unknown = error;
  while (cause && !(cause instanceof NetavarkFailure)) cause = (cause as { cause?: unknown }).cause;
  if (!(cause instanceof NetavarkFailure) || cause.command !== 'teardown') return false;
  const items = cause.message
    .replace(/^netavark encountered multiple errors:/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*-\s*/, '').trim())
    .filter(Boolean);
  return items.length > 0 && items.every((item) => /^failed to delete container veth \S+: .*No such device/.test(item));
}

/**
 * netavark 1.4's per-network iptables chain suffix: the first 13 upper-case hex digits of the
 * sha512 of the network name (core_utils `create_network_hash`). Its chains are NETAVARK-<hash>
 * (nat, masquerade) and NETAVARK-DN-<hash> (nat, port forwarding).
 */
export function networkChainHash(networkName: string): string {
  return createHash('sha512').update(networkName).digest('hex').toUpperCase().slice(0, 13);
}

/** The container's addresses on each network, from a status block: { podbay: ["10.88.0.2/16"] }. */
export function addressesOf(status: StatusBlocks): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, block] of Object.entries(status)) {
    out[name] = Object.values(block.interfaces ?? {}).flatMap((i) => (i.subnets ?? []).map((s) => s.ipnet));
  }
  return out;
}
