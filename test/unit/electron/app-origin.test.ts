import { describe, expect, it } from 'vitest';
import { isAppDownload, isAppUrl, isTrustedSender } from '../../../main/electron/app-origin.ts';
import { appFiles } from '../../../main/electron/app-files.ts';

const appUrl = appFiles('/opt/Podbay/resources/app.asar').rendererUrl;

describe('appFiles', () => {
  it('points at the built renderer, preload and icon inside the app path', () => {
    const files = appFiles('/opt/Podbay/resources/app.asar');
    expect(files.rendererHtml).toBe('/opt/Podbay/resources/app.asar/dist/renderer/index.html');
    expect(files.rendererUrl).toBe('file:///opt/Podbay/resources/app.asar/dist/renderer/index.html');
    expect(files.preload).toBe('/opt/Podbay/resources/app.asar/dist/preload/index.cjs');
    expect(files.icon).toBe('/opt/Podbay/resources/app.asar/build/icon.png');
  });

  it('percent-encodes unusual characters in the app path', () => {
    expect(appFiles('/home/ann/my apps/podbay').rendererUrl).toBe('file:///home/ann/my%20apps/podbay/dist/renderer/index.html');
  });
});

describe('isAppUrl', () => {
  it('accepts the renderer page, with or without a route in the fragment or query', () => {
    expect(isAppUrl(appUrl, appUrl)).toBe(true);
    expect(isAppUrl(`${appUrl}#/containers`, appUrl)).toBe(true);
    expect(isAppUrl(`${appUrl}?view=system`, appUrl)).toBe(true);
  });

  it.each([
    ['a web page', 'https://example.com/'],
    ['plain http on loopback', 'http://127.0.0.1:8080/index.html'],
    ['another local file', 'file:///etc/passwd'],
    ['a sibling file of the app', 'file:///opt/Podbay/resources/app.asar/dist/renderer/other.html'],
    ['a path that only starts like the app', `${appUrl}.evil.html`],
    ['dot segments escaping and returning', 'file:///opt/Podbay/resources/app.asar/dist/renderer/../renderer/x/../../../../../../etc/passwd'],
    ['a file URL on another host', 'file://evil.example/opt/Podbay/resources/app.asar/dist/renderer/index.html'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['about:blank', 'about:blank'],
    ['devtools', 'devtools://devtools/bundled/inspector.html'],
    ['garbage', 'not a url'],
    ['empty', ''],
  ])('refuses %s', (_name, url) => {
    expect(isAppUrl(url, appUrl)).toBe(false);
  });

  it('resolves dot segments before comparing', () => {
    expect(isAppUrl('file:///opt/Podbay/resources/app.asar/dist/x/../renderer/index.html', appUrl)).toBe(true);
  });
});

describe('isTrustedSender', () => {
  it('trusts the top frame of the app page', () => {
    expect(isTrustedSender({ url: `${appUrl}#/system`, isTopFrame: true }, appUrl)).toBe(true);
  });

  it('refuses an iframe, even one showing the app page', () => {
    expect(isTrustedSender({ url: appUrl, isTopFrame: false }, appUrl)).toBe(false);
  });

  it('refuses a top frame showing anything else', () => {
    expect(isTrustedSender({ url: 'https://example.com/', isTopFrame: true }, appUrl)).toBe(false);
  });

  it('refuses a frame Electron no longer knows', () => {
    expect(isTrustedSender(null, appUrl)).toBe(false);
  });
});

describe('isAppDownload', () => {
  it('lets only blob: URLs of the app page through', () => {
    expect(isAppDownload('blob:file:///0b9c1e0e-6a2f-4e55-9f7e-3d1f1a2b3c4d')).toBe(true);
    expect(isAppDownload('blob:null/0b9c1e0e-6a2f-4e55-9f7e-3d1f1a2b3c4d')).toBe(true);
    for (const url of ['https://example.com/a.tar', 'blob:https://example.com/0b9c1e0e-6a2f-4e55-9f7e-3d1f1a2b3c4d', 'file:///etc/passwd', 'blob:file:///../x', '']) {
      expect(isAppDownload(url), url).toBe(false);
    }
  });
});
