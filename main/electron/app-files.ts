// Where the packaged app's parts live, from Electron's app path (the folder or asar holding
// package.json): the built renderer, the preload and the icon. Pure, so tests can check the layout.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AppFiles {
  rendererHtml: string;
  /** file:// URL of the renderer's page: the only page windows may show and IPC may come from. */
  rendererUrl: string;
  preload: string;
  icon: string;
}

export function appFiles(appPath: string): AppFiles {
  const rendererHtml = join(appPath, 'dist', 'renderer', 'index.html');
  return {
    rendererHtml,
    rendererUrl: pathToFileURL(rendererHtml).href,
    preload: join(appPath, 'dist', 'preload', 'index.cjs'),
    icon: join(appPath, 'build', 'icon.png'),
  };
}
