import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import type { Exec } from '../../../../main/core/exec.ts';
import { mountPoints, NetnsManager } from '../../../../main/core/network/netns.ts';
import { fakeHost } from '../../../helpers/network-fakes.ts';

describe('NetnsManager', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-netns-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes its directory a shared mount once, then creates namespaces with unshare --net=<file>', async () => {
    const host = fakeHost();
    const netns = new NetnsManager(join(dir, 'netns'), host.exec, undefined, () => host.mounts);
    const a = await netns.create();
    const b = await netns.create();
    expect(host.calls.map((c) => [c.file, ...c.args])).toEqual([
      ['/usr/bin/mount', '--bind', join(dir, 'netns'), join(dir, 'netns')],
      ['/usr/bin/mount', '--make-shared', join(dir, 'netns')],
      ['/usr/bin/unshare', `--net=${a}`, 'true'],
      ['/usr/bin/unshare', `--net=${b}`, 'true'],
    ]);
    expect(netns.list().sort()).toEqual([a, b].sort());
    await netns.remove(a);
    expect(host.calls.at(-1)).toMatchObject({ file: '/usr/bin/umount', args: ['--lazy', a] });
    expect(netns.list()).toEqual([b]);
    await netns.remove(a); // idempotent
  });

  it('refuses to remove what is not one of its namespaces', async () => {
    const netns = new NetnsManager(join(dir, 'netns'), fakeHost().exec);
    const error = await netns.remove('/etc/passwd').catch((e: unknown) => e);
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
  });

  it('reports EPERM from unshare as ErrPermission and leaves no file behind', async () => {
    const host = fakeHost();
    const exec: Exec = async (file, args, options) =>
      file.endsWith('unshare') ? { exitCode: 1, stdout: '', stderr: 'unshare: unshare failed: Operation not permitted' } : host.exec(file, args, options);
    const netns = new NetnsManager(join(dir, 'netns'), exec, undefined, () => host.mounts);
    const error = await netns.create().catch((e: unknown) => e);
    expect(hasCode(error, 'ErrPermission')).toBe(true);
    expect(netns.list()).toEqual([]);
  });

  it('reuses one scratch namespace and keeps it out of the container list', async () => {
    const host = fakeHost();
    const netns = new NetnsManager(join(dir, 'netns'), host.exec, undefined, () => host.mounts);
    const first = await netns.scratch();
    expect(await netns.scratch()).toBe(first);
    expect(host.calls.filter((c) => c.file.endsWith('unshare'))).toHaveLength(1);
    expect(netns.list()).toEqual([]);
  });

  it('reads mount points and their propagation from mountinfo, decoding octal escapes', () => {
    const file = join(dir, 'mountinfo');
    writeFileSync(
      file,
      [
        '22 1 0:21 / /run rw,nosuid shared:5 - tmpfs tmpfs rw',
        '40 22 0:4 net:[4026532177] /run/podbay/netns/netns-a rw - nsfs nsfs rw',
        '41 22 0:30 / /tmp/with\\040space rw shared:9 master:2 - tmpfs tmpfs rw',
      ].join('\n'),
    );
    const points = mountPoints(file);
    expect(points.get('/run')).toEqual({ shared: true });
    expect(points.get('/run/podbay/netns/netns-a')).toEqual({ shared: false });
    expect(points.get('/tmp/with space')).toEqual({ shared: true });
  });
});
