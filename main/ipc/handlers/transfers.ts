// Large data over the contract, in chunks. Why not token-checked HTTP endpoints on the web host: the
// Electron window has no HTTP server to talk to, so downloads and uploads would need a second path
// there; a chunked stream of the one contract works unchanged over Electron IPC, the web host's
// WebSocket and the in-memory transport of contract tests, and every chunk passes the same input
// validation as any call. The cost — base64 (4/3) in JSON messages — is small against a loopback
// link, and chunks stay well under the wire's 1 MiB message limit.
//
// Flow control, because no transport pushes back on a fast sender: a download sends at most
// `transferWindow` chunks beyond the last one the receiver acknowledged (`transfers.ack`); an
// upload's `transfers.write` resolves only once its chunk has been consumed, so the sender waits.
// A transfer belongs to the connection whose stream opened it (others get ErrInvalidArg, as for an
// unknown id) and lives as long as that stream: cancelling it, or the window going away, aborts it.
import { randomBytes } from 'node:crypto';
import { PodbayError } from '../../../shared/errors.ts';
import { transferChunkBytes, transferWindow } from '../../../shared/contract/container-files.ts';

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
