// libpod Container.Top (container_top_linux.go over psgo): the processes in a running container's
// pid namespace, with psgo's descriptors — podman's default `user,pid,ppid,pcpu,etime,tty,time,args`
// shows USER PID PPID %CPU ELAPSED TTY TIME COMMAND. PIDs are as the container sees them (its init is
// 1; a parent outside the namespace, conmon, is 0) and users are names from the container's own
// /etc/passwd. Descriptors psgo does not know fall back to running `ps` with them inside the
// container, as podman does, with the ps process itself filtered out.
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerTopReport } from '../../shared/types/container-files.ts';
import type { LifecycleContext } from './container-internal.ts';
import { execInContainer, readRecord } from './container-lifecycle.ts';
import { syncRecords } from './container-internal.ts';
import { rootfsPaths } from './container-rootfs.ts';
import { stateInvalid } from './container-state.ts';
import { parseGroup, parsePasswd, readRootfsUserFiles } from './oci/user-resolver.ts';
import { clockTicks, goDuration, pageSize, pidsInNamespaceOf, readBootTime, readProcess, ttyName } from './system/proc-info.ts';
import type { ProcessInfo } from './system/proc-info.ts';

export const defaultTopDescriptors = ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args'];

interface TopContext {
  /** Now, in Unix ms. */
  now: number;
  bootTime: number;
  users: Map<number, string>;
  groups: Map<number, string>;
  /** host pid → pid inside the namespace, for the processes in it. */
  nsPid: Map<number, number>;
}

interface Descriptor {
  header: string;
  value: (p: ProcessInfo, ctx: TopContext) => string;
}

const startedMs = (p: ProcessInfo, ctx: TopContext) => (ctx.bootTime + p.stat.startTime / clockTicks) * 1000;
const cpuSeconds = (p: ProcessInfo) => (p.stat.utime + p.stat.stime) / clockTicks;
const name = (map: Map<number, string>, id: number | undefined) => (id === undefined ? '?' : (map.get(id) ?? String(id)));
const ns = (p: ProcessInfo, host: number) => p.status.nsPids[p.status.nsPids.length - 1] ?? host;

/** psgo's descriptors, by name and by AIX code. */
const descriptors: Record<string, Descriptor> = {
  args: { header: 'COMMAND', value: (p) => (p.args.length > 0 ? p.args.join(' ') : `[${p.stat.comm}]`) },
  comm: { header: 'COMMAND', value: (p) => p.stat.comm },
  etime: { header: 'ELAPSED', value: (p, c) => goDuration(Math.max(0, c.now - startedMs(p, c)) * 1e6) },
  group: { header: 'GROUP', value: (p, c) => name(c.groups, p.status.gids[1]) },
  hgroup: { header: 'HGROUP', value: (p) => String(p.status.gids[1] ?? '?') },
  hpid: { header: 'HPID', value: (p) => String(p.hostPid) },
  huser: { header: 'HUSER', value: (p) => String(p.status.uids[1] ?? '?') },
  nice: { header: 'NI', value: (p) => String(p.stat.nice) },
  pcpu: {
    header: '%CPU',
    value: (p, c) => {
      const elapsed = (c.now - startedMs(p, c)) / 1000;
      return (elapsed > 0 ? (cpuSeconds(p) / elapsed) * 100 : 0).toFixed(3);
    },
  },
  pgid: { header: 'PGID', value: (p, c) => String(c.nsPid.get(p.stat.pgid) ?? 0) },
  pid: { header: 'PID', value: (p) => String(ns(p, p.hostPid)) },
  ppid: { header: 'PPID', value: (p, c) => String(c.nsPid.get(p.status.ppid) ?? 0) },
  rgroup: { header: 'RGROUP', value: (p, c) => name(c.groups, p.status.gids[0]) },
  rss: { header: 'RSS', value: (p) => String((p.stat.rss * pageSize) / 1024) },
  ruser: { header: 'RUSER', value: (p, c) => name(c.users, p.status.uids[0]) },
  seccomp: { header: 'SECCOMP', value: (p) => ['disabled', 'strict', 'filter'][p.status.seccomp ?? -1] ?? '?' },
  state: { header: 'STATE', value: (p) => p.stat.state },
  stime: { header: 'STIME', value: (p, c) => new Date(startedMs(p, c)).toISOString() },
  time: { header: 'TIME', value: (p) => goDuration(cpuSeconds(p) * 1e9) },
  tty: { header: 'TTY', value: (p) => ttyName(p.stat.ttyNr) },
  user: { header: 'USER', value: (p, c) => name(c.users, p.status.uids[1]) },
  vsz: { header: 'VSZ', value: (p) => String(Math.floor(p.stat.vsize / 1024)) },
};

const aixCodes: Record<string, string> = { '%C': 'pcpu', '%G': 'group', '%P': 'ppid', '%U': 'ruser', '%a': 'args', '%c': 'comm', '%g': 'rgroup', '%n': 'nice', '%p': 'pid', '%r': 'pgid', '%t': 'etime', '%u': 'user', '%x': 'time', '%y': 'tty', '%z': 'vsz' };

/** Descriptors as given (space or comma separated, podman's `top CTR pid,user args`); null if one is unknown. */
export function parseTopDescriptors(input: readonly string[]): string[] | null {
  const list = input.flatMap((d) => d.split(',')).map((d) => d.trim()).filter(Boolean);
  if (list.length === 0) return [...defaultTopDescriptors];
  const out: string[] = [];
  for (const d of list) {
    const key = aixCodes[d] ?? d;
    if (!Object.hasOwn(descriptors, key)) return null;
    out.push(key);
  }
  return out;
}

/** The table for `processes` (pure: everything it needs is in `ctx`). */
export function topTable(processes: readonly ProcessInfo[], keys: readonly string[], ctx: TopContext): ContainerTopReport {
  return {
    titles: keys.map((k) => (descriptors[k] as Descriptor).header),
    processes: processes.map((p) => keys.map((k) => (descriptors[k] as Descriptor).value(p, ctx))),
  };
}

function idNames(text: string | null, parse: (t: string) => { name: string; id: number }[]): Map<number, string> {
  const map = new Map<number, string>();
  for (const e of text === null ? [] : parse(text)) if (!map.has(e.id)) map.set(e.id, e.name);
  return map;
}

/** `ps` output as a table: the header's words as titles, the last column keeping its spaces. */
export function psOutputTable(lines: readonly string[], filter: string): ContainerTopReport {
  const [header, ...rows] = lines.filter((l) => l.trim() !== '');
  const titles = (header ?? '').trim().split(/\s+/).filter(Boolean);
  const processes = rows.filter((l) => !l.includes(filter)).map((line) => {
    const cells = line.trim().split(/\s+/);
    return titles.length > 0 && cells.length > titles.length ? [...cells.slice(0, titles.length - 1), cells.slice(titles.length - 1).join(' ')] : cells;
  });
  return { titles, processes };
}

async function execPs(ctx: LifecycleContext, id: string, args: readonly string[], signal?: AbortSignal): Promise<ContainerTopReport> {
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  const session = await execInContainer(ctx, id, {
    command: ['ps', ...args],
    attach: { onFrame: (f) => (f.stream === 'stderr' ? errors : chunks).push(Buffer.from(f.data)), detachKeys: '' },
    ...(signal ? { signal } : {}),
  });
  const code = await session.exitCode;
  await session.attach?.done;
  await session.remove().catch(() => undefined);
  if (code !== 0) {
    const why = Buffer.concat(errors).toString().trim() || `ps exited with ${code}`;
    throw new PodbayError(code === 127 ? 'ErrOCIRuntimeNotFound' : 'ErrInvalidArg', `executing ps(1) in the container: ${why}`);
  }
  return psOutputTable(Buffer.concat(chunks).toString().split('\n'), `ps ${args.join(' ')}`);
}

/**
 * `podbay top CTR [DESCRIPTORS…]`: the container's processes. Not running → ErrCtrStateInvalid
 * ("top can only be used on running containers").
 */
export async function topContainer(ctx: LifecycleContext, id: string, input: readonly string[] = [], options: { signal?: AbortSignal } = {}): Promise<ContainerTopReport> {
  const record = syncRecords(ctx, [readRecord(ctx, id)])[0];
  if (!record || record.state.status !== 'running' || !(record.state.pid > 0)) throw stateInvalid(id, record?.state.status ?? 'unknown', 'list its processes: top can only be used on running containers');
  const keys = parseTopDescriptors(input);
  if (keys === null) return execPs(ctx, id, input, options.signal);
  const hostPids = pidsInNamespaceOf(record.state.pid);
  const processes = hostPids.map((pid) => readProcess(pid)).filter((p): p is ProcessInfo => p !== null);
  const rootfs = record.config.rootfs ?? rootfsPaths(ctx.settings().storage.graphRoot, id).merged;
  const { passwd, group } = await readRootfsUserFiles(rootfs).catch(() => ({ passwd: null, group: null }));
  const nsPid = new Map(processes.map((p) => [p.hostPid, ns(p, p.hostPid)]));
  return topTable(processes, keys, {
    now: Date.now(),
    bootTime: readBootTime(),
    users: idNames(passwd, (t) => parsePasswd(t).map((e) => ({ name: e.name, id: e.uid }))),
    groups: idNames(group, (t) => parseGroup(t).map((e) => ({ name: e.name, id: e.gid }))),
    nsPid,
  });
}
