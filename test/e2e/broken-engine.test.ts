// The System page on an engine that cannot run containers: the user must see why and what to do.
// A runtime that does not exist is the one breakage every host can produce without changing it.
import { describe, expect, it } from 'vitest';
import { useServedApp } from '../helpers/e2e-app.ts';

describe('System page with an unusable OCI runtime', () => {
  const app = useServedApp(['--runtime', '/nonexistent/kata-runtime']);

  it('says the engine is not ready, in the header and in an alert with what to do', async () => {
    const page = await app.openApp();
    const status = page.getByRole('status', { name: 'Engine status' });
    await status.getByText('Engine not ready').waitFor();
    const alert = page.getByRole('main').getByRole('alert').filter({ hasText: 'kata-runtime' });
    expect(await alert.count()).toBe(1);
    const text = await alert.innerText();
    expect(text).toContain('/nonexistent/kata-runtime');
    expect(text).toMatch(/crun or runc/);
  });
});
