// The browser half of the web host's file transfers (main/server/transfers.ts): a file the user
// picked is PUT to /transfers/upload with byte progress (XMLHttpRequest: fetch reports no upload
// progress) and named by the id it returns; a prepared download is fetched by navigating to
// /transfers/download/<id>, so the browser's own download shows its progress. Same-origin only;
// the token cookie rides along. Under Electron (file://) there is no web host: not available.

export function transfersAvailable(): boolean {
  return window.location.protocol === 'http:' || window.location.protocol === 'https:';
}

export interface UploadResult {
  readonly id: string;
  readonly bytes: number;
}

/** Uploads `file`; `onProgress(sent, total)` as bytes go out; rejects on HTTP errors and aborts. */
export function uploadFile(file: Blob, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', '/transfers/upload');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      const body = xhr.response as Partial<UploadResult> | null;
      if (xhr.status === 201 && body && typeof body.id === 'string') resolve({ id: body.id, bytes: Number(body.bytes ?? file.size) });
      else reject(new Error(xhr.status === 413 ? 'the file is too large to upload' : `the upload failed (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('the upload failed: the connection to Podbay dropped'));
    xhr.onabort = () => reject(new DOMException('upload canceled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** Starts the browser's download of a prepared transfer. */
export function downloadTransfer(id: string, filename: string): void {
  const link = document.createElement('a');
  link.href = `/transfers/download/${encodeURIComponent(id)}`;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
