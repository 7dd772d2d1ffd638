import { describe, expect, it } from 'vitest';
import type { ContainerListItem } from '../../../shared/types/containers.ts';
import {
  chunk,
  commandLabel,
  compactPath,
  countLabel,
  createdLabel,
  imageLabel,
  labelPairs,
  removalPlan,
  statusView,
  summarizeRemoval,
} from '../../../renderer/src/containers/container-presenters.ts';

const now = Date.parse('2026-11-28T12:00:00.000Z');

function container(name: string, fields: Partial<ContainerListItem> = {}): ContainerListItem {
  return {
    id: name.padEnd(64, 'a'),
    name,
    image: '',
    rootfs: '/srv/rootfs',
    command: ['/bin/sh'],
    createdAt: '2026-11-28T11:57:00.000Z',
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

describe('container presenters', () => {
  it('says the status in podman’s words with a tone', () => {
    expect(statusView(container('a'), now)).toEqual({ text: 'Created', tone: 'neutral' });
    expect(statusView(container('a', { state: 'running', startedAt: '2026-11-28T11:58:00.000Z' }), now)).toEqual({ text: 'Up 2 minutes', tone: 'ok' });
    expect(statusView(container('a', { state: 'exited', exitCode: 1, finishedAt: '2026-11-28T11:59:57.000Z' }), now)).toEqual({ text: 'Exited (1) 3 seconds ago', tone: 'danger' });
    expect(statusView(container('a', { state: 'exited', exitCode: 0, finishedAt: '2026-11-28T11:59:57.000Z' }), now).tone).toBe('neutral');
    expect(statusView(container('a', { state: 'paused' }), now)).toEqual({ text: 'Paused', tone: 'warning' });
  });

  it('shows the image, or the rootfs directory of a rootfs container', () => {
    expect(imageLabel({ image: 'docker.io/library/alpine:latest', rootfs: null })).toEqual({ text: 'docker.io/library/alpine:latest', kind: 'image' });
    expect(imageLabel({ image: '', rootfs: '/srv/web' })).toEqual({ text: '/srv/web', kind: 'rootfs' });
    expect(imageLabel({ image: '', rootfs: null }).kind).toBe('none');
  });

  it('shortens a long rootfs path to its last segments', () => {
    expect(compactPath('/srv/rootfs/web')).toBe('/srv/rootfs/web');
    expect(compactPath('/tmp/podbay-e2e-rootfs-Xk2P9q/alpine')).toBe('…/alpine');
    expect(compactPath('/var/lib/machines/debian/rootfs')).toBe('…/debian/rootfs');
    expect(compactPath('/var/lib/machines/debian/rootfs', 28)).toBe('…/lib/machines/debian/rootfs');
    expect(compactPath('/a/averyveryveryverylongdirectoryname')).toBe('…/averyveryveryverylongdirectoryname');
  });

  it('quotes command arguments as a shell needs them', () => {
    expect(commandLabel(['/bin/sh', '-c', 'echo hi'])).toBe("/bin/sh -c 'echo hi'");
    expect(commandLabel(['nginx', '-g', "daemon off;"])).toBe("nginx -g 'daemon off;'");
    expect(commandLabel(['echo', "it's", ''])).toBe("echo 'it'\\''s' ''");
  });

  it('prints created times and counts as podman and people do', () => {
    expect(createdLabel('2026-11-28T11:57:00.000Z', now)).toBe('3 minutes ago');
    expect(createdLabel('2026-11-28T12:00:00.000Z', now)).toBe('Less than a second ago');
    expect(createdLabel('not a date', now)).toBe('not a date');
    expect(countLabel(1000, 1000, 'container')).toBe('1,000 containers');
    expect(countLabel(12, 1000, 'container')).toBe('12 of 1,000 containers');
    expect(countLabel(1, 1, 'pod')).toBe('1 pod');
    expect(labelPairs({ tier: 'web', app: 'shop', flag: '' })).toEqual(['app=shop', 'flag', 'tier=web']);
  });
});

describe('removalPlan', () => {
  it('asks first only where data is lost', () => {
    expect(removalPlan([container('fresh'), container('fresh2')]).needsConfirmation).toBe(false);
    const ran = removalPlan([container('fresh'), container('ran', { state: 'exited', exitCode: 0, startedAt: '2026-11-28T11:58:00.000Z' })]);
    expect(ran.needsConfirmation).toBe(true);
    expect(ran.used.map((c) => c.name)).toEqual(['ran']);
    const running = removalPlan([container('up', { state: 'running', startedAt: '2026-11-28T11:58:00.000Z' })]);
    expect(running.active.map((c) => c.name)).toEqual(['up']);
    expect(running.used).toEqual([]);
    expect(running.needsConfirmation).toBe(true);
  });
});

describe('summarizeRemoval', () => {
  const names: Record<string, string> = { id1: 'web1', id2: 'web2', id3: 'web3' };
  const nameOf = (id: string) => names[id] ?? id;

  it('counts what was removed', () => {
    const summary = summarizeRemoval(
      [
        { nameOrId: 'id1', id: 'id1', error: null },
        { nameOrId: 'id2', id: 'id2', error: null },
      ],
      nameOf,
    );
    expect(summary).toMatchObject({ removedIds: ['id1', 'id2'], failures: [], title: 'Removed 2 containers', tone: 'ok' });
  });

  it('gives each failed container its own error', () => {
    const summary = summarizeRemoval(
      [
        { nameOrId: 'id1', id: 'id1', error: null },
        { nameOrId: 'id2', id: 'id2', error: { code: 'ErrCtrStateInvalid', category: 'failed-precondition', message: 'cannot remove container id2 as it is running' } },
        { nameOrId: 'id3', id: null, error: { code: 'ErrNoSuchCtr', category: 'not-found', message: 'no container with name or ID "id3" found' } },
      ],
      nameOf,
    );
    expect(summary.title).toBe('Removed 1 of 3 containers; 2 failed');
    expect(summary.tone).toBe('warning');
    expect(summary.failures).toEqual([
      { key: 'id2', name: 'web2', title: 'Not possible in the current state', message: 'Cannot remove container id2 as it is running.', code: 'ErrCtrStateInvalid' },
      { key: 'id3', name: 'web3', title: 'Not found', message: 'No container with name or ID "id3" found.', code: 'ErrNoSuchCtr' },
    ]);
    const none = summarizeRemoval([{ nameOrId: 'id2', id: 'id2', error: { code: 'ErrCtrStateInvalid', category: 'failed-precondition', message: 'x' } }], nameOf);
    expect(none).toMatchObject({ title: 'Could not remove the container', tone: 'danger' });
  });

  it('splits big selections into calls of at most 1,000', () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `c${i}`);
    expect(chunk(ids).map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(chunk([])).toEqual([]);
  });
});
