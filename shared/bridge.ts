// The bridge the renderer sees, whatever carries it: `window.podbay` in Electron (the preload's
// allow-listed object) or the WebSocket client in a browser. Three functions, nothing else.
import type { StreamFrame } from './wire.ts';

export interface PodbayBridge {
  /** Resolves with the output, or rejects with a PodbayError rebuilt from the wire's ErrorData. */
  call(path: string, input: unknown): Promise<unknown>;
  /** Starts a stream; frames arrive through `onFrame` until `end` or `error`. Returns its id. */
  stream(path: string, input: unknown, onFrame: (frame: StreamFrame<unknown>) => void): string;
  /** Stops a stream started by `stream`; its handler's signal aborts. Unknown ids are ignored. */
  cancel(id: string): void;
}

export const bridgeKeys = ['call', 'stream', 'cancel'] as const;

/** The one Electron IPC channel: wire messages (shared/wire.ts) both ways. */
export const ipcChannel = 'podbay:msg';
