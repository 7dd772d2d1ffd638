// One router connection per window (per webContents), opened by its first message and closed when
// the window goes away or loads a new page, so a closed or reloaded window leaves no stream running.
// Electron-free, so tests drive it with fake windows.
import { PodbayError } from '../../shared/errors.ts';
import { maxMessageBytes } from '../../shared/wire.ts';
import type { ServerMessage } from '../../shared/wire.ts';
import { serveConnection } from '../ipc/connection.ts';
import type { Connection } from '../ipc/connection.ts';
import type { Router } from '../ipc/router.ts';

export interface WindowConnections {
  /**
   * Hands one message from window `windowId` to its connection, opening it on first use with `send`
   * as its way back. The message is re-read as JSON first, so IPC accepts exactly what the WebSocket
   * transport accepts (no Maps, Dates or cycles), and oversized messages are refused unparsed.
   */
  receive(windowId: number, send: (message: ServerMessage) => void, message: unknown): void;
  /** The window closed or navigated: its calls and streams are aborted. Unknown ids are ignored. */
  close(windowId: number): void;
  /** Windows with an open connection (for tests and diagnostics). */
  readonly size: number;
}

export function createWindowConnections(router: Router): WindowConnections {
  const connections = new Map<number, Connection>();

  return {
    receive(windowId, send, message) {
      let connection = connections.get(windowId);
      if (!connection) {
        connection = serveConnection(router, send);
        connections.set(windowId, connection);
      }
      const text = jsonText(message);
      if (text === undefined || Buffer.byteLength(text) > maxMessageBytes) {
        const id = typeof (message as { id?: unknown } | null)?.id === 'string' ? String((message as { id: string }).id).slice(0, 64) : '?';
        const reason = text === undefined ? 'message is not JSON data' : `message is larger than ${maxMessageBytes} bytes`;
        send({ t: 'result', id, ok: false, error: new PodbayError('ErrInvalidArg', reason).toData() });
        return;
      }
      connection.receive(JSON.parse(text));
    },
    close(windowId) {
      connections.get(windowId)?.close();
      connections.delete(windowId);
    },
    get size() {
      return connections.size;
    },
  };
}

function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
