import { describe, expect, it } from 'vitest';
import { appendEvents, filterEvents, formatAttributes, formatEventTime, shortId } from '../../../renderer/src/presenters/event-presenters.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';

const event = (seq: number, over: Partial<PodbayEvent> = {}): PodbayEvent => ({
  seq,
  time: '2026-11-28T10:00:00.000Z',
  type: 'container',
  action: 'start',
  id: `id${seq}`,
  name: `ctr${seq}`,
  attributes: {},
  ...over,
});

describe('appendEvents', () => {
  it('keeps the newest first', () => {
    expect(appendEvents([event(2), event(1)], [event(3), event(4)], 10).map((e) => e.seq)).toEqual([4, 3, 2, 1]);
  });

  it('drops the oldest beyond the capacity', () => {
    expect(appendEvents([event(2), event(1)], [event(3)], 2).map((e) => e.seq)).toEqual([3, 2]);
  });

  it('never shows an event twice (a replay after reconnect)', () => {
    expect(appendEvents([event(2), event(1)], [event(2), event(3)], 10).map((e) => e.seq)).toEqual([3, 2, 1]);
  });
});

describe('event cells', () => {
  it('prints local time with milliseconds', () => {
    const iso = new Date(2026, 10, 28, 9, 5, 7, 42).toISOString();
    expect(formatEventTime(iso)).toBe('09:05:07.042');
  });

  it('leaves an unparsable time as it is', () => {
    expect(formatEventTime('yesterday')).toBe('yesterday');
  });

  it('shortens 64-hex IDs to 12 characters, as podman does', () => {
    expect(shortId('a'.repeat(64))).toBe('a'.repeat(12));
    expect(shortId('x')).toBe('x');
  });

  it('lists attributes as key=value', () => {
    expect(formatAttributes({ image: 'busybox', exitCode: '0' })).toBe('image=busybox, exitCode=0');
    expect(formatAttributes({})).toBe('');
  });
});

describe('filterEvents', () => {
  const events = [event(1, { type: 'image', action: 'pull', name: 'docker.io/library/busybox' }), event(2, { name: 'web' }), event(3, { type: 'system', action: 'test', name: 'e2e' })];

  it('filters by type', () => {
    expect(filterEvents(events, { type: 'image', text: '' }).map((e) => e.seq)).toEqual([1]);
  });

  it('filters by text in name, id, action or attributes, ignoring case', () => {
    expect(filterEvents(events, { type: null, text: 'BUSY' }).map((e) => e.seq)).toEqual([1]);
    expect(filterEvents(events, { type: null, text: 'test' }).map((e) => e.seq)).toEqual([3]);
    expect(filterEvents(events, { type: null, text: 'id2' }).map((e) => e.seq)).toEqual([2]);
  });

  it('returns the same list when there is no filter', () => {
    expect(filterEvents(events, { type: null, text: '  ' })).toBe(events);
  });
});
