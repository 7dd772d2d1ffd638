import { describe, expect, it } from 'vitest';
import type { PodActionReport, PodListItem } from '../../../shared/types/pods.ts';
import { podActionAllowed, podsForAction, summarizePodAction } from '../../../renderer/src/pods/pod-actions.ts';

function pod(name: string, states: PodListItem['containers'][number]['state'][], status: PodListItem['status'] = 'Running'): PodListItem {
  return {
    id: `${name}-id`,
    name,
    status,
    createdAt: '2026-11-28T10:00:00.000Z',
    labels: {},
    infraContainerId: null,
    containers: states.map((state, i) => ({ id: `${name}-c${i}`, name: `${name}-c${i}`, state })),
    ports: [],
    networks: [],
  };
}

describe('pod actions', () => {
  it('offers the verbs the members’ states allow', () => {
    const running = pod('web', ['running', 'running']);
    expect(['start', 'stop', 'restart', 'pause', 'unpause', 'kill'].filter((a) => podActionAllowed(a as never, running))).toEqual(['stop', 'restart', 'pause', 'kill']);
    const paused = pod('web', ['paused', 'paused'], 'Paused');
    expect(['start', 'stop', 'restart', 'pause', 'unpause', 'kill'].filter((a) => podActionAllowed(a as never, paused))).toEqual(['stop', 'unpause', 'kill']);
    const degraded = pod('web', ['running', 'exited'], 'Degraded');
    expect(podActionAllowed('start', degraded)).toBe(true);
    expect(podActionAllowed('pause', degraded)).toBe(true);
    const empty = pod('empty', [], 'Created');
    expect(podActionAllowed('start', empty)).toBe(false);
  });

  it('acts only on the selected pods a verb applies to', () => {
    const pods = [pod('a', ['running']), pod('b', ['exited'], 'Exited'), pod('c', ['paused'], 'Paused')];
    expect(podsForAction('pause', pods).map((p) => p.name)).toEqual(['a']);
    expect(podsForAction('unpause', pods).map((p) => p.name)).toEqual(['c']);
    expect(podsForAction('start', pods).map((p) => p.name)).toEqual(['b']);
  });

  it('summarizes per pod, naming the first failed member', () => {
    const reports: PodActionReport[] = [
      { nameOrId: 'a-id', id: 'a-id', containerErrors: [], error: null },
      {
        nameOrId: 'b-id',
        id: 'b-id',
        containerErrors: [
          { id: 'x', name: 'db', error: { code: 'ErrCtrStateInvalid', category: 'failed-precondition', message: 'container x is exited' } },
          { id: 'y', name: 'cache', error: { code: 'ErrCtrStateInvalid', category: 'failed-precondition', message: 'container y is exited' } },
        ],
        error: null,
      },
    ];
    const summary = summarizePodAction('pause', reports, (id) => id.replace('-id', ''));
    expect(summary.title).toBe('Paused 1 of 2 pods; 1 failed');
    expect(summary.failures).toMatchObject([{ name: 'b', message: expect.stringContaining('ontainer x is exited (member db, and 1 more)') }]);
    expect(summarizePodAction('unpause', reports.slice(0, 1), (id) => id).title).toBe('Resumed 1 pod');
  });
});
