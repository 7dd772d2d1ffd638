// The web host's file transfer endpoints, behind the same token, Host and Origin checks as the rest
// of the host (web-host.ts calls this after them):
//   PUT  /transfers/upload          body = the file, streamed to disk → 201 {"id","bytes"}
//   GET  /transfers/download/<id>   the file a procedure prepared, once, as an attachment
// Procedures name uploads and downloads by ID (TransferStore), never by path, so a browser can
// never make the engine read or write a file of its choosing. Bodies stream; nothing is buffered.
import { createReadStream, createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { TransferStore } from '../core/transfer-store.ts';

/** An upload larger than this is cut off (413): image archives of tens of GB still fit. */
export const maxUploadBytes = 64 * 1024 * 1024 * 1024;

type Refuse = (response: ServerResponse, status: number, text: string) => void;

class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) callback(Object.assign(new Error('upload too large'), { code: 'ETOOLARGE' }));
    else callback(null, chunk);
  }
}

/** True when the request was a transfer (answered here); false for any other path. */
export async function handleTransfer(store: TransferStore, request: IncomingMessage, response: ServerResponse, url: URL, refuse: Refuse): Promise<boolean> {
  if (url.pathname === '/transfers/upload') {
    if (request.method !== 'PUT') {
      refuse(response, 405, 'podbay: PUT the file to upload');
      return true;
    }
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxUploadBytes) {
      refuse(response, 413, 'podbay: upload too large');
      return true;
    }
    const { id, partPath } = store.beginUpload();
    const limit = new ByteLimit(maxUploadBytes);
    try {
      await pipeline(request, limit, createWriteStream(partPath, { mode: 0o600 }));
      store.completeUpload(id);
    } catch (error) {
      store.abortUpload(id);
      if (!response.headersSent) refuse(response, (error as { code?: string }).code === 'ETOOLARGE' ? 413 : 400, 'podbay: upload failed');
      return true;
    }
    response.writeHead(201, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    response.end(JSON.stringify({ id, bytes: limit.bytes }));
    return true;
  }
  const download = /^\/transfers\/download\/([^/]+)$/.exec(url.pathname);
  if (download) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'podbay: method not allowed');
      return true;
    }
    let info;
    try {
      info = store.download(download[1]!);
    } catch {
      refuse(response, 404, 'podbay: no such download');
      return true;
    }
    response.writeHead(200, {
      'Content-Type': info.contentType,
      'Content-Length': String(info.bytes),
      'Content-Disposition': `attachment; filename="${info.filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (request.method === 'HEAD') {
      response.end();
      return true;
    }
    try {
      await pipeline(createReadStream(info.path), response);
    } finally {
      // Fetched once: a second GET (or a cut one) finds nothing; the engine makes a new one on request.
      store.removeDownload(download[1]!);
    }
    return true;
  }
  if (url.pathname.startsWith('/transfers/')) {
    refuse(response, 404, 'podbay: not found');
    return true;
  }
  return false;
}
