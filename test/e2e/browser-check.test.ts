// Browser tests never skip silently: without Chromium the suite fails and says how to install it.
import { describe, expect, it } from 'vitest';
import { assertChromium, chromiumPath } from '../helpers/e2e-browser.ts';

describe('browser check', () => {
  it('names the install command when Chromium is missing', () => {
    expect(() => assertChromium('/nonexistent/chromium')).toThrow(/apt-get install chromium/);
  });

  it(`finds Chromium at ${chromiumPath} on this machine`, () => {
    expect(() => assertChromium()).not.toThrow();
  });
});
