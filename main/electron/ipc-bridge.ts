// Electron IPC as a transport for the router: one channel carrying the wire protocol both ways, one
// connection per window. Messages from any frame but our own page's top frame are dropped unanswered.
import { ipcMain } from 'electron';
import type { WebContents } from 'electron';
import type { Router } from '../ipc/router.ts';
import type { AppFiles } from './app-files.ts';
import { isTrustedSender } from './app-origin.ts';
import { createWindowConnections } from './window-connections.ts';
import { ipcChannel } from '../../shared/bridge.ts';

// Must match preload/index.ts.
export { ipcChannel };

export function setupIpc(router: Router, files: AppFiles): void {
  const connections = createWindowConnections(router);
  const watched = new WeakSet<WebContents>();

  const watch = (contents: WebContents) => {
    if (watched.has(contents)) return;
    watched.add(contents);
    const id = contents.id;
    contents.once('destroyed', () => connections.close(id));
    contents.on('render-process-gone', () => connections.close(id));
    // A reload or any new document starts over with a fresh preload client: end the old one's work.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) connections.close(id);
    });
  };

  ipcMain.on(ipcChannel, (event, message: unknown) => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame && { url: frame.url, isTopFrame: frame.parent === null }, files.rendererUrl)) return;
    const contents = event.sender;
    watch(contents);
    connections.receive(contents.id, (reply) => {
      if (!contents.isDestroyed()) contents.send(ipcChannel, reply);
    }, message);
  });
}
