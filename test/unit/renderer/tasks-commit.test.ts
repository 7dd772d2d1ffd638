import { describe, expect, it } from 'vitest';
import type { CommitFrame } from '../../../shared/types/container-files.ts';
import { TaskList } from '../../../renderer/src/tasks/task-list.ts';
import { fakeStreamClient } from '../../helpers/fake-stream-client.ts';
import { commitHeadline } from '../../../renderer/src/tasks/commit-task-model.ts';
import { clearFinished, runningCommits } from '../../../renderer/src/tasks/task-list-model.ts';

const fakeClient = () => fakeStreamClient<CommitFrame>();

describe('TaskList commits', () => {
  it('opens a containers.commit stream and folds progress, then the image, into the task', () => {
    const { client, streams } = fakeClient();
    let t = 0;
    const tasks = new TaskList(client, () => t);
    const id = tasks.startCommit({ nameOrId: 'c1', containerName: 'web', name: 'web:snap', changes: ['CMD=/bin/sh'] });
    expect(streams[0]).toMatchObject({ path: 'containers.commit', input: { nameOrId: 'c1', name: 'web:snap', changes: ['CMD=/bin/sh'], pause: true, format: 'oci' } });
    expect(runningCommits(tasks.getState())).toHaveLength(1);
    streams[0]!.send({ type: 'data', value: { type: 'progress', phase: 'writing', bytes: 512, totalBytes: 1024 } });
    expect(commitHeadline(tasks.commit(id)!)).toMatchObject({ title: 'Committing web as web:snap', detail: '512 B of 1 KiB written', fraction: 0.5 });
    t = 50;
    streams[0]!.send({ type: 'data', value: { type: 'image', id: 'f'.repeat(64), image: null } });
    streams[0]!.send({ type: 'end' });
    expect(tasks.commit(id)).toMatchObject({ phase: 'done', imageId: 'f'.repeat(64), finishedAt: 50 });
    expect(commitHeadline(tasks.commit(id)!).tone).toBe('ok');
    expect(clearFinished(tasks.getState()).tasks.filter((t) => t.kind === 'commit')).toEqual([]);
  });

  it('cancels the stream and marks the task canceled; an error frame fails it', () => {
    const { client, streams } = fakeClient();
    const tasks = new TaskList(client, () => 0);
    const a = tasks.startCommit({ nameOrId: 'c1', containerName: 'web' });
    tasks.cancel(a);
    expect(streams[0]!.cancelled).toBe(true);
    expect(tasks.commit(a)?.phase).toBe('canceled');
    const b = tasks.startCommit({ nameOrId: 'c2', containerName: 'db' });
    streams[1]!.send({ type: 'error', error: { code: 'ErrInvalidArg', category: 'invalid-argument', message: 'invalid change' } });
    expect(tasks.commit(b)).toMatchObject({ phase: 'failed', error: { message: 'invalid change' } });
    expect(commitHeadline(tasks.commit(b)!)).toMatchObject({ tone: 'danger', detail: 'invalid change' });
    const c = tasks.startCommit({ nameOrId: 'c3', containerName: 'x' });
    streams[2]!.send({ type: 'end' });
    expect(tasks.commit(c)?.phase).toBe('failed');
  });
});
