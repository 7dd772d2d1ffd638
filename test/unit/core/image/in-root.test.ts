// Resolution inside a root someone else controls: every hostile symlink shape (absolute targets,
// `..` chains, the GHSL-2020-261 pair, loops) must land inside the root, never on the host.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootFs, atFd } from '../../../../main/core/image/in-root.ts';
import { hasCode } from '../../../../shared/errors.ts';

describe('RootFs.resolve', () => {
  let dir: string;
  let root: string;
  let fs: RootFs;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-inroot-'));
    root = join(dir, 'root');
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', 'passwd'), 'container\n');
    mkdirSync(join(root, 'sub'));
    fs = RootFs.open(root);
  });
  afterEach(() => {
    fs.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const leafOf = (path: string, followLast = true) => {
    const located = fs.resolve(path, { followLast });
    try {
      return { parts: [...located.dir.parts, ...(located.name ? [located.name] : [])].join('/'), exists: located.stat !== null, text: located.stat?.isFile() ? readFileSync(atFd(located.dir.fd, located.name as string), 'utf8') : null };
    } finally {
      fs.release(located.dir);
    }
  };

  it('resolves an absolute symlink to /etc as the root\'s own /etc', () => {
    symlinkSync('/etc', join(root, 'link'));
    expect(leafOf('/link/passwd')).toEqual({ parts: 'etc/passwd', exists: true, text: 'container\n' });
  });

  it('clamps .. at the root, in the path and in symlink targets', () => {
    symlinkSync('../../../../../..', join(root, 'up'));
    expect(leafOf('/../../etc/passwd').parts).toBe('etc/passwd');
    expect(leafOf('/up/etc/passwd')).toMatchObject({ parts: 'etc/passwd', text: 'container\n' });
    expect(leafOf('sub/../../../etc/passwd').parts).toBe('etc/passwd');
  });

  it('keeps the GHSL-2020-261 chain (parent -> .., parent/escapes -> ..) inside', () => {
    symlinkSync('..', join(root, 'sub', 'parent'));
    symlinkSync('..', join(root, 'escapes'));
    expect(leafOf('/sub/parent/escapes/etc/passwd')).toMatchObject({ parts: 'etc/passwd', text: 'container\n' });
  });

  it('does not follow the last component when asked not to', () => {
    symlinkSync('/etc/passwd', join(root, 'pw'));
    expect(leafOf('/pw', false).parts).toBe('pw');
    expect(leafOf('/pw').parts).toBe('etc/passwd');
  });

  it('reports a missing leaf and refuses a missing or non-directory parent', () => {
    expect(leafOf('/etc/nothing')).toMatchObject({ parts: 'etc/nothing', exists: false });
    for (const path of ['/nothing/x', '/etc/passwd/x']) {
      let error: unknown;
      try {
        leafOf(path);
      } catch (e) {
        error = e;
      }
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    }
  });

  it('resolves relative to a starting directory, .. and absolute links leaving it for the root', () => {
    symlinkSync('/etc', join(root, 'sub', 'abs'));
    const sub = fs.openDir('/sub');
    try {
      for (const path of ['../etc/passwd', 'abs/passwd', '../../../etc/passwd']) {
        const located = fs.resolve(path, {}, sub);
        fs.release(located.dir);
        expect([...located.dir.parts, located.name].join('/')).toBe('etc/passwd');
      }
    } finally {
      fs.release(sub);
    }
  });

  it('stops symlink loops', () => {
    symlinkSync('/loop', join(root, 'loop'));
    expect(() => leafOf('/loop/x')).toThrow(/too many levels/);
  });

  it('creates missing parents inside the root, even through an absolute symlink', () => {
    symlinkSync('/newdir', join(root, 'to-new'));
    const dirRef = fs.openDir('/to-new/a/b', fs.root, { uid: 0, gid: 0 });
    fs.release(dirRef);
    expect(dirRef.parts).toEqual(['newdir', 'a', 'b']);
    expect(readFileSync(join(root, 'etc', 'passwd'), 'utf8')).toBe('container\n');
  });
});
