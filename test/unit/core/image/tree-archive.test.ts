// A directory tree to tar and back: what libpod's archive keeps (owners, modes, links, hard links,
// FIFOs, security.capability and user.* xattrs), overlay whiteouts turned into OCI ones for commit,
// and the extractor's guards (traversal refused, writes through the root's symlinks kept inside).
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootFs } from '../../../../main/core/image/in-root.ts';
import { archiveTree } from '../../../../main/core/image/tree-archive.ts';
import { extractTree } from '../../../../main/core/image/tree-extract.ts';
import { hasCode } from '../../../../shared/errors.ts';
import { makeTar, once } from '../../../helpers/image-tar.ts';
import { tarMembers } from '../../../helpers/tar-members.ts';
import type { TarMember } from '../../../helpers/image-tar.ts';

const isRoot = process.getuid?.() === 0;
const skip = isRoot ? null : 'needs root (chown, mknod, trusted.* xattrs)';

describe.skipIf(skip !== null)(`archiveTree and extractTree${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let src: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-tree-'));
    src = join(dir, 'src');
    mkdirSync(join(src, 'etc'), { recursive: true });
    writeFileSync(join(src, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n', { mode: 0o640 });
    chownSync(join(src, 'etc', 'passwd'), 0, 42);
    linkSync(join(src, 'etc', 'passwd'), join(src, 'etc', 'passwd-hard'));
    symlinkSync('/etc/passwd', join(src, 'pw'));
    execFileSync('mkfifo', [join(src, 'fifo')]);
    execFileSync('setfattr', ['-n', 'user.note', '-v', 'kept', join(src, 'etc', 'passwd')]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes what libpod\'s archive keeps, in lexical order, rooted at ./ for an export', async () => {
    const fs = RootFs.open(src);
    try {
      const list = await tarMembers(archiveTree(fs, '/', { name: '.', includeRoot: true }));
      expect(list.map((e) => e.entry.name)).toEqual(['./', 'etc/', 'etc/passwd', 'etc/passwd-hard', 'fifo', 'pw']);
      const passwd = list.find((e) => e.entry.name === 'etc/passwd');
      expect(passwd?.entry).toMatchObject({ type: 'file', mode: 0o640, uid: 0, gid: 42 });
      expect(passwd?.data).toBe('root:x:0:0::/root:/bin/sh\n');
      expect(passwd?.entry.xattrs.get('user.note')?.toString()).toBe('kept');
      expect(list.find((e) => e.entry.name === 'etc/passwd-hard')?.entry).toMatchObject({ type: 'hardlink', linkname: 'etc/passwd' });
      expect(list.find((e) => e.entry.name === 'pw')?.entry).toMatchObject({ type: 'symlink', linkname: '/etc/passwd' });
      expect(list.find((e) => e.entry.name === 'fifo')?.entry.type).toBe('fifo');
    } finally {
      fs.close();
    }
  });

  it('names a copied subtree after its start, following a symlink at the start inside the root', async () => {
    symlinkSync('/etc', join(src, 'etc-link'));
    const fs = RootFs.open(src);
    try {
      const list = await tarMembers(archiveTree(fs, '/etc-link', { name: 'etc-link', chown: { uid: 7, gid: 8 } }));
      expect(list.map((e) => e.entry.name)).toEqual(['etc-link/', 'etc-link/passwd', 'etc-link/passwd-hard']);
      expect(list.every((e) => e.entry.uid === 7 && e.entry.gid === 8)).toBe(true);
    } finally {
      fs.close();
    }
  });

  it('turns overlay whiteouts of an upper dir into OCI whiteouts', async () => {
    execFileSync('mknod', [join(src, 'etc', 'gone'), 'c', '0', '0']);
    mkdirSync(join(src, 'opq'));
    writeFileSync(join(src, 'opq', 'new'), 'n');
    execFileSync('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', join(src, 'opq')]);
    const fs = RootFs.open(src);
    try {
      const list = await tarMembers(archiveTree(fs, '/', { name: '.', whiteouts: 'oci' }));
      const names = list.map((e) => e.entry.name);
      expect(names).toContain('etc/.wh.gone');
      expect(names).toContain('opq/.wh..wh..opq');
      expect(names).not.toContain('etc/gone');
      expect(list.find((e) => e.entry.name === 'etc/.wh.gone')?.entry.type).toBe('file');
      expect([...(list.find((e) => e.entry.name === 'opq/')?.entry.xattrs.keys() ?? [])]).not.toContain('trusted.overlay.opaque');
    } finally {
      fs.close();
    }
  });

  it('extracts its own archive back into an identical tree', async () => {
    const fs = RootFs.open(src);
    const out = join(dir, 'out');
    mkdirSync(out);
    const dest = RootFs.open(out);
    try {
      await extractTree(dest, dest.root, archiveTree(fs, '/', { name: '.', includeRoot: true }));
    } finally {
      fs.close();
      dest.close();
    }
    expect(readFileSync(join(out, 'etc', 'passwd'), 'utf8')).toBe('root:x:0:0::/root:/bin/sh\n');
    expect(statSync(join(out, 'etc', 'passwd'))).toMatchObject({ mode: 0o100640, uid: 0, gid: 42 });
    expect(statSync(join(out, 'etc', 'passwd-hard')).ino).toBe(statSync(join(out, 'etc', 'passwd')).ino);
    expect(readlinkSync(join(out, 'pw'))).toBe('/etc/passwd');
    expect(lstatSync(join(out, 'fifo')).isFIFO()).toBe(true);
    expect(execFileSync('getfattr', ['--only-values', '-n', 'user.note', join(out, 'etc', 'passwd')], { encoding: 'utf8' })).toBe('kept');
  });

  describe('extractTree guards', () => {
    let root: string;
    let canary: string;
    beforeEach(() => {
      root = join(dir, 'ctr');
      mkdirSync(join(root, 'tmp'), { recursive: true });
      mkdirSync(join(root, 'dest'));
      canary = join(dir, 'canary');
      writeFileSync(canary, 'host\n');
    });

    const extractInto = async (members: TarMember[], options = {}) => {
      const fs = RootFs.open(root);
      const dest = fs.openDir('/dest');
      try {
        return await extractTree(fs, dest, once(makeTar(members)), options);
      } finally {
        fs.release(dest);
        fs.close();
      }
    };
    const failure = async (members: TarMember[], options = {}) => {
      try {
        await extractInto(members, options);
      } catch (error) {
        return error;
      }
      return null;
    };

    it('refuses members that climb above the destination', async () => {
      for (const name of ['../escape', 'a/../../escape', '../../canary']) {
        expect(hasCode(await failure([{ name, data: 'x' }]), 'ErrInvalidArg')).toBe(true);
      }
      expect(readFileSync(canary, 'utf8')).toBe('host\n');
      expect(existsSync(join(root, 'escape'))).toBe(false);
    });

    it('writes through a symlink member to / inside the root, never on the host', async () => {
      await extractInto([
        { name: 'l', type: 'symlink', linkname: '/' },
        { name: `l/${canary.slice(1)}`, data: 'written\n' },
        { name: 'up', type: 'symlink', linkname: '../../../../../../..' },
        { name: 'up/tmp/x', data: 'x\n' },
      ]);
      expect(readFileSync(canary, 'utf8')).toBe('host\n');
      expect(readFileSync(join(root, canary), 'utf8')).toBe('written\n');
      expect(readFileSync(join(root, 'tmp', 'x'), 'utf8')).toBe('x\n');
    });

    it('refuses a hard link to a file outside the destination', async () => {
      expect(hasCode(await failure([{ name: 'h', type: 'hardlink', linkname: '../../canary' }]), 'ErrInvalidArg')).toBe(true);
    });

    it('does not replace a directory with a file unless overwrite is given', async () => {
      mkdirSync(join(root, 'dest', 'd'));
      writeFileSync(join(root, 'dest', 'd', 'inner'), 'i');
      expect(hasCode(await failure([{ name: 'd', data: 'file now' }]), 'ErrInvalidArg')).toBe(true);
      await extractInto([{ name: 'd', data: 'file now' }], { overwrite: true });
      expect(readFileSync(join(root, 'dest', 'd'), 'utf8')).toBe('file now');
    });

    it('renames the top-level member and chowns everything when asked', async () => {
      await extractInto([{ name: 'src.txt', data: 'hello', uid: 5, gid: 6 }], { rename: { from: 'src.txt', to: 'new.txt' }, chown: { uid: 11, gid: 12 } });
      expect(readFileSync(join(root, 'dest', 'new.txt'), 'utf8')).toBe('hello');
      expect(statSync(join(root, 'dest', 'new.txt'))).toMatchObject({ uid: 11, gid: 12 });
    });
  });
});
