import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from '../../../main/electron/web-preferences.ts';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/opt/podbay/dist/preload/index.cjs');

  it('isolates and sandboxes the renderer with no Node', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on and webviews, insecure content and experiments off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });

  it('loads the given preload', () => {
    expect(prefs.preload).toBe('/opt/podbay/dist/preload/index.cjs');
  });
});
