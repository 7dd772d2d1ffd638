import { describe, expect, it } from 'vitest';
import { addPullTask, clearFinished, dismissTask, emptyTasks, findTask, runningPullOf, runningTasks, taskCanceled, taskEnded, taskFailed, taskFrame, taskStatus, updateTask } from '../../../renderer/src/tasks/task-list-model.ts';

const a = `sha256:${'a'.repeat(64)}`;

describe('task list model', () => {
  it('adds pulls newest first, running from the start', () => {
    let s = addPullTask(emptyTasks, 't1', { reference: ' busybox ' }, 10);
    s = addPullTask(s, 't2', { reference: 'reg:5000/x', tlsVerify: false }, 20);
    expect(s.tasks.map((t) => t.id)).toEqual(['t2', 't1']);
    expect(findTask(s, 't1')?.progress).toMatchObject({ reference: 'busybox', phase: 'starting', startedAt: 10 });
    expect(s.tasks.map(taskStatus)).toEqual(['running', 'running']);
    expect(runningTasks(s)).toHaveLength(2);
  });

  it('folds frames into the task they belong to and leaves others alone', () => {
    let s = addPullTask(addPullTask(emptyTasks, 't1', { reference: 'a' }, 0), 't2', { reference: 'b' }, 0);
    const other = findTask(s, 't2');
    s = taskFrame(s, 't1', { type: 'manifest', reference: 'a', manifestDigest: 'm', layers: [{ digest: a, size: 100 }] }, 5);
    s = taskFrame(s, 't1', { type: 'layer-bytes', digest: a, done: 40, total: 100 }, 6);
    expect(findTask(s, 't1')?.progress.layers[0]).toMatchObject({ done: 40, phase: 'downloading' });
    expect(findTask(s, 't2')).toBe(other);
    expect(taskFrame(s, 'nope', { type: 'done', reference: 'a', imageId: 'x' }, 7)).toBe(s);
    expect(updateTask(s, 't1', (p) => p)).toBe(s);
  });

  it('ends as done, failed or cancelled', () => {
    let s = addPullTask(addPullTask(addPullTask(emptyTasks, 'ok', { reference: 'a' }, 0), 'bad', { reference: 'b' }, 0), 'stop', { reference: 'c' }, 0);
    s = taskEnded(s, 'ok', 9);
    s = taskFailed(s, 'bad', { code: 'ErrNoSuchImage', category: 'not-found', message: 'no' }, 9);
    s = taskCanceled(s, 'stop', 9);
    expect(s.tasks.map((t) => [t.id, taskStatus(t)])).toEqual([
      ['stop', 'canceled'],
      ['bad', 'failed'],
      ['ok', 'done'],
    ]);
    expect(runningTasks(s)).toEqual([]);
  });

  it('dismisses only finished tasks, and clears every finished one', () => {
    let s = addPullTask(addPullTask(emptyTasks, 'run', { reference: 'a' }, 0), 'end', { reference: 'b' }, 0);
    s = taskEnded(s, 'end', 1);
    expect(dismissTask(s, 'run')).toBe(s);
    expect(dismissTask(s, 'end').tasks.map((t) => t.id)).toEqual(['run']);
    expect(clearFinished(s).tasks.map((t) => t.id)).toEqual(['run']);
    expect(clearFinished(clearFinished(s))).toEqual(clearFinished(s));
  });

  it('finds a running pull of the same reference (a second Pull shows it instead)', () => {
    let s = addPullTask(emptyTasks, 't1', { reference: 'busybox' }, 0);
    expect(runningPullOf(s, ' busybox')?.id).toBe('t1');
    expect(runningPullOf(s, 'alpine')).toBeNull();
    s = taskEnded(s, 't1', 1);
    expect(runningPullOf(s, 'busybox')).toBeNull();
  });
});
