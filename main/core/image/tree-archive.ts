// A directory tree as a tar stream, as c/storage's archive.TarWithOptions writes it for libpod's
// export, cp and commit: lexical order, ownership and modes as on disk, symlinks as links, hard links
// (same device and inode) as link members, devices and FIFOs, `security.capability` and `user.*`
// xattrs (ReadSecurityXattrToTarHeader / ReadUserXattrToTarHeader), and — for an overlay upper dir —
// overlay's whiteouts turned into OCI ones (ConvertWrite): a 0/0 char device becomes a `.wh.<name>`
// file and a `trusted.overlay.opaque=y` directory gets a `.wh..wh..opq` member.
//
// Everything is read through directory descriptors inside the root (in-root.ts): a process of a
// running container that swaps a file for a symlink makes us skip or re-read that entry, never read
// the symlink's target on the host (CVE-2023-0778). A file that grows while read is cut at the size
// its header announced; one that shrinks is padded with zeros (a tar member cannot change size).
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, read, readdirSync, readlinkSync, openSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { PodbayError } from '../../../shared/errors.ts';
import { throwIfAborted } from './blob-store.ts';
import { atFd, lstatOrNull, openReadFlags } from './in-root.ts';
import type { DirRef, RootFs } from './in-root.ts';
import { opaqueWhiteout, whiteoutPrefix } from './layer-extract.ts';
import { tarEnd, tarHeader, tarPadding } from './tar-writer.ts';
import type { TarHeaderInput } from './tar-writer.ts';

const readAsync = promisify(read);
const chunkBytes = 256 * 1024;
const opaqueXattrs = ['trusted.overlay.opaque', 'user.overlay.opaque'];

export interface ArchiveTreeOptions {
  /**
   * Member name of the start. `.`: the start is the archive root — its own entry is `./` when
   * `includeRoot`, its children are named without a prefix (export, layer diffs). Any other name:
   * the start is that member (`etc/`, `etc/passwd`, … for a cp of /etc).
   */
  name: string;
  /** With name `.`: write a `./` entry for the start directory itself. */
  includeRoot?: boolean;
  /** `oci`: the tree is an overlay upper dir; write its whiteouts in OCI form (commit). */
  whiteouts?: 'none' | 'oci';
  /** Every member owned by these ids (podman cp --archive to the host user). */
  chown?: { uid: number; gid: number };
  /** Follow a symlink at the start path (cp does, as podman resolves the source path). Default true. */
  followStart?: boolean;
  /** Leaves out a directory entry by its real path (components below the root), e.g. a container's /proc. */
  skip?: (path: readonly string[]) => boolean;
  /**
   * Names deleted from each directory (keyed by its components below the root joined with `/`, ''
   * for the root), written as OCI whiteouts `.wh.<name>` in it: a vfs container's commit, whose
   * tree holds no overlay whiteouts of its own.
   */
  deleted?: ReadonlyMap<string, readonly string[]>;
  /** Called with the body bytes of each regular file as they are read (progress). */
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
}

/** What `archiveTree` writes, counted (the caller shows or returns it). */
export interface ArchiveTreeReport {
  entries: number;
  fileBytes: number;
  whiteouts: number;
  opaqueDirs: number;
}

/** Octal escapes of getfattr's file names (`\012`, `\\`). */
function unescapeGetfattr(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && /^[0-7]{3}$/.test(text.slice(i + 1, i + 4))) {
      bytes.push(parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (c === '\\' && text[i + 1] === '\\') {
      bytes.push(0x5c);
      i++;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The xattrs libpod's archive keeps (security.capability, user.*) and overlay's opaque markers of
 * every entry under `hostPath`, from one `getfattr -R` run (attr package): path relative to
 * `hostPath` ('' for itself) → name → value. getfattr's walk is physical (never follows a symlink);
 * it reads metadata only, so a race with a running container can at worst misplace an attribute.
 */
export async function readTreeXattrs(hostPath: string, signal?: AbortSignal): Promise<Map<string, Map<string, Buffer>>> {
  const out = new Map<string, Map<string, Buffer>>();
  const child = spawn('getfattr', ['-R', '-P', '-h', '-d', '--absolute-names', '-e', 'hex', '-m', '^(security\\.capability|user\\.|trusted\\.overlay\\.opaque$)', '--', hostPath], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, LC_ALL: 'C' },
    ...(signal ? { signal } : {}),
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(error));
    child.once('close', () => resolve());
  });
  let current: Map<string, Buffer> | null = null;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('# file: ')) {
      const path = unescapeGetfattr(line.slice(8));
      const rel = path === hostPath ? '' : path.startsWith(`${hostPath}/`) ? path.slice(hostPath.length + 1) : null;
      current = rel === null ? null : new Map();
      if (current && rel !== null) out.set(rel, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq <= 0) continue;
    const value = line.slice(eq + 1);
    if (!/^0x[0-9a-f]*$/i.test(value)) continue;
    current.set(line.slice(0, eq), Buffer.from(value.slice(2), 'hex'));
  }
  try {
    await exited;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PodbayError('ErrInternal', 'reading extended attributes needs getfattr: apt-get install attr', { cause: error });
    throw error;
  }
  return out;
}

/** major/minor of a Linux dev_t (glibc's gnu_dev_major/minor). */
export function devMajor(rdev: number): number {
  return Number(((BigInt(rdev) >> 8n) & 0xfffn) | ((BigInt(rdev) >> 32n) & ~0xfffn));
}

export function devMinor(rdev: number): number {
  return Number((BigInt(rdev) & 0xffn) | ((BigInt(rdev) >> 12n) & ~0xffn));
}

export function isOverlayWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

/**
 * The bytes of regular file `name` in `dir`, opened without following a symlink (a file swapped for
 * one meanwhile → ErrInvalidArg), read in chunks.
 */
export async function* fileBody(dir: DirRef, name: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let fd: number;
  try {
    fd = openSync(atFd(dir.fd, name), openReadFlags);
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `opening ${JSON.stringify(name)}: ${(error as Error).message}`, { cause: error });
  }
  try {
    if (!fstatSync(fd).isFile()) throw new PodbayError('ErrInvalidArg', `${JSON.stringify(name)} is not a regular file`);
    for (let position = 0; ; ) {
      throwIfAborted(signal, 'reading a file');
      const buffer = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await readAsync(fd, buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A tar of one regular file `name` whose `size` bytes come from `data` (an upload): more or fewer
 * bytes than announced → ErrInvalidArg, since the header is already written.
 */
export async function* singleFileTar(name: string, size: number, data: AsyncIterable<Uint8Array>, mode = 0o644): AsyncGenerator<Buffer> {
  if (name === '' || name.includes('/') || name === '.' || name === '..') throw new PodbayError('ErrInvalidArg', `invalid file name ${JSON.stringify(name.slice(0, 100))}`);
  yield tarHeader({ name, type: 'file', mode, size, mtime: Math.floor(Date.now() / 1000) });
  let got = 0;
  for await (const chunk of data) {
    got += chunk.length;
    if (got > size) throw new PodbayError('ErrInvalidArg', `${name}: more than the ${size} bytes announced`);
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  if (got !== size) throw new PodbayError('ErrInvalidArg', `${name}: ${got} bytes received, ${size} announced`);
  yield tarPadding(size);
  yield tarEnd();
}

/**
 * Streams `path` (inside `fs`, resolved there) as a tar archive, ending with the end-of-archive
 * marker. A missing start → ErrInvalidArg naming it. `report` is filled in as the stream is read.
 */
export async function* archiveTree(fs: RootFs, path: string, options: ArchiveTreeOptions, report: ArchiveTreeReport = { entries: 0, fileBytes: 0, whiteouts: 0, opaqueDirs: 0 }): AsyncGenerator<Buffer> {
  const located = fs.resolve(path, { followLast: options.followStart ?? true });
  const whiteouts = options.whiteouts ?? 'none';
  const hardlinks = new Map<string, string>();
  let xattrs: Map<string, Map<string, Buffer>>;
  try {
    if (!located.stat) throw new PodbayError('ErrInvalidArg', `${JSON.stringify(path)}: no such file or directory`);
    const hostPath = fs.hostPath(located.name === null ? located.dir.parts : [...located.dir.parts, located.name]);
    xattrs = await readTreeXattrs(hostPath, options.signal);
  } catch (error) {
    fs.release(located.dir);
    throw error;
  }

  const asRoot = options.name === '.';
  const memberName = (rel: readonly string[]) => (asRoot ? rel.join('/') : [options.name, ...rel].join('/'));
  const owner = (st: Stats) => (options.chown ? options.chown : { uid: st.uid, gid: st.gid });
  const keptXattrs = (rel: readonly string[]) => {
    const all = xattrs.get(rel.join('/'));
    if (!all) return undefined;
    const kept = new Map([...all].filter(([k]) => !opaqueXattrs.includes(k) && !/^(trusted|user)\.overlay\./.test(k)));
    return kept.size > 0 ? kept : undefined;
  };
  const isOpaque = (rel: readonly string[]) => {
    const all = xattrs.get(rel.join('/'));
    return opaqueXattrs.some((k) => all?.get(k)?.toString() === 'y');
  };

  async function* emit(dir: DirRef, name: string | null, st: Stats, rel: string[]): AsyncGenerator<Buffer> {
    throwIfAborted(options.signal, 'archiving files');
    const base: Omit<TarHeaderInput, 'name' | 'type'> = { mode: st.mode & 0o7777, ...owner(st), mtime: Math.floor(st.mtimeMs / 1000) };
    const xattr = keptXattrs(rel);
    if (xattr) base.xattrs = xattr;
    if (whiteouts === 'oci' && name !== null && isOverlayWhiteout(st)) {
      const parent = rel.slice(0, -1);
      report.entries++;
      report.whiteouts++;
      yield tarHeader({ ...base, name: memberName([...parent, `${whiteoutPrefix}${name}`]), type: 'file', mode: 0o600, size: 0 });
      return;
    }
    if (st.isDirectory()) {
      if (!(asRoot && rel.length === 0 && !options.includeRoot)) {
        report.entries++;
        yield tarHeader({ ...base, name: rel.length === 0 && asRoot ? './' : memberName(rel), type: 'dir' });
      }
      if (whiteouts === 'oci' && isOpaque(rel)) {
        report.entries++;
        report.opaqueDirs++;
        const { xattrs: _x, ...plain } = base;
        yield tarHeader({ ...plain, name: memberName([...rel, opaqueWhiteout]), type: 'file', mode: st.mode & 0o777, size: 0 });
      }
      for (const gone of options.deleted?.get(rel.join('/')) ?? []) {
        report.entries++;
        report.whiteouts++;
        const { xattrs: _x, ...plain } = base;
        yield tarHeader({ ...plain, name: memberName([...rel, `${whiteoutPrefix}${gone}`]), type: 'file', mode: 0o600, size: 0 });
      }
      let child: DirRef;
      try {
        child = name === null ? dir : fs.openChildDir(dir, name);
      } catch {
        return; // replaced by something else while we walked (a running container): skipped
      }
      try {
        for (const entry of readdirSync(atFd(child.fd, '.')).sort()) {
          if (options.skip?.([...child.parts, entry])) continue;
          const childStat = lstatOrNull(atFd(child.fd, entry));
          if (childStat) yield* emit(child, entry, childStat, [...rel, entry]);
        }
      } finally {
        if (child !== dir) fs.release(child);
      }
      return;
    }
    if (name === null) return;
    const member = rel.length === 0 && !asRoot ? options.name : memberName(rel);
    if (st.isSymbolicLink()) {
      report.entries++;
      yield tarHeader({ ...base, name: member, type: 'symlink', linkname: readlinkSync(atFd(dir.fd, name)) });
      return;
    }
    if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? hardlinks.get(key) : undefined;
      if (first !== undefined) {
        report.entries++;
        yield tarHeader({ ...base, name: member, type: 'hardlink', linkname: first });
        return;
      }
      let fd: number;
      try {
        fd = openSync(atFd(dir.fd, name), openReadFlags);
      } catch {
        return; // became a symlink or vanished meanwhile: skipped
      }
      try {
        const now = fstatSync(fd);
        if (!now.isFile() || now.ino !== st.ino) return;
        if (st.nlink > 1) hardlinks.set(key, member);
        report.entries++;
        yield tarHeader({ ...base, name: member, type: 'file', size: now.size });
        let done = 0;
        while (done < now.size) {
          const buffer = Buffer.allocUnsafe(Math.min(chunkBytes, now.size - done));
          const { bytesRead } = await readAsync(fd, buffer, 0, buffer.length, done);
          if (bytesRead === 0) break;
          done += bytesRead;
          report.fileBytes += bytesRead;
          options.onBytes?.(bytesRead);
          yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
        }
        if (done < now.size) yield Buffer.alloc(now.size - done);
        yield tarPadding(now.size);
      } finally {
        closeSync(fd);
      }
      return;
    }
    const special = st.isCharacterDevice() ? 'char' : st.isBlockDevice() ? 'block' : st.isFIFO() ? 'fifo' : null;
    if (special === null) return; // sockets have no tar form (c/storage skips them too)
    report.entries++;
    yield tarHeader({ ...base, name: member, type: special, ...(special !== 'fifo' ? { devmajor: devMajor(st.rdev), devminor: devMinor(st.rdev) } : {}) });
  }

  try {
    yield* emit(located.dir, located.name, located.stat as Stats, []);
    yield tarEnd();
  } finally {
    fs.release(located.dir);
  }
}
