// The shell: every page is reachable from the sidebar by keyboard alone, and the look follows the
// system's light or dark preference.
import { describe, expect, it } from 'vitest';
import { isFocused, useServedApp } from '../helpers/e2e-app.ts';

const app = useServedApp();

describe('app shell', () => {
  it('reaches every page from the sidebar with the keyboard', async () => {
    const page = await app.openApp();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Containers', 'Pods', 'Images', 'Networks', 'Volumes', 'Registries', 'Events', 'System']);

    await page.keyboard.press('Tab');
    expect(await isFocused(page, 'Skip to content')).toBe(true);
    await page.keyboard.press('Tab');
    expect(await isFocused(page, 'Containers')).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Containers' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Containers' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('main').getByRole('searchbox').count()).toBeGreaterThan(0);

    await page.keyboard.press('ArrowDown');
    expect(await isFocused(page, 'Pods')).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Pods' }).waitFor();

    await page.keyboard.press('End');
    expect(await isFocused(page, 'System')).toBe(true);
    await page.keyboard.press('ArrowUp');
    expect(await isFocused(page, 'Events')).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Events' }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('link', { name: 'System' }).getAttribute('aria-current')).toBeNull();
    expect(await page.title()).toBe('Events · Podbay');

    for (const label of ['Images', 'Networks', 'Volumes', 'Registries', 'System']) {
      await nav.getByRole('link', { name: label }).click();
      await page.getByRole('heading', { level: 1, name: label }).waitFor();
    }
  });

  it('moves the focus to the content with the skip link', async () => {
    const page = await app.openApp();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('main').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByRole('heading', { level: 1, name: 'System' }).waitFor();
  });

  it('follows the light or dark preference of the system', async () => {
    const backgroundOf = async (colorScheme: 'light' | 'dark') => {
      const page = await app.openApp({ colorScheme });
      return page.evaluate(() => {
        const style = getComputedStyle(document.body);
        return { background: style.backgroundColor, color: style.color };
      });
    };
    const light = await backgroundOf('light');
    const dark = await backgroundOf('dark');
    const luminance = (rgb: string) => (rgb.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, n) => sum + Number(n), 0);
    expect(luminance(light.background)).toBeGreaterThan(luminance(dark.background));
    expect(luminance(light.color)).toBeLessThan(luminance(dark.color));
  });
});
