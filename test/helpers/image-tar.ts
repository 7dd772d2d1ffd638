// Builds tar archives byte by byte for tests, including ones no honest tar tool would write
// (traversal names, links out of the root, devices, PAX xattrs, GNU long names).
import { gzipSync } from 'node:zlib';

export interface TarMember {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';
  data?: Buffer | string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** PAX records written before the member (`path`, `SCHILY.xattr.*`, …). */
  pax?: Record<string, string | Buffer>;
  /** Emit the name through a GNU `L` long-name member. */
  gnuLongName?: boolean;
  /** Lie about the size in the header (truncation tests). */
  headerSize?: number;
}

const typeFlag = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' } as const;

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

export function tarHeader(fields: { name: string; flag: string; size: number; mode?: number; uid?: number; gid?: number; mtime?: number; linkname?: string; devmajor?: number; devminor?: number }): Buffer {
  const h = Buffer.alloc(512);
  h.write(fields.name.slice(0, 100), 0, 'utf8');
  h.write(octal(fields.mode ?? 0o644, 8), 100, 'latin1');
  h.write(octal(fields.uid ?? 0, 8), 108, 'latin1');
  h.write(octal(fields.gid ?? 0, 8), 116, 'latin1');
  h.write(octal(fields.size, 12), 124, 'latin1');
  h.write(octal(fields.mtime ?? 1_700_000_000, 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(fields.flag, 156, 'latin1');
  h.write((fields.linkname ?? '').slice(0, 100), 157, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.write('root', 265, 'latin1');
  h.write('root', 297, 'latin1');
  h.write(octal(fields.devmajor ?? 0, 8), 329, 'latin1');
  h.write(octal(fields.devminor ?? 0, 8), 337, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'latin1');
  return h;
}

function pad(data: Buffer): Buffer {
  const rest = (512 - (data.length % 512)) % 512;
  return rest ? Buffer.concat([data, Buffer.alloc(rest)]) : data;
}

function paxBody(records: Record<string, string | Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, raw] of Object.entries(records)) {
    const value = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
    const tail = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), value, Buffer.from('\n')]);
    let length = tail.length + 1;
    while (String(length).length + tail.length !== length) length = String(length).length + tail.length;
    parts.push(Buffer.concat([Buffer.from(String(length)), tail]));
  }
  return Buffer.concat(parts);
}

export function makeTar(members: TarMember[], options: { endMarker?: boolean } = {}): Buffer {
  const out: Buffer[] = [];
  for (const m of members) {
    const type = m.type ?? (m.name.endsWith('/') ? 'dir' : 'file');
    const data = m.data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(m.data) ? m.data : Buffer.from(m.data);
    if (m.pax) {
      const body = paxBody(m.pax);
      out.push(tarHeader({ name: 'PaxHeaders/x', flag: 'x', size: body.length }), pad(body));
    }
    let name = m.name;
    if (m.gnuLongName) {
      const body = Buffer.from(`${m.name}\0`);
      out.push(tarHeader({ name: '././@LongLink', flag: 'L', size: body.length }), pad(body));
      name = m.name.slice(0, 99);
    }
    out.push(
      tarHeader({
        name,
        flag: typeFlag[type],
        size: m.headerSize ?? (type === 'file' ? data.length : 0),
        mode: m.mode ?? (type === 'dir' ? 0o755 : 0o644),
        uid: m.uid,
        gid: m.gid,
        mtime: m.mtime,
        linkname: m.linkname,
        devmajor: m.devmajor,
        devminor: m.devminor,
      }),
    );
    if (type === 'file' && data.length) out.push(pad(data));
  }
  if (options.endMarker !== false) out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}

export function makeTarGz(members: TarMember[]): Buffer {
  return gzipSync(makeTar(members));
}

/** Yields a buffer in small pieces so parsers meet every chunk boundary. */
export async function* chunked(data: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

export async function* once(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}
