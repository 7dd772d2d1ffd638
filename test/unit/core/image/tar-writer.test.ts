// The tar writer against the project's own reader: whatever tarHeader writes reads back as the same
// entry, including what ustar cannot hold (long names and links, big ids, xattrs, UTF-8 names).
import { describe, expect, it } from 'vitest';
import { readTar } from '../../../../main/core/image/tar-reader.ts';
import { tarEnd, tarHeader, tarPadding } from '../../../../main/core/image/tar-writer.ts';
import type { TarHeaderInput } from '../../../../main/core/image/tar-writer.ts';
import { hasCode } from '../../../../shared/errors.ts';

async function roundTrip(members: { header: TarHeaderInput; body?: Buffer }[]) {
  const parts: Buffer[] = [];
  for (const m of members) {
    parts.push(tarHeader(m.header));
    if (m.body) parts.push(m.body, tarPadding(m.body.length));
  }
  parts.push(tarEnd());
  const out = [];
  for await (const { entry, body } of readTar((async function* () { yield Buffer.concat(parts); })())) {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c);
    out.push({ entry, body: Buffer.concat(chunks) });
  }
  return out;
}

describe('tarHeader', () => {
  it('writes plain ustar members that read back unchanged', async () => {
    const [file, dir, link] = await roundTrip([
      { header: { name: 'etc/passwd', type: 'file', mode: 0o4755, uid: 1000, gid: 100, size: 5, mtime: 1_700_000_000 }, body: Buffer.from('hello') },
      { header: { name: 'etc', type: 'dir', mode: 0o755, mtime: 1 } },
      { header: { name: 'bin/sh', type: 'symlink', mode: 0o777, linkname: 'busybox', mtime: 2 } },
    ]);
    expect(file?.entry).toMatchObject({ name: 'etc/passwd', type: 'file', mode: 0o4755, uid: 1000, gid: 100, size: 5, mtime: 1_700_000_000 });
    expect(file?.body.toString()).toBe('hello');
    expect(dir?.entry).toMatchObject({ name: 'etc/', type: 'dir' });
    expect(link?.entry).toMatchObject({ type: 'symlink', linkname: 'busybox' });
  });

  it('uses PAX records for long names, long links, large ids, UTF-8 and xattrs', async () => {
    const longName = `${'d'.repeat(120)}/${'f'.repeat(120)}`;
    const longLink = `/${'x'.repeat(200)}`;
    const xattrs = new Map([['user.note', Buffer.from([0, 1, 2, 255])], ['security.capability', Buffer.from('caps')]]);
    const [a, b, c] = await roundTrip([
      { header: { name: longName, type: 'file', mode: 0o644, size: 0, mtime: 3, xattrs } },
      { header: { name: 'ümlaut/ファイル', type: 'symlink', mode: 0o777, linkname: longLink, mtime: 4, uid: 3_000_000, gid: 4_000_000 } },
      { header: { name: `${'p'.repeat(150)}/short`, type: 'file', mode: 0o600, mtime: 5 } },
    ]);
    expect(a?.entry.name).toBe(longName);
    expect(a?.entry.xattrs.get('user.note')).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(a?.entry.xattrs.get('security.capability')?.toString()).toBe('caps');
    expect(b?.entry).toMatchObject({ name: 'ümlaut/ファイル', linkname: longLink, uid: 3_000_000, gid: 4_000_000 });
    expect(c?.entry.name).toBe(`${'p'.repeat(150)}/short`);
  });

  it('keeps devices and FIFOs with their numbers', async () => {
    const [dev, fifo] = await roundTrip([
      { header: { name: 'dev/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3, mtime: 0 } },
      { header: { name: 'run/pipe', type: 'fifo', mode: 0o600, mtime: 0 } },
    ]);
    expect(dev?.entry).toMatchObject({ type: 'char', devmajor: 1, devminor: 3 });
    expect(fifo?.entry.type).toBe('fifo');
  });

  it('refuses a NUL in a name and a negative owner', () => {
    let error: unknown;
    try {
      tarHeader({ name: 'a\0b', type: 'file', mode: 0o644, mtime: 0 });
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect(() => tarHeader({ name: 'a', type: 'file', mode: 0o644, mtime: 0, uid: -1 })).toThrow();
  });
});
