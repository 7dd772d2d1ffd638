// App lifecycle on Linux: one instance per user (a second launch focuses the first window), and the
// app quits with its last window.
import { app, BrowserWindow, dialog } from 'electron';

/** False when another instance holds the lock: this one quits and the other is focused. */
export function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  return true;
}

export function setupQuitWithLastWindow(): void {
  app.on('window-all-closed', () => app.quit());
}

/** Startup failed before a window could say so: a dialog, then exit non-zero. */
export function failStartup(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Error: ${message}`);
  dialog.showErrorBox('Podbay could not start', message);
  app.exit(1);
}
