import { z } from 'zod';
import { call } from './define.ts';

const transferId = z.string().min(1).max(128);

/** Raw bytes per chunk of a transfer: 256 KiB, about 342 KiB as base64 — well under the wire's 1 MiB. */
export const transferChunkBytes = 256 * 1024;
/** Chunks a download may send ahead of the receiver's acknowledgements. */
export const transferWindow = 8;

/**
 * The one way files move between the UI and the engine: a procedure that downloads (`images.save`,
 * `containers.export`, `containers.copyOut`) or uploads (`images.load`, `images.import`,
 * `containers.copyIn`) is a stream that opens a transfer, and its data travels as base64 chunks of
 * the contract itself, flow-controlled by the receiver — `transfers.ack` for downloads; each
 * `transfers.write` resolves once its chunk was consumed, for uploads. So the same procedures work
 * over Electron IPC, the web host's WebSocket and the in-memory transport, and every chunk passes the
 * router's input checks. A transfer belongs to the connection whose stream opened it (another one
 * gets ErrInvalidArg, as for an unknown id); cancelling the stream, or closing the window, ends it.
 */
export const transferProcedures = {
  /** A download's receiver has stored chunks up to `seq`: the sender may run `transferWindow` chunks ahead of it. */
  'transfers.ack': call<Record<string, never>>()(z.strictObject({ transferId, seq: z.number().int().min(0) })),
  /** The next chunk of an upload (base64 of at most transferChunkBytes); resolves once it is written. */
  'transfers.write': call<Record<string, never>>()(z.strictObject({ transferId, data: z.string().min(1).max(Math.ceil(transferChunkBytes / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/) })),
  /** The upload is complete. */
  'transfers.end': call<Record<string, never>>()(z.strictObject({ transferId })),
};
