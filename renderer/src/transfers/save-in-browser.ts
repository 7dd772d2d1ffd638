// Where a download's chunks go in the window (Chromium from `podbay serve` and the Electron window
// alike): into Blob segments, and at the end to the browser's own download (an <a download> click on
// a blob: URL; Electron's main lets exactly the app's blob: downloads through, main/electron/security.ts).
// The page never holds more than one segment of plain bytes: each full segment becomes a Blob, whose
// bytes the browser keeps outside the page (Chromium's blob storage, which moves large blobs to disk),
// and the final Blob only references the segments. Why not the web host's HTTP download, which would
// stream to disk directly: the Electron window has no HTTP server, and one transfer mechanism for
// both keeps every download a task with progress and cancel (shared/contract/transfers.ts).
import type { DownloadInfo } from '../../../shared/transfer-client.ts';
import type { FileSink } from '../tasks/task-list.ts';

/** Plain bytes gathered before they become a Blob segment. */
export const segmentBytes = 8 * 1024 * 1024;

/** A sink collecting into Blob segments; `deliver` gets the whole file at the end. */
export function blobSink(info: DownloadInfo, deliver: (blob: Blob, name: string) => void): FileSink {
  const type = info.kind === 'tar' ? 'application/x-tar' : 'application/octet-stream';
  let segments: Blob[] = [];
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pending.length === 0) return;
    segments.push(new Blob(pending));
    pending = [];
    pendingBytes = 0;
  };
  return {
    write(bytes) {
      pending.push(bytes as Uint8Array<ArrayBuffer>);
      pendingBytes += bytes.length;
      if (pendingBytes >= segmentBytes) flush();
    },
    close() {
      flush();
      const blob = new Blob(segments, { type });
      segments = [];
      deliver(blob, info.name);
    },
    abort() {
      pending = [];
      segments = [];
    },
  };
}

/** The browser's download of `blob` as `name`. */
function downloadBlob(blob: Blob, name: string): void {
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
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The window's FileSaver: every download ends in the browser's own downloads. */
export const saveInBrowser = (info: DownloadInfo): FileSink => blobSink(info, downloadBlob);
