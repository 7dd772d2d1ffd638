import { describe, expect, it } from 'vitest';
import type { PodListItem } from '../../../shared/types/pods.ts';
import { memberStateLabel, membersLabel, podRemovalPlan, podStatusTone, summarizePodRemoval } from '../../../renderer/src/pods/pod-presenters.ts';

function pod(name: string, states: PodListItem['containers'][number]['state'][]): PodListItem {
  return {
    id: `${name}-id`,
    name,
    status: 'Created',
    createdAt: '2026-11-28T10:00:00.000Z',
    labels: {},
    infraContainerId: null,
    containers: states.map((state, i) => ({ id: `${name}-c${i}`, name: `${name}-c${i}`, state })),
    ports: [],
    networks: [],
  };
}

describe('pod presenters', () => {
  it('gives each pod status a tone', () => {
    expect(podStatusTone('Running')).toBe('ok');
    expect(podStatusTone('Degraded')).toBe('warning');
    expect(podStatusTone('Error')).toBe('danger');
    expect(podStatusTone('Created')).toBe('neutral');
    expect(podStatusTone('Exited')).toBe('neutral');
  });

  it('says member states and counts in podman’s words', () => {
    expect(memberStateLabel('configured')).toBe('Created');
    expect(memberStateLabel('running')).toBe('Running');
    expect(membersLabel(pod('a', ['configured']))).toBe('1 container');
    expect(membersLabel(pod('a', ['running', 'exited', 'running']))).toBe('3 containers · 2 running');
    expect(membersLabel(pod('a', []))).toBe('0 containers');
  });

  it('plans a removal with the containers that go with the pods', () => {
    const plan = podRemovalPlan([pod('a', ['configured', 'exited']), pod('b', ['running'])]);
    expect(plan.containerCount).toBe(3);
    expect(plan.activeMembers).toEqual(['b-c0']);
  });

  it('reports each pod, counting the containers removed with it', () => {
    const summary = summarizePodRemoval(
      [
        { nameOrId: 'a-id', id: 'a-id', removedContainers: ['x', 'y'], error: null },
        { nameOrId: 'b-id', id: 'b-id', removedContainers: [], error: { code: 'ErrCtrStateInvalid', category: 'failed-precondition', message: 'pod b has active containers: b-c0 (running): use force to remove it' } },
      ],
      (id) => id.replace('-id', ''),
    );
    expect(summary.title).toBe('Removed 1 of 2 pods; 1 failed, and 2 containers with it');
    expect(summary.failures.map((f) => [f.name, f.code])).toEqual([['b', 'ErrCtrStateInvalid']]);
    expect(summarizePodRemoval([{ nameOrId: 'a-id', id: 'a-id', removedContainers: [], error: null }], (id) => id).title).toBe('Removed 1 pod');
  });
});
