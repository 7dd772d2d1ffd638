import { describe, expect, it } from 'vitest';
import type { ErrorData } from '../../../shared/errors.ts';
import type { ImagePullFrame } from '../../../shared/types/images.ts';
import { TaskList } from '../../../renderer/src/tasks/task-list.ts';
import { fakeStreamClient } from '../../helpers/fake-stream-client.ts';
import { taskStatus } from '../../../renderer/src/tasks/task-list-model.ts';

const a = `sha256:${'a'.repeat(64)}`;

const fakeClient = () => fakeStreamClient<ImagePullFrame>();

describe('TaskList', () => {
  it('opens an images.pull stream per pull and folds its frames into the task', () => {
    const { client, streams } = fakeClient();
    let t = 0;
    const tasks = new TaskList(client, () => t);
    const changes: number[] = [];
    tasks.subscribe(() => changes.push(tasks.getState().tasks.length));
    const id = tasks.startPull({ reference: ' reg:5000/busybox ', tlsVerify: false });
    expect(streams[0]).toMatchObject({ path: 'images.pull', input: { reference: 'reg:5000/busybox', tlsVerify: false } });
    t = 100;
    streams[0]!.send({ type: 'data', value: { type: 'manifest', reference: 'r', manifestDigest: 'm', layers: [{ digest: a, size: 10 }] } });
    streams[0]!.send({ type: 'data', value: { type: 'layer-bytes', digest: a, done: 5, total: 10 } });
    expect(tasks.get(id)?.progress.layers[0]?.done).toBe(5);
    t = 200;
    streams[0]!.send({ type: 'end' });
    expect(tasks.get(id)).toMatchObject({ progress: { phase: 'done', finishedAt: 200 } });
    expect(changes.length).toBeGreaterThanOrEqual(4);
  });

  it('sends tlsVerify only when verification is skipped', () => {
    const { client, streams } = fakeClient();
    new TaskList(client).startPull({ reference: 'busybox' });
    expect(streams[0]?.input).toEqual({ reference: 'busybox' });
  });

  it('keeps the engine error of a failed pull', () => {
    const { client, streams } = fakeClient();
    const tasks = new TaskList(client);
    const id = tasks.startPull({ reference: 'nope' });
    const error: ErrorData = { code: 'ErrNoSuchImage', category: 'not-found', message: 'not found' };
    streams[0]!.send({ type: 'error', error });
    const task = tasks.get(id)!;
    expect(taskStatus(task)).toBe('failed');
    expect(task.progress.error).toEqual(error);
  });

  it('cancels by closing the stream; later frames change nothing', () => {
    const { client, streams } = fakeClient();
    const tasks = new TaskList(client);
    const id = tasks.startPull({ reference: 'big' });
    tasks.cancel(id);
    expect(streams[0]?.cancelled).toBe(true);
    expect(taskStatus(tasks.get(id)!)).toBe('canceled');
    const before = tasks.getState();
    streams[0]!.send({ type: 'data', value: { type: 'layer-bytes', digest: a, done: 1, total: 2 } });
    expect(tasks.getState()).toBe(before);
    tasks.cancel(id);
    expect(tasks.getState()).toBe(before);
  });

  it('retries with the same input as a new task, and dismisses finished ones', () => {
    const { client, streams } = fakeClient();
    const tasks = new TaskList(client);
    const first = tasks.startPull({ reference: 'reg/x', tlsVerify: false });
    streams[0]!.send({ type: 'error', error: { code: 'ErrInternal', category: 'internal', message: 'unreachable' } });
    const second = tasks.retry(first);
    expect(second).not.toBe(first);
    expect(tasks.get(first)).toBeNull();
    expect(streams[1]?.input).toEqual({ reference: 'reg/x', tlsVerify: false });
    streams[1]!.send({ type: 'end' });
    tasks.dismiss(second!);
    expect(tasks.getState().tasks).toEqual([]);
  });

  it('runs several pulls at once, each on its own stream, and cancels all on dispose', () => {
    const { client, streams } = fakeClient();
    const tasks = new TaskList(client);
    tasks.startPull({ reference: 'a' });
    tasks.startPull({ reference: 'b' });
    expect(tasks.getState().tasks.map((t) => (t.kind === 'pull' ? t.input.reference : null))).toEqual(['b', 'a']);
    tasks.dispose();
    expect(streams.every((s) => s.cancelled)).toBe(true);
  });
});
