// A streaming tar reader: ustar, POSIX PAX (`x` and `g` records) and GNU long names (`L`, `K`).
// It only parses: it never touches the file system, so nothing here can follow a symlink. Entries
// are yielded one at a time with a body iterator that must be drained (or is skipped) before the
// next entry; memory stays at one chunk plus bounded metadata. Every malformed header is an
// ErrInvalidArg naming the entry, because layer tarballs come from strangers.
import { PodbayError } from '../../../shared/errors.ts';

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarEntry {
  /** Member name as recorded (after PAX/GNU overrides), not yet cleaned. */
  name: string;
  type: TarEntryType;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch (PAX may give a fraction). */
  mtime: number;
  atime?: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** From PAX `SCHILY.xattr.<name>` records (the values are raw bytes). */
  xattrs: Map<string, Buffer>;
}

export interface TarLimits {
  /** Largest PAX header or GNU long name accepted (they are buffered). */
  maxMetadataBytes?: number;
}

const block = 512;
const defaultMaxMetadata = 1024 * 1024;

function bad(what: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `reading layer tar: ${what}`);
}

/** Pulls exact byte counts out of an async chunk iterator without copying large bodies. */
class ByteReader {
  private chunk: Buffer = Buffer.alloc(0);
  private offset = 0;
  private ended = false;
  /** Total bytes consumed from the source so far. */
  position = 0;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(): Promise<boolean> {
    while (this.offset >= this.chunk.length) {
      if (this.ended) return false;
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      this.chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      this.offset = 0;
    }
    return true;
  }

  /** Exactly `n` bytes (copied only when they span chunks); null at a clean end of input. */
  async readExact(n: number): Promise<Buffer | null> {
    if (!(await this.fill())) return null;
    if (this.chunk.length - this.offset >= n) {
      const out = this.chunk.subarray(this.offset, this.offset + n);
      this.offset += n;
      this.position += n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      if (!(await this.fill())) throw bad(`unexpected end of archive (needed ${n - got} more bytes)`);
      const take = Math.min(n - got, this.chunk.length - this.offset);
      this.chunk.copy(out, got, this.offset, this.offset + take);
      this.offset += take;
      got += take;
      this.position += take;
    }
    return out;
  }

  /** Yields exactly `n` bytes as they arrive. */
  async *range(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill())) throw bad(`unexpected end of archive (${left} bytes of a member missing)`);
      const take = Math.min(left, this.chunk.length - this.offset);
      const out = this.chunk.subarray(this.offset, this.offset + take);
      this.offset += take;
      this.position += take;
      left -= take;
      yield out;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.range(n)) {
      // discard
    }
  }

  /** Consumes the rest of the input (so digests computed upstream see every byte). */
  async drain(): Promise<number> {
    let count = this.chunk.length - this.offset;
    this.offset = this.chunk.length;
    while (await this.fill()) {
      count += this.chunk.length - this.offset;
      this.offset = this.chunk.length;
    }
    this.position += count;
    return count;
  }
}

function cString(buf: Buffer, start: number, length: number): string {
  const field = buf.subarray(start, start + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? field.length : nul).toString('utf8');
}

/** Octal (space/NUL padded) or GNU base-256 (high bit set) numeric field. */
function numeric(buf: Buffer, start: number, length: number, what: string): number {
  const field = buf.subarray(start, start + length);
  if (field[0]! & 0x80) {
    if (field[0] === 0xff) throw bad(`${what} is negative`);
    let value = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) {
      value = value * 256 + field[i]!;
      if (value > Number.MAX_SAFE_INTEGER) throw bad(`${what} is too large`);
    }
    return value;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw bad(`${what} ${JSON.stringify(text)} is not an octal number`);
  const value = parseInt(text, 8);
  if (!Number.isSafeInteger(value)) throw bad(`${what} is too large`);
  return value;
}

function checksumOk(header: Buffer): boolean {
  const stored = numeric(header, 148, 8, 'header checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < block; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : header[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** Parses `"%d key=value\n"` records; values may hold any bytes (xattrs), so work on the Buffer. */
function parsePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break; // NUL padding after the last record
    const space = data.indexOf(0x20, pos);
    if (space < 0 || space - pos > 20) throw bad('malformed PAX record length');
    const lengthText = data.subarray(pos, space).toString('latin1');
    if (!/^[0-9]+$/.test(lengthText)) throw bad('malformed PAX record length');
    const length = parseInt(lengthText, 10);
    const end = pos + length;
    if (length <= space - pos + 1 || end > data.length || data[end - 1] !== 0x0a) throw bad('malformed PAX record');
    const record = data.subarray(space + 1, end - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw bad('malformed PAX record (no key)');
    out.set(record.subarray(0, eq).toString('utf8'), Buffer.from(record.subarray(eq + 1)));
    pos = end;
  }
  return out;
}

function paxNumber(value: Buffer, key: string): number {
  const text = value.toString('latin1');
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(text)) throw bad(`PAX ${key} ${JSON.stringify(text.slice(0, 40))} is not a number`);
  const n = Number(text);
  if (!Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER) throw bad(`PAX ${key} is out of range`);
  return n;
}

const typeFlags: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file', // contiguous file: a regular file everywhere that matters
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

export interface TarReadResult {
  /** Bytes after the end-of-archive marker (read so upstream hashes see the whole stream). */
  trailingBytes: number;
}

/**
 * Iterates the members of a tar stream. Each yielded entry comes with `body`, which yields exactly
 * `entry.size` bytes for regular files (other types have no body). Unread body bytes are skipped
 * when the next entry is requested. After the last entry the rest of the input is drained.
 */
export async function* readTar(
  source: AsyncIterable<Uint8Array>,
  limits: TarLimits = {},
): AsyncGenerator<{ entry: TarEntry; body: AsyncIterable<Buffer> }, TarReadResult> {
  const maxMeta = limits.maxMetadataBytes ?? defaultMaxMetadata;
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  let global = new Map<string, Buffer>();
  let pax: Map<string, Buffer> | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pendingSkip = 0;

  const readMeta = async (size: number, what: string): Promise<Buffer> => {
    if (size > maxMeta) throw bad(`${what} of ${size} bytes exceeds the ${maxMeta}-byte limit`);
    const data = size === 0 ? Buffer.alloc(0) : await reader.readExact(size);
    if (data === null) throw bad(`unexpected end of archive in ${what}`);
    const copy = Buffer.from(data);
    await reader.skip((block - (size % block)) % block);
    return copy;
  };

  for (;;) {
    if (pendingSkip > 0) {
      await reader.skip(pendingSkip);
      pendingSkip = 0;
    }
    const header = await reader.readExact(block);
    if (header === null) {
      // No end-of-archive marker: tolerated (GNU tar does) unless metadata was left dangling.
      if (pax || longName !== undefined || longLink !== undefined) throw bad('archive ends after an extended header');
      return { trailingBytes: 0 };
    }
    if (header.every((b) => b === 0)) {
      // End of archive (one or two zero blocks); drain whatever follows.
      return { trailingBytes: await reader.drain() };
    }
    if (!checksumOk(header)) throw bad(`header checksum mismatch at byte ${reader.position - block}`);
    const flag = String.fromCharCode(header[156]!);
    const size = numeric(header, 124, 12, 'size');
    const magic = header.subarray(257, 263).toString('latin1');
    const isUstar = magic === 'ustar\0';

    if (flag === 'x' || flag === 'g') {
      const records = parsePax(await readMeta(size, 'PAX header'));
      if (flag === 'g') global = new Map([...global, ...records]);
      else pax = new Map([...(pax ?? []), ...records]);
      continue;
    }
    if (flag === 'L' || flag === 'K') {
      const data = await readMeta(size, flag === 'L' ? 'GNU long name' : 'GNU long link');
      const nul = data.indexOf(0);
      const text = data.subarray(0, nul < 0 ? data.length : nul).toString('utf8');
      if (flag === 'L') longName = text;
      else longLink = text;
      continue;
    }
    const type = typeFlags[flag];
    if (type === undefined) {
      if (flag === 'S') throw bad('GNU sparse members are not supported');
      throw bad(`unsupported member type ${JSON.stringify(flag)}`);
    }

    const records = new Map([...global, ...(pax ?? [])]);
    pax = undefined;
    let name = cString(header, 0, 100);
    if (isUstar) {
      const prefix = cString(header, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (longName !== undefined) name = longName;
    let linkname = cString(header, 157, 100);
    if (longLink !== undefined) linkname = longLink;
    longName = undefined;
    longLink = undefined;

    const entry: TarEntry = {
      name,
      type,
      mode: numeric(header, 100, 8, 'mode') & 0o7777,
      uid: numeric(header, 108, 8, 'uid'),
      gid: numeric(header, 116, 8, 'gid'),
      size: type === 'file' ? size : 0,
      mtime: numeric(header, 136, 12, 'mtime'),
      linkname,
      uname: cString(header, 265, 32),
      gname: cString(header, 297, 32),
      devmajor: type === 'char' || type === 'block' ? numeric(header, 329, 8, 'devmajor') : 0,
      devminor: type === 'char' || type === 'block' ? numeric(header, 337, 8, 'devminor') : 0,
      xattrs: new Map(),
    };
    for (const [key, value] of records) {
      switch (key) {
        case 'path': entry.name = value.toString('utf8'); break;
        case 'linkpath': entry.linkname = value.toString('utf8'); break;
        case 'size': if (type === 'file') entry.size = paxNumber(value, key); break;
        case 'uid': entry.uid = paxNumber(value, key); break;
        case 'gid': entry.gid = paxNumber(value, key); break;
        case 'mtime': entry.mtime = paxNumber(value, key); break;
        case 'atime': entry.atime = paxNumber(value, key); break;
        case 'uname': entry.uname = value.toString('utf8'); break;
        case 'gname': entry.gname = value.toString('utf8'); break;
        default:
          if (key.startsWith('SCHILY.xattr.')) entry.xattrs.set(key.slice('SCHILY.xattr.'.length), value);
          else if (key.startsWith('GNU.sparse.')) throw bad(`${JSON.stringify(entry.name)}: PAX sparse files are not supported`);
      }
    }
    if (!Number.isSafeInteger(entry.size) || entry.size < 0) throw bad(`${JSON.stringify(entry.name)}: invalid size`);
    if (!Number.isSafeInteger(entry.uid) || entry.uid < 0 || !Number.isSafeInteger(entry.gid) || entry.gid < 0) {
      throw bad(`${JSON.stringify(entry.name)}: invalid owner`);
    }
    if (entry.name.includes('\0') || entry.linkname.includes('\0')) throw bad(`${JSON.stringify(entry.name)}: NUL byte in a name`);

    // Links, devices, directories and FIFOs are header-only whatever their size field says, as in
    // Go's archive/tar (which wrote and will read these layers): parsing them differently would
    // let one archive mean two things.
    if (type !== 'file') {
      pendingSkip = 0;
      yield { entry, body: (async function* () {})() };
      continue;
    }
    // PAX size overrides the header's (files over 8 GiB): the padding follows the real size.
    const realPadded = entry.size + ((block - (entry.size % block)) % block);
    let consumed = 0;
    const body = (async function* () {
      for await (const chunk of reader.range(entry.size)) {
        consumed += chunk.length;
        yield chunk;
      }
    })();
    yield { entry, body };
    pendingSkip = realPadded - consumed;
    if (consumed < entry.size) {
      // The consumer stopped early: close its iterator so the skip below owns the reader.
      await body.return(undefined);
    }
  }
}
