// The Events page's list and its cells, as pure functions.
import type { PodbayEvent } from '../../../shared/types/events.ts';

/** Adds events (oldest first, as they arrive) to a newest-first list holding at most `capacity`. */
export function appendEvents(list: readonly PodbayEvent[], arrived: readonly PodbayEvent[], capacity: number): PodbayEvent[] {
  const newestFirst = [...arrived].reverse();
  const seen = new Set<number>();
  const merged: PodbayEvent[] = [];
  for (const event of [...newestFirst, ...list]) {
    if (seen.has(event.seq)) continue;
    seen.add(event.seq);
    merged.push(event);
    if (merged.length >= capacity) break;
  }
  return merged;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds ("14:03:07.251"); the raw text when it does not parse. */
export function formatEventTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Full local date and time, for the cell's tooltip. */
export function formatEventDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatEventTime(iso)}`;
}

/** Container and image IDs are long: show 12 characters, as podman does. */
export function shortId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}

/** "key=value, key=value" for the attributes column; empty when there are none. */
export function formatAttributes(attributes: Readonly<Record<string, string>>): string {
  return Object.entries(attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export interface EventFilterView {
  readonly type: PodbayEvent['type'] | null;
  /** Case-insensitive substring of name, id, action or an attribute. */
  readonly text: string;
}

export function filterEvents(events: readonly PodbayEvent[], filter: EventFilterView): readonly PodbayEvent[] {
  const needle = filter.text.trim().toLowerCase();
  if (!filter.type && !needle) return events;
  return events.filter((e) => {
    if (filter.type && e.type !== filter.type) return false;
    if (!needle) return true;
    return [e.name, e.id, e.action, formatAttributes(e.attributes)].some((s) => s.toLowerCase().includes(needle));
  });
}
