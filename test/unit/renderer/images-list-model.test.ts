import { describe, expect, it } from 'vitest';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import type { ImageListItem } from '../../../shared/types/images.ts';
import { LiveList } from '../../../renderer/src/containers/live-list.ts';
import { compareImages, filterImageRows, imageEventEffect, imageListInput, imageRows, imageSource, splitName } from '../../../renderer/src/images/image-list-model.ts';
import type { TypedClient } from '../../../shared/client.ts';
import { pathsToInvalidate } from '../../../renderer/src/query/event-invalidation.ts';

function image(id: string, fields: Partial<ImageListItem> = {}): ImageListItem {
  return {
    id: id.padEnd(64, '0'),
    digest: `sha256:${id.padEnd(64, 'd')}`,
    repoTags: [],
    repoDigests: [],
    created: '2024-01-01T00:00:00Z',
    size: 4_260_000,
    sharedSize: 0,
    labels: {},
    storedAt: '2026-11-28T12:00:00.000Z',
    dangling: false,
    ...fields,
  };
}

describe('image list model', () => {
  it('orders newest first, then by time stored, then by ID', () => {
    const old = image('a1', { created: '2020-01-01T00:00:00Z' });
    const newer = image('b2', { created: '2025-01-01T00:00:00Z' });
    const sameTimeLater = image('c3', { created: '2020-01-01T00:00:00Z', storedAt: '2026-11-28T13:00:00.000Z' });
    expect([old, newer, sameTimeLater].sort(compareImages).map((i) => i.id.slice(0, 2))).toEqual(['b2', 'c3', 'a1']);
  });

  it('drops a row on remove, fetches it again on pull, tag and untag, and ignores other types and save', () => {
    const ev = (type: PodbayEvent['type'], action: string) => ({ type, action, id: 'f'.repeat(64) });
    expect(imageEventEffect(ev('image', 'remove'))).toEqual({ remove: ['f'.repeat(64)], refresh: [] });
    for (const action of ['pull', 'tag', 'untag', 'push', 'loadfromarchive']) expect(imageEventEffect(ev('image', action))).toEqual({ remove: [], refresh: ['f'.repeat(64)] });
    expect(imageEventEffect(ev('image', 'save'))).toEqual({ remove: [], refresh: [] });
    expect(imageEventEffect(ev('container', 'remove'))).toEqual({ remove: [], refresh: [] });
  });

  it('refetches an open image Inspect panel on image events, never the list itself', () => {
    for (const action of ['pull', 'tag', 'untag', 'remove']) expect(pathsToInvalidate({ type: 'image', action })).toEqual(['images.inspect']);
    expect(pathsToInvalidate({ type: 'container', action: 'create' })).not.toContain('images.list');
  });

  it('asks images.list for everything or for IDs', () => {
    expect(imageListInput({ kind: 'full' })).toEqual({});
    expect(imageListInput({ kind: 'ids', ids: ['a', 'b'] })).toEqual({ filters: { id: ['a', 'b'] } });
  });

  it('splits names at the tag, not at a registry port', () => {
    expect(splitName('127.0.0.1:5000/podbay/busybox:latest')).toEqual({ repository: '127.0.0.1:5000/podbay/busybox', tag: 'latest' });
    expect(splitName('127.0.0.1:5000/podbay/busybox')).toEqual({ repository: '127.0.0.1:5000/podbay/busybox', tag: '<none>' });
    expect(splitName('quay.io/x@sha256:abc')).toEqual({ repository: 'quay.io/x', tag: '<none>' });
  });

  it('makes one row per name, and one <none> row for a dangling image', () => {
    const rows = imageRows([image('a1', { repoTags: ['docker.io/library/busybox:latest', 'localhost/mine:1'] }), image('b2', { dangling: true })]);
    expect(rows.map((r) => [r.repository, r.tag, r.name])).toEqual([
      ['docker.io/library/busybox', 'latest', 'docker.io/library/busybox:latest'],
      ['localhost/mine', '1', 'localhost/mine:1'],
      ['<none>', '<none>', null],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
  });

  it('searches names, tags, ID prefixes, digests and labels; every word must match', () => {
    const rows = imageRows([image('abc', { repoTags: ['docker.io/library/busybox:1.36'], labels: { team: 'blue' } }), image('def', { repoTags: ['quay.io/app/api:2'] })]);
    const names = (text: string) => filterImageRows(rows, text).map((r) => r.name);
    expect(names('busybox')).toEqual(['docker.io/library/busybox:1.36']);
    expect(names('1.36')).toEqual(['docker.io/library/busybox:1.36']);
    expect(names('sha256:def')).toEqual(['quay.io/app/api:2']);
    expect(names('team=blue')).toEqual(['docker.io/library/busybox:1.36']);
    expect(names('QUAY api')).toEqual(['quay.io/app/api:2']);
    expect(names('quay busybox')).toEqual([]);
    expect(names('  ')).toHaveLength(2);
  });
});

describe('Images live list', () => {
  it('lists once, then fetches only the image an event names and drops removed ones', async () => {
    const store = new Map<string, ImageListItem>([['a'.repeat(64), image('a'.repeat(64), { repoTags: ['r/a:latest'] })]]);
    const calls: unknown[] = [];
    const client = {
      call: (path: string, input: { filters?: { id?: string[] } }) => {
        calls.push({ path, input });
        const ids = input.filters?.id;
        return Promise.resolve([...store.values()].filter((i) => !ids || ids.some((id) => i.id.startsWith(id))));
      },
    } as unknown as TypedClient;
    const listeners = new Set<(e: PodbayEvent) => void>();
    const list = new LiveList(imageSource(client), { onEvent: (l) => (listeners.add(l), () => listeners.delete(l)), onResync: () => () => {} });
    const emit = (action: string, id: string) => listeners.forEach((l) => l({ seq: 1, time: '', type: 'image', action, id, name: '', attributes: {} }));
    const flush = () => new Promise((r) => setTimeout(r, 0));
    await flush();
    expect(list.getState().items.map((i) => i.repoTags[0])).toEqual(['r/a:latest']);

    const pulled = image('b'.repeat(64), { repoTags: ['r/b:latest'], created: '2025-01-01T00:00:00Z' });
    store.set(pulled.id, pulled);
    emit('pull', pulled.id);
    await flush();
    expect(list.getState().items.map((i) => i.repoTags[0])).toEqual(['r/b:latest', 'r/a:latest']);
    expect(calls.at(-1)).toEqual({ path: 'images.list', input: { filters: { id: [pulled.id] } } });

    store.delete(pulled.id);
    const before = calls.length;
    emit('remove', pulled.id);
    await flush();
    expect(list.getState().items.map((i) => i.repoTags[0])).toEqual(['r/a:latest']);
    expect(calls.length).toBe(before);
    const requests = calls.map((c) => (c as { input: { filters?: unknown } }).input.filters === undefined ? 'full' : 'ids');
    expect(requests.filter((r) => r === 'full')).toHaveLength(1);
    list.dispose();
  });
});
