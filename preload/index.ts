// The sandboxed preload: the only code with both the page's window and Electron's IPC. It exposes
// exactly `window.podbay = {call, stream, cancel}` (shared/bridge.ts) and keeps ipcRenderer, IPC events
// and the pipe client behind closures, so the page can speak the wire protocol and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import type { PodbayBridge } from '../shared/bridge.ts';
import { ipcChannel } from '../shared/bridge.ts';
import { createPipeClient } from '../shared/client.ts';
import { PodbayError } from '../shared/errors.ts';
import type { ServerMessage, StreamFrame } from '../shared/wire.ts';

// Must match main/electron/ipc-bridge.ts (the preload may not import main/).
const channel = ipcChannel;

const client = createPipeClient({ send: (message) => ipcRenderer.send(channel, message) });
// The IPC event stays here: it carries `sender`, which must never reach the page.
ipcRenderer.on(channel, (_event, message: ServerMessage) => client.receive(message));

const bridge: PodbayBridge = {
  // contextBridge rebuilds a rejected Error from its message alone, dropping `code`: reject with the
  // wire's plain ErrorData instead, which crosses intact (the renderer turns it back into a PodbayError).
  call: (path, input) =>
    client.call(String(path), input).catch((error: unknown) => {
      throw error instanceof PodbayError ? error.toData() : new PodbayError('ErrInternal', String(error)).toData();
    }),
  stream: (path, input, onFrame) => {
    if (typeof onFrame !== 'function') throw new TypeError('podbay.stream needs a frame callback');
    return client.stream(String(path), input, (frame: StreamFrame<unknown>) => onFrame(frame));
  },
  cancel: (id) => {
    client.cancel(String(id));
  },
};

contextBridge.exposeInMainWorld('podbay', bridge);
