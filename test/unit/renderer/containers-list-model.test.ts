import { describe, expect, it } from 'vitest';
import type { ContainerListItem } from '../../../shared/types/containers.ts';
import {
  compareContainers,
  containerEventEffect,
  containerListInput,
  filterContainers,
  matchesSearch,
  stateCounts,
  stateGroup,
} from '../../../renderer/src/containers/container-list-model.ts';
import { replaceAll } from '../../../renderer/src/containers/live-list-model.ts';

function container(fields: Partial<ContainerListItem> & { name: string }): ContainerListItem {
  return {
    id: fields.id ?? fields.name.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a'),
    image: '',
    rootfs: '/srv/rootfs',
    command: ['/bin/sh'],
    createdAt: '2026-11-28T10:00:00.000Z',
    state: 'configured',
    exitCode: null,
    startedAt: null,
    finishedAt: null,
    pid: 0,
    labels: {},
    podId: null,
    podName: null,
    ports: [],
    networks: [],
    ...fields,
  };
}

describe('compareContainers', () => {
  it('lists the newest first, as podman ps does, with ties by id', () => {
    const old = container({ name: 'old', createdAt: '2026-11-28T09:00:00.000Z' });
    const young = container({ name: 'young', createdAt: '2026-11-28T11:00:00.000Z' });
    const twinA = container({ name: 'a', id: 'a'.repeat(64) });
    const twinB = container({ name: 'b', id: 'b'.repeat(64) });
    expect([old, twinB, young, twinA].sort(compareContainers).map((c) => c.name)).toEqual(['young', 'a', 'b', 'old']);
  });
});

describe('containerEventEffect', () => {
  const member = container({ name: 'm', id: 'm'.padEnd(64, '1'), podId: 'p'.repeat(64), podName: 'pod' });
  const state = replaceAll([member, container({ name: 'x' })], compareContainers);

  it('drops the row on remove and fetches it again on any other container action', () => {
    expect(containerEventEffect({ type: 'container', action: 'remove', id: 'abc' }, state)).toEqual({ remove: ['abc'], refresh: [] });
    for (const action of ['create', 'rename', 'start', 'died'])
      expect(containerEventEffect({ type: 'container', action, id: 'abc' }, state)).toEqual({ remove: [], refresh: ['abc'] });
  });

  it('fetches a pod’s members again when the pod changes, and ignores other types', () => {
    expect(containerEventEffect({ type: 'pod', action: 'rename', id: 'p'.repeat(64) }, state)).toEqual({ remove: [], refresh: [member.id] });
    expect(containerEventEffect({ type: 'pod', action: 'create', id: 'p'.repeat(64) }, state).refresh).toEqual([]);
    expect(containerEventEffect({ type: 'image', action: 'pull', id: 'i' }, state)).toEqual({ remove: [], refresh: [] });
  });

  it('fetches a container again when it is connected to or disconnected from a network', () => {
    for (const action of ['connect', 'disconnect']) {
      expect(containerEventEffect({ type: 'network', action, id: 'n'.repeat(64), attributes: { container: member.id } }, state)).toEqual({ remove: [], refresh: [member.id] });
    }
    expect(containerEventEffect({ type: 'network', action: 'connect', id: 'n', attributes: { container: 'unknown' } }, state).refresh).toEqual([]);
    expect(containerEventEffect({ type: 'network', action: 'create', id: 'n', attributes: {} }, state).refresh).toEqual([]);
  });
});

describe('containerListInput', () => {
  it('lists all containers, narrowed to ids for a narrow request', () => {
    expect(containerListInput({ kind: 'full' })).toEqual({ all: true });
    expect(containerListInput({ kind: 'ids', ids: ['a', 'b'] })).toEqual({ all: true, filters: { id: ['a', 'b'] } });
  });
});

describe('search and state filter', () => {
  const web = container({ name: 'web1', id: '3f2a'.padEnd(64, 'c'), labels: { app: 'shop', tier: 'front' }, image: 'docker.io/library/nginx:latest', rootfs: null });
  const db = container({ name: 'db', id: '9b1c'.padEnd(64, 'd'), state: 'running', podName: 'backend', command: ['postgres', '-c', 'fsync=off'] });
  const job = container({ name: 'job', id: '77aa'.padEnd(64, 'e'), state: 'exited', exitCode: 1 });
  const all = [web, db, job];

  it('matches name, id prefix, image, label and pod, case-insensitively', () => {
    expect(matchesSearch(web, 'WEB')).toBe(true);
    expect(matchesSearch(web, '3f2')).toBe(true);
    expect(matchesSearch(web, 'f2a')).toBe(false);
    expect(matchesSearch(web, 'nginx')).toBe(true);
    expect(matchesSearch(web, 'app=shop')).toBe(true);
    expect(matchesSearch(web, 'tier')).toBe(true);
    expect(matchesSearch(db, 'backend')).toBe(true);
    expect(matchesSearch(db, 'fsync')).toBe(true);
    expect(matchesSearch(web, '')).toBe(true);
  });

  it('needs every word to match', () => {
    expect(matchesSearch(web, 'web shop')).toBe(true);
    expect(matchesSearch(web, 'web postgres')).toBe(false);
  });

  it('groups states as the filter offers them and counts them', () => {
    expect(stateGroup('configured')).toBe('created');
    expect(stateGroup('created')).toBe('created');
    expect(stateGroup('paused')).toBe('running');
    expect(stateGroup('stopped')).toBe('exited');
    expect(stateGroup('removing')).toBe('other');
    expect(stateCounts(all)).toEqual({ all: 3, running: 1, exited: 1, created: 1 });
  });

  it('filters by state and text together, and returns the list itself when nothing filters', () => {
    expect(filterContainers(all, { text: '', state: 'all' })).toBe(all);
    expect(filterContainers(all, { text: '', state: 'exited' }).map((c) => c.name)).toEqual(['job']);
    expect(filterContainers(all, { text: 'b', state: 'running' }).map((c) => c.name)).toEqual(['db']);
    expect(filterContainers(all, { text: 'web', state: 'running' })).toEqual([]);
  });
});
