// The host's /proc as psgo reads it for podman top: a process's stat and status lines, its
// command line, the boot time, and which processes share a pid namespace. Parsers are pure (tests
// feed them text); readers return null for a process that exited meanwhile.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** USER_HZ: the unit of /proc's tick counts, 100 on every Linux architecture (a fixed ABI). */
export const clockTicks = 100;
export const pageSize = 4096;

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  ttyNr: number;
  /** Ticks (see clockTicks). */
  utime: number;
  stime: number;
  nice: number;
  /** Ticks after boot. */
  startTime: number;
  /** Bytes. */
  vsize: number;
  /** Pages. */
  rss: number;
}

/** /proc/<pid>/stat: the comm is between the first `(` and the last `)` (it may hold both). */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const n = (i: number) => Number(rest[i] ?? 0);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: n(1),
    pgid: n(2),
    ttyNr: n(4),
    utime: n(11),
    stime: n(12),
    nice: n(16),
    startTime: n(19),
    vsize: n(20),
    rss: n(21),
  };
}

export interface ProcStatus {
  /** real, effective, saved, fs. */
  uids: number[];
  gids: number[];
  /** The pid in each nested pid namespace, outermost first (the last is the innermost). */
  nsPids: number[];
  ppid: number;
  seccomp: number | null;
  capEff: string | null;
}

export function parseProcStatus(text: string): ProcStatus {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  const numbers = (name: string) => field(name).split(/\s+/).filter(Boolean).map(Number);
  const seccomp = field('Seccomp');
  return {
    uids: numbers('Uid'),
    gids: numbers('Gid'),
    nsPids: numbers('NSpid'),
    ppid: Number(field('PPid') || 0),
    seccomp: seccomp === '' ? null : Number(seccomp),
    capEff: field('CapEff') || null,
  };
}

/** /proc/stat's `btime`: boot time in Unix seconds. */
export function parseBootTime(procStat: string): number {
  return Number(/^btime\s+(\d+)$/m.exec(procStat)?.[1] ?? 0);
}

export function readBootTime(): number {
  return parseBootTime(readFileSync('/proc/stat', 'utf8'));
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export interface ProcessInfo {
  hostPid: number;
  stat: ProcStat;
  status: ProcStatus;
  /** argv (NUL-separated in /proc), empty for kernel threads and zombies. */
  args: string[];
}

export function readProcess(pid: number, procRoot = '/proc'): ProcessInfo | null {
  const stat = readOrNull(`${procRoot}/${pid}/stat`);
  const status = readOrNull(`${procRoot}/${pid}/status`);
  const cmdline = readOrNull(`${procRoot}/${pid}/cmdline`);
  if (stat === null || status === null) return null;
  const parsed = parseProcStat(stat);
  if (!parsed) return null;
  return { hostPid: pid, stat: parsed, status: parseProcStatus(status), args: (cmdline ?? '').split('\0').filter((a, i, all) => a !== '' || i < all.length - 1) };
}

/** Host pids of every process in the pid namespace of `pid` (psgo reads the same set from inside). */
export function pidsInNamespaceOf(pid: number, procRoot = '/proc'): number[] {
  let ns: string;
  try {
    ns = readlinkSync(`${procRoot}/${pid}/ns/pid`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`${procRoot}/${name}/ns/pid`) === ns) out.push(Number(name));
    } catch {
      // exited meanwhile, or a kernel thread without namespaces to read
    }
  }
  return out.sort((a, b) => a - b);
}

/** A terminal's name from stat's tty_nr, as ps shows it: `pts/0`, `tty1`, or `?` for none. */
export function ttyName(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4 && minor < 64) return `tty${minor}`;
  if (major === 4) return `ttyS${minor - 64}`;
  if (major === 5 && minor === 0) return 'tty';
  if (major === 5 && minor === 1) return 'console';
  return '?';
}

/** Go's time.Duration.String(): "1h2m3.5s", "6.264599384s", "1.5ms", "0s" (what psgo prints). */
export function goDuration(nanos: number): string {
  const ns = Math.max(0, Math.round(nanos));
  if (ns === 0) return '0s';
  const trim = (value: string) => value.replace(/\.?0+$/, '');
  if (ns < 1_000) return `${ns}ns`;
  if (ns < 1_000_000) return `${trim((ns / 1_000).toFixed(3))}µs`;
  if (ns < 1_000_000_000) return `${trim((ns / 1_000_000).toFixed(6))}ms`;
  const totalSeconds = Math.floor(ns / 1e9);
  const fraction = ns % 1e9;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const secondsText = fraction === 0 ? `${seconds}` : `${seconds}.${String(fraction).padStart(9, '0').replace(/0+$/, '')}`;
  return `${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${secondsText}s`;
}
