// One record of the event log: the shape of podman's events (libpod/events), as JSON.

export const eventTypes = ['container', 'pod', 'image', 'volume', 'network', 'system'] as const;
export type EventType = (typeof eventTypes)[number];

export interface PodbayEvent {
  /** Monotonic per store: lets a client resume after a reconnect without gaps or repeats. */
  seq: number;
  /** RFC 3339 with milliseconds. */
  time: string;
  type: EventType;
  /** create, remove, start, died, rename, pull, push, … */
  action: string;
  id: string;
  name: string;
  attributes: Record<string, string>;
}
