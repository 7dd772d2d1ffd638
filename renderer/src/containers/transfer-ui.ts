// Transfers as the browser sees them: a download collected into a Blob and handed to the browser's
// own download (an <a download> click — the web host's page and the Electron window alike, where
// main lets the app's blob: downloads through), and a File read slice by slice for an upload. The
// chunked, acknowledged protocol itself is shared/transfer-client.ts.
import type { TypedClient } from '../../../shared/client.ts';
import { startDownload } from '../../../shared/transfer-client.ts';
import type { DownloadInfo, UploadSource } from '../../../shared/transfer-client.ts';

export interface BrowserDownload {
  done: Promise<DownloadInfo & { bytes: number }>;
  cancel(): void;
}

/** Downloads a container path (or an export) and saves it under the name the engine gives. */
export function downloadToBrowser(
  client: Pick<TypedClient, 'stream' | 'call'>,
  request: { path: 'containers.export'; input: { nameOrId: string } } | { path: 'containers.copyOut'; input: { nameOrId: string; path: string } },
  onProgress: (bytes: number, info: DownloadInfo | null) => void,
): BrowserDownload {
  const parts: BlobPart[] = [];
  let info: DownloadInfo | null = null;
  let received = 0;
  const handle = startDownload(client, request.path, request.input as never, {
    onStart: (i) => {
      info = i;
      onProgress(0, i);
    },
    onChunk: (bytes) => {
      parts.push(bytes as Uint8Array<ArrayBuffer>);
      received += bytes.length;
      onProgress(received, info);
    },
  });
  const done = handle.done.then((result) => {
    saveBlob(new Blob(parts, { type: result.kind === 'tar' ? 'application/x-tar' : 'application/octet-stream' }), result.name);
    parts.length = 0;
    return result;
  });
  return { done, cancel: handle.cancel };
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the blob by now; the URL is only released later so a slow download manager still finds it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A File (from an <input type=file> or a drop) as an upload source, read one slice at a time. */
export function fileSource(file: Blob): UploadSource {
  return { size: file.size, read: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()) };
}
