// The container file procedures through the in-memory transport (the connection code a window or a
// WebSocket uses) against real busybox containers: chunked, acknowledged downloads of an export and
// of a copied-out file, uploads of a file and of a tar, the directory listing, diff, top, a stats
// stream that stops when cancelled, and a commit whose image shows up in images.list. Transfers
// belong to the connection that opened them.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { typedClient } from '../../../shared/client.ts';
import { startDownload, upload } from '../../../shared/transfer-client.ts';
import type { UploadSource } from '../../../shared/transfer-client.ts';
import type { CommitFrame, ContainerChange, ContainerDirListing, ContainerStats, ContainerTopReport } from '../../../shared/types/container-files.ts';
import type { DownloadFrame } from '../../../shared/types/transfers.ts';
import type { ImageListItem } from '../../../shared/types/images.ts';
import { createAppContext } from '../../../main/app-context.ts';
import { createAppRouter } from '../../../main/app-router.ts';
import { createInMemoryPair } from '../../../main/ipc/in-memory-transport.ts';
import type { InMemoryPair } from '../../../main/ipc/in-memory-transport.ts';
import type { Router } from '../../../main/ipc/router.ts';
import { Runtime } from '../../../main/core/runtime.ts';
import { removeStoreDir, storeOptions, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { busyboxLayer, busyboxMissing, buildImage } from '../../helpers/image-builder.ts';
import { makeTar } from '../../helpers/image-tar.ts';
import { tarContents } from '../../helpers/tar-members.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { addImage } from '../../helpers/stored-image.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? busyboxMissing() ?? null;

const bytesSource = (data: Uint8Array): UploadSource => ({ size: data.length, read: async (start, end) => data.subarray(start, end) });

describe.skipIf(skip !== null)(`container file procedures${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let router: Router;
  const pairs: InMemoryPair[] = [];
  const pair = () => {
    const created = createInMemoryPair(router);
    pairs.push(created);
    return created;
  };
  const call = <T>(path: string, input: unknown) => router.call(path, input, new AbortController().signal) as Promise<T>;
  const download = async (p: InMemoryPair, path: 'containers.export' | 'containers.copyOut', input: { nameOrId: string; path?: string }) => {
    const parts: Uint8Array[] = [];
    const handle = startDownload(typedClient(p.client), path, input as never, { onChunk: (b) => void parts.push(b) });
    const info = await handle.done;
    return { info, data: Buffer.concat(parts) };
  };

  beforeEach(async () => {
    store = tempStore();
    const seed = Runtime.create(storeOptions(store), { cliScript: null });
    await addImage(seed, buildImage([busyboxLayer()], { oci: true }), ['localhost/busybox:latest']);
    seed.shutdown(true);
    router = createAppRouter(createAppContext({ root: store.graphRoot, runRoot: store.runRoot, runtime: 'crun' }));
    await call('containers.create', { image: 'busybox', name: 'files', command: ['sh', '-c', 'echo hello > /hello.txt; head -c 600000 /dev/urandom > /big.bin; head -c 4194304 /dev/zero > /huge.bin; ln -s /etc /etc-link; rm /etc/group; sleep 1000'], start: true, pull: 'never' });
    for (let i = 0; i < 100; i++) {
      const listing = await call<ContainerDirListing>('containers.files', { nameOrId: 'files', path: '/' });
      if (listing.entries.some((e) => e.name === 'etc-link')) break;
      await sleep(20);
    }
  });
  afterEach(async () => {
    for (const p of pairs.splice(0)) p.close();
    const list = await call<{ id: string }[]>('containers.list', {}).catch(() => []);
    if (list.length) await call('containers.remove', { nameOrIds: list.map((c) => c.id), force: true, timeout: 0 });
    await removeStoreDir(store.dir);
  });

  it('lists a directory, following a symlinked path inside the container', async () => {
    const root = await call<ContainerDirListing>('containers.files', { nameOrId: 'files', path: '/' });
    expect(root.entries.find((e) => e.name === 'hello.txt')).toMatchObject({ type: 'file', size: 6 });
    expect(root.entries.find((e) => e.name === 'etc-link')).toMatchObject({ type: 'symlink', linkTarget: '/etc' });
    const etc = await call<ContainerDirListing>('containers.files', { nameOrId: 'files', path: '/etc-link' });
    expect(etc.path).toBe('/etc');
    expect(etc.entries.map((e) => e.name)).toContain('passwd');
    await expect(call('containers.files', { nameOrId: 'files', path: '/hello.txt' })).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrInvalidArg'));
  });

  it('downloads an export and a copied-out file in acknowledged chunks', async () => {
    const a = pair();
    const exported = await download(a, 'containers.export', { nameOrId: 'files' });
    expect(exported.info).toMatchObject({ name: 'files.tar', kind: 'tar', size: null });
    const entries = await tarContents(exported.data);
    expect(entries.get('hello.txt')).toBe('hello\n');
    expect(entries.get('big.bin')?.length).toBe(600_000);
    const file = await download(a, 'containers.copyOut', { nameOrId: 'files', path: '/big.bin' });
    expect(file.info).toMatchObject({ name: 'big.bin', kind: 'file', size: 600_000 });
    expect(file.data.length).toBe(600_000);
    expect(file.data.equals(Buffer.from(entries.get('big.bin') as string, 'latin1'))).toBe(true);
    const dir = await download(a, 'containers.copyOut', { nameOrId: 'files', path: '/etc-link' });
    expect(dir.info).toMatchObject({ name: 'etc-link.tar', kind: 'tar' });
    expect((await tarContents(dir.data)).has('etc-link/passwd')).toBe(true);
    expect(a.connection.openStreams).toBe(0);
  });

  it('does not run ahead of unacknowledged chunks, and refuses acknowledgements from another connection', async () => {
    const a = pair();
    const b = pair();
    const frames: DownloadFrame[] = [];
    const id = a.client.stream('containers.copyOut', { nameOrId: 'files', path: '/huge.bin' }, (f) => f.type === 'data' && frames.push(f.value as DownloadFrame));
    const chunks = () => frames.filter((f) => f.type === 'chunk').length;
    for (let i = 0; i < 100 && chunks() < 8; i++) await sleep(20);
    await sleep(200);
    // 4 MiB is 16 chunks of 256 KiB; with nothing acknowledged only the window of 8 may come.
    expect(chunks()).toBe(8);
    const start = frames[0] as Extract<DownloadFrame, { type: 'start' }>;
    await expect(b.client.call('transfers.ack', { transferId: start.transferId, seq: 3 })).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrInvalidArg'));
    await a.client.call('transfers.ack', { transferId: start.transferId, seq: 3 });
    for (let i = 0; i < 100 && chunks() < 12; i++) await sleep(20);
    await sleep(200);
    expect(chunks()).toBe(12);
    a.client.cancel(id);
  });

  it('uploads a file and a tar into a directory; a tar member climbing out is refused', async () => {
    const a = pair();
    const client = typedClient(a.client);
    const content = new Uint8Array(700_000).map((_, i) => i % 251);
    const progress: number[] = [];
    const report = await upload(client, 'containers.copyIn', { nameOrId: 'files', path: '/etc-link', kind: 'file', name: 'uploaded.bin', size: content.length }, bytesSource(content), { onProgress: (n) => progress.push(n) });
    expect(report).toEqual({ entries: 1, bytes: 700_000 });
    expect(progress.at(-1)).toBe(700_000);
    const back = await download(a, 'containers.copyOut', { nameOrId: 'files', path: '/etc/uploaded.bin' });
    expect(Buffer.from(back.data).equals(Buffer.from(content))).toBe(true);
    const listing = await call<ContainerDirListing>('containers.files', { nameOrId: 'files', path: '/etc' });
    expect(listing.entries.find((e) => e.name === 'uploaded.bin')).toMatchObject({ uid: 0, gid: 0, size: 700_000 });

    await upload(client, 'containers.copyIn', { nameOrId: 'files', path: '/tmp', kind: 'tar' }, bytesSource(makeTar([{ name: 'dir/', type: 'dir' }, { name: 'dir/in-tar.txt', data: 'from a tar\n' }])));
    expect((await download(a, 'containers.copyOut', { nameOrId: 'files', path: '/tmp/dir/in-tar.txt' })).data.toString()).toBe('from a tar\n');

    await expect(upload(client, 'containers.copyIn', { nameOrId: 'files', path: '/tmp', kind: 'tar' }, bytesSource(makeTar([{ name: '../../escaped.txt', data: 'x' }])))).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrInvalidArg'));
    const root = await call<ContainerDirListing>('containers.files', { nameOrId: 'files', path: '/' });
    expect(root.entries.map((e) => e.name)).not.toContain('escaped.txt');
    expect(a.connection.openStreams).toBe(0);
  });

  it('answers diff and top, and streams stats until cancelled', async () => {
    const changes = await call<ContainerChange[]>('containers.diff', { nameOrId: 'files' });
    expect(changes).toEqual(expect.arrayContaining([{ path: '/hello.txt', kind: 'A' }, { path: '/etc/group', kind: 'D' }]));
    const top = await call<ContainerTopReport>('containers.top', { nameOrId: 'files' });
    expect(top.titles.at(-1)).toBe('COMMAND');
    expect(top.processes.some((p) => p.at(-1) === 'sleep 1000')).toBe(true);
    const a = pair();
    const rounds: ContainerStats[][] = [];
    const id = a.client.stream('containers.stats', { nameOrIds: ['files'], intervalMs: 500 }, (f) => f.type === 'data' && rounds.push(f.value as ContainerStats[]));
    for (let i = 0; i < 100 && rounds.length < 2; i++) await sleep(50);
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    expect(rounds[1]?.[0]).toMatchObject({ name: 'files' });
    expect(rounds[1]?.[0]?.memUsage).toBeGreaterThan(0);
    a.client.cancel(id);
    await sleep(100);
    expect(a.connection.openStreams).toBe(0);
  });

  it('commits through a stream of progress frames, then the image, which images.list has', async () => {
    const a = pair();
    const frames: CommitFrame[] = [];
    await new Promise<void>((resolve, reject) => {
      a.client.stream('containers.commit', { nameOrId: 'files', name: 'from-ui:1', author: 'ui', changes: ['CMD=cat /hello.txt'] }, (f) => {
        if (f.type === 'data') frames.push(f.value as CommitFrame);
        else if (f.type === 'end') resolve();
        else reject(new Error(f.error.message));
      });
    });
    expect(frames.map((f) => (f.type === 'progress' ? f.phase : f.type))).toEqual(expect.arrayContaining(['pausing', 'writing', 'storing', 'done', 'image']));
    const image = frames.find((f) => f.type === 'image') as Extract<CommitFrame, { type: 'image' }>;
    expect(image.image?.repoTags).toEqual(['localhost/from-ui:1']);
    const list = await call<ImageListItem[]>('images.list', {});
    expect(list.map((i) => i.id)).toContain(image.id);
    expect((await call<{ state: string }>('containers.inspect', { nameOrId: 'files' })).state).toBe('running');
  });
});
