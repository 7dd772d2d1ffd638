// The web host serves the app only to the holder of its per-run token: without it, or with a wrong
// one, the browser gets a refusal and no app data.
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../helpers/e2e-app.ts';

const app = useServedApp();

describe('web host access', () => {
  it('refuses a page loaded without the token', async () => {
    const page = await app.openPage();
    const response = await page.goto(`${app.host.origin}/`);
    expect(response?.status()).toBe(401);
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'System' }).count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain(app.host.root);
  });

  it('refuses a page loaded with a wrong token', async () => {
    const page = await app.openPage();
    const wrong = app.host.token.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const response = await page.goto(`${app.host.origin}/?token=${wrong}`);
    expect(response?.status()).toBe(401);
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain('crun');
  });

  it('refuses the engine connection to a page without the token', async () => {
    const page = await app.openPage();
    // An attacker's copy of the app at the right origin but without the cookie: the socket is refused.
    await page.route(`${app.host.origin}/fake`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>x</title>' }));
    await page.goto(`${app.host.origin}/fake`);
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      `${app.host.origin.replace('http', 'ws')}/ws`,
    );
    expect(outcome).toBe('refused');
  });

  it('serves the app to the printed URL, and keeps serving it on reload', async () => {
    const page = await app.openApp();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'System' }).waitFor();
    expect(await page.getByRole('status', { name: 'Engine status' }).innerText()).toContain('Connected');
  });
});
