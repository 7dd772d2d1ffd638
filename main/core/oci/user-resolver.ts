// Resolves a container user ("", "name", "uid", "name:group", "uid:gid") to numeric ids through the
// container's own /etc/passwd and /etc/group, as podman's util.GetUser / runc's user.GetExecUser do.
// The parsing is pure; reading the files from a rootfs is `readRootfsUserFiles`, which resolves the
// paths inside the root so an image's symlinks cannot point it at host files (CVE-2024-9676).
import { constants } from 'node:fs';
import { lstat, open, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface ResolvedUser {
  uid: number;
  gid: number;
  /** Supplementary groups: the primary gid, then every /etc/group entry naming the user. */
  additionalGids: number[];
  /** From passwd when the user is listed there; "/" otherwise, as runc's default. */
  home: string;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [name = '', , uid = '', gid = '', , home = '', shell = ''] = line.split(':');
    if (!name || !isId(uid) || !isId(gid)) continue;
    entries.push({ name, uid: Number(uid), gid: Number(gid), home: home || '/', shell });
  }
  return entries;
}

export function parseGroup(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [name = '', , gid = '', members = ''] = line.split(':');
    if (!name || !isId(gid)) continue;
    entries.push({ name, gid: Number(gid), members: members.split(',').map((m) => m.trim()).filter(Boolean) });
  }
  return entries;
}

function isId(text: string): boolean {
  return /^\d+$/.test(text) && Number(text) <= 0xffffffff;
}

/**
 * `user` as podman accepts it for --user / image User. Empty means root. A numeric uid that passwd
 * does not list is still valid (gid 0, home "/"); a name that passwd does not list is ErrInvalidArg,
 * as podman's "unable to find user". `passwd`/`group` are the file contents, or null when absent.
 */
export function resolveUser(user: string, passwd: string | null, group: string | null): ResolvedUser {
  const [userPart = '', groupPart, extra] = user.split(':');
  if (extra !== undefined) throw new PodbayError('ErrInvalidArg', `invalid user "${user}": expected user[:group]`);
  const users = passwd === null ? [] : parsePasswd(passwd);
  const groups = group === null ? [] : parseGroup(group);

  const spec = userPart === '' ? '0' : userPart;
  const entry = isId(spec) ? users.find((u) => u.uid === Number(spec)) : users.find((u) => u.name === spec);
  if (!entry && !isId(spec)) {
    throw new PodbayError('ErrInvalidArg', `unable to find user ${spec}: no matching entries in the container's /etc/passwd`);
  }
  // An unlisted numeric uid runs with gid 0 and home "/" ("/root" for root), as runc's GetExecUser.
  const uid = entry ? entry.uid : Number(spec);
  let gid = entry ? entry.gid : 0;
  const home = entry ? entry.home : uid === 0 ? '/root' : '/';
  const name = entry ? entry.name : null;

  if (groupPart !== undefined && groupPart !== '') {
    if (isId(groupPart)) {
      gid = Number(groupPart);
    } else {
      const found = groups.find((g) => g.name === groupPart);
      if (!found) throw new PodbayError('ErrInvalidArg', `unable to find group ${groupPart}: no matching entries in the container's /etc/group`);
      gid = found.gid;
    }
  }

  // The primary gid first, then the /etc/group memberships (podman puts the primary group among the
  // supplementary ones so `id` lists it); memberships only when the group was not forced.
  const member = name !== null && (groupPart === undefined || groupPart === '')
    ? groups.filter((g) => g.members.includes(name)).map((g) => g.gid)
    : [];
  const additionalGids = [...new Set([gid, ...member])];
  return { uid, gid, additionalGids, home };
}

/**
 * Reads `<rootfs>/etc/passwd` and `<rootfs>/etc/group`, each resolved inside the root (symlinks
 * followed as if `rootfs` were `/`), refusing anything but regular files and capping the size.
 * A missing file is null, not an error: minimal images have none.
 */
export async function readRootfsUserFiles(rootfs: string): Promise<{ passwd: string | null; group: string | null }> {
  const [passwd, group] = await Promise.all([readFileInRoot(rootfs, '/etc/passwd'), readFileInRoot(rootfs, '/etc/group')]);
  return { passwd, group };
}

const maxUserFileBytes = 4 * 1024 * 1024;

/** SecureJoin semantics: `..` stops at the root, absolute symlink targets restart at the root. */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  const pending = path.split('/').filter(Boolean);
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = posix.join(root, ...resolved, part);
    let isLink = false;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch {
      // a missing component: the rest of the path is taken lexically
    }
    if (!isLink) {
      resolved.push(part);
      continue;
    }
    if (++hops > 40) throw new PodbayError('ErrInvalidArg', `too many symbolic links resolving ${path} in ${root}`);
    const target = await readlink(candidate);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter(Boolean));
  }
  return posix.join(root, ...resolved);
}

async function readFileInRoot(root: string, path: string): Promise<string | null> {
  const full = await resolveInRoot(root, path);
  let handle;
  try {
    // O_NONBLOCK: a FIFO planted at the path must not hang us before the isFile check rejects it.
    handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new PodbayError('ErrInvalidArg', `reading ${path} in the container's root filesystem: ${(error as Error).message}`, { cause: error });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new PodbayError('ErrInvalidArg', `${path} in the container's root filesystem is not a regular file`);
    if (stat.size > maxUserFileBytes) throw new PodbayError('ErrInvalidArg', `${path} in the container's root filesystem is larger than ${maxUserFileBytes} bytes`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
