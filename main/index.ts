// Composition root of the Electron app, read top to bottom (as electron/fiddle's): the window and its
// bridge are Electron's part; everything else is the same app context the CLI and web host build.
import { app } from 'electron';
import { createAppContext } from './app-context.ts';
import { createAppRouter } from './app-router.ts';
import { appFiles } from './electron/app-files.ts';
import { globalOptionsFromArgv } from './electron/argv.ts';
import { setupIpc } from './electron/ipc-bridge.ts';
import { failStartup, setupQuitWithLastWindow, setupSingleInstance } from './electron/lifecycle.ts';
import { setupSandbox, setupSecurity } from './electron/security.ts';
import { createWindow } from './electron/window.ts';

const files = appFiles(app.getAppPath());

if (setupSingleInstance()) {
  setupSandbox();
  setupQuitWithLastWindow();
  app
    .whenReady()
    .then(() => {
      setupSecurity(files);
      const context = createAppContext(globalOptionsFromArgv(process.argv));
      setupIpc(createAppRouter(context), files);
      createWindow(files);
    })
    .catch(failStartup);
}
