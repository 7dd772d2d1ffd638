// Messages between a client (preload, browser, test) and the router. Every transport carries
// exactly these, so Electron IPC, the WebSocket and the in-memory pair behave the same.
import { z } from 'zod';
import type { ErrorData } from './errors.ts';

const id = z.string().min(1).max(64);
const path = z.string().min(1).max(128);

/** Checked on arrival: anything else is refused with ErrInvalidArg and the connection keeps serving. */
export const clientMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('call'), id, path, input: z.unknown() }),
  z.strictObject({ t: z.literal('stream'), id, path, input: z.unknown() }),
  z.strictObject({ t: z.literal('cancel'), id }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { t: 'result'; id: string; ok: true; value: unknown }
  | { t: 'result'; id: string; ok: false; error: ErrorData }
  | { t: 'data'; id: string; value: unknown }
  | { t: 'end'; id: string }
  | { t: 'error'; id: string; error: ErrorData };

/** A stream frame as the UI sees it. */
export type StreamFrame<D> = { type: 'data'; value: D } | { type: 'end' } | { type: 'error'; error: ErrorData };

/** Largest message any transport accepts; bigger inputs are refused before parsing. */
export const maxMessageBytes = 1024 * 1024;
