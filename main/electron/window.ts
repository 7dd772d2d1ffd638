// The main window: hidden until its first paint (no white flash), secure webPreferences, the built
// renderer loaded from disk.
import { BrowserWindow } from 'electron';
import type { AppFiles } from './app-files.ts';
import { secureWebPreferences } from './web-preferences.ts';

export function createWindow(files: AppFiles): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Podbay',
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    icon: files.icon,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(files.preload),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadFile(files.rendererHtml);
  return window;
}
