// docker cp's rules, which podman follows, for every source/destination shape.
import { describe, expect, it } from 'vitest';
import { planCopy } from '../../../main/core/container-copy.ts';
import { hasCode } from '../../../shared/errors.ts';

const fails = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return hasCode(error, 'ErrInvalidArg');
  }
  return false;
};

describe('planCopy', () => {
  it('puts a file into an existing directory under its own name', () => {
    expect(planCopy({ path: '/etc/passwd', type: 'file' }, { path: '/tmp', type: 'dir' })).toEqual({ destDir: '/tmp', createDestDir: false, sourceName: 'passwd' });
  });

  it('replaces an existing file, or creates a new name in an existing parent', () => {
    expect(planCopy({ path: 'a.txt', type: 'file' }, { path: '/x/b.txt', type: 'file' })).toEqual({ destDir: '/x', createDestDir: false, sourceName: 'a.txt', rename: { from: 'a.txt', to: 'b.txt' } });
    expect(planCopy({ path: '/a.txt', type: 'file' }, { path: '/x/new.txt', type: null })).toMatchObject({ destDir: '/x', rename: { from: 'a.txt', to: 'new.txt' } });
  });

  it('copies a directory into one, its contents with /., or to a new name', () => {
    expect(planCopy({ path: '/etc', type: 'dir' }, { path: '/backup', type: 'dir' })).toEqual({ destDir: '/backup', createDestDir: false, sourceName: 'etc' });
    expect(planCopy({ path: '/etc/.', type: 'dir' }, { path: '/backup', type: 'dir' })).toEqual({ destDir: '/backup', createDestDir: false, sourceName: '.' });
    expect(planCopy({ path: '/etc/', type: 'dir' }, { path: '/copy', type: null })).toEqual({ destDir: '/', createDestDir: false, sourceName: 'etc', rename: { from: 'etc', to: 'copy' } });
    expect(planCopy({ path: '/etc/.', type: 'dir' }, { path: '/fresh', type: null })).toEqual({ destDir: '/fresh', createDestDir: true, sourceName: '.' });
  });

  it('refuses a directory onto a file, and a file onto a missing directory path', () => {
    expect(fails(() => planCopy({ path: '/etc', type: 'dir' }, { path: '/f', type: 'file' }))).toBe(true);
    expect(fails(() => planCopy({ path: '/f', type: 'file' }, { path: '/nodir/', type: null }))).toBe(true);
    expect(fails(() => planCopy({ path: '/f', type: 'file' }, { path: '/file/', type: 'file' }))).toBe(true);
  });
});
