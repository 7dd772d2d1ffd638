// `podbay import` and `podbay image history` as a user runs them (the built CLI): a busybox rootfs
// tarball, gzip from a file, plain from stdin and xz, bzip2 or zstd, with --change and --message, becomes a runnable
// single-layer image; and podman (the oracle, in its own throw-away store) loads what Podbay saves
// and saves what Podbay loads, several images per archive.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../../helpers/cli.ts';
import { busyboxLayer, busyboxMissing, layerFromMembers } from '../../helpers/image-builder.ts';
import type { BuiltLayer } from '../../helpers/image-builder.ts';
import { makeTempStore } from '../../helpers/temp-store.ts';
import type { TempStore } from '../../helpers/temp-store.ts';

const missing = busyboxMissing();
const skopeoMissing = spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).error ? 'skopeo is missing (apt-get install skopeo)' : undefined;
const podmanMissing = spawnSync('podman', ['--version'], { stdio: 'ignore' }).error ? 'podman is missing (apt-get install podman)' : undefined;
if (missing) console.warn(`skipping import tests: ${missing}`);

describe.skipIf(missing !== undefined)('podbay import and image history', () => {
  let store: TempStore;
  let rootfs: BuiltLayer;
  const run = (args: string[], input?: string | Buffer) => {
    const result = spawnSync(process.execPath, [cliPath, '--root', store.root, '--runroot', store.runRoot, ...args], { input, encoding: 'utf8', timeout: 60_000 });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(() => {
    store = makeTempStore('podbay-import-');
    rootfs = busyboxLayer();
    writeFileSync(join(store.dir, 'rootfs.tar.gz'), rootfs.blob);
  });
  afterAll(() => store?.cleanup());

  it('imports a gzip tarball with changes and a message; the image runs its CMD and shows its history', () => {
    const imported = run([
      'import',
      '--change',
      'CMD ["/bin/sh", "-c", "echo imported $GREETING from $(pwd)"]',
      '--change',
      'ENV GREETING=hello',
      '-c',
      'WORKDIR /tmp',
      '--change',
      'LABEL org.example.kind=rootfs',
      '--message',
      'from a tarball',
      join(store.dir, 'rootfs.tar.gz'),
      'imported:1',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    const id = imported.stdout.trim().replace(/^sha256:/, '');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const inspect = JSON.parse(run(['image', 'inspect', 'imported:1']).stdout) as { Id: string; RepoTags: string[]; Config: Record<string, unknown>; RootFS: { Layers: string[] }; Labels: Record<string, string> }[];
    expect(inspect[0]).toMatchObject({ Id: id, RepoTags: ['localhost/imported:1'], RootFS: { Layers: [rootfs.diffId] }, Labels: { 'org.example.kind': 'rootfs' } });
    expect(inspect[0]!.Config).toMatchObject({ Env: ['GREETING=hello'], WorkingDir: '/tmp', Cmd: ['/bin/sh', '-c', 'echo imported $GREETING from $(pwd)'] });

    const history = JSON.parse(run(['image', 'history', '--format', 'json', 'imported:1']).stdout) as { id: string; comment: string; size: number; tags: string[] }[];
    expect(history).toEqual([expect.objectContaining({ id, comment: 'from a tarball', size: rootfs.tar.length, tags: ['localhost/imported:1'] })]);
    const table = run(['history', 'imported:1']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    expect(table.stdout).toContain(id.slice(0, 12));

    const ran = run(['run', '--rm', 'imported:1']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe('imported hello from /tmp\n');
  });

  it('imports a plain tarball from stdin, refuses unknown changes and a corrupt xz stream, and keeps nothing of a refused import', () => {
    const plain = layerFromMembers([{ name: 'hello.txt', data: 'hi\n' }], false);
    const result = run(['import', '-', 'plain'], plain.tar);
    expect(result.code, result.stderr).toBe(0);
    const inspect = JSON.parse(run(['image', 'inspect', 'plain']).stdout) as { RootFS: { Layers: string[] }; Podbay: { Layers: { digest: string; mediaType: string }[] } }[];
    expect(inspect[0]!.RootFS.Layers).toEqual([plain.diffId]);
    expect(inspect[0]!.Podbay.Layers[0]).toMatchObject({ digest: plain.diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar' });

    const before = JSON.parse(run(['images', '--format', 'json']).stdout) as unknown[];
    const badChange = run(['import', '--change', 'RUN rm -rf /', '-'], plain.tar);
    expect(badChange.code).toBe(125);
    expect(badChange.stderr).toMatch(/^Error: invalid change "RUN rm -rf \/"/);
    const xz = run(['import', '-'], Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]));
    expect(xz.code).toBe(125);
    expect(xz.stderr).toMatch(/^Error: .*the xz stream is corrupt/m);
    expect(JSON.parse(run(['images', '--format', 'json']).stdout)).toHaveLength(before.length);
    expect(JSON.parse(run(['system', 'check', '--format', 'json']).stdout)).toMatchObject({ issues: [] });
  });

  for (const [compression, program, args] of [['xz', 'xz', ['-c', '-1']], ['bzip2', 'bzip2', ['-c', '-1']], ['zstd', 'zstd', ['-c', '-q']]] as const) {
    const absent = spawnSync(program, ['--version'], { stdio: 'ignore' }).error ? `${program} is missing` : null;
    it.skipIf(absent !== null)(`imports a ${compression}-compressed busybox rootfs (its DiffID the tar's, stored as gzip) that runs${absent ? ` (skipped: ${absent})` : ''}`, () => {
      const packed = spawnSync(program, [...args], { input: rootfs.tar, maxBuffer: 64 * 1024 * 1024 });
      expect(packed.status).toBe(0);
      const file = join(store.dir, `rootfs.tar.${compression}`);
      writeFileSync(file, packed.stdout);
      const imported = run(['import', '--change', 'CMD ["/bin/sh", "-c", "echo from ' + compression + '"]', file, `from-${compression}`]);
      expect(imported.code, imported.stderr).toBe(0);
      const inspect = JSON.parse(run(['image', 'inspect', `from-${compression}`]).stdout) as { RootFS: { Layers: string[] }; Podbay: { Layers: { mediaType: string }[] } }[];
      expect(inspect[0]!.RootFS.Layers).toEqual([rootfs.diffId]);
      expect(inspect[0]!.Podbay.Layers[0]!.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
      const ran = run(['run', '--rm', '--network', 'none', `from-${compression}`]);
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toBe(`from ${compression}\n`);
    });
  }

  it.skipIf(skopeoMissing !== undefined)('saves several images as an OCI layout dir (read by skopeo) and an oci-archive, and loads both back', () => {
    const layout = join(store.dir, 'layout');
    const saved = run(['save', '--format', 'oci-dir', '-o', layout, 'imported:1', 'plain']);
    expect(saved.code, saved.stderr).toBe(0);
    const inspected = spawnSync('skopeo', ['inspect', `oci:${layout}:localhost/imported:1`], { encoding: 'utf8' });
    expect(inspected.status, inspected.stderr).toBe(0);
    const imported = JSON.parse(run(['image', 'inspect', 'imported:1']).stdout) as { Digest: string }[];
    expect((JSON.parse(inspected.stdout) as { Digest: string }).Digest).toBe(imported[0]!.Digest);
    expect(run(['save', '--format', 'oci-dir', '-o', layout, 'plain']).code).toBe(125);

    const archive = join(store.dir, 'two.oci.tar');
    expect(run(['save', '--format', 'oci-archive', '-o', archive, 'imported:1', 'plain']).code).toBe(0);
    for (const source of [layout, archive]) {
      const fresh = makeTempStore('podbay-oci-load-');
      try {
        const result = spawnSync(process.execPath, [cliPath, '--root', fresh.root, '--runroot', fresh.runRoot, 'load', '-i', source], { encoding: 'utf8', timeout: 60_000 });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toBe('Loaded image: localhost/imported:1\nLoaded image: localhost/plain:latest\n');
      } finally {
        fresh.cleanup();
      }
    }
  });

  describe.skipIf(podmanMissing !== undefined)('archives with podman as the oracle', () => {
    let podmanStore: TempStore;
    const podman = (args: string[]) => spawnSync('podman', ['--root', join(podmanStore.dir, 'root'), '--runroot', join(podmanStore.dir, 'run'), '--storage-driver', 'vfs', ...args], { encoding: 'utf8', timeout: 120_000 });
    beforeAll(() => {
      podmanStore = makeTempStore('podbay-podman-oracle-');
    });
    afterAll(() => podmanStore?.cleanup());

    it('podman loads a docker-archive of two images Podbay saved, and Podbay loads the archive podman saves of them', () => {
      const archive = join(store.dir, 'two.tar');
      const saved = run(['save', '--format', 'docker-archive', '-o', archive, 'imported:1', 'plain']);
      expect(saved.code, saved.stderr).toBe(0);
      const loaded = podman(['load', '-i', archive]);
      expect(loaded.status, loaded.stderr).toBe(0);
      const listed = podman(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
      expect(listed.stdout).toContain('localhost/imported:1');
      expect(listed.stdout).toContain('localhost/plain:latest');

      const back = join(store.dir, 'from-podman.tar');
      const podmanSaved = podman(['save', '--multi-image-archive', '--format', 'docker-archive', '-o', back, 'localhost/imported:1', 'localhost/plain:latest']);
      expect(podmanSaved.status, podmanSaved.stderr).toBe(0);
      const fresh = makeTempStore('podbay-from-podman-');
      try {
        const result = spawnSync(process.execPath, [cliPath, '--root', fresh.root, '--runroot', fresh.runRoot, 'load', '-i', back], { encoding: 'utf8', timeout: 60_000 });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toContain('Loaded image: localhost/imported:1');
        expect(result.stdout).toContain('Loaded image: localhost/plain:latest');
        const ids = JSON.parse(spawnSync(process.execPath, [cliPath, '--root', fresh.root, '--runroot', fresh.runRoot, 'images', '--format', 'json'], { encoding: 'utf8' }).stdout) as { Id: string }[];
        const originals = JSON.parse(run(['images', '--format', 'json']).stdout) as { Id: string; RepoTags: string[] | null }[];
        // Same configs → same image IDs on both sides.
        expect(new Set(ids.map((i) => i.Id))).toEqual(new Set(originals.filter((o) => o.RepoTags?.some((t) => t === 'localhost/imported:1' || t === 'localhost/plain:latest')).map((o) => o.Id)));
      } finally {
        fresh.cleanup();
      }
    });
  });
});
