// The client half of the contract's chunked transfers (main/ipc/handlers/transfers.ts has the
// server half and the why): a download acknowledges each chunk once it has been handed on, an upload
// sends one chunk at a time and waits for it to be written. Works wherever a TypedClient does — the
// renderer over IPC or the WebSocket, and contract tests — with nothing but standard JavaScript
// (atob/btoa for base64). Every file the UI sends or receives goes through here.
import type { TypedClient } from './client.ts';
import type { Contract } from './contract.ts';
import type { DataOf, InputOf } from './contract/define.ts';
import { transferChunkBytes } from './contract/transfers.ts';
import { PodbayError } from './errors.ts';
import type { DownloadFrame } from './types/transfers.ts';

/** The procedures that download a file (their frames are DownloadFrame). */
export type DownloadPath = 'images.save' | 'containers.export' | 'containers.copyOut';
/** The procedures that upload a file (their frames are UploadFrame). */
export type UploadPath = 'images.load' | 'images.import' | 'containers.copyIn';
/** What an upload procedure reports at its end: its `done` frame without the type. */
export type UploadResult<P extends UploadPath> = Omit<Extract<DataOf<Contract[P]>, { type: 'done' }>, 'type'>;

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export interface DownloadInfo {
  name: string;
  kind: 'file' | 'tar';
  /** Bytes to come, when known (a regular file); null for a tar. */
  size: number | null;
}

export interface DownloadHandle {
  /** Resolves with the info and the byte count once everything arrived; rejects with the engine's error or ErrCanceled. */
  done: Promise<DownloadInfo & { bytes: number }>;
  cancel(): void;
}

/**
 * Starts a download; `onChunk` gets the bytes in order (it may be async: the next acknowledgement
 * waits for it, so a slow sink slows the sender).
 */
export function startDownload<P extends DownloadPath>(
  client: Pick<TypedClient, 'stream' | 'call'>,
  path: P,
  input: InputOf<Contract[P]>,
  handlers: { onStart?: (info: DownloadInfo) => void; onChunk: (bytes: Uint8Array) => void | Promise<void> },
): DownloadHandle {
  let info: DownloadInfo | null = null;
  let transferId = '';
  let bytes = 0;
  let chain: Promise<void> = Promise.resolve();
  let settle!: { resolve: (v: DownloadInfo & { bytes: number }) => void; reject: (e: unknown) => void };
  const done = new Promise<DownloadInfo & { bytes: number }>((resolve, reject) => (settle = { resolve, reject }));
  let failed = false;
  // A transport may fail the stream synchronously (a closed connection), before `stop` is known.
  let stop: (() => void) | null = null;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    stop?.();
    settle.reject(error);
  };
  stop = client.stream<DownloadPath>(path, input, (frame) => {
    if (failed) return;
    if (frame.type === 'error') return fail(PodbayError.fromData(frame.error));
    if (frame.type === 'end') {
      chain.then(() => (info ? settle.resolve({ ...info, bytes }) : fail(new PodbayError('ErrInternal', 'the download ended before it started'))), fail);
      return;
    }
    const value = frame.value as DownloadFrame;
    if (value.type === 'start') {
      info = { name: value.name, kind: value.kind, size: value.size };
      transferId = value.transferId;
      handlers.onStart?.(info);
      return;
    }
    const chunk = base64ToBytes(value.data);
    const seq = value.seq;
    chain = chain.then(async () => {
      await handlers.onChunk(chunk);
      bytes += chunk.length;
      // Only the sender's pace depends on it: a lost acknowledgement cannot lose data.
      await client.call('transfers.ack', { transferId, seq }).catch(() => undefined);
    });
    chain.catch(fail);
  });
  if (failed) stop();
  return {
    done,
    cancel: () => fail(new PodbayError('ErrCanceled', 'download canceled')),
  };
}

export interface UploadSource {
  /** Total bytes (a file's size, for its header). */
  size: number;
  /** Bytes `start` to `end` (exclusive). */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** A Blob (a File the user picked) as an upload source, read one slice at a time: never whole. */
export function blobSource(blob: Blob): UploadSource {
  return { size: blob.size, read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()) };
}

/**
 * Uploads `source` through upload procedure `path` (an archive to load, a tarball to import, a file
 * or tar into a container) and resolves with what the engine reports at the end. `onProgress` gets
 * the bytes sent so far, `onReceived` fires once the engine has them all and works on them.
 */
export async function upload<P extends UploadPath>(
  client: Pick<TypedClient, 'stream' | 'call'>,
  path: P,
  input: InputOf<Contract[P]>,
  source: UploadSource,
  options: { onProgress?: (bytes: number) => void; onReceived?: (bytes: number) => void; signal?: AbortSignal } = {},
): Promise<UploadResult<P>> {
  let started!: (id: string) => void;
  let settle!: { resolve: (v: UploadResult<P>) => void; reject: (e: unknown) => void };
  const transfer = new Promise<string>((resolve) => (started = resolve));
  const finished = new Promise<UploadResult<P>>((resolve, reject) => (settle = { resolve, reject }));
  finished.catch(() => undefined);
  let report: UploadResult<P> | null = null;
  const stop = client.stream<UploadPath>(path, input, (frame) => {
    if (frame.type === 'error') settle.reject(PodbayError.fromData(frame.error));
    else if (frame.type === 'end') {
      if (report) settle.resolve(report);
      else settle.reject(new PodbayError('ErrInternal', 'the upload ended without a report'));
    } else if (frame.value.type === 'start') started(frame.value.transferId);
    else if (frame.value.type === 'received') options.onReceived?.(frame.value.bytes);
    else {
      const { type: _done, ...rest } = frame.value;
      report = rest as unknown as UploadResult<P>;
    }
  });
  const onAbort = () => {
    stop();
    settle.reject(new PodbayError('ErrCanceled', 'upload canceled'));
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const transferId = await Promise.race([transfer, finished.then(() => '')]);
    if (transferId) {
      for (let offset = 0; offset < source.size; ) {
        if (options.signal?.aborted) throw new PodbayError('ErrCanceled', 'upload canceled');
        const end = Math.min(source.size, offset + transferChunkBytes);
        const bytes = await source.read(offset, end);
        try {
          await client.call('transfers.write', { transferId, data: bytesToBase64(bytes) });
        } catch {
          // The engine ended the upload: its stream says why, or — when it finished without needing
          // the rest (an import stops at the tar's end) — what it made. Either always follows.
          return await finished;
        }
        offset = end;
        options.onProgress?.(offset);
      }
      await client.call('transfers.end', { transferId }).catch(() => undefined);
    }
    return await finished;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
