import { describe, expect, it } from 'vitest';
import { podStatus } from '../../../main/core/pod-status.ts';
import type { ContainerStatus } from '../../../main/core/container-state.ts';

describe('podStatus', () => {
  it.each<[ContainerStatus[], string]>([
    [[], 'Created'],
    [['configured', 'created'], 'Created'],
    [['running', 'running'], 'Running'],
    [['running', 'exited'], 'Degraded'],
    [['running', 'configured'], 'Degraded'],
    [['paused', 'paused'], 'Paused'],
    [['exited', 'stopped'], 'Exited'],
    [['exited', 'configured'], 'Stopped'],
    [['paused', 'exited'], 'Stopped'],
    [['unknown', 'configured'], 'Error'],
  ])('%j → %s', (statuses, expected) => {
    expect(podStatus(statuses)).toBe(expected);
  });
});
