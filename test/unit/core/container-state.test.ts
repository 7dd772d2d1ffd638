import { describe, expect, it } from 'vitest';
import { shouldRestart } from '../../../main/core/container-state.ts';
import type { ContainerState } from '../../../main/core/container-state.ts';

const exited = (exitCode: number, extra: Partial<ContainerState> = {}): ContainerState => ({ status: 'exited', pid: 0, exitCode, startedAt: null, finishedAt: null, ...extra });

describe('shouldRestart (libpod handleRestartPolicy)', () => {
  it('never restarts after a user stop, with policy no, or a container that is not exited', () => {
    expect(shouldRestart({ restartPolicy: 'always' }, exited(1, { stoppedByUser: true }))).toBe(false);
    expect(shouldRestart({ restartPolicy: 'no' }, exited(1))).toBe(false);
    expect(shouldRestart({}, exited(1))).toBe(false);
    expect(shouldRestart({ restartPolicy: 'always' }, { ...exited(1), status: 'running' })).toBe(false);
  });

  it('always and unless-stopped restart whatever the code', () => {
    expect(shouldRestart({ restartPolicy: 'always' }, exited(0))).toBe(true);
    expect(shouldRestart({ restartPolicy: 'unless-stopped' }, exited(137, { restartCount: 99 }))).toBe(true);
  });

  it('on-failure restarts non-zero exits while the count is below its retries (0: no limit)', () => {
    expect(shouldRestart({ restartPolicy: 'on-failure' }, exited(0))).toBe(false);
    expect(shouldRestart({ restartPolicy: 'on-failure' }, exited(2, { restartCount: 40 }))).toBe(true);
    expect(shouldRestart({ restartPolicy: 'on-failure', restartRetries: 2 }, exited(2, { restartCount: 1 }))).toBe(true);
    expect(shouldRestart({ restartPolicy: 'on-failure', restartRetries: 2 }, exited(2, { restartCount: 2 }))).toBe(false);
  });
});
