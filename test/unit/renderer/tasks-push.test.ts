// A push as a task: an images.push stream owned by the task list, its blob frames folded into the
// same per-layer progress a pull shows, the registry's digest kept, cancel closing the stream.
import { describe, expect, it, vi } from 'vitest';
import { PodbayError } from '../../../shared/errors.ts';
import type { ImageListItem, ImagePushFrame } from '../../../shared/types/images.ts';
import { pushHeadline, uploadHeadline } from '../../../renderer/src/images/push-presenters.ts';
import { pullTotals } from '../../../renderer/src/images/pull-progress.ts';
import { TaskList } from '../../../renderer/src/tasks/task-list.ts';
import { fakeStreamClient } from '../../helpers/fake-stream-client.ts';
import { taskStatus } from '../../../renderer/src/tasks/task-list-model.ts';
import type { PushTask, UploadTask } from '../../../renderer/src/tasks/task-list-model.ts';
import type { StreamClient } from '../../../renderer/src/tasks/task-list.ts';

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

describe('upload tasks', () => {
  const image = { id: 'a'.repeat(64) } as ImageListItem;

  it('uploads with byte progress, then loads; the images land in the task', async () => {
    const calls: { path: string; input: unknown }[] = [];
    const { client } = fakeClient();
    const withCall = { ...client, call: async (path: string, input: unknown) => (calls.push({ path, input }), [image]) } as unknown as StreamClient;
    let progress: ((sent: number, total: number) => void) | undefined;
    let finish: ((value: { id: string }) => void) | undefined;
    const tasks = new TaskList(withCall, () => 0, (_file, onProgress) => {
      progress = onProgress;
      return new Promise((resolve) => (finish = resolve));
    });
    const id = tasks.startUpload({ fileName: 'busybox.tar', bytes: 1000, mode: 'load' }, new Blob(['x']));
    progress!(400, 1000);
    let task = tasks.get(id) as UploadTask;
    expect(pullTotals(task.progress)).toMatchObject({ done: 400, total: 1000 });
    expect(uploadHeadline(task).title).toBe('Uploading busybox.tar');
    finish!({ id: 'f'.repeat(32) });
    await vi.waitFor(() => expect(taskStatus(tasks.get(id)!)).toBe('done'));
    task = tasks.get(id) as UploadTask;
    expect(calls).toEqual([{ path: 'images.load', input: { transferId: 'f'.repeat(32) } }]);
    expect(task.progress.images).toEqual([image]);
    expect(uploadHeadline(task)).toMatchObject({ title: 'Loaded busybox.tar', tone: 'ok' });
  });

  it('cancels while the bytes go out, and reports an engine refusal', async () => {
    const { client } = fakeClient();
    let aborted = false;
    const tasks = new TaskList({ ...client, call: async () => Promise.reject(new PodbayError('ErrInvalidArg', 'not an archive')) } as unknown as StreamClient, () => 0, (_f, _p, signal) =>
      new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('aborted'));
        });
        if (!signal.aborted) setTimeout(() => resolve({ id: 'e'.repeat(32) }), 5);
      }),
    );
    const first = tasks.startUpload({ fileName: 'a.tar', bytes: 10, mode: 'load' }, new Blob(['x']));
    tasks.cancel(first);
    expect(aborted).toBe(true);
    expect(taskStatus(tasks.get(first)!)).toBe('canceled');
    const second = tasks.startUpload({ fileName: 'b.tar', bytes: 10, mode: 'import', changes: ['CMD x'] }, new Blob(['x']));
    await vi.waitFor(() => expect(taskStatus(tasks.get(second)!)).toBe('failed'));
    expect(uploadHeadline(tasks.get(second) as UploadTask)).toMatchObject({ title: 'Could not import b.tar', tone: 'danger' });
  });
});
