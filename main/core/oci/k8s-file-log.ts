// Reads the k8s-file log conmon writes (`<RFC3339Nano> stdout|stderr F|P <text>`,
// ../shared/reference/libpod-internals.md §4), as podman's libpod/logs does: a P line is a fragment
// that the next lines continue, an F line ends a logical line. Tolerant of conmon variants: a missing
// space after F/P, empty content, and a file truncated (rotated) under a follower.
import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  /** The timestamp exactly as written (nanoseconds, local offset): JS Date would lose precision. */
  time: string;
  /** Milliseconds since the epoch, for filtering. */
  timeMs: number;
  stream: LogStream;
  /** True for F (the logical line ends here), false for P (a fragment). */
  full: boolean;
  /** Without the newline conmon added. */
  text: string;
}

/** How much of the file is read at once. */
const readChunkBytes = 1024 * 1024;
/** A line longer than this (conmon's are a few KiB) is dropped rather than buffered. */
const maxLineBytes = 1024 * 1024;

const linePattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (stdout|stderr) ([FP])(?: (.*))?$/s;

/** One line of the file without its '\n'; null for a line that is not in the format (skipped). */
export function parseLogLine(line: string): LogLine | null {
  const match = linePattern.exec(line);
  if (!match) return null;
  const [, time = '', stream, tag, text = ''] = match;
  const timeMs = Date.parse(time);
  if (Number.isNaN(timeMs)) return null;
  return { time, timeMs, stream: stream as LogStream, full: tag === 'F', text };
}

/** What `podman logs` prints for a line: fragments without a newline, full lines with one. */
export function formatLogLine(line: LogLine, timestamps = false): string {
  return `${timestamps ? `${line.time} ` : ''}${line.text}${line.full ? '\n' : ''}`;
}

export interface ReadLogOptions {
  /** Keep reading as the file grows until `isDone` says the container exited (then one last read). */
  follow?: boolean;
  /** Called between polls while following; following stops once it returns true. */
  isDone?: () => boolean | Promise<boolean>;
  sinceMs?: number;
  untilMs?: number;
  /** Only the last N full lines (plus the fragments that belong to the first of them). */
  tail?: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** Called once, when what the file held at the start has been yielded (before following or returning). */
  onCaughtUp?: () => void;
}

/**
 * Yields log lines in file order. Without `follow` it reads to the end; a missing file yields nothing.
 * With `follow`, a file that shrinks or is replaced (conmon truncates it at --log-size-max) is read
 * again from the start.
 */
export async function* readLog(path: string, options: ReadLogOptions = {}): AsyncGenerator<LogLine> {
  const pollMs = options.pollMs ?? 100;
  let offset = 0;
  let pending = '';
  let first = true;
  let inode: number | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    let size = 0;
    let ino: number | null = null;
    try {
      const st = await stat(path);
      size = st.size;
      ino = st.ino;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // conmon 2.1.6 truncates by writing `<log>.tmp` and renaming it over the log: a new inode (or a
    // shorter file) means a new file, read from its start, and a fragment kept from the old one is dropped.
    if (size < offset || (inode !== null && ino !== null && ino !== inode)) {
      offset = 0;
      pending = '';
    }
    if (ino !== null) inode = ino;
    // Read in bounded chunks (a container may have logged gigabytes), and yield as we go — except for
    // `tail` on the first pass, which needs the whole list to pick its end.
    const tailing = first && options.tail !== undefined;
    const kept: LogLine[] = [];
    while (size > offset) {
      const chunk = await readRange(path, offset, Math.min(size, offset + readChunkBytes));
      if (chunk.length === 0) break;
      offset += chunk.length;
      pending += chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      // conmon writes lines of at most a few KiB: a longer run without a newline is not its output.
      if (pending.length > maxLineBytes) pending = '';
      const lines: LogLine[] = [];
      for (const part of parts) {
        const line = parseLogLine(part);
        if (line && inWindow(line, options)) lines.push(line);
      }
      if (tailing) {
        kept.push(...lines);
        continue;
      }
      for (const line of lines) {
        if (options.untilMs !== undefined && line.timeMs > options.untilMs) return;
        yield line;
      }
    }
    for (const line of tailing ? tailLines(kept, options.tail as number) : []) {
      if (options.untilMs !== undefined && line.timeMs > options.untilMs) return;
      yield line;
    }
    if (first) options.onCaughtUp?.();
    first = false;
    if (!options.follow) return;
    if (options.isDone && (await options.isDone())) {
      // One more pass picks up what conmon flushed as the container exited.
      if (size === (await stat(path).then((s) => s.size, () => 0))) return;
      continue;
    }
    await sleep(pollMs, undefined, { signal: options.signal });
  }
}

function inWindow(line: LogLine, options: ReadLogOptions): boolean {
  return options.sinceMs === undefined || line.timeMs >= options.sinceMs;
}

/** podman getTailLog: count only F lines; keep the P fragments that precede the first kept one. */
export function tailLines(lines: readonly LogLine[], n: number): LogLine[] {
  if (n < 0) return [...lines];
  let count = 0;
  let start = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    // A trailing fragment (the container is mid-line) counts as the last line.
    if (lines[i]?.full || i === lines.length - 1) count++;
    if (count > n) break;
    start = i;
  }
  return lines.slice(start);
}

async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
