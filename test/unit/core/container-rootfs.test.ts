import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { newContainerDraft, withRootFSFromImage, withStopSignal } from '../../../main/core/container-config.ts';
import type { ContainerConfigDraft } from '../../../main/core/container-config.ts';
import { foldProcess, isMounted, resolvedImageName, layerDiffPath, lowerDirs, mountDataLimit, overlayMountData, rootfsPaths } from '../../../main/core/container-rootfs.ts';

const hex = (c: string) => c.repeat(64);
const diff = (c: string) => `sha256:${hex(c)}`;

function draftWith(args: string[], extra: Partial<ContainerConfigDraft['spec']['process']> = {}): ContainerConfigDraft {
  return newContainerDraft({ process: { args, ...extra } });
}

describe('container rootfs layout', () => {
  it('puts the writable layer under <graphRoot>/containers/<id>/{upper,work,merged}', () => {
    expect(rootfsPaths('/g', 'abc')).toEqual({ dir: '/g/containers/abc', upper: '/g/containers/abc/upper', work: '/g/containers/abc/work', merged: '/g/containers/abc/merged' });
  });

  it('lists lower dirs top layer first, keeping only the upper occurrence of a repeated layer', () => {
    expect(lowerDirs('/g', [diff('a'), diff('b'), diff('a'), diff('c')])).toEqual([
      `/g/layers/${hex('c')}/diff`,
      `/g/layers/${hex('a')}/diff`,
      `/g/layers/${hex('b')}/diff`,
    ]);
  });

  it('refuses a layer digest that is not sha256 hex before it forms a path', () => {
    for (const bad of ['sha256:../../etc', 'md5:abc', `sha256:${hex('A')}`]) {
      let error: unknown;
      try {
        layerDiffPath('/g', bad);
      } catch (e) {
        error = e;
      }
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    }
  });
});

describe('overlayMountData', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-rootfs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses absolute lower dirs while the options fit in a page', () => {
    const paths = rootfsPaths(dir, 'c1');
    const lowers = lowerDirs(dir, [diff('a'), diff('b')]);
    expect(overlayMountData(dir, lowers, paths)).toEqual({ data: `lowerdir=${lowers.join(':')},upperdir=${paths.upper},workdir=${paths.work}` });
  });

  it('switches to relative l/<short> links from the layer store when absolute paths exceed a page', () => {
    const paths = rootfsPaths(dir, 'c1');
    const ids = Array.from({ length: 60 }, (_, i) => `sha256:${i.toString(16).padStart(2, '0').repeat(32)}`);
    const lowers = lowerDirs(dir, ids);
    expect(`lowerdir=${lowers.join(':')}`.length).toBeGreaterThan(mountDataLimit);
    const { data, cwd } = overlayMountData(dir, lowers, paths);
    expect(cwd).toBe(join(dir, 'layers'));
    expect(data.length).toBeLessThanOrEqual(mountDataLimit);
    const first = /^lowerdir=(l\/[a-f0-9]{26}):/.exec(data)?.[1];
    expect(first).toBeDefined();
    // Top layer first, and the link leads to its diff dir relative to the layer store.
    expect(readlinkSync(join(dir, 'layers', first as string))).toBe(`../${ids[59]!.slice(7)}/diff`);
    expect(data).toContain(`,upperdir=${paths.upper},workdir=${paths.work}`);
  });

  it('refuses more layers than fit even as short links (ErrInvalidArg)', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `sha256:${i.toString(16).padStart(4, '0').repeat(16)}`);
    let error: unknown;
    try {
      overlayMountData(dir, lowerDirs(dir, ids), rootfsPaths(dir, 'c1'), () => 'l/xxxxxxxxxxxxxxxxxxxxxxxxxx');
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
  });
});

describe('isMounted', () => {
  const info = [
    '22 27 0:21 / /proc rw,relatime - proc proc rw',
    '52 27 0:49 / /var/lib/podbay/containers/x/merged rw,relatime - overlay overlay rw,lowerdir=/a',
    '53 27 0:50 / /tmp/with\\040space/merged rw - overlay overlay rw',
  ].join('\n');
  it('reads mount points from mountinfo, octal escapes included', () => {
    expect(isMounted('/var/lib/podbay/containers/x/merged', info)).toBe(true);
    expect(isMounted('/tmp/with space/merged', info)).toBe(true);
    expect(isMounted('/var/lib/podbay/containers/x', info)).toBe(false);
  });
});

describe('foldProcess (the image merge at create)', () => {
  const image = {
    Entrypoint: ['/entry'],
    Cmd: ['default'],
    Env: ['PATH=/image/bin', 'A=image', 'B=image'],
    WorkingDir: '/work',
    User: 'app',
    StopSignal: 'SIGQUIT',
    Labels: { a: 'image', b: 'image' },
    Volumes: { '/v2': {}, '/v1': {} },
  };

  it('uses the image entrypoint + cmd, env, workdir, user, stop signal, labels and notes volumes', () => {
    const draft = draftWith([]);
    draft.labels = { b: 'user' };
    foldProcess(draft, image);
    expect(draft.spec.process).toEqual({ args: ['/entry', 'default'], env: ['PATH=/image/bin', 'container=podman', 'A=image', 'B=image'], cwd: '/work', user: 'app' });
    expect(draft.stopSignal).toBe(3);
    expect(draft.labels).toEqual({ a: 'image', b: 'user' });
    expect(draft.imageVolumes).toEqual(['/v1', '/v2']);
  });

  it('lets the user replace cmd, entrypoint ([""] clears it), env, workdir, user and the stop signal', () => {
    const draft = draftWith(['x'], { entrypoint: [''], env: ['A=user'], cwd: '/tmp', user: 'root' });
    withStopSignal('TERM')({ finalized: false, draft });
    foldProcess(draft, image);
    expect(draft.spec.process).toMatchObject({ args: ['x'], cwd: '/tmp', user: 'root' });
    expect(draft.spec.process.entrypoint).toBeUndefined();
    expect(draft.spec.process.env).toContain('A=user');
    expect(draft.stopSignal).toBe(15);
  });

  it('a command without an entrypoint keeps the image entrypoint; nothing at all → ErrInvalidArg', () => {
    const draft = draftWith(['arg']);
    foldProcess(draft, image);
    expect(draft.spec.process.args).toEqual(['/entry', 'arg']);
    let error: unknown;
    try {
      foldProcess(draftWith([]), {});
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
  });

  it('records the image as named, with an ID pinned when given; a bad ID → ErrInvalidArg', () => {
    const draft = draftWith(['sh']);
    withRootFSFromImage('busybox', true, hex('f'))({ finalized: false, draft });
    expect(draft.rootfsImage).toEqual({ name: 'busybox', useImageConfig: true, id: hex('f') });
    let error: unknown;
    try {
      withRootFSFromImage('busybox', true, 'nothex')({ finalized: false, draft: draftWith(['sh']) });
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
  });
});

describe('resolvedImageName', () => {
  const image = { id: hex('e'), names: ['docker.io/library/busybox:latest', '127.0.0.1:5000/tools/box:1.0'] };
  it('gives the stored full name a short or partial name matched, and keeps IDs and digests as given', () => {
    expect(resolvedImageName('busybox', image)).toBe('docker.io/library/busybox:latest');
    expect(resolvedImageName('library/busybox:latest', image)).toBe('docker.io/library/busybox:latest');
    expect(resolvedImageName('tools/box:1.0', image)).toBe('127.0.0.1:5000/tools/box:1.0');
    expect(resolvedImageName('127.0.0.1:5000/tools/box:1.0', image)).toBe('127.0.0.1:5000/tools/box:1.0');
    expect(resolvedImageName('eeee', image)).toBe('eeee');
    expect(resolvedImageName(`sha256:${hex('e')}`, image)).toBe(`sha256:${hex('e')}`);
    expect(resolvedImageName(`busybox@sha256:${hex('1')}`, image)).toBe(`busybox@sha256:${hex('1')}`);
  });
});
