// The hostile-tarball suite: each archive tries to put a byte outside the layer directory. The
// proof is a canary file and a snapshot of everything beside the layer dir (names, types, sizes,
// modes, mtimes, content hashes), compared after every extraction.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { extractLayer } from '../../../../main/core/image/layer-extract.ts';
import type { ExtractOptions, ExtractReport } from '../../../../main/core/image/layer-extract.ts';
import { chunked, makeTar } from '../../../helpers/image-tar.ts';
import { recordSoak, soak } from '../../../helpers/soak.ts';
import type { TarMember } from '../../../helpers/image-tar.ts';

const isRoot = process.getuid?.() === 0;
const hasSetfattr = (() => {
  try {
    execFileSync('setfattr', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function snapshot(dir: string, skip: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (p === skip) continue;
      const st = lstatSync(p);
      let extra = '';
      if (st.isFile()) extra = createHash('sha256').update(readFileSync(p)).digest('hex');
      if (st.isSymbolicLink()) extra = readlinkSync(p);
      out.push(`${p} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${st.uid}:${st.gid} ${extra}`);
      if (st.isDirectory()) walk(p);
    }
  };
  out.push(`${dir} ${lstatSync(dir).mode.toString(8)} ${lstatSync(dir).mtimeMs}`);
  walk(dir);
  return out;
}

/** What the hostile suite tried, for the soak summary (an escape fails the test that caused it). */
const corpus = { archives: 0, refused: 0 };
afterAll(() => recordSoak({ suite: 'hostile layer tarballs (canary outside the layer)', hostileInputs: corpus.archives, escapes: 0, typedErrors: corpus.refused, crashes: 0 }));

describe('extractLayer', () => {
  let base: string;
  let layer: string;
  let canary: string;
  let before: string[];

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'podbay-extract-'));
    canary = join(base, 'canary.txt');
    writeFileSync(canary, 'do not touch');
    mkdirSync(join(base, 'outside-dir'));
    writeFileSync(join(base, 'outside-dir', 'file'), 'also untouched');
    layer = join(base, 'layer');
    mkdirSync(layer, { mode: 0o700 });
    before = snapshot(base, layer);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  const extract = (members: TarMember[], options: ExtractOptions = {}): Promise<ExtractReport> => {
    corpus.archives++;
    return extractLayer(chunked(makeTar(members), 333), layer, options).catch((error: unknown) => {
      if (hasCode(error, 'ErrInvalidArg') || hasCode(error, 'ErrCanceled')) corpus.refused++;
      throw error;
    });
  };

  async function expectRefused(members: TarMember[], options: ExtractOptions = {}): Promise<void> {
    let caught: unknown;
    try {
      await extract(members, options);
    } catch (error) {
      caught = error;
    }
    expect(caught, 'extraction should have been refused').toBeDefined();
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  }

  const expectNothingOutside = () => expect(snapshot(base, layer)).toEqual(before);

  describe('hostile archives never write outside the layer', () => {
    it('refuses ../ names', async () => {
      await expectRefused([{ name: '../canary.txt', data: 'pwned' }]);
      await expectRefused([{ name: 'a/../../canary.txt', data: 'pwned' }]);
      await expectRefused([{ name: './../outside-dir/new', data: 'pwned' }]);
      expectNothingOutside();
    });

    it('keeps absolute names inside the layer', async () => {
      await extract([{ name: canary, data: 'inside' }]);
      expect(readFileSync(join(layer, canary), 'utf8')).toBe('inside');
      expectNothingOutside();
    });

    it('resolves a relative symlink escape inside the layer (symlink, then a write through it)', async () => {
      await extract([
        { name: 'evil', type: 'symlink', linkname: '../' },
        { name: 'evil/canary.txt', data: 'pwned' },
        { name: 'evil/outside-dir/file', data: 'pwned' },
      ]);
      expect(readFileSync(join(layer, 'canary.txt'), 'utf8')).toBe('pwned');
      expect(readlinkSync(join(layer, 'evil'))).toBe('../');
      expectNothingOutside();
    });

    it('resolves an absolute symlink to the host inside the layer', async () => {
      await extract([
        { name: 'host', type: 'symlink', linkname: base },
        { name: 'host/canary.txt', data: 'pwned' },
        { name: 'hostdir', type: 'symlink', linkname: join(base, 'outside-dir') },
        { name: 'hostdir/file', data: 'pwned' },
      ]);
      expect(readFileSync(join(layer, base, 'canary.txt'), 'utf8')).toBe('pwned');
      expectNothingOutside();
    });

    it('replaces a symlink leaf instead of writing through it', async () => {
      await extract([
        { name: 'link', type: 'symlink', linkname: canary },
        { name: 'link', data: 'replaced' },
        { name: 'rel', type: 'symlink', linkname: '../canary.txt' },
        { name: 'rel', type: 'dir' },
      ]);
      expect(lstatSync(join(layer, 'link')).isFile()).toBe(true);
      expect(lstatSync(join(layer, 'rel')).isDirectory()).toBe(true);
      expectNothingOutside();
    });

    it('survives the GHSL-2020-261 chain of individually harmless .. links', async () => {
      await extract([
        { name: 'subdir/', type: 'dir' },
        { name: 'subdir/parent', type: 'symlink', linkname: '..' },
        { name: 'subdir/parent/escapes', type: 'symlink', linkname: '..' },
        { name: 'subdir/parent/escapes/canary.txt', data: 'pwned' },
        { name: 'subdir/parent/escapes/escapes/escapes/outside-dir/file', data: 'pwned' },
      ]);
      expect(readFileSync(join(layer, 'canary.txt'), 'utf8')).toBe('pwned');
      expectNothingOutside();
    });

    it('refuses hard links that point outside, directly or through a symlink', async () => {
      await expectRefused([{ name: 'hl', type: 'hardlink', linkname: '../canary.txt' }]);
      await expectRefused([
        { name: 'up', type: 'symlink', linkname: base },
        { name: 'hl', type: 'hardlink', linkname: 'up/canary.txt' },
      ]);
      await expectRefused([{ name: 'hl', type: 'hardlink', linkname: canary }]);
      expectNothingOutside();
    });

    it('links a symlink itself, never its outside target, and a later write replaces the link', async () => {
      await extract([
        { name: 's', type: 'symlink', linkname: canary },
        { name: 'h', type: 'hardlink', linkname: 's' },
        { name: 'h', data: 'new content' },
      ]);
      expect(lstatSync(join(layer, 's')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(layer, 'h'), 'utf8')).toBe('new content');
      expectNothingOutside();
    });

    it('refuses symlink loops instead of spinning', async () => {
      await expectRefused([
        { name: 'a', type: 'symlink', linkname: 'b' },
        { name: 'b', type: 'symlink', linkname: 'a' },
        { name: 'a/x', data: 'x' },
      ]);
      await expectRefused([
        { name: 'etc', type: 'symlink', linkname: '/etc' },
        { name: 'etc/passwd', data: 'root::0:0::/:/bin/sh\n' },
      ]);
      expectNothingOutside();
    });

    it('does not set times through a directory later replaced by a symlink to the outside', async () => {
      await extract([
        { name: 'd/', type: 'dir', mtime: 1 },
        { name: 'd', type: 'symlink', linkname: join(base, 'outside-dir') },
      ]);
      expectNothingOutside();
    });

    it('keeps whiteouts inside the layer', async () => {
      await expectRefused([{ name: '../.wh.canary.txt' }]);
      await extract([
        { name: 'up', type: 'symlink', linkname: '..' },
        { name: 'up/.wh.canary.txt' },
      ]);
      expect(lstatSync(join(layer, 'canary.txt')).isCharacterDevice()).toBe(isRoot);
      expectNothingOutside();
    });

    it('refuses empty whiteouts, sparse members, unknown types and truncated archives', async () => {
      await expectRefused([{ name: 'dir/.wh.' }]);
      await expectRefused([{ name: 'x', data: 'abc', pax: { 'GNU.sparse.major': '1' } }]);
      const truncated = makeTar([{ name: 'big', data: Buffer.alloc(5000, 1) }]).subarray(0, 2048);
      let caught: unknown;
      try {
        await extractLayer(chunked(truncated, 100), layer);
      } catch (error) {
        caught = error;
      }
      expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
      const badType = makeTar([{ name: 'x', data: 'a' }]);
      badType[156] = 'Z'.charCodeAt(0);
      let sum = 0;
      badType.fill(0x20, 148, 156);
      for (let i = 0; i < 512; i++) sum += badType[i]!;
      badType.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
      caught = undefined;
      try {
        await extractLayer(chunked(badType, 100), layer);
      } catch (error) {
        caught = error;
      }
      expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
      expectNothingOutside();
    });

    it('keeps names with invalid UTF-8 inside the layer', async () => {
      const tar = makeTar([{ name: 'bad-name', data: 'x' }, { name: 'ok', data: 'y' }]);
      tar[3] = 0xff; // "bad-name" becomes "bad\xffname": not UTF-8
      tar.fill(0x20, 148, 156);
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += tar[i]!;
      tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
      await extractLayer(chunked(tar, 100), layer);
      expect(readdirSync(layer).sort()).toEqual(['bad\ufffdname', 'ok']);
      expectNothingOutside();
    });

    it('refuses a corrupted header checksum', async () => {
      const tar = makeTar([{ name: 'x', data: 'a' }]);
      tar[0] = 'y'.charCodeAt(0);
      let caught: unknown;
      try {
        await extractLayer(chunked(tar, 512), layer);
      } catch (error) {
        caught = error;
      }
      expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
    });

    it('bounds total bytes and member counts (bombs and millions of tiny entries)', async () => {
      await expectRefused([{ name: 'huge', data: Buffer.alloc(4096) }], { maxBytes: 1000 });
      await expectRefused(Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, data: '' })), { maxEntries: 20 });
      expectNothingOutside();
    });

    it.skipIf(!isRoot)('drops overlay xattrs smuggled in PAX headers', async () => {
      const report = await extract([{ name: 'd/', type: 'dir', pax: { 'SCHILY.xattr.trusted.overlay.redirect': '/etc' } }]);
      expect(report.droppedXattrs).toBe(1);
      expect(execFileSync('getfattr', ['-d', '-m', '-', join(layer, 'd')], { encoding: 'utf8' })).not.toContain('overlay');
    });
  });

  describe('more hostile archives (the reliability corpus)', () => {
    const refusalCode = async (members: TarMember[], options: ExtractOptions = {}): Promise<string | null> => {
      try {
        await extract(members, options);
        return null;
      } catch (error) {
        return (error as { code?: string }).code ?? 'untyped';
      }
    };

    it('keeps whiteouts inside the layer whichever way they reach: absolute, through .. links, opaque through a link', async () => {
      await extract([
        { name: '/etc/.wh.passwd' },
        { name: 'up', type: 'symlink', linkname: '../..' },
        { name: 'up/outside-dir/.wh.file' },
        { name: 'abs', type: 'symlink', linkname: base },
        { name: 'abs/.wh..wh..opq' },
        { name: 'abs/outside-dir/.wh..wh..opq' },
      ]);
      expectNothingOutside();
      if (hasSetfattr) {
        // Every overlay xattr set is on a directory inside the layer (getfattr lists "# file:" then its attributes).
        let file = '';
        const marked: string[] = [];
        for (const line of execFileSync('getfattr', ['-R', '-d', '-m', '-', '--absolute-names', base], { encoding: 'utf8' }).split('\n')) {
          if (line.startsWith('# file: ')) file = line.slice(8);
          else if (line.startsWith('trusted.overlay.')) marked.push(file);
        }
        expect(marked.length).toBeGreaterThan(0);
        for (const path of marked) expect(path === layer || path.startsWith(`${layer}/`), path).toBe(true);
      }
    });

    it('refuses names longer than a file system takes, and NUL bytes, with ErrInvalidArg', async () => {
      expect(await refusalCode([{ name: 'x', data: 'a', pax: { path: 'n'.repeat(300) } }])).toBe('ErrInvalidArg');
      expect(await refusalCode([{ name: 'x', data: 'a', pax: { path: `${'d/'.repeat(2100)}f` } }])).toBe('ErrInvalidArg');
      expect(await refusalCode([{ name: 'x', data: 'a', pax: { path: 'a\u0000b' } }])).toBe('ErrInvalidArg');
      expect(await refusalCode([{ name: 'l', type: 'symlink', linkname: 'x', pax: { linkpath: 't'.repeat(5000) } }])).toBe('ErrInvalidArg');
      expectNothingOutside();
    });

    it('keeps names with newlines, control characters and invalid UTF-8 inside', async () => {
      await expectRefused([{ name: 'new\nline/../../x', data: 'a' }]);
      await extract([
        { name: 'new\nline/../nl', data: 'a' },
        { name: 'tab\tand\u001b[31mred', data: 'b' },
        { name: 'x', data: 'c', pax: { path: Buffer.from([0x61, 0xc3, 0x28, 0x2f, 0x2e, 0x2e, 0x2f, 0x62]) } },
      ]);
      expect(readdirSync(layer).sort()).toEqual(['b', 'nl', 'tab\tand\u001b[31mred']);
      expectNothingOutside();
    });

    it('bounds millions of tiny entries (refused at the limit, the next layer extracts fine)', async () => {
      const limit = soak ? 2_000_000 : 20_000;
      async function* entries(): AsyncGenerator<Buffer> {
        // Every entry renames the same directory: nothing accumulates on disk while the count climbs.
        const header = makeTar([{ name: 'd/', type: 'dir' }], { endMarker: false });
        const batch = Buffer.concat(Array.from({ length: 1000 }, () => header));
        for (let sent = 0; sent <= limit; sent += 1000) yield batch;
      }
      let caught: unknown;
      try {
        await extractLayer(entries(), layer, soak ? {} : { maxEntries: limit });
      } catch (error) {
        caught = error;
      }
      expect(hasCode(caught, 'ErrInvalidArg'), String(caught)).toBe(true);
      expect(String((caught as Error).message)).toMatch(new RegExp(`more than ${limit} members`));
      expect(readdirSync(layer)).toEqual(['d']);
      expectNothingOutside();
    }, soak ? 1_800_000 : 60_000);
  });

  describe('what a runtime needs', () => {
    it('writes files, dirs, long names, PAX paths, newlines in names, hard links and symlinks', async () => {
      const long = `${'d'.repeat(120)}/${'f'.repeat(150)}`;
      const report = await extract([
        { name: './', type: 'dir', mode: 0o755 },
        { name: 'bin/', type: 'dir' },
        { name: 'bin/busybox', data: 'ELF…', mode: 0o755, mtime: 1_600_000_000 },
        { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
        { name: 'bin/ash', type: 'hardlink', linkname: 'bin/busybox' },
        { name: long, data: 'long', gnuLongName: true },
        { name: 'short-placeholder', data: 'pax', pax: { path: `p/${'x'.repeat(200)}` } },
        { name: 'with\nnewline', data: 'nl' },
        { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
        { name: 'lib/libc.so', data: 'libc' },
      ]);
      expect(readFileSync(join(layer, 'bin/busybox'), 'utf8')).toBe('ELF…');
      expect(lstatSync(join(layer, 'bin/busybox')).mtimeMs).toBe(1_600_000_000_000);
      expect(lstatSync(join(layer, 'bin/busybox')).mode & 0o7777).toBe(0o755);
      expect(readlinkSync(join(layer, 'bin/sh'))).toBe('busybox');
      expect(lstatSync(join(layer, 'bin/ash')).ino).toBe(lstatSync(join(layer, 'bin/busybox')).ino);
      expect(readFileSync(join(layer, long), 'utf8')).toBe('long');
      expect(readFileSync(join(layer, `p/${'x'.repeat(200)}`), 'utf8')).toBe('pax');
      expect(readFileSync(join(layer, 'with\nnewline'), 'utf8')).toBe('nl');
      expect(readFileSync(join(layer, 'usr/lib/libc.so'), 'utf8')).toBe('libc');
      expect(report.entries).toBe(10);
      expectNothingOutside();
    });

    it.skipIf(!isRoot)('keeps owners and setuid/setgid/sticky bits', async () => {
      await extract([
        { name: 'su', data: 'x', mode: 0o4755, uid: 0, gid: 0 },
        { name: 'sg', data: 'x', mode: 0o2711, uid: 1000, gid: 50 },
        { name: 'tmp/', type: 'dir', mode: 0o1777 },
        { name: 'owned-link', type: 'symlink', linkname: 'su', uid: 12, gid: 34 },
      ]);
      expect(lstatSync(join(layer, 'su')).mode & 0o7777).toBe(0o4755);
      const sg = lstatSync(join(layer, 'sg'));
      expect([sg.mode & 0o7777, sg.uid, sg.gid]).toEqual([0o2711, 1000, 50]);
      expect(lstatSync(join(layer, 'tmp')).mode & 0o7777).toBe(0o1777);
      expect(lstatSync(join(layer, 'owned-link')).uid).toBe(12);
    });

    it.skipIf(!isRoot || !hasSetfattr)('turns whiteouts into 0/0 char devices and opaque markers into the overlay xattr', async () => {
      const report = await extract([
        { name: 'etc/', type: 'dir' },
        { name: 'etc/.wh.motd' },
        { name: 'var/cache/.wh..wh..opq' },
        { name: '.wh..wh.plnk/123' },
      ]);
      const wh = lstatSync(join(layer, 'etc/motd'));
      expect(wh.isCharacterDevice()).toBe(true);
      expect(wh.rdev).toBe(0);
      expect(readdirSync(join(layer, 'etc'))).toEqual(['motd']);
      expect(execFileSync('getfattr', ['--only-values', '-n', 'trusted.overlay.opaque', join(layer, 'var/cache')], { encoding: 'utf8' })).toBe('y');
      expect(readdirSync(join(layer, 'var/cache'))).toEqual([]);
      expect(report).toMatchObject({ whiteouts: 1, opaqueDirs: 1 });
    });

    it.skipIf(!isRoot || !hasSetfattr)('sets security.capability after chown (which would clear it)', async () => {
      // VFS_CAP_REVISION_2 with cap_net_bind_service permitted+effective.
      const cap = Buffer.from('0100000200040000000000000000000000000000', 'hex');
      await extract([{ name: 'ping', data: 'x', mode: 0o755, uid: 0, pax: { 'SCHILY.xattr.security.capability': cap, 'SCHILY.xattr.user.note': 'hi' } }]);
      const dump = execFileSync('getfattr', ['-e', 'hex', '-d', '-m', '-', join(layer, 'ping')], { encoding: 'utf8' });
      expect(dump).toContain(`security.capability=0x${cap.toString('hex')}`);
      expect(dump).toContain('user.note=0x6869');
    });

    it.skipIf(!isRoot)('creates device nodes and FIFOs as root, and skips devices rootless', async () => {
      await extract([
        { name: 'dev/null', type: 'char', devmajor: 1, devminor: 3, mode: 0o666 },
        { name: 'dev/loop0', type: 'block', devmajor: 7, devminor: 0, mode: 0o660 },
        { name: 'run/fifo', type: 'fifo', mode: 0o600 },
      ]);
      const nul = lstatSync(join(layer, 'dev/null'));
      expect(nul.isCharacterDevice()).toBe(true);
      expect(nul.rdev).toBe((1 << 8) | 3);
      expect(lstatSync(join(layer, 'dev/loop0')).isBlockDevice()).toBe(true);
      expect(lstatSync(join(layer, 'run/fifo')).isFIFO()).toBe(true);
      rmSync(layer, { recursive: true });
      mkdirSync(layer);
      const report = await extract([{ name: 'dev/null', type: 'char', devmajor: 1, devminor: 3 }, { name: 'x/.wh.y' }], { rootless: true });
      expect(report.skippedDevices).toBe(1);
      expect(lstatSync(join(layer, 'x/.wh.y')).isFile()).toBe(true);
    });

    it('replaces a file with a directory and a directory with a file, as c/storage', async () => {
      await extract([
        { name: 'a', data: 'file' },
        { name: 'a/', type: 'dir' },
        { name: 'a/b', data: 'inner' },
        { name: 'c/', type: 'dir' },
        { name: 'c/d', data: 'x' },
        { name: 'c', data: 'now a file' },
      ]);
      expect(readFileSync(join(layer, 'a/b'), 'utf8')).toBe('inner');
      expect(readFileSync(join(layer, 'c'), 'utf8')).toBe('now a file');
    });

    it('reads archives without an end marker and drains trailing bytes', async () => {
      const tar = Buffer.concat([makeTar([{ name: 'x', data: 'y' }]), Buffer.alloc(4096)]);
      await extractLayer(chunked(tar, 1000), layer);
      expect(readFileSync(join(layer, 'x'), 'utf8')).toBe('y');
      rmSync(join(layer, 'x'));
      await extractLayer(chunked(makeTar([{ name: 'z', data: 'q' }], { endMarker: false }), 1000), layer);
      expect(readFileSync(join(layer, 'z'), 'utf8')).toBe('q');
    });

    it('stops at once when canceled', async () => {
      const controller = new AbortController();
      controller.abort();
      let caught: unknown;
      try {
        await extract([{ name: 'x', data: 'y' }], { signal: controller.signal });
      } catch (error) {
        caught = error;
      }
      expect(hasCode(caught, 'ErrCanceled')).toBe(true);
    });
  });
});
