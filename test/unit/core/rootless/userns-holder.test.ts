import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureNamespaceHolder } from '../../../../main/core/rootless/userns-holder.ts';
import { rejectionCode } from '../../../helpers/error-codes.ts';

const ranges = [{ start: 100000, count: 65536 }];

describe('ensureNamespaceHolder', () => {
  it('refuses a user without subordinate ranges before starting anything', async () => {
    const runRoot = join(mkdtempSync(join(tmpdir(), 'podbay-holder-')), 'run');
    expect(await rejectionCode(ensureNamespaceHolder({ runRoot, uid: 0, gid: 0, subuids: [], subgids: ranges }))).toBe('ErrInvalidArg');
  });

  it('refuses a run root that others may write to', async () => {
    const runRoot = join(mkdtempSync(join(tmpdir(), 'podbay-holder-')), 'run');
    mkdirSync(runRoot);
    chmodSync(runRoot, 0o777);
    expect(await rejectionCode(ensureNamespaceHolder({ runRoot, uid: process.geteuid?.() ?? 0, gid: 0, subuids: ranges, subgids: ranges }))).toBe('ErrPermission');
  });

  it('refuses a run root another user owns', async () => {
    const runRoot = join(mkdtempSync(join(tmpdir(), 'podbay-holder-')), 'run');
    mkdirSync(runRoot, { mode: 0o700 });
    expect(await rejectionCode(ensureNamespaceHolder({ runRoot, uid: 4242, gid: 4242, subuids: ranges, subgids: ranges }))).toBe('ErrPermission');
  });
});
