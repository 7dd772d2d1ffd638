// The System page's storage check as a person uses it: leftovers of an interrupted pull and of a removed
// container are in the store; "Check storage" lists them with what can be done, "Repair" repairs them
// and says so, and checking again finds nothing. Every step by keyboard-reachable, labelled controls.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';

const app = useServedApp();

describe('System page: storage check', () => {
  it('finds the leftovers, repairs them when asked, and then finds nothing', async () => {
    mkdirSync(join(app.host.root, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(app.host.root, 'blobs', 'sha256', '.tmp-interrupted'), 'half a blob');
    mkdirSync(join(app.host.root, 'containers', 'c'.repeat(64), 'userdata'), { recursive: true });

    const page = await app.openApp();
    const check = page.getByRole('button', { name: 'Check storage' });
    await check.focus();
    await page.keyboard.press('Enter');
    const result = page.getByRole('status', { name: 'Storage check result' });
    await result.getByText('2 problems found: 2 can be repaired').waitFor();
    const problems = page.getByRole('table', { name: 'Storage problems' });
    expect(await problems.getByRole('rowheader').allInnerTexts()).toEqual(['Leftover files', 'Leftover content']);
    expect(await problems.innerText()).toContain('.tmp-interrupted');

    await page.getByRole('button', { name: 'Repair' }).click();
    await result.getByText('All 2 problems repaired').waitFor();
    expect(await problems.getByText('Repaired: deleted').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Repair' }).count()).toBe(0);

    await check.click();
    await result.getByText('No problems found').waitFor();
    expect(await page.getByRole('table', { name: 'Storage problems' }).count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  });
});
