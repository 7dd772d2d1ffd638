// The event log, as podman's "file" events backend (libpod/events/logfile.go): one JSON object per
// line, appended with O_APPEND by whichever process makes a change, and followed by readers through
// inotify (fs.watch), so a change made by the CLI reaches an open window without any polling loop.
// A record's `seq` is the byte offset of its line: unique, increasing, and cheap to resume from.
import { appendFileSync, mkdirSync, watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventType, PodbayEvent } from '../../../shared/types/events.ts';

export interface EventInput {
  type: EventType;
  action: string;
  id: string;
  name: string;
  attributes?: Record<string, string>;
}

export interface EventFilter {
  type?: readonly EventType[] | undefined;
  id?: readonly string[] | undefined;
  action?: readonly string[] | undefined;
}

export interface ReadEventsOptions {
  /** Replay records after this seq first; without it only new records are delivered. */
  sinceSeq?: number | undefined;
  /** Replay the whole log first (`podbay events --since`); takes precedence over sinceSeq. */
  replayAll?: boolean | undefined;
  /** Keep the process alive while following (a CLI whose only work is to follow the log). */
  persistent?: boolean | undefined;
  filter?: EventFilter | undefined;
  signal: AbortSignal;
}

export class EventLog {
  readonly path: string;
  private readonly now: () => Date;

  constructor(path: string, now: () => Date = () => new Date()) {
    this.path = path;
    this.now = now;
  }

  /** Appends one record. A single write(2) with O_APPEND keeps lines whole across processes. */
  write(input: EventInput): void {
    const record = { time: this.now().toISOString(), type: input.type, action: input.action, id: input.id, name: input.name, attributes: input.attributes ?? {} };
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    appendFileSync(this.path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  /** Follows the log until `signal` aborts. Lines that do not parse (a torn tail) are skipped. */
  async *follow(options: ReadEventsOptions): AsyncGenerator<PodbayEvent> {
    const { signal } = options;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    let offset = options.replayAll ? 0 : (options.sinceSeq ?? (await sizeOf(this.path)));
    const skipFirstAt = options.replayAll ? undefined : options.sinceSeq;
    let wake: (() => void) | null = null;
    let dirty = true;
    const poke = () => {
      dirty = true;
      wake?.();
    };
    const watcher = watch(dirname(this.path), { persistent: options.persistent ?? false }, poke);
    signal.addEventListener('abort', poke, { once: true });
    try {
      while (!signal.aborted) {
        if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        dirty = false;
        if (signal.aborted) break;
        const { records, nextOffset, more } = await readFrom(this.path, offset);
        offset = nextOffset;
        if (more) dirty = true;
        for (const record of records) {
          if (record.seq === skipFirstAt) continue;
          if (matches(record, options.filter)) yield record;
        }
      }
    } finally {
      watcher.close();
      signal.removeEventListener('abort', poke);
    }
  }
}

/** Every record already in the log, oldest first, up to the end of the file as it is when called. */
export async function* readRecorded(path: string, filter?: EventFilter): AsyncGenerator<PodbayEvent> {
  const end = await sizeOf(path);
  for (let offset = 0; offset < end; ) {
    const { records, nextOffset } = await readFrom(path, offset);
    if (nextOffset === offset) break;
    offset = nextOffset;
    for (const record of records) if (record.seq < end && matches(record, filter)) yield record;
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Reads whole lines from `offset`; a trailing partial line is left for the next read. */
const maxChunk = 1 << 20;

async function readFrom(path: string, offset: number): Promise<{ records: PodbayEvent[]; nextOffset: number; more: boolean }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return { records: [], nextOffset: offset, more: false };
  }
  try {
    const { size } = await handle.stat();
    if (size < offset) offset = 0; // the log was rotated or the run root recreated (reboot)
    if (size === offset) return { records: [], nextOffset: offset, more: false };
    // Bounded reads: a long replay is delivered in chunks, never loaded whole.
    const buffer = Buffer.alloc(Math.min(size - offset, maxChunk));
    await handle.read(buffer, 0, buffer.length, offset);
    const records: PodbayEvent[] = [];
    let start = 0;
    for (let end = buffer.indexOf(10, start); end !== -1; end = buffer.indexOf(10, start)) {
      const record = parseRecord(buffer.subarray(start, end).toString('utf8'), offset + start);
      if (record) records.push(record);
      start = end + 1;
    }
    // A line longer than a chunk cannot be a record we wrote: skip past it.
    const skip = start === 0 && buffer.length === maxChunk ? maxChunk : start;
    return { records, nextOffset: offset + skip, more: offset + skip < size };
  } finally {
    await handle.close();
  }
}

function parseRecord(line: string, seq: number): PodbayEvent | null {
  try {
    const value = JSON.parse(line) as Omit<PodbayEvent, 'seq'>;
    if (typeof value.type !== 'string' || typeof value.action !== 'string') return null;
    return { seq, time: value.time, type: value.type, action: value.action, id: value.id, name: value.name, attributes: value.attributes ?? {} };
  } catch {
    return null;
  }
}

function matches(event: PodbayEvent, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.type?.length && !filter.type.includes(event.type)) return false;
  if (filter.action?.length && !filter.action.includes(event.action)) return false;
  if (filter.id?.length && !filter.id.some((id) => event.id.startsWith(id) || event.name === id)) return false;
  return true;
}
