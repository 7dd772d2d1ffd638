// A container's resource use from its cgroup, v1 or v2, as runc's cgroups managers read it for
// podman stats: found from /proc/<pid>/cgroup of its init process (the cgroup the OCI runtime put it
// in, whatever the manager or parent), with the hierarchies' mount points from /proc/self/mountinfo.
// v1: cpuacct.usage, memory.usage_in_bytes / limit_in_bytes / stat, pids.current,
// blkio.*io_service_bytes_recursive. v2: cpu.stat, memory.current / max / stat, pids.current,
// io.stat. Network bytes come from the init process's /proc/<pid>/net/dev (its network namespace).
// Parsers are pure; `readCgroupStats` reads the files.
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';

/** Per hierarchy: the controllers (v1) and the path, from /proc/<pid>/cgroup. */
export interface ProcCgroup {
  /** controller name (`memory`, `cpuacct`, `name=systemd`…) → path. */
  v1: Map<string, string>;
  /** The `0::` line's path, or null on a v1-only host. */
  v2: string | null;
}

export function parseProcCgroup(text: string): ProcCgroup {
  const v1 = new Map<string, string>();
  let v2: string | null = null;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (controllers === '') v2 = path;
    else for (const c of controllers.split(',')) v1.set(c, path);
  }
  return { v1, v2 };
}

export interface CgroupMounts {
  /** controller → mount point of its v1 hierarchy. */
  v1: Map<string, string>;
  /** The cgroup2 mount point (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts). */
  v2: string | null;
}

export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  const v1 = new Map<string, string>();
  let v2: string | null = null;
  for (const line of mountinfo.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const fields = line.slice(0, dash).split(' ');
    const [fstype, , superOptions = ''] = line.slice(dash + 3).split(' ');
    const mountPoint = (fields[4] ?? '').replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (fstype === 'cgroup2') v2 ??= mountPoint;
    else if (fstype === 'cgroup') {
      for (const option of superOptions.split(',')) if (!['rw', 'ro', 'relatime', 'nosuid', 'nodev', 'noexec'].includes(option) && !v1.has(option)) v1.set(option, mountPoint);
    }
  }
  return { v1, v2 };
}

/** Where a controller's files are for this process, and in which version's format. */
export interface ControllerDir {
  dir: string;
  v2: boolean;
}

export interface CgroupDirs {
  cpu: ControllerDir | null;
  memory: ControllerDir | null;
  pids: ControllerDir | null;
  io: ControllerDir | null;
}

/**
 * Each controller's directory: the v2 one when the unified hierarchy has that controller (v2 hosts,
 * or hybrid hosts whose cgroup2 tree lists it), else its v1 hierarchy's.
 */
export function cgroupDirs(proc: ProcCgroup, mounts: CgroupMounts, unifiedControllers: readonly string[]): CgroupDirs {
  const v2Dir = proc.v2 !== null && mounts.v2 ? join(mounts.v2, proc.v2) : null;
  const pick = (v2Name: string, v1Name: string): ControllerDir | null => {
    const path = proc.v1.get(v1Name);
    const mount = mounts.v1.get(v1Name);
    if (path !== undefined && mount) return { dir: join(mount, path), v2: false };
    return v2Dir && unifiedControllers.includes(v2Name) ? { dir: v2Dir, v2: true } : null;
  };
  return { cpu: pick('cpu', 'cpuacct'), memory: pick('memory', 'memory'), pids: pick('pids', 'pids'), io: pick('io', 'blkio') };
}

/** `key value` lines (memory.stat, cpu.stat) → map. */
export function parseKeyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) out.set(key, Number(value));
  }
  return out;
}

/** v1 blkio `MAJ:MIN Read N` lines, or v2 io.stat `MAJ:MIN rbytes=N wbytes=N …` lines → totals. */
export function parseBlockIo(text: string): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of text.split('\n')) {
    const v1 = /^\d+:\d+ (Read|Write) (\d+)$/.exec(line.trim());
    if (v1) {
      if (v1[1] === 'Read') read += Number(v1[2]);
      else write += Number(v1[2]);
      continue;
    }
    read += Number(/\brbytes=(\d+)/.exec(line)?.[1] ?? 0);
    write += Number(/\bwbytes=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return { read, write };
}

/** /proc/<pid>/net/dev → bytes received and sent over every interface but loopback. */
export function parseNetDev(text: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    if (iface === 'lo') continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    rx += fields[0] ?? 0;
    tx += fields[8] ?? 0;
  }
  return { rx, tx };
}

export interface CgroupSample {
  cpuNanos: number;
  memUsage: number;
  memLimit: number;
  pids: number;
  blockRead: number;
  blockWrite: number;
  netRx: number | null;
  netTx: number | null;
}

function read(at: ControllerDir | null, file: string): string | null {
  if (at === null) return null;
  try {
    return readFileSync(join(at.dir, file), 'utf8');
  } catch {
    return null;
  }
}

const num = (text: string | null) => (text !== null && /^\d+/.test(text.trim()) ? Number(text.trim().split(/\s+/)[0]) : null);

/** One sample from the controllers' files (pure but for the reads; `hostMemory` caps the limit). */
export function sampleCgroup(dirs: CgroupDirs, netDev: string | null, hostMemory: number): CgroupSample {
  const cpuNanos = dirs.cpu?.v2 ? (parseKeyValues(read(dirs.cpu, 'cpu.stat') ?? '').get('usage_usec') ?? 0) * 1000 : (num(read(dirs.cpu, 'cpuacct.usage')) ?? 0);
  const memV2 = dirs.memory?.v2 === true;
  const memStat = parseKeyValues(read(dirs.memory, 'memory.stat') ?? '');
  const usage = num(read(dirs.memory, memV2 ? 'memory.current' : 'memory.usage_in_bytes')) ?? 0;
  // Page cache that can be dropped is not "in use" (podman's and docker's usage without cache).
  const inactive = memStat.get(memV2 ? 'inactive_file' : 'total_inactive_file') ?? 0;
  const limit = num(read(dirs.memory, memV2 ? 'memory.max' : 'memory.limit_in_bytes'));
  let io: { read: number; write: number };
  if (dirs.io?.v2) io = parseBlockIo(read(dirs.io, 'io.stat') ?? '');
  else {
    const cfq = parseBlockIo(read(dirs.io, 'blkio.io_service_bytes_recursive') ?? '');
    io = cfq.read + cfq.write > 0 ? cfq : parseBlockIo(read(dirs.io, 'blkio.throttle.io_service_bytes_recursive') ?? '');
  }
  const net = netDev === null ? null : parseNetDev(netDev);
  return {
    cpuNanos,
    memUsage: usage >= inactive ? usage - inactive : usage,
    memLimit: limit === null || limit > hostMemory ? hostMemory : limit,
    pids: num(read(dirs.pids, 'pids.current')) ?? 0,
    blockRead: io.read,
    blockWrite: io.write,
    netRx: net?.rx ?? null,
    netTx: net?.tx ?? null,
  };
}

/** Reads one sample of the cgroup and network namespace of process `pid` (the container's init). */
export function readCgroupStats(pid: number, unifiedControllers: readonly string[], hostMemory = totalmem()): CgroupSample {
  const proc = parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
  const dirs = cgroupDirs(proc, parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8')), unifiedControllers);
  let netDev: string | null;
  try {
    netDev = readFileSync(`/proc/${pid}/net/dev`, 'utf8');
  } catch {
    netDev = null;
  }
  return sampleCgroup(dirs, netDev, hostMemory);
}
