// User-mode networking for a rootless container (libpod networking_slirp4netns.go): once the OCI
// runtime has created the container's network namespace, slirp4netns joins it by the container's
// pid, brings up tap0 (10.0.2.100/24, gateway 10.0.2.2, DNS 10.0.2.3) and relays its traffic through
// ordinary sockets of the host. Published ports are host forwards added through its API socket.
//
// It must never outlive the container: its exit fd is one end of a socket pair whose other end
// conmon holds (conmon lives exactly as long as the container), so it exits with conmon; and its pid
// is kept in the container's run dir so any process's cleanup (the exit command's too) can end it.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';
import type { StatusBlocks } from '../network/netavark.ts';
import type { PortMapping } from '../network/port-mappings.ts';
import { findBinary } from '../system/components.ts';

/** slirp4netns's fixed addresses for the default 10.0.2.0/24. */
export const slirpAddresses = { container: '10.0.2.100', gateway: '10.0.2.2', dns: '10.0.2.3', prefix: 24 } as const;

const pidFileName = 'slirp4netns.pid';
const socketFileName = 'slirp4netns.sock';
/** The forwards of this run, host ports chosen at start (`-p 80`, -P) filled in, for ps and inspect. */
const portsFileName = 'slirp4netns.ports.json';
const logFileName = 'slirp4netns.log';

export interface SlirpStartOptions {
  /** The container's pid: slirp4netns enters /proc/<pid>/ns/net. */
  pid: number;
  /** The container's run dir: pid file and API socket go there. */
  runDir: string;
  portMappings?: readonly PortMapping[];
  /** Our end of a socket pair conmon holds the other end of (exit fd); absent: only cleanup ends it. */
  exitWatch?: Socket;
  signal?: AbortSignal;
}

/** The status a network file writer takes (hosts, resolv.conf), describing slirp4netns's tap0. */
export function slirpStatus(): StatusBlocks {
  const { container, gateway, dns, prefix } = slirpAddresses;
  return { slirp4netns: { dns_server_ips: [dns], interfaces: { tap0: { mac_address: '', subnets: [{ ipnet: `${container}/${prefix}`, gateway }] } } } };
}

/**
 * Starts slirp4netns for the container and adds its port forwards. Resolves once tap0 is configured
 * and every forward is in place; on failure nothing of it is left running. Missing binary →
 * ErrInvalidArg with the apt-get fix; slirp4netns failing → ErrInternal with what it said.
 */
export async function startSlirp4netns(options: SlirpStartOptions): Promise<void> {
  try {
    await start(options);
  } finally {
    // Our end is slirp4netns's now (or unneeded): a socket left open would keep this process alive.
    options.exitWatch?.destroy();
  }
}

async function start(options: SlirpStartOptions): Promise<void> {
  const binary = await findBinary('slirp4netns', ['/usr/bin/slirp4netns']);
  if (!binary) throw new PodbayError('ErrInvalidArg', 'rootless networking needs slirp4netns, which is not installed: as root, run `apt-get install -y slirp4netns` (or use --network none)');
  // The pid's own namespace or none: tap0 must never land in ours.
  if (sameNetns(options.pid)) throw new PodbayError('ErrInternal', `process ${options.pid} is not in a network namespace of its own: slirp4netns is not started`);
  rmSync(join(options.runDir, socketFileName), { force: true });
  // A socket path is limited to 107 bytes and a run dir under $XDG_RUNTIME_DIR with a 64-hex id can
  // be longer: slirp4netns binds it relative to its cwd, the run dir, and we reach it through
  // /proc/<pid>/cwd.
  const args = ['--configure', '--mtu=65520', '--disable-host-loopback', `--api-socket=${socketFileName}`, '--ready-fd=3'];
  if (options.exitWatch) args.push('--exit-fd=4');
  args.push(String(options.pid), 'tap0');
  // Detached: it stays beside the container after this process exits, as conmon does.
  // Its output goes to a file, not a pipe: a write after we are gone must not kill it with SIGPIPE.
  const logPath = join(options.runDir, logFileName);
  const log = openSync(logPath, 'w', 0o600);
  let child;
  try {
    child = spawn(binary, args, { cwd: options.runDir, detached: true, stdio: ['ignore', log, log, 'pipe', options.exitWatch ?? 'ignore'] });
  } finally {
    closeSync(log);
  }
  const said = () => {
    try {
      return readFileSync(logPath, 'utf8').trim().split('\n').slice(-5).join('; ');
    } catch {
      return '';
    }
  };
  const ready = child.stdio[3] as Socket;
  try {
    // Recorded at once: a cleanup by another process (this one killed meanwhile) must find it.
    if (child.pid !== undefined) writeFileSync(join(options.runDir, pidFileName), `${child.pid}\n`, { mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) => reject(new PodbayError('ErrInternal', `starting slirp4netns for pid ${options.pid}: ${said() || why}`));
      ready.once('data', () => resolve());
      child.once('error', (error) => fail(error.message));
      // Exiting before it is ready: a bad option, or it could not join the namespace.
      child.once('close', (code, sig) => fail(code !== null ? `exited with ${code}` : `killed by ${sig}`));
      options.signal?.addEventListener('abort', () => reject(new PodbayError('ErrCanceled', 'starting slirp4netns was canceled')), { once: true });
    });
    if (child.pid === undefined) throw new PodbayError('ErrInternal', 'slirp4netns has no pid');
    const apiSocket = `/proc/${child.pid}/cwd/${socketFileName}`;
    const published: PortMapping[] = [];
    for (const mapping of options.portMappings ?? []) published.push(...(await addForwards(apiSocket, mapping)));
    if (published.length) writeFileSync(join(options.runDir, portsFileName), JSON.stringify(published), { mode: 0o600 });
  } catch (error) {
    child.kill('SIGKILL');
    stopSlirp4netnsSync(options.runDir);
    throw error;
  } finally {
    ready.destroy();
    child.unref();
  }
}

/**
 * Ends the container's slirp4netns, if its pid file names one that is still slirp4netns (a reused
 * pid is left alone), and removes its files. Idempotent; synchronous so removal paths can use it.
 */
export function stopSlirp4netnsSync(runDir: string): void {
  const pidFile = join(runDir, pidFileName);
  let pid = NaN;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    // no pid file: never started, or already stopped
  }
  if (Number.isSafeInteger(pid) && pid > 1 && processName(pid) === 'slirp4netns') {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  rmSync(pidFile, { force: true });
  rmSync(join(runDir, socketFileName), { force: true });
  rmSync(join(runDir, portsFileName), { force: true });
  rmSync(join(runDir, logFileName), { force: true });
}

/** The ports the running slirp4netns forwards (one mapping per port), or null when it recorded none. */
export function readSlirpPorts(runDir: string): PortMapping[] | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(runDir, portsFileName), 'utf8'));
    return Array.isArray(parsed) ? (parsed as PortMapping[]) : null;
  } catch {
    return null;
  }
}

function sameNetns(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`) === readlinkSync('/proc/self/ns/net');
  } catch {
    return false;
  }
}

function processName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** One add_hostfwd per port of the mapping's range; host port 0 gets a free port of the host. Returns what was forwarded. */
async function addForwards(apiSocket: string, mapping: PortMapping): Promise<PortMapping[]> {
  const added: PortMapping[] = [];
  const protocols = mapping.protocol === 'sctp' ? [] : [mapping.protocol];
  if (protocols.length === 0) throw new PodbayError('ErrInvalidArg', 'slirp4netns forwards only tcp and udp ports, not sctp');
  for (let i = 0; i < mapping.range; i++) {
    const hostPort = mapping.host_port === 0 ? await freePort() : mapping.host_port + i;
    const request = {
      execute: 'add_hostfwd',
      arguments: { proto: mapping.protocol, host_addr: mapping.host_ip || '0.0.0.0', host_port: hostPort, guest_addr: slirpAddresses.container, guest_port: mapping.container_port + i },
    };
    const reply = await apiCall(apiSocket, request);
    if (reply.error) {
      const desc = typeof reply.error === 'object' && reply.error && 'desc' in reply.error ? String((reply.error as { desc: unknown }).desc) : JSON.stringify(reply.error);
      throw new PodbayError('ErrInternal', `publishing ${mapping.host_ip || '0.0.0.0'}:${hostPort} → ${mapping.container_port + i}/${mapping.protocol} through slirp4netns: ${desc}`);
    }
    added.push({ host_ip: mapping.host_ip, container_port: mapping.container_port + i, host_port: hostPort, range: 1, protocol: mapping.protocol });
  }
  return added;
}

/** A port the kernel says is free now (slirp4netns binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new PodbayError('ErrInternal', 'could not find a free host port');
  return address.port;
}

/** One request on the API socket: slirp4netns answers with one JSON object and closes. */
async function apiCall(apiSocket: string, request: unknown): Promise<{ return?: unknown; error?: unknown }> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = createConnection(apiSocket);
    const chunks: Buffer[] = [];
    socket.once('connect', () => {
      socket.write(JSON.stringify(request));
      // slirp4netns reads until it has the whole request; shutting our side down ends it.
      socket.end();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', (error) => reject(new PodbayError('ErrInternal', `slirp4netns API socket ${apiSocket}: ${error.message}`)));
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  try {
    return JSON.parse(text) as { return?: unknown; error?: unknown };
  } catch {
    throw new PodbayError('ErrInternal', `slirp4netns API socket answered ${JSON.stringify(text.slice(0, 200))}`);
  }
}
