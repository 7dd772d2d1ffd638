// The procedures that look into and out of containers, over the core (container-copy.ts, -export,
// -commit, -diff, -top, -stats). Downloads and uploads go through transfers.ts: a stream that opens a
// transfer, chunks flow-controlled by the receiver.
import type { Handlers, HandlerContext } from '../../../shared/contract/define.ts';
import type { containerFileProcedures } from '../../../shared/contract/container-files.ts';
import { PodbayError } from '../../../shared/errors.ts';
import type { CommitFrame, DownloadFrame, UploadFrame } from '../../../shared/types/container-files.ts';
import { readContainerPath, writeContainerPath } from '../../core/container-copy.ts';
import { containerStats } from '../../core/container-stats.ts';
import { framesOf } from './images.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';
import { Transfers, rechunk } from './transfers.ts';

type Produce = (consume: (info: { name: string; kind: 'file' | 'tar'; size: number | null }, data: AsyncIterable<Buffer>) => Promise<void>) => Promise<void>;

/**
 * Runs `produce` (a core function that hands its data to a consumer and waits for it to be drained)
 * and turns its data into download frames. Cancelling the stream rejects the consumer, so the core
 * function unwinds and releases what it held (a temporary mount).
 */
async function* download(transfers: Transfers, ctx: HandlerContext, produce: Produce): AsyncGenerator<DownloadFrame> {
  let hand: ((value: { info: { name: string; kind: 'file' | 'tar'; size: number | null }; data: AsyncIterable<Buffer> }) => void) | null = null;
  let fail: ((error: unknown) => void) | null = null;
  const handed = new Promise<{ info: { name: string; kind: 'file' | 'tar'; size: number | null }; data: AsyncIterable<Buffer> }>((resolve, reject) => {
    hand = resolve;
    fail = reject;
  });
  let drained!: { resolve: () => void; reject: (e: unknown) => void };
  const drainedPromise = new Promise<void>((resolve, reject) => (drained = { resolve, reject }));
  drainedPromise.catch(() => undefined);
  const work = produce(async (info, data) => {
    hand?.({ info, data });
    await drainedPromise;
  });
  work.catch((error: unknown) => fail?.(error));
  const transfer = transfers.openDownload(ctx.connection);
  try {
    const { info, data } = await handed;
    yield { type: 'start', transferId: transfer.id, name: info.name, kind: info.kind, size: info.size };
    let seq = 0;
    try {
      for await (const chunk of rechunk(data)) {
        await transfer.maySend(seq, ctx.signal);
        yield { type: 'chunk', seq, data: chunk.toString('base64') };
        seq++;
      }
      drained.resolve();
    } catch (error) {
      drained.reject(error);
      throw error;
    }
    await work;
  } finally {
    drained.reject(new PodbayError('ErrCanceled', 'download canceled'));
    await work.catch(() => undefined);
    transfers.close(transfer.id);
  }
}

async function* upload(deps: RuntimeDeps, transfers: Transfers, input: { nameOrId: string; path: string; kind: 'tar' | 'file'; name?: string | undefined; size?: number | undefined; overwrite: boolean }, ctx: HandlerContext): AsyncGenerator<UploadFrame> {
  const runtime = runtimeFor(deps);
  runtime.lookupContainer(input.nameOrId);
  const transfer = transfers.openUpload(ctx.connection);
  try {
    yield { type: 'start', transferId: transfer.id };
    const data = transfer.chunks(ctx.signal);
    const report = await writeContainerPath(runtime, input.nameOrId, input.path, input.kind === 'tar' ? { kind: 'tar', data } : { kind: 'file', name: input.name as string, size: input.size as number, data }, { overwrite: input.overwrite, signal: ctx.signal });
    yield { type: 'done', entries: report.entries, bytes: report.fileBytes };
  } catch (error) {
    transfer.fail(error);
    throw error;
  } finally {
    transfers.close(transfer.id);
  }
}

export function createContainerFileHandlers(deps: RuntimeDeps, transfers = new Transfers()) {
  return {
    'containers.files': async (input) => runtimeFor(deps).lookupContainer(input.nameOrId).listFiles(input.path),
    'containers.diff': async (input) => runtimeFor(deps).lookupContainer(input.nameOrId).changes(),
    'containers.top': async (input, { signal }) => runtimeFor(deps).lookupContainer(input.nameOrId).top(input.descriptors, { signal }),
    'containers.stats': (input, { signal }) => {
      const runtime = runtimeFor(deps);
      const ids = input.nameOrIds ? input.nameOrIds.map((n) => runtime.lookupContainer(n).id()) : null;
      return containerStats(runtime, ids, { stream: input.stream, intervalMs: input.intervalMs, signal });
    },
    'containers.export': (input, ctx) => {
      const ctr = runtimeFor(deps).lookupContainer(input.nameOrId);
      return download(transfers, ctx, (consume) => ctr.export((tar) => consume({ name: `${ctr.name()}.tar`, kind: 'tar', size: null }, tar), { signal: ctx.signal }));
    },
    'containers.copyOut': (input, ctx) => {
      const runtime = runtimeFor(deps);
      const id = runtime.lookupContainer(input.nameOrId).id();
      return download(transfers, ctx, (consume) => readContainerPath(runtime, id, input.path, consume, { signal: ctx.signal }));
    },
    'containers.copyIn': (input, ctx) => upload(deps, transfers, input, ctx),
    'containers.commit': (input, { signal }) => {
      const runtime = runtimeFor(deps);
      const ctr = runtime.lookupContainer(input.nameOrId);
      return framesOf<CommitFrame>(async (emit) => {
        const report = await ctr.commit({
          ...(input.name ? { name: input.name } : {}),
          ...(input.author ? { author: input.author } : {}),
          ...(input.message ? { message: input.message } : {}),
          changes: input.changes,
          pause: input.pause,
          format: input.format,
          signal,
          onFrame: emit,
        });
        const images = await runtime.images();
        const item = images.list({ id: [report.id] })[0] ?? null;
        emit({ type: 'image', id: report.id, image: item });
      });
    },
    'transfers.ack': async (input, ctx) => {
      transfers.download(input.transferId, ctx.connection).ack(input.seq);
      return {};
    },
    'transfers.write': async (input, ctx) => {
      await transfers.upload(input.transferId, ctx.connection).write(Buffer.from(input.data, 'base64'));
      return {};
    },
    'transfers.end': async (input, ctx) => {
      transfers.upload(input.transferId, ctx.connection).end();
      return {};
    },
  } satisfies Handlers<typeof containerFileProcedures>;
}
