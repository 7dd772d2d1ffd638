import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { parseGroup, parsePasswd, readRootfsUserFiles, resolveInRoot, resolveUser } from '../../../../main/core/oci/user-resolver.ts';

const passwd = 'root:x:0:0:root:/root:/bin/sh\n# comment\nwww:x:33:33:www:/var/www:/bin/false\nbroken:x:notanumber:1::/:\napp:x:1000:1000::/home/app:/bin/sh\n';
const group = 'root:x:0:\nwheel:x:10:app,www\nwww:x:33:\napp:x:1000:\nstaff:x:50: app \n';

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return null;
}

describe('parsePasswd / parseGroup', () => {
  it('skips comments and malformed lines', () => {
    expect(parsePasswd(passwd).map((u) => u.name)).toEqual(['root', 'www', 'app']);
    expect(parseGroup(group).find((g) => g.name === 'staff')?.members).toEqual(['app']);
  });
});

describe('resolveUser', () => {
  it('treats an empty user as root with /root as home', () => {
    expect(resolveUser('', passwd, group)).toEqual({ uid: 0, gid: 0, additionalGids: [0], home: '/root' });
    expect(resolveUser('', null, null)).toEqual({ uid: 0, gid: 0, additionalGids: [0], home: '/root' });
  });

  it('resolves a name to its ids, home and group memberships, primary gid first', () => {
    expect(resolveUser('app', passwd, group)).toEqual({ uid: 1000, gid: 1000, additionalGids: [1000, 10, 50], home: '/home/app' });
  });

  it('resolves a listed uid like its name, and accepts an unlisted uid with gid 0', () => {
    expect(resolveUser('33', passwd, group)).toEqual({ uid: 33, gid: 33, additionalGids: [33, 10], home: '/var/www' });
    expect(resolveUser('4242', passwd, group)).toEqual({ uid: 4242, gid: 0, additionalGids: [0], home: '/' });
  });

  it('takes a forced group by name or number, without memberships', () => {
    expect(resolveUser('app:wheel', passwd, group)).toEqual({ uid: 1000, gid: 10, additionalGids: [10], home: '/home/app' });
    expect(resolveUser('1000:7', passwd, group)).toMatchObject({ uid: 1000, gid: 7, additionalGids: [7] });
  });

  it('rejects unknown names, unknown groups and extra colons', () => {
    expect(hasCode(errorOf(() => resolveUser('nobody', passwd, group)), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(errorOf(() => resolveUser('app:nogroup', passwd, group)), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(errorOf(() => resolveUser('a:b:c', passwd, group)), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(errorOf(() => resolveUser('app', null, null)), 'ErrInvalidArg')).toBe(true);
  });
});

describe('readRootfsUserFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-user-'));
    mkdirSync(join(dir, 'rootfs/etc'), { recursive: true });
    mkdirSync(join(dir, 'host/etc'), { recursive: true });
    writeFileSync(join(dir, 'host/etc/passwd'), 'host:x:0:0::/:\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads both files, and null for a missing one', async () => {
    writeFileSync(join(dir, 'rootfs/etc/passwd'), passwd);
    expect(await readRootfsUserFiles(join(dir, 'rootfs'))).toEqual({ passwd, group: null });
  });

  it('follows an absolute symlink inside the root, never to the host', async () => {
    writeFileSync(join(dir, 'rootfs/etc/real-passwd'), passwd);
    symlinkSync('/etc/real-passwd', join(dir, 'rootfs/etc/passwd'));
    symlinkSync(`${dir}/host/etc/passwd`, join(dir, 'rootfs/etc/group'));
    const files = await readRootfsUserFiles(join(dir, 'rootfs'));
    expect(files.passwd).toBe(passwd);
    expect(files.group).toBeNull();
  });

  it('clamps ../ at the root', async () => {
    symlinkSync('../../../../../host/etc/passwd', join(dir, 'rootfs/etc/passwd'));
    expect(await resolveInRoot(join(dir, 'rootfs'), '/etc/passwd')).toBe(join(dir, 'rootfs/host/etc/passwd'));
    expect((await readRootfsUserFiles(join(dir, 'rootfs'))).passwd).toBeNull();
  });

  it('refuses a FIFO instead of hanging on it (CVE-2024-9676)', async () => {
    execFileSync('mkfifo', [join(dir, 'rootfs/etc/passwd')]);
    await expect(readRootfsUserFiles(join(dir, 'rootfs'))).rejects.toMatchObject({ code: 'ErrInvalidArg' });
  });

  it('refuses a symlink loop', async () => {
    symlinkSync('/etc/b', join(dir, 'rootfs/etc/a'));
    symlinkSync('/etc/a', join(dir, 'rootfs/etc/b'));
    symlinkSync('/etc/a', join(dir, 'rootfs/etc/passwd'));
    await expect(readRootfsUserFiles(join(dir, 'rootfs'))).rejects.toMatchObject({ code: 'ErrInvalidArg' });
  });
});
