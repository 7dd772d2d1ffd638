// The client half of the contract's chunked transfers (main/ipc/handlers/transfers.ts has the
// server half and the why): a download acknowledges each chunk once it has been handed on, an upload
// sends one chunk at a time and waits for it to be written. Works wherever a TypedClient does — the
// renderer over IPC or the WebSocket, and contract tests — with nothing but standard JavaScript
// (atob/btoa for base64).
import type { TypedClient } from './client.ts';
import { transferChunkBytes } from './contract/container-files.ts';
import { PodbayError } from './errors.ts';
import type { DownloadFrame, UploadFrame } from './types/container-files.ts';

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

type DownloadPath = 'containers.export' | 'containers.copyOut';

/**
 * Starts a download; `onChunk` gets the bytes in order (it may be async: the next acknowledgement
 * waits for it, so a slow sink slows the sender).
 */
export function startDownload<P extends DownloadPath>(
  client: Pick<TypedClient, 'stream' | 'call'>,
  path: P,
  input: P extends 'containers.export' ? { nameOrId: string } : { nameOrId: string; path: string },
  handlers: { onStart?: (info: DownloadInfo) => void; onChunk: (bytes: Uint8Array) => void | Promise<void> },
): DownloadHandle {
  let info: DownloadInfo | null = null;
  let transferId = '';
  let bytes = 0;
  let chain: Promise<void> = Promise.resolve();
  let settle!: { resolve: (v: DownloadInfo & { bytes: number }) => void; reject: (e: unknown) => void };
  const done = new Promise<DownloadInfo & { bytes: number }>((resolve, reject) => (settle = { resolve, reject }));
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    stop();
    settle.reject(error);
  };
  const stop = client.stream(path, input as never, (frame) => {
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

/**
 * Uploads `source` into directory `path` of a container: as one file called `name`, or (`kind:
 * 'tar'`) as an archive to extract there. `onProgress` gets the bytes sent so far.
 */
export async function upload(
  client: Pick<TypedClient, 'stream' | 'call'>,
  input: { nameOrId: string; path: string; kind: 'tar' | 'file'; name?: string; overwrite?: boolean },
  source: UploadSource,
  options: { onProgress?: (bytes: number) => void; signal?: AbortSignal } = {},
): Promise<{ entries: number; bytes: number }> {
  let started!: (id: string) => void;
  let settle!: { resolve: (v: { entries: number; bytes: number }) => void; reject: (e: unknown) => void };
  const transfer = new Promise<string>((resolve) => (started = resolve));
  const finished = new Promise<{ entries: number; bytes: number }>((resolve, reject) => (settle = { resolve, reject }));
  finished.catch(() => undefined);
  let report: { entries: number; bytes: number } | null = null;
  const stop = client.stream('containers.copyIn', { ...input, ...(input.kind === 'file' ? { size: source.size } : {}) }, (frame) => {
    if (frame.type === 'error') settle.reject(PodbayError.fromData(frame.error));
    else if (frame.type === 'end') {
      if (report) settle.resolve(report);
      else settle.reject(new PodbayError('ErrInternal', 'the upload ended without a report'));
    } else {
      const value = frame.value as UploadFrame;
      if (value.type === 'start') started(value.transferId);
      else report = { entries: value.entries, bytes: value.bytes };
    }
  });
  const onAbort = () => {
    stop();
    settle.reject(new PodbayError('ErrCanceled', 'upload canceled'));
  };
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
        } catch (error) {
          // The engine failed the upload: its stream's error says why (it always follows).
          await finished;
          throw error;
        }
        offset = end;
        options.onProgress?.(offset);
      }
      await client.call('transfers.end', { transferId }).catch(async (error: unknown) => {
        await finished;
        throw error;
      });
    }
    return await finished;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
