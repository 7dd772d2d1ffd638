// The changes of an overlay upper dir against its lower dirs, as c/storage's overlay Changes reports them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upperChanges } from '../../../main/core/container-diff.ts';

const skip = process.getuid?.() === 0 ? null : 'needs root (mknod for overlay whiteouts)';

describe.skipIf(skip !== null)(`upperChanges${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let upper: string;
  let lower: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-diff-'));
    upper = join(dir, 'upper');
    lower = join(dir, 'lower');
    for (const d of ['etc', 'var/www', 'opt/app', 'same']) mkdirSync(join(lower, d), { recursive: true });
    writeFileSync(join(lower, 'etc', 'passwd'), 'root\n');
    writeFileSync(join(lower, 'etc', 'group'), 'root\n');
    writeFileSync(join(lower, 'var', 'www', 'index.html'), 'x');
    writeFileSync(join(lower, 'opt', 'app', 'old'), 'x');
    mkdirSync(upper);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports A, C and D, the parent of an addition or deletion as C, and leaves untouched dirs out', () => {
    mkdirSync(join(upper, 'etc'));
    writeFileSync(join(upper, 'etc', 'passwd'), 'root\nnew\n');
    execFileSync('mknod', [join(upper, 'etc', 'group'), 'c', '0', '0']);
    mkdirSync(join(upper, 'var', 'www'), { recursive: true });
    writeFileSync(join(upper, 'var', 'www', 'new.html'), 'n');
    writeFileSync(join(upper, 'added'), 'a');
    mkdirSync(join(upper, 'opt', 'app'), { recursive: true });
    execFileSync('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', join(upper, 'opt', 'app')]);
    // A copied-up dir whose metadata equals the lower one's is not a change by itself.
    mkdirSync(join(upper, 'same'));
    utimesSync(join(lower, 'same'), 1_700_000_000, 1_700_000_000);
    utimesSync(join(upper, 'same'), 1_700_000_000, 1_700_000_000);
    mkdirSync(join(upper, 'etc', 'hosts-dir'));
    writeFileSync(join(upper, 'etc', 'hosts'), '');
    const changes = upperChanges(upper, [lower], new Set(['opt/app']));
    expect(changes).toEqual([
      { path: '/added', kind: 'A' },
      { path: '/etc', kind: 'C' },
      { path: '/etc/group', kind: 'D' },
      { path: '/etc/hosts-dir', kind: 'A' },
      { path: '/etc/passwd', kind: 'C' },
      { path: '/opt', kind: 'C' },
      { path: '/opt/app', kind: 'D' },
      { path: '/var', kind: 'C' },
      { path: '/var/www', kind: 'C' },
      { path: '/var/www/new.html', kind: 'A' },
    ]);
  });
});
