// Tar headers as Go's archive/tar writes them for c/storage (ustar, with a PAX `x` record when a
// field does not fit): long names and link targets, sizes past 8 GiB, large ids, non-ASCII names
// and extended attributes (`SCHILY.xattr.<name>`, raw bytes). The counterpart of tar-reader.ts:
// every header written here reads back to the same TarEntry. Pure: no file-system access.
import { PodbayError } from '../../../shared/errors.ts';
import type { TarEntryType } from './tar-reader.ts';

export const tarBlock = 512;

export interface TarHeaderInput {
  /** Member name; a directory's gets a trailing `/` if it lacks one. */
  name: string;
  type: TarEntryType;
  /** Permission bits including setuid/setgid/sticky. */
  mode: number;
  uid?: number;
  gid?: number;
  /** Body length: only regular files have one. */
  size?: number;
  /** Seconds since the epoch (fractions are dropped, as ustar has whole seconds). */
  mtime: number;
  linkname?: string;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: ReadonlyMap<string, Buffer>;
}

const typeFlags: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

/** Largest value an octal field of `length` bytes holds (one byte is the terminator). */
const maxOctal = (length: number) => 8 ** (length - 1) - 1;

function writeOctal(h: Buffer, value: number, offset: number, length: number): void {
  h.write(`${Math.max(0, Math.floor(value)).toString(8).padStart(length - 1, '0')}\0`, offset, 'latin1');
}

/** One PAX record: `"<len> <key>=<value>\n"`, where len counts the whole record including itself. */
function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.byteLength(` ${key}=`) + value.length + 1;
  let length = rest + String(rest).length;
  if (String(length).length !== String(rest).length) length = rest + String(length).length;
  return Buffer.concat([Buffer.from(`${length} ${key}=`), value, Buffer.from('\n')]);
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** Splits a long name into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a `/`, if possible. */
function splitUstarName(name: string): { prefix: string; name: string } | null {
  if (!isAscii(name)) return null;
  if (name.length <= 100) return { prefix: '', name };
  for (let i = Math.min(name.length - 1, 155); i > 0; i--) {
    if (name[i] !== '/') continue;
    const tail = name.slice(i + 1);
    if (tail.length > 0 && tail.length <= 100) return { prefix: name.slice(0, i), name: tail };
    if (tail.length > 100) return null;
  }
  return null;
}

function ustarHeader(fields: { name: string; prefix: string; flag: string; mode: number; uid: number; gid: number; size: number; mtime: number; linkname: string; uname: string; gname: string; devmajor: number; devminor: number }): Buffer {
  const h = Buffer.alloc(tarBlock);
  h.write(fields.name, 0, 100, 'utf8');
  writeOctal(h, fields.mode & 0o7777, 100, 8);
  writeOctal(h, Math.min(fields.uid, maxOctal(8)), 108, 8);
  writeOctal(h, Math.min(fields.gid, maxOctal(8)), 116, 8);
  writeOctal(h, Math.min(fields.size, maxOctal(12)), 124, 12);
  writeOctal(h, Math.min(fields.mtime, maxOctal(12)), 136, 12);
  h.write('        ', 148, 'latin1');
  h.write(fields.flag, 156, 'latin1');
  h.write(fields.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.write(fields.uname, 265, 32, 'utf8');
  h.write(fields.gname, 297, 32, 'utf8');
  writeOctal(h, fields.devmajor, 329, 8);
  writeOctal(h, fields.devminor, 337, 8);
  h.write(fields.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/**
 * The header block(s) of one member: a PAX `x` member first when a value does not fit ustar, then
 * the ustar header. Invalid input (NUL in a name, negative ids, a body on a non-file) → ErrInvalidArg.
 */
export function tarHeader(input: TarHeaderInput): Buffer {
  let name = input.name;
  if (input.type === 'dir' && !name.endsWith('/')) name += '/';
  const linkname = input.linkname ?? '';
  const size = input.type === 'file' ? (input.size ?? 0) : 0;
  const uid = input.uid ?? 0;
  const gid = input.gid ?? 0;
  if (name === '' || name.includes('\0') || linkname.includes('\0')) throw new PodbayError('ErrInvalidArg', `tar member ${JSON.stringify(name.slice(0, 100))}: invalid name`);
  if (!Number.isSafeInteger(size) || size < 0 || !Number.isSafeInteger(uid) || uid < 0 || !Number.isSafeInteger(gid) || gid < 0) {
    throw new PodbayError('ErrInvalidArg', `tar member ${JSON.stringify(name.slice(0, 100))}: invalid size or owner`);
  }
  const records: Buffer[] = [];
  const split = splitUstarName(name);
  if (!split) records.push(paxRecord('path', Buffer.from(name, 'utf8')));
  if (Buffer.byteLength(linkname) > 100 || !isAscii(linkname)) records.push(paxRecord('linkpath', Buffer.from(linkname, 'utf8')));
  if (size > maxOctal(12)) records.push(paxRecord('size', Buffer.from(String(size))));
  if (uid > maxOctal(8)) records.push(paxRecord('uid', Buffer.from(String(uid))));
  if (gid > maxOctal(8)) records.push(paxRecord('gid', Buffer.from(String(gid))));
  const uname = input.uname ?? '';
  const gname = input.gname ?? '';
  if (Buffer.byteLength(uname) > 32 || !isAscii(uname)) records.push(paxRecord('uname', Buffer.from(uname, 'utf8')));
  if (Buffer.byteLength(gname) > 32 || !isAscii(gname)) records.push(paxRecord('gname', Buffer.from(gname, 'utf8')));
  for (const [key, value] of [...(input.xattrs ?? new Map<string, Buffer>())].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (key === '' || key.includes('=') || key.includes('\0')) throw new PodbayError('ErrInvalidArg', `tar member ${JSON.stringify(name.slice(0, 100))}: invalid xattr name`);
    records.push(paxRecord(`SCHILY.xattr.${key}`, value));
  }
  const mtime = Math.floor(input.mtime);
  const ustar = ustarHeader({
    name: split?.name ?? truncateUtf8(name, 100),
    prefix: split?.prefix ?? '',
    flag: typeFlags[input.type],
    mode: input.mode,
    uid,
    gid,
    size,
    mtime,
    linkname: Buffer.byteLength(linkname) > 100 ? truncateUtf8(linkname, 100) : linkname,
    uname: truncateUtf8(uname, 32),
    gname: truncateUtf8(gname, 32),
    devmajor: input.devmajor ?? 0,
    devminor: input.devminor ?? 0,
  });
  if (records.length === 0) return ustar;
  const body = Buffer.concat(records);
  const paxName = `PaxHeaders.0/${truncateUtf8(name.replace(/\/$/, '').split('/').pop() ?? 'x', 80)}`;
  const pax = ustarHeader({ name: paxName, prefix: '', flag: 'x', mode: 0o644, uid: 0, gid: 0, size: body.length, mtime, linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0 });
  return Buffer.concat([pax, body, tarPadding(body.length), ustar]);
}

function truncateUtf8(text: string, bytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return text;
  return buffer.subarray(0, bytes).toString('utf8').replace(/\uFFFD+$/, '');
}

/** Zero bytes that pad a body of `size` bytes to the block size. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((tarBlock - (size % tarBlock)) % tarBlock);
}

/** The end-of-archive marker: two zero blocks. */
export function tarEnd(): Buffer {
  return Buffer.alloc(tarBlock * 2);
}
