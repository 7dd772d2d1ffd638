// A push as a task: an images.push stream owned by the task list, its blob frames folded into the
// same per-layer progress a pull shows, the registry's digest kept, cancel closing the stream.
import { describe, expect, it } from 'vitest';
import type { ImagePushFrame } from '../../../shared/types/images.ts';
import { pushHeadline } from '../../../renderer/src/images/push-presenters.ts';
import { pullTotals } from '../../../renderer/src/images/pull-progress.ts';
import { TaskList } from '../../../renderer/src/tasks/task-list.ts';
import { fakeStreamClient } from '../../helpers/fake-stream-client.ts';
import { taskStatus } from '../../../renderer/src/tasks/task-list-model.ts';
import type { PushTask } from '../../../renderer/src/tasks/task-list-model.ts';

const config = `sha256:${'c'.repeat(64)}`;
const layer = `sha256:${'1'.repeat(64)}`;
const manifest = `sha256:${'f'.repeat(64)}`;

const fakeClient = () => fakeStreamClient<ImagePushFrame>();

const input = { imageId: 'abc', imageLabel: 'localhost/app:1', destination: 'reg:5000/team/app:1', tlsVerify: false, credentials: { username: 'u', password: 'p' } };

describe('push tasks', () => {
  it('streams images.push with the destination and per-call credentials, folds bytes, keeps the digest', () => {
    const { client, streams } = fakeClient();
    let t = 0;
    const tasks = new TaskList(client, () => t);
    const id = tasks.startPush(input);
    expect(streams[0]).toMatchObject({ path: 'images.push', input: { nameOrId: 'abc', destination: 'reg:5000/team/app:1', tlsVerify: false, credentials: { username: 'u', password: 'p' } } });
    const send = (value: ImagePushFrame) => streams[0]!.send({ type: 'data', value });
    send({ type: 'push-started', reference: 'reg:5000/team/app:1', blobs: [{ digest: config, size: 100 }, { digest: layer, size: 900 }] });
    let task = tasks.get(id) as PushTask;
    expect(pullTotals(task.progress)).toMatchObject({ done: 0, total: 1000, layersTotal: 2 });
    expect(pushHeadline(task).title).toBe('Pushing reg:5000/team/app:1');
    t = 100;
    send({ type: 'blob-exists', digest: config, size: 100 });
    send({ type: 'blob-bytes', digest: layer, done: 450, total: 900 });
    task = tasks.get(id) as PushTask;
    expect(pullTotals(task.progress)).toMatchObject({ done: 550, fraction: 0.55 });
    expect(pushHeadline(task).detail).toMatch(/^550 B of 1000 B sent/);
    send({ type: 'blob-done', digest: layer, size: 900 });
    send({ type: 'manifest-written', reference: 'reg:5000/team/app:1', digest: manifest });
    send({ type: 'pushed', reference: 'reg:5000/team/app:1', manifestDigest: manifest });
    t = 300;
    streams[0]!.send({ type: 'end' });
    task = tasks.get(id) as PushTask;
    expect(taskStatus(task)).toBe('done');
    expect(task.pushed).toEqual({ reference: 'reg:5000/team/app:1', manifestDigest: manifest });
    expect(pullTotals(task.progress).fraction).toBe(1);
    expect(pushHeadline(task)).toMatchObject({ title: 'Pushed reg:5000/team/app:1', tone: 'ok' });
    expect(pushHeadline(task).detail).toContain('Digest ffffffffffff');
  });

  it('cancels a running push and retries it with the same input', () => {
    const { client, streams } = fakeClient();
    const tasks = new TaskList(client, () => 0);
    const id = tasks.startPush(input);
    tasks.cancel(id);
    expect(streams[0]!.cancelled).toBe(true);
    expect(taskStatus(tasks.get(id)!)).toBe('canceled');
    const again = tasks.retry(id)!;
    expect(streams[1]).toMatchObject({ path: 'images.push', input: { destination: 'reg:5000/team/app:1' } });
    expect(tasks.get(again)?.kind).toBe('push');
    expect(tasks.get(id)).toBeNull();
  });

  it('says why a push failed, by error code', () => {
    const { client, streams } = fakeClient();
    const tasks = new TaskList(client, () => 0);
    const id = tasks.startPush(input);
    streams[0]!.send({ type: 'error', error: { code: 'ErrUnauthorized', category: 'permission-denied', message: 'denied' } });
    expect(pushHeadline(tasks.get(id) as PushTask)).toMatchObject({ title: 'Could not push reg:5000/team/app:1', detail: 'The registry refused the push', tone: 'danger' });
  });
});
