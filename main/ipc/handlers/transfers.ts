// The engine's half of the contract's chunked transfers (shared/contract/transfers.ts): the one way
// files move between the UI and the engine — image save/load/import and container export/cp alike.
// Why the contract and not HTTP endpoints on the web host: the Electron window has no HTTP server to
// talk to, so a second path would be needed there; a chunked stream of the one contract works
// unchanged over Electron IPC, the web host's WebSocket and the in-memory transport of contract
// tests, and every chunk passes the same input validation as any call. The cost — base64 (4/3) in
// JSON messages — is small against a loopback link, and chunks stay well under the wire's 1 MiB
// message limit.
//
// Flow control, because no transport pushes back on a fast sender: a download sends at most
// `transferWindow` chunks beyond the last one the receiver acknowledged (`transfers.ack`); an
// upload's `transfers.write` resolves only once its chunk has been consumed, so the sender waits.
// A transfer belongs to the connection whose stream opened it (others get ErrInvalidArg, as for an
// unknown id) and lives as long as that stream: cancelling it, or the window going away, aborts it.
import { randomBytes } from 'node:crypto';
import type { Handlers, HandlerContext } from '../../../shared/contract/define.ts';
import { transferChunkBytes, transferWindow } from '../../../shared/contract/transfers.ts';
import type { transferProcedures } from '../../../shared/contract/transfers.ts';
import { PodbayError } from '../../../shared/errors.ts';
import type { DownloadFrame, UploadFrame } from '../../../shared/types/transfers.ts';
import { framesOf } from './frames-of.ts';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** One download: the sender waits here for acknowledgements. */
class Download {
  acked = -1;
  #waiter: (Waiter & { seq: number }) | null = null;
  #failed: unknown = null;

  constructor(readonly id: string, readonly owner: object | undefined) {}

  ack(seq: number): void {
    if (seq > this.acked) this.acked = seq;
    if (this.#waiter && this.#waiter.seq - this.acked <= transferWindow) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter.resolve();
    }
  }

  /** Resolves when chunk `seq` may be sent. */
  maySend(seq: number, signal: AbortSignal): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (seq - this.acked <= transferWindow) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new PodbayError('ErrCanceled', 'download canceled', { cause: signal.reason }));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiter = {
        seq,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
    });
  }
}

/** One upload: `write` hands a chunk to the consumer and resolves once it was taken. */
class Upload {
  readonly #queue: { chunk: Buffer; taken: Waiter }[] = [];
  #wake: (() => void) | null = null;
  #ended = false;
  #failed: unknown = null;

  constructor(readonly id: string, readonly owner: object | undefined) {}

  write(chunk: Buffer): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (this.#ended) return Promise.reject(new PodbayError('ErrInvalidArg', `transfer ${this.id.slice(0, 16)} has already ended`));
    if (this.#queue.length >= 2) return Promise.reject(new PodbayError('ErrInvalidArg', 'wait for the previous writes of this transfer to resolve before sending more'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ chunk, taken: { resolve, reject } });
      this.#wake?.();
    });
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  /** Ends the upload with `error`: pending and later writes reject with it. */
  fail(error: unknown): void {
    this.#failed ??= error;
    for (const item of this.#queue.splice(0)) item.taken.reject(this.#failed);
    this.#wake?.();
  }

  /** The uploaded bytes, in order, until `end`; a write resolves as its chunk is read from here. */
  async *chunks(signal: AbortSignal): AsyncGenerator<Buffer> {
    const onAbort = () => this.fail(new PodbayError('ErrCanceled', 'upload canceled', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (this.#failed) throw this.#failed;
        const next = this.#queue.shift();
        if (next) {
          next.taken.resolve();
          yield next.chunk;
          continue;
        }
        if (this.#ended) return;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = null;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/** The transfers open in this process, by id. */
export class Transfers {
  readonly #downloads = new Map<string, Download>();
  readonly #uploads = new Map<string, Upload>();
  /**
   * Downloads that ended, kept a while: the receiver's acknowledgements of the last chunks may
   * arrive after the stream's end (they travel on their own), and must not fail its download.
   */
  readonly #ended = new Map<string, Download>();

  get size(): number {
    return this.#downloads.size + this.#uploads.size;
  }

  openDownload(owner: object | undefined): Download {
    const download = new Download(randomBytes(16).toString('hex'), owner);
    this.#downloads.set(download.id, download);
    return download;
  }

  openUpload(owner: object | undefined): Upload {
    const upload = new Upload(randomBytes(16).toString('hex'), owner);
    this.#uploads.set(upload.id, upload);
    return upload;
  }

  close(id: string): void {
    const download = this.#downloads.get(id);
    if (download) {
      this.#downloads.delete(id);
      this.#ended.set(id, download);
      if (this.#ended.size > 256) this.#ended.delete(this.#ended.keys().next().value as string);
    }
    const upload = this.#uploads.get(id);
    upload?.fail(new PodbayError('ErrCanceled', 'the transfer has ended'));
    this.#uploads.delete(id);
  }

  download(id: string, connection: object | undefined): Download {
    const found = this.#downloads.get(id) ?? this.#ended.get(id);
    if (!found || found.owner !== connection) throw new PodbayError('ErrInvalidArg', `no transfer ${id.slice(0, 16)} on this connection`);
    return found;
  }

  upload(id: string, connection: object | undefined): Upload {
    const found = this.#uploads.get(id);
    if (!found || found.owner !== connection) throw new PodbayError('ErrInvalidArg', `no transfer ${id.slice(0, 16)} on this connection`);
    return found;
  }
}

/** Regroups a byte stream into chunks of `size` bytes (the last one shorter): few, full messages. */
export async function* rechunk(source: AsyncIterable<Uint8Array>, size = transferChunkBytes): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const piece of source) {
    let buffer = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (buffer.length > 0) {
      const take = Math.min(size - length, buffer.length);
      parts.push(buffer.subarray(0, take));
      length += take;
      buffer = buffer.subarray(take);
      if (length === size) {
        yield Buffer.concat(parts, length);
        parts = [];
        length = 0;
      }
    }
  }
  if (length > 0) yield Buffer.concat(parts, length);
}

/** What a download names in its `start` frame. */
export interface DownloadInfo {
  name: string;
  /** A file's own bytes, or a tar. */
  kind: 'file' | 'tar';
  /** Bytes to come, when known. */
  size: number | null;
}

/**
 * A core function that hands its data to `consume` and waits for it to be drained (so it can release
 * what it holds — a temporary mount, a scratch file — only after the last byte went out).
 */
export type Produce = (consume: (info: DownloadInfo, data: AsyncIterable<Uint8Array>) => Promise<void>) => Promise<void>;

/**
 * A download procedure: runs `produce` and turns its data into `start` and `chunk` frames, each
 * chunk waiting for the receiver's acknowledgements. Cancelling the stream rejects the consumer, so
 * the core function unwinds and releases what it held.
 */
export async function* downloadFrames(transfers: Transfers, ctx: HandlerContext, produce: Produce): AsyncGenerator<DownloadFrame> {
  let hand: ((value: { info: DownloadInfo; data: AsyncIterable<Uint8Array> }) => void) | null = null;
  let fail: ((error: unknown) => void) | null = null;
  const handed = new Promise<{ info: DownloadInfo; data: AsyncIterable<Uint8Array> }>((resolve, reject) => {
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

/**
 * An upload procedure: opens a transfer (`start` names it), hands `consume` the bytes as the sender
 * writes them, and ends with the `done` frame `consume` returns. `consume` calls `received` once it
 * has every byte and goes on working (a `received` frame: the UI says "loading…"). It may return
 * before reading everything (an import stops at the tar's end): the sender's pending writes are
 * then refused and the client takes the result. A failure of `consume` fails the pending writes.
 */
export function uploadFrames<Done extends { type: 'done' }>(
  transfers: Transfers,
  ctx: HandlerContext,
  consume: (data: AsyncIterable<Buffer>, received: (bytes: number) => void) => Promise<Done>,
): AsyncGenerator<UploadFrame<Done>> {
  return framesOf<UploadFrame<Done>>(async (emit) => {
    const transfer = transfers.openUpload(ctx.connection);
    try {
      emit({ type: 'start', transferId: transfer.id });
      emit(await consume(transfer.chunks(ctx.signal), (bytes) => emit({ type: 'received', bytes })));
    } catch (error) {
      transfer.fail(error);
      throw error;
    } finally {
      transfers.close(transfer.id);
    }
  });
}

export function createTransferHandlers(transfers: Transfers) {
  return {
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
  } satisfies Handlers<typeof transferProcedures>;
}
