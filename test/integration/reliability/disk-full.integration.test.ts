// Disk full: the graph root on a 16 MiB tmpfs made by the test. A pull, import or commit bigger than the disk ends in
// ErrNoSpace (category resource-exhausted), leaves no partial image and gives the space back; the
// store stays usable (a small pull and a container work, system check finds nothing). A store
// filled to the last byte refuses new records the same typed way and works again once space is freed.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodbayError, hasCode } from '../../../shared/errors.ts';
import { withName, withRootFSFromImage } from '../../../main/core/container-config.ts';
import { pushImage } from '../../../main/core/image/push.ts';
import { parseNormalizedReference } from '../../../main/core/image/reference.ts';
import { Runtime } from '../../../main/core/runtime.ts';
import { withConfigFiles, withHostProbe, withMode, withStorageConfig } from '../../../main/core/runtime-config.ts';
import { checkSystem } from '../../../main/core/system/system-check.ts';
import { podbay } from '../../helpers/cli.ts';
import { rejection } from '../../helpers/error-codes.ts';
import { fakeProbe, sleepSpec } from '../../helpers/core-store.ts';
import { bigLayers, buildImage, layerFromMembers, storeImage } from '../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';
import { recordSoak } from '../../helpers/soak.ts';

const skip = process.getuid?.() !== 0 ? 'mounting a tmpfs needs root' : (registryMissing() ?? null);

describe.skipIf(skip !== null)(`a full disk under the store${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let graphRoot: string;
  let runRoot: string;
  let registry: RegistryServer;
  let runtime: Runtime;
  let typed = 0;
  const freeBytes = () => {
    const s = statfsSync(graphRoot);
    return s.bavail * s.bsize;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-full-'));
    graphRoot = join(dir, 'graph');
    runRoot = join(dir, 'run');
    mkdirSync(graphRoot);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', graphRoot], { encoding: 'utf8' });
    if (mounted.status !== 0) throw new Error(`mounting a tmpfs: ${mounted.stderr}`);
    registry = await startRegistry();
    const source = join(dir, 'source');
    const big = buildImage(bigLayers(1, 24 * 1024 * 1024));
    const small = buildImage([layerFromMembers([{ name: 'bin/', type: 'dir' }, { name: 'bin/tool', data: 'small image', mode: 0o755 }])]);
    for (const [image, path] of [[big, 'full/big:1'], [small, 'full/small:1']] as const) {
      await storeImage(source, image);
      await pushImage(parseNormalizedReference(`${registry.host}/${path}`), { graphRoot: source, manifestDigest: image.manifestDigest, tlsVerify: false });
    }
    runtime = Runtime.create([withMode('rootful'), withConfigFiles([]), withHostProbe(fakeProbe), withStorageConfig({ graphRoot, runRoot })], { cliScript: null });
  }, 120_000);

  afterAll(async () => {
    recordSoak({ suite: 'disk full (16 MiB tmpfs graph root)', hostileInputs: 6, typedErrors: typed, crashes: 0 });
    runtime?.shutdown(true);
    await registry?.stop();
    if (graphRoot) spawnSync('umount', ['-l', graphRoot]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends a pull bigger than the disk in ErrNoSpace, keeps no partial image and gives the space back', async () => {
    const before = freeBytes();
    const images = await runtime.images();
    const error = await rejection(images.pull(`${registry.host}/full/big:1`, { tlsVerify: false }));
    expect(error).toBeInstanceOf(PodbayError);
    expect((error as PodbayError).code, String(error)).toBe('ErrNoSpace');
    expect((error as PodbayError).category).toBe('resource-exhausted');
    typed++;
    expect(images.list()).toEqual([]);
    expect(freeBytes()).toBeGreaterThanOrEqual(before - 1024 * 1024);
    expect((await checkSystem(runtime)).issues).toEqual([]);
  });

  it('says so on the command line too: exit 125 and an Error: line', () => {
    const result = podbay(['--root', graphRoot, '--runroot', runRoot, 'pull', '--tls-verify=false', `${registry.host}/full/big:1`], { timeoutMs: 120_000 });
    expect(result.code).toBe(125);
    expect(result.stderr).toMatch(/^Error: .*no space left on device/m);
    typed++;
  });

  it('ends an import bigger than the disk in ErrNoSpace, with nothing of it kept', async () => {
    const tarball = join(dir, 'big-rootfs.tar');
    writeFileSync(tarball, bigLayers(1, 20 * 1024 * 1024)[0]!.tar);
    const before = freeBytes();
    const result = podbay(['--root', graphRoot, '--runroot', runRoot, 'import', tarball, 'localhost/too-big:1'], { timeoutMs: 120_000 });
    expect(result.code).toBe(125);
    expect(result.stderr).toMatch(/^Error: .*no space left on device/m);
    typed++;
    const images = await runtime.images();
    expect(images.list()).toEqual([]);
    expect(freeBytes()).toBeGreaterThanOrEqual(before - 1024 * 1024);
    expect((await checkSystem(runtime)).issues).toEqual([]);
  });

  it('stays usable: a small pull and a container from it work', async () => {
    const images = await runtime.images();
    const [pulled] = await images.pull(`${registry.host}/full/small:1`, { tlsVerify: false });
    expect(pulled?.repoTags).toEqual([`${registry.host}/full/small:1`]);
    await runtime.newContainer(sleepSpec, [withName('after-full'), withRootFSFromImage(`${registry.host}/full/small:1`, true)]);
    expect(runtime.containers().map((c) => c.name())).toContain('after-full');
    expect((await checkSystem(runtime)).issues).toEqual([]);
  });

  it('ends a commit bigger than the disk in ErrNoSpace: no new image, the space back, the container as it was', async () => {
    // 10 MiB of random bytes (gzip cannot shrink them) in the writable layer: the layer blob does not fit beside it.
    const payload = join(dir, 'payload');
    writeFileSync(payload, randomBytes(10 * 1024 * 1024));
    const ctr = await runtime.newContainer(sleepSpec, [withName('to-commit'), withRootFSFromImage(`${registry.host}/full/small:1`, true)]);
    const copied = podbay(['--root', graphRoot, '--runroot', runRoot, 'cp', payload, 'to-commit:/payload'], { timeoutMs: 60_000 });
    expect(copied.code, copied.stderr).toBe(0);
    const images = await runtime.images();
    const imagesBefore = images.list().map((i) => i.id);
    const before = freeBytes();
    const error = await rejection(ctr.commit({ name: 'localhost/committed-too-big:1' }));
    expect(hasCode(error, 'ErrNoSpace'), String(error)).toBe(true);
    expect((error as PodbayError).category).toBe('resource-exhausted');
    typed++;
    expect(images.list().map((i) => i.id)).toEqual(imagesBefore);
    expect(freeBytes()).toBeGreaterThanOrEqual(before - 1024 * 1024);
    expect((await checkSystem(runtime)).issues).toEqual([]);
    // The command line says it the same way.
    const cli = podbay(['--root', graphRoot, '--runroot', runRoot, 'commit', 'to-commit', 'localhost/committed-too-big:2'], { timeoutMs: 60_000 });
    expect(cli.code).toBe(125);
    expect(cli.stderr).toMatch(/^Error: .*no space left on device/m);
    typed++;
    // The container is intact (its file still there) and goes, giving its space back.
    expect((await ctr.changes()).map((c) => c.path)).toContain('/payload');
    await runtime.removeContainer(ctr, true);
    expect(freeBytes()).toBeGreaterThan(before + 9 * 1024 * 1024);
    expect((await checkSystem(runtime)).issues).toEqual([]);
  }, 120_000);

  it('refuses new records with ErrNoSpace when not a byte is left, and takes them again once space is freed', async () => {
    const filler = join(graphRoot, 'filler');
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    // SQLite may still have room in pages it holds: create until it has none.
    let refusal: unknown;
    for (let i = 0; i < 500 && refusal === undefined; i++) {
      refusal = await rejection(runtime.newContainer(sleepSpec, [withName(`filler-${i}`), withRootFSFromImage(`${registry.host}/full/small:1`, true)]));
    }
    expect(hasCode(refusal, 'ErrNoSpace'), String(refusal)).toBe(true);
    typed++;
    rmSync(filler);
    await runtime.newContainer(sleepSpec, [withName('space-again'), withRootFSFromImage(`${registry.host}/full/small:1`, true)]);
    expect(runtime.containers().map((c) => c.name())).toContain('space-again');
    expect((await checkSystem(runtime)).issues).toEqual([]);
  });
});
