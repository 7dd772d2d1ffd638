import { describe, expect, it } from 'vitest';
import type { VolumeListItem } from '../../../shared/types/volumes.ts';
import { replaceAll } from '../../../renderer/src/containers/live-list-model.ts';
import {
  compareVolumes,
  filterVolumes,
  parseKeyValueLines,
  pruneSummary,
  summarizeVolumeRemoval,
  usedByLabel,
  volumeEventEffect,
  volumeLabel,
  volumeListInput,
  volumeNameError,
  volumeRemovalPlan,
  volumeRow,
} from '../../../renderer/src/volumes/volume-list-model.ts';

const item = (name: string, extra: Partial<VolumeListItem> = {}): VolumeListItem => ({
  name,
  driver: 'local',
  mountpoint: `/var/lib/podbay/volumes/${name}/_data`,
  createdAt: '2026-01-01T00:00:00.000Z',
  labels: {},
  options: {},
  scope: 'local',
  anonymous: false,
  usedBy: [],
  mountCount: 0,
  needsCopyUp: true,
  needsChown: true,
  ...extra,
});

describe('the Volumes list model', () => {
  const state = replaceAll([volumeRow(item('db', { usedBy: [{ id: 'c1', name: 'web' }] })), volumeRow(item('cache'))], compareVolumes);

  it('drops a removed or pruned volume and fetches a created one again', () => {
    expect(volumeEventEffect({ type: 'volume', action: 'remove', id: 'db', attributes: {} }, state)).toEqual({ remove: ['db'], refresh: [] });
    expect(volumeEventEffect({ type: 'volume', action: 'prune', id: 'cache', attributes: {} }, state)).toEqual({ remove: ['cache'], refresh: [] });
    expect(volumeEventEffect({ type: 'volume', action: 'create', id: 'new', attributes: {} }, state)).toEqual({ remove: [], refresh: ['new'] });
  });

  it('refreshes the volumes a new container names, and those a removed container used', () => {
    expect(volumeEventEffect({ type: 'container', action: 'create', id: 'c2', attributes: { volumes: 'cache,fresh' } }, state)).toEqual({ remove: [], refresh: ['cache', 'fresh'] });
    expect(volumeEventEffect({ type: 'container', action: 'create', id: 'c3', attributes: {} }, state).refresh).toEqual([]);
    expect(volumeEventEffect({ type: 'container', action: 'remove', id: 'c1', attributes: {} }, state)).toEqual({ remove: [], refresh: ['db'] });
    expect(volumeEventEffect({ type: 'image', action: 'pull', id: 'x', attributes: {} }, state).refresh).toEqual([]);
  });

  it('asks for exactly the names it needs (the name filter is a regular expression)', () => {
    expect(volumeListInput({ kind: 'full' })).toEqual({});
    expect(volumeListInput({ kind: 'ids', ids: ['a.b', 'c'] })).toEqual({ filters: { name: ['^a\\.b$', '^c$'] } });
  });

  it('searches names, labels, options and users, and says who uses a volume', () => {
    const rows = [item('db', { labels: { app: 'shop' }, usedBy: [{ id: '1', name: 'web' }] }), item('tmp', { options: { type: 'tmpfs' } })];
    expect(filterVolumes(rows, 'app=shop').map((r) => r.name)).toEqual(['db']);
    expect(filterVolumes(rows, 'WEB').map((r) => r.name)).toEqual(['db']);
    expect(filterVolumes(rows, 'tmpfs').map((r) => r.name)).toEqual(['tmp']);
    expect(usedByLabel(rows[1] as VolumeListItem)).toBe('—');
    expect(usedByLabel(item('x', { usedBy: ['a', 'b', 'c', 'd'].map((n) => ({ id: n, name: n })) }))).toBe('4 containers: a, b, c…');
    expect(volumeLabel('f'.repeat(64))).toBe('ffffffffffff');
  });

  it('plans and sums up a removal, naming the containers force removes', () => {
    const plan = volumeRemovalPlan([item('db', { usedBy: [{ id: '1', name: 'web' }] }), item('cache', { usedBy: [{ id: '1', name: 'web' }] })]);
    expect(plan.users).toEqual(['web']);
    const summary = summarizeVolumeRemoval([
      { nameOrId: 'db', name: 'db', removedContainers: ['1'], error: null },
      { nameOrId: 'cache', name: 'cache', removedContainers: [], error: { code: 'ErrVolumeBeingUsed', category: 'failed-precondition', message: 'volume cache is being used' } },
    ]);
    expect(summary.title).toBe('Removed 1 of 2 volumes; 1 failed, and 1 container using it');
    expect(summary.removedIds).toEqual(['db']);
    expect(pruneSummary({ removed: ['a', 'b'], errors: [] })).toBe('Removed 2 unused volumes');
    expect(pruneSummary({ removed: [], errors: [] })).toBe('No unused volume to remove');
  });

  it('reads the create dialog’s fields', () => {
    expect(parseKeyValueLines('type=tmpfs\n o=size=1m,mode=1777 \n\nnocopy')).toEqual({ values: { type: 'tmpfs', o: 'size=1m,mode=1777', nocopy: '' } });
    expect(parseKeyValueLines('=x')).toEqual({ error: '"=x" has no key: write KEY=VALUE' });
    expect(volumeNameError('')).toBeNull();
    expect(volumeNameError('data-1')).toBeNull();
    expect(volumeNameError('../x')).not.toBeNull();
  });
});
