// File transfers as tasks: an upload (load, import, copy into a container) and a download (save,
// export, copy out) over the contract's chunked transfer streams, with byte progress, the engine's
// result in the task, cancel closing the stream, and the bytes handed to the sink in order.
import { describe, expect, it, vi } from 'vitest';
import { transferChunkBytes } from '../../../shared/contract/transfers.ts';
import type { ImageListItem } from '../../../shared/types/images.ts';
import { bytesToBase64 } from '../../../shared/transfer-client.ts';
import { pullTotals } from '../../../renderer/src/images/pull-progress.ts';
import { TaskList } from '../../../renderer/src/tasks/task-list.ts';
import type { FileSink, StreamClient } from '../../../renderer/src/tasks/task-list.ts';
import { taskStatus } from '../../../renderer/src/tasks/task-list-model.ts';
import type { DownloadTask, UploadTask } from '../../../renderer/src/tasks/task-list-model.ts';
import { downloadHeadline, uploadHeadline } from '../../../renderer/src/tasks/transfer-presenters.ts';
import { fakeStreamClient } from '../../helpers/fake-stream-client.ts';

const transferId = 'f'.repeat(32);

/** A fake client whose `transfers.write` calls wait until the test lets them through. */
function transferClient() {
  const { client, streams } = fakeStreamClient<unknown>();
  const calls: { path: string; input: Record<string, unknown> }[] = [];
  const writes: (() => void)[] = [];
  const withCall = {
    ...client,
    call: async (path: string, input: Record<string, unknown>) => {
      calls.push({ path, input });
      if (path === 'transfers.write') await new Promise<void>((resolve) => writes.push(resolve));
      return {};
    },
  } as unknown as StreamClient;
  return { client: withCall, streams, calls, writes };
}

describe('upload tasks', () => {
  const image = { id: 'a'.repeat(64) } as ImageListItem;

  it('uploads with byte progress, then loads; the images land in the task', async () => {
    const { client, streams, calls, writes } = transferClient();
    const tasks = new TaskList(client, () => 0);
    const bytes = 2 * transferChunkBytes;
    const id = tasks.startUpload({ fileName: 'busybox.tar', bytes, mode: 'load' }, new Blob([new Uint8Array(bytes)]));
    expect(streams[0]).toMatchObject({ path: 'images.load', input: {} });
    streams[0]!.send({ type: 'data', value: { type: 'start', transferId } });
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    writes[0]!();
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    let task = tasks.get(id) as UploadTask;
    expect(pullTotals(task.progress)).toMatchObject({ done: transferChunkBytes, total: bytes });
    expect(uploadHeadline(task).title).toBe('Uploading busybox.tar');
    writes[1]!();
    await vi.waitFor(() => expect(calls.at(-1)?.path).toBe('transfers.end'));
    streams[0]!.send({ type: 'data', value: { type: 'received', bytes } });
    expect(uploadHeadline(tasks.get(id) as UploadTask).title).toBe('Loading busybox.tar');
    streams[0]!.send({ type: 'data', value: { type: 'done', images: [image] } });
    streams[0]!.send({ type: 'end' });
    await vi.waitFor(() => expect(taskStatus(tasks.get(id)!)).toBe('done'));
    task = tasks.get(id) as UploadTask;
    // Every chunk, and the end, name the transfer the load opened.
    expect(calls.map((c) => c.path)).toEqual(['transfers.write', 'transfers.write', 'transfers.end']);
    expect(calls.every((c) => c.input.transferId === transferId)).toBe(true);
    expect(task.progress.images).toEqual([image]);
    expect(uploadHeadline(task)).toMatchObject({ title: 'Loaded busybox.tar', tone: 'ok' });
  });

  it('cancels while the bytes go out, and reports an engine refusal', async () => {
    const { client, streams, writes } = transferClient();
    const tasks = new TaskList(client, () => 0);
    const first = tasks.startUpload({ fileName: 'a.tar', bytes: 10, mode: 'load' }, new Blob(['0123456789']));
    streams[0]!.send({ type: 'data', value: { type: 'start', transferId } });
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    tasks.cancel(first);
    expect(streams[0]!.cancelled).toBe(true);
    expect(taskStatus(tasks.get(first)!)).toBe('canceled');
    const second = tasks.startUpload({ fileName: 'b.tar', bytes: 10, mode: 'import', changes: ['CMD x'] }, new Blob(['0123456789']));
    expect(streams[1]).toMatchObject({ path: 'images.import', input: { changes: ['CMD x'] } });
    streams[1]!.send({ type: 'error', error: { code: 'ErrInvalidArg', category: 'invalid-argument', message: 'not an archive' } });
    await vi.waitFor(() => expect(taskStatus(tasks.get(second)!)).toBe('failed'));
    expect(uploadHeadline(tasks.get(second) as UploadTask)).toMatchObject({ title: 'Could not import b.tar', tone: 'danger' });
  });

  it('copies a file into a container directory and keeps what was written', async () => {
    const { client, streams, writes } = transferClient();
    const tasks = new TaskList(client, () => 0);
    const id = tasks.startUpload({ fileName: 'app.conf', bytes: 4, mode: 'copy', nameOrId: 'c1', containerName: 'web', path: '/etc', as: 'file' }, new Blob(['a=1\n']));
    expect(streams[0]).toMatchObject({ path: 'containers.copyIn', input: { nameOrId: 'c1', path: '/etc', kind: 'file', name: 'app.conf', size: 4 } });
    streams[0]!.send({ type: 'data', value: { type: 'start', transferId } });
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    writes[0]!();
    streams[0]!.send({ type: 'data', value: { type: 'done', entries: 1, bytes: 4 } });
    streams[0]!.send({ type: 'end' });
    await vi.waitFor(() => expect(taskStatus(tasks.get(id)!)).toBe('done'));
    expect(uploadHeadline(tasks.get(id) as UploadTask)).toMatchObject({ title: 'Uploaded app.conf', detail: '4 B into /etc of web' });
  });
});

describe('download tasks', () => {
  const sink = () => {
    const got: { chunks: Uint8Array[]; closed: boolean; aborted: boolean } = { chunks: [], closed: false, aborted: false };
    const open = (): FileSink => ({ write: (b) => void got.chunks.push(b), close: () => (got.closed = true), abort: () => (got.aborted = true) });
    return { got, open };
  };

  it('streams images.save into the sink in order, acknowledging each chunk, with byte progress', async () => {
    const { client, streams, calls } = transferClient();
    const { got, open } = sink();
    const tasks = new TaskList(client, () => 0, open);
    const id = tasks.startDownload({ mode: 'save', nameOrIds: ['busybox:1'], format: 'docker-archive' });
    expect(streams[0]).toMatchObject({ path: 'images.save', input: { nameOrIds: ['busybox:1'], format: 'docker-archive' } });
    expect(downloadHeadline(tasks.get(id) as DownloadTask).title).toBe('Preparing busybox:1');
    streams[0]!.send({ type: 'data', value: { type: 'start', transferId, name: 'busybox-1.tar', kind: 'tar', size: 6 } });
    streams[0]!.send({ type: 'data', value: { type: 'chunk', seq: 0, data: bytesToBase64(new TextEncoder().encode('abc')) } });
    await vi.waitFor(() => expect(calls).toEqual([{ path: 'transfers.ack', input: { transferId, seq: 0 } }]));
    expect(downloadHeadline(tasks.get(id) as DownloadTask)).toMatchObject({ title: 'Downloading busybox-1.tar', detail: '3 B of 6 B', fraction: 0.5 });
    streams[0]!.send({ type: 'data', value: { type: 'chunk', seq: 1, data: bytesToBase64(new TextEncoder().encode('def')) } });
    streams[0]!.send({ type: 'end' });
    await vi.waitFor(() => expect(taskStatus(tasks.get(id)!)).toBe('done'));
    expect(new TextDecoder().decode(Buffer.concat(got.chunks))).toBe('abcdef');
    expect(got).toMatchObject({ closed: true, aborted: false });
    expect(downloadHeadline(tasks.get(id) as DownloadTask)).toMatchObject({ title: 'Saved busybox-1.tar', tone: 'ok' });
  });

  it('cancels: the stream closes and the sink drops what arrived; an engine error fails the task', async () => {
    const { client, streams } = transferClient();
    const { got, open } = sink();
    const tasks = new TaskList(client, () => 0, open);
    const a = tasks.startDownload({ mode: 'export', nameOrId: 'c1', containerName: 'web' });
    expect(streams[0]).toMatchObject({ path: 'containers.export', input: { nameOrId: 'c1' } });
    streams[0]!.send({ type: 'data', value: { type: 'start', transferId, name: 'web.tar', kind: 'tar', size: null } });
    tasks.cancel(a);
    expect(streams[0]!.cancelled).toBe(true);
    expect(taskStatus(tasks.get(a)!)).toBe('canceled');
    await vi.waitFor(() => expect(got.aborted).toBe(true));
    expect(got.closed).toBe(false);
    const b = tasks.startDownload({ mode: 'copyOut', nameOrId: 'c1', containerName: 'web', path: '/nope' });
    streams[1]!.send({ type: 'error', error: { code: 'ErrInvalidArg', category: 'invalid-argument', message: 'no such file /nope' } });
    await vi.waitFor(() => expect(taskStatus(tasks.get(b)!)).toBe('failed'));
    expect(downloadHeadline(tasks.get(b) as DownloadTask)).toMatchObject({ title: 'Could not download /nope of web', tone: 'danger' });
  });

  it('fails the task when the transport refuses the stream at once (a closed connection)', () => {
    const closed = {
      stream: (_path: string, _input: unknown, onFrame: (frame: unknown) => void) => {
        onFrame({ type: 'error', error: { code: 'ErrCanceled', category: 'canceled', message: 'the connection is closed' } });
        return () => undefined;
      },
      call: async () => ({}),
    } as unknown as StreamClient;
    const tasks = new TaskList(closed, () => 0, sink().open);
    const id = tasks.startDownload({ mode: 'export', nameOrId: 'c1', containerName: 'web' });
    return vi.waitFor(() => expect(tasks.get(id)!.progress.error).toMatchObject({ code: 'ErrCanceled', message: 'the connection is closed' }));
  });
});

