// The window says when it loses the engine, instead of showing stale data as if nothing happened.
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../helpers/e2e-app.ts';

const app = useServedApp();

describe('connection state', () => {
  it('shows that the connection dropped when the web host goes away', async () => {
    const page = await app.openApp();
    const status = page.getByRole('status', { name: 'Engine status' });
    await status.getByText('Connected').waitFor();

    await app.host.stop();
    const banner = page.getByRole('alert').filter({ hasText: 'connection to the engine dropped' });
    await banner.waitFor({ timeout: 5_000 });
    expect(await status.innerText()).toMatch(/Reconnecting…/);
    expect(await banner.getByRole('button', { name: 'Retry now' }).count()).toBe(1);
    // What was read before stays on screen.
    expect(await page.getByRole('heading', { level: 1, name: 'System' }).count()).toBe(1);
  });
});
