// Picks the transport: Electron's preload exposes `window.podbay` ({call, stream, cancel}, nothing
// else); a plain browser talks to the loopback web host over a WebSocket.
import type { PodbayBridge } from '../../../shared/bridge.ts';
import { bridgeKeys } from '../../../shared/bridge.ts';
import { PodbayError, isErrorCode } from '../../../shared/errors.ts';
import { alwaysConnected } from './connection-state.ts';
import type { ConnectionMonitor } from './connection-state.ts';
import { createWebSocketBridge } from './ws-bridge.ts';
import { webSocketUrl } from './ws-url.ts';

export interface SelectedBridge {
  readonly bridge: PodbayBridge;
  readonly connection: ConnectionMonitor;
  readonly transport: 'electron' | 'websocket';
}

declare global {
  interface Window {
    podbay?: PodbayBridge;
  }
}

export function isPodbayBridge(value: unknown): value is PodbayBridge {
  if (typeof value !== 'object' || value === null) return false;
  return bridgeKeys.every((key) => typeof (value as Record<string, unknown>)[key] === 'function');
}

/** Throws when neither transport is possible (a file:// page without the preload). */
export function selectBridge(win: Window = window): SelectedBridge {
  if (isPodbayBridge(win.podbay)) return { bridge: withTypedErrors(win.podbay), connection: alwaysConnected, transport: 'electron' };
  const url = webSocketUrl(win.location);
  if (!url) throw new Error(`no bridge to the engine: this page (${win.location.protocol}) has neither the Electron preload nor a web host`);
  const bridge = createWebSocketBridge({ url });
  return { bridge, connection: bridge.connection, transport: 'websocket' };
}

/**
 * Electron's contextBridge rebuilds a rejected Error from its message alone, so the preload rejects
 * with the plain {code, category, message} data instead; this turns it back into a PodbayError so
 * the UI branches on `code` the same way with either transport.
 */
export function withTypedErrors(bridge: PodbayBridge): PodbayBridge {
  return {
    call: (path, input) =>
      bridge.call(path, input).catch((error: unknown) => {
        const data = error as { code?: unknown; message?: unknown } | null;
        if (data && !(data instanceof PodbayError) && isErrorCode(data.code)) {
          throw new PodbayError(data.code, typeof data.message === 'string' ? data.message : String(data.code));
        }
        throw error;
      }),
    stream: (path, input, onFrame) => bridge.stream(path, input, onFrame),
    cancel: (id) => bridge.cancel(id),
  };
}
