// The frames of the contract's chunked transfers: how every file moves between the UI and the engine
// (an image archive saved or loaded, a rootfs imported, a container's files copied out or in, its
// export). Protocol and why: shared/contract/transfers.ts.

/**
 * A download: `start` names what comes (a file's own bytes, or a tar) and its size when known, then
 * `chunk` frames of base64 data in order, then the stream ends. The sender waits for `transfers.ack`
 * of earlier chunks before sending more, so a slow receiver is never flooded.
 */
export type DownloadFrame =
  | { type: 'start'; transferId: string; name: string; kind: 'file' | 'tar'; size: number | null }
  | { type: 'chunk'; seq: number; data: string };

/**
 * An upload: `start` gives the id that `transfers.write` and `transfers.end` name; `received` says
 * the engine has every byte and now works on them (loading an archive, say); the stream ends with
 * the procedure's own `done` frame (`Done`), which carries its result.
 */
export type UploadFrame<Done extends { type: 'done' }> = { type: 'start'; transferId: string } | { type: 'received'; bytes: number } | Done;
