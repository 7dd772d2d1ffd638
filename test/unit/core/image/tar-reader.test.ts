import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PodbayError } from '../../../../shared/errors.ts';
import { readTar } from '../../../../main/core/image/tar-reader.ts';
import { chunked, makeTar, tarHeader } from '../../../helpers/image-tar.ts';

async function collect(data: Buffer, chunk = 13) {
  const out: { name: string; type: string; body: string; size: number; xattrs: Map<string, Buffer> }[] = [];
  for await (const { entry, body } of readTar(chunked(data, chunk))) {
    const parts: Buffer[] = [];
    for await (const c of body) parts.push(c);
    out.push({ name: entry.name, type: entry.type, body: Buffer.concat(parts).toString(), size: entry.size, xattrs: entry.xattrs });
  }
  return out;
}

describe('readTar', () => {
  it('reads ustar prefix names, PAX records, GNU long names across any chunking', async () => {
    const tar = makeTar([
      { name: 'a', data: 'hello' },
      { name: 'placeholder', data: 'pax', pax: { path: 'é/long/ü', 'SCHILY.xattr.user.k': Buffer.from([0, 1, 2]) } },
      { name: `${'n'.repeat(150)}/x`, data: 'gnu', gnuLongName: true },
      { name: 'd/', type: 'dir' },
    ]);
    for (const size of [1, 7, 512, 100_000]) {
      const entries = await collect(tar, size);
      expect(entries.map((e) => [e.name, e.type, e.body])).toEqual([
        ['a', 'file', 'hello'],
        ['é/long/ü', 'file', 'pax'],
        [`${'n'.repeat(150)}/x`, 'file', 'gnu'],
        ['d/', 'dir', ''],
      ]);
      expect([...entries[1]!.xattrs.get('user.k')!]).toEqual([0, 1, 2]);
    }
  });

  it('skips unread bodies', async () => {
    const tar = makeTar([{ name: 'a', data: 'x'.repeat(2000) }, { name: 'b', data: 'y' }]);
    const names: string[] = [];
    for await (const { entry } of readTar(chunked(tar, 100))) names.push(entry.name);
    expect(names).toEqual(['a', 'b']);
  });

  it('reads GNU base-256 sizes', async () => {
    const header = tarHeader({ name: 'big', flag: '0', size: 0 });
    header.fill(0, 124, 136);
    header[124] = 0x80;
    header[135] = 3; // size 3 in base-256
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const body = Buffer.alloc(512);
    body.write('abc');
    const entries = await collect(Buffer.concat([header, body, Buffer.alloc(1024)]));
    expect(entries[0]).toMatchObject({ name: 'big', size: 3, body: 'abc' });
  });

  it('throws only typed errors on random bytes and mutated archives', async () => {
    const base = makeTar([{ name: 'a', data: 'hello' }, { name: 'b', type: 'symlink', linkname: 'a' }, { name: 'p', data: 'x', pax: { path: 'q' } }]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { maxLength: 8 }), async (mutations) => {
        const data = Buffer.from(base);
        for (const [at, value] of mutations) data[at] = value;
        try {
          await collect(data, 64);
        } catch (error) {
          expect(error).toBeInstanceOf(PodbayError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('readTar header-only members', () => {
  it('treats links, dirs and devices as header-only whatever their size field says (as Go archive/tar)', async () => {
    const tar = makeTar([
      { name: 'l', type: 'symlink', linkname: 'x', headerSize: 512 },
      { name: 'after', data: 'ok' },
    ]);
    const entries = await collect(tar, 100);
    expect(entries.map((e) => e.name)).toEqual(['l', 'after']);
    expect(entries[1]!.body).toBe('ok');
  });
});
