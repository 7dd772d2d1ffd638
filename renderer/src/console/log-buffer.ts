// The Logs tab's lines as a pure model (tested without a DOM): a capped buffer that keeps the last
// `capacity` lines and counts what it dropped, partial lines joined to the fragment that completes
// them, and a case-insensitive search that yields highlight ranges per line.
import type { ContainerLogLine } from '../../../shared/types/containers.ts';

export interface LogEntry {
  /** Position in the whole log seen so far (stable across drops: React keys, scroll anchors). */
  readonly seq: number;
  readonly stream: 'stdout' | 'stderr';
  readonly time: string;
  readonly text: string;
  /** The container it came from, in a pod's merged log (pods.logs). */
  readonly source?: string;
}

export interface LogBuffer {
  readonly entries: readonly LogEntry[];
  /** Lines dropped from the front to stay within capacity. */
  readonly dropped: number;
  readonly capacity: number;
  /** A fragment written without a newline yet (shown as the last line, completed by the next one). */
  readonly partial: LogEntry | null;
  readonly nextSeq: number;
}

export const defaultLogCapacity = 5000;

export function emptyLogBuffer(capacity = defaultLogCapacity): LogBuffer {
  return { entries: [], dropped: 0, capacity, partial: null, nextSeq: 0 };
}

/** Appends lines as the stream delivers them; returns a new buffer (the old one is untouched). */
export function appendLogLines(buffer: LogBuffer, lines: readonly (ContainerLogLine & { containerName?: string })[]): LogBuffer {
  if (lines.length === 0) return buffer;
  const added: LogEntry[] = [];
  let partial = buffer.partial;
  let seq = buffer.nextSeq;
  for (const line of lines) {
    // In a pod's log a fragment is completed only by its own container's next line.
    if (partial && partial.source !== line.containerName) {
      added.push(partial);
      partial = null;
    }
    const text = stripCarriageReturn(partial ? partial.text + line.text : line.text);
    const entry: LogEntry = {
      seq: partial ? partial.seq : seq++,
      stream: line.stream,
      time: partial ? partial.time : line.time,
      text,
      ...(line.containerName !== undefined ? { source: line.containerName } : {}),
    };
    if (line.full) {
      added.push(entry);
      partial = null;
    } else partial = entry;
  }
  let entries = added.length ? [...buffer.entries, ...added] : buffer.entries;
  let dropped = buffer.dropped;
  if (entries.length > buffer.capacity) {
    const excess = entries.length - buffer.capacity;
    entries = entries.slice(excess);
    dropped += excess;
  }
  return { entries, dropped, capacity: buffer.capacity, partial, nextSeq: seq };
}

/** Every line to show, the partial one last. */
export function visibleLines(buffer: LogBuffer): readonly LogEntry[] {
  return buffer.partial ? [...buffer.entries, buffer.partial] : buffer.entries;
}

function stripCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

export interface LogMatch {
  readonly start: number;
  readonly end: number;
}

/** Where `query` occurs in `text`, case-insensitive, without overlaps; none for an empty query. */
export function findMatches(text: string, query: string): LogMatch[] {
  const needle = query.toLowerCase();
  if (!needle) return [];
  const haystack = text.toLowerCase();
  const matches: LogMatch[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) matches.push({ start: at, end: at + needle.length });
  return matches;
}

export interface LogSegment {
  readonly text: string;
  readonly match: boolean;
}

/** A line cut into plain and matching segments, for highlighting. */
export function highlightSegments(text: string, query: string): LogSegment[] {
  const matches = findMatches(text, query);
  if (matches.length === 0) return [{ text, match: false }];
  const segments: LogSegment[] = [];
  let at = 0;
  for (const m of matches) {
    if (m.start > at) segments.push({ text: text.slice(at, m.start), match: false });
    segments.push({ text: text.slice(m.start, m.end), match: true });
    at = m.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), match: false });
  return segments;
}

/** The lines that contain `query`, and the total count of matches (for "3 matches in 2 lines"). */
export function searchLog(lines: readonly LogEntry[], query: string): { lines: LogEntry[]; matches: number } {
  if (!query) return { lines: [], matches: 0 };
  let matches = 0;
  const hits: LogEntry[] = [];
  for (const line of lines) {
    const n = findMatches(line.text, query).length;
    if (n > 0) {
      matches += n;
      hits.push(line);
    }
  }
  return { lines: hits, matches };
}

/** conmon's RFC 3339 nanosecond time shown short and local: "14:03:07.125". */
export function logTimeLabel(time: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return time;
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** "Showing the last 5,000 lines (1,234 earlier lines dropped)" or null when nothing was dropped. */
export function droppedNote(buffer: LogBuffer): string | null {
  if (buffer.dropped === 0) return null;
  const fmt = (n: number) => n.toLocaleString('en-US');
  return `Showing the last ${fmt(buffer.capacity)} lines (${fmt(buffer.dropped)} earlier ${buffer.dropped === 1 ? 'line' : 'lines'} not shown)`;
}

/** Auto-scroll follows new lines only while the view is at (or within `slack` px of) the bottom. */
export function isAtBottom(scrollTop: number, scrollHeight: number, clientHeight: number, slack = 24): boolean {
  return scrollHeight - (scrollTop + clientHeight) <= slack;
}
