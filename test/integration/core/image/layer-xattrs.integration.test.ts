// Extended attributes through the real `setfattr`, batched into one `setfattr -h --restore` per
// layer: security.capability survives the chown that precedes it, names with spaces and
// non-ASCII bytes are quoted as getfattr dumps them, an opaque directory gets its overlay marker,
// xattrs of a member replaced later in the same layer are dropped, and one exec serves the layer.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realExec } from '../../../../main/core/exec.ts';
import type { Exec } from '../../../../main/core/exec.ts';
import { extractLayer } from '../../../../main/core/image/layer-extract.ts';
import { execLayerFsOps, xattrDump } from '../../../../main/core/image/layer-fs-ops.ts';
import { makeTar, once } from '../../../helpers/image-tar.ts';

const missing = spawnSync('setfattr', ['--version'], { stdio: 'ignore' }).error ? 'setfattr is missing (apt-get install attr)' : process.getuid?.() !== 0 ? 'needs root for trusted./security. xattrs' : undefined;
if (missing) console.warn(`skipping xattr tests: ${missing}`);

function xattrs(path: string): Record<string, string> {
  const out = spawnSync('getfattr', ['-h', '-d', '-m', '-', '-e', 'hex', '--absolute-names', path], { encoding: 'utf8' }).stdout;
  return Object.fromEntries(out.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe.skipIf(missing !== undefined)('layer xattrs with setfattr', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-xattrs-'));
    mkdirSync(join(dir, 'diff'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies a layer’s xattrs in one setfattr call, quoting paths, after chown, dropping replaced members', async () => {
    const calls: string[][] = [];
    const exec: Exec = (file, args, options) => {
      calls.push([file, ...args]);
      return realExec(file, args, options);
    };
    const cap = Buffer.from('0100000200200000000000000000000000000000', 'hex');
    const tar = makeTar([
      { name: 'bin/', type: 'dir' },
      { name: 'bin/ping', data: 'x', mode: 0o755, uid: 1000, gid: 1000, pax: { 'SCHILY.xattr.security.capability': cap, 'SCHILY.xattr.user.note': 'hi' } },
      { name: 'with space é\\x', data: 'y', pax: { 'SCHILY.xattr.user.k': 'v' } },
      { name: 'gone', data: 'old', pax: { 'SCHILY.xattr.user.old': 'must not survive' } },
      { name: 'gone', data: 'new' },
      { name: 'opaque/', type: 'dir' },
      { name: 'opaque/.wh..wh..opq', data: '' },
      { name: 'link', type: 'symlink', linkname: 'bin/ping', pax: { 'SCHILY.xattr.trusted.t': 'on-the-link' } },
    ]);
    await extractLayer(once(tar), join(dir, 'diff'), { fsOps: execLayerFsOps(exec) });
    expect(calls.filter((c) => c[0] === 'setfattr')).toEqual([['setfattr', '-h', '--restore=-']]);
    const ping = xattrs(join(dir, 'diff/bin/ping'));
    expect(ping['security.capability']).toBe(`0x${cap.toString('hex')}`);
    expect(ping['user.note']).toBe(`0x${Buffer.from('hi').toString('hex')}`);
    expect(xattrs(join(dir, 'diff/with space é\\x'))['user.k']).toBe('0x76');
    expect(xattrs(join(dir, 'diff/gone'))).toEqual({});
    expect(xattrs(join(dir, 'diff/opaque'))['trusted.overlay.opaque']).toBe('0x79');
    expect(xattrs(join(dir, 'diff/link'))['trusted.t']).toBe(`0x${Buffer.from('on-the-link').toString('hex')}`);
  });

  it('writes the dump format setfattr reads', () => {
    expect(xattrDump([{ path: '/a b', name: 'user.x', value: Buffer.from('hi') }, { path: '/a b', name: 'user.y', value: Buffer.alloc(1) }, { path: '/c\\d', name: 'user.z', value: Buffer.from('1') }])).toBe(
      '# file: /a\\040b\nuser.x=0x6869\nuser.y=0x00\n\n# file: /c\\134d\nuser.z=0x31\n',
    );
  });
});
