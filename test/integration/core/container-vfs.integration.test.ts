// The vfs storage driver (no overlay: each container's root a full copy of its image) looking into
// containers through real conmon + crun: diff finds what the container added, changed and deleted by
// comparing its copy with the image's layers — whiteouts and opaque dirs of the image honoured, nothing
// unchanged reported — and commit turns those changes into a layer (deletions as whiteouts) whose
// image runs with them; cp works in and out of a stopped vfs container.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withRootFSFromImage } from '../../../main/core/container-config.ts';
import type { ContainerOption } from '../../../main/core/container-config.ts';
import { copyPaths } from '../../../main/core/container-copy.ts';
import { isMounted, rootfsPaths } from '../../../main/core/container-rootfs.ts';
import { withOCIRuntime, withStorageConfig } from '../../../main/core/runtime-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { busyboxLayer, busyboxMissing, buildImage, layerFromMembers } from '../../helpers/image-builder.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { addImage } from '../../helpers/stored-image.ts';
import { tarMembers } from '../../helpers/tar-members.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? busyboxMissing() ?? null;
const image = 'localhost/test/vfs-layered:latest';

describe.skipIf(skip !== null)(`Looking into containers (crun, vfs)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let runtime: Runtime;
  let hostDir: string;
  // busybox, then a layer that deletes /etc/group (a whiteout), replaces /opt/old with an opaque dir
  // and adds files: the image view must show none of the hidden paths.
  const layered = buildImage([
    busyboxLayer(),
    layerFromMembers([
      { name: 'opt/', type: 'dir' },
      { name: 'opt/old/', type: 'dir' },
      { name: 'opt/old/hidden', data: 'below the opaque dir\n' },
      { name: 'etc/shadowed', data: 'deleted by the next layer\n' },
    ]),
    layerFromMembers([
      { name: 'etc/', type: 'dir' },
      { name: 'etc/.wh.shadowed', data: '' },
      { name: 'opt/', type: 'dir' },
      { name: 'opt/old/', type: 'dir' },
      { name: 'opt/old/.wh..wh..opq', data: '' },
      { name: 'opt/old/kept', data: 'in the opaque dir\n' },
      { name: 'app/', type: 'dir' },
      { name: 'app/hello.txt', data: 'hello\n' },
      { name: 'app/link', type: 'symlink', linkname: 'hello.txt' },
    ]),
  ], { oci: true });

  beforeEach(async () => {
    store = tempStore();
    hostDir = mkdtempSync(join(tmpdir(), 'podbay-vfs-host-'));
    runtime = openRuntime(store, [withOCIRuntime('crun'), withStorageConfig({ driver: 'vfs' })], { cliScript: null });
    await addImage(runtime, layered, [image]);
  });
  afterEach(async () => {
    await runtime.removeContainers(runtime.containers(), true, { timeout: 0 });
    runtime.shutdown(true);
    rmSync(hostDir, { recursive: true, force: true });
    await removeStoreDir(store.dir);
  });

  const ran = async (args: string[], from = image, ...options: ContainerOption[]) => {
    const ctr = await runtime.newContainer({ process: { args } }, [withRootFSFromImage(from, true), ...options]);
    await ctr.start();
    expect(await ctr.wait()).toBe(0);
    await ctr.stop();
    return ctr;
  };
  const output = async (ctr: { logs(): AsyncGenerator<{ text: string }> }) => {
    const lines: string[] = [];
    for await (const line of ctr.logs()) lines.push(line.text);
    return lines;
  };

  it('reports no changes for a container that changed nothing, started or not', async () => {
    const fresh = await runtime.newContainer({ process: { args: ['true'] } }, [withRootFSFromImage(image, true)]);
    expect(await fresh.changes()).toEqual([]);
    const idle = await ran(['true']);
    // What the runtime itself makes (mount points for /dev, /proc, /sys, /etc/hosts …) is not the user's.
    expect((await idle.changes()).filter((c) => c.kind !== 'C')).toEqual([]);
  });

  it('lists added, changed and deleted paths against the layer chain, by path', async () => {
    const ctr = await ran(['sh', '-c', [
      'echo a > /added',
      'echo more >> /etc/passwd',
      'rm /etc/group',
      'mkdir -p /newdir/sub',
      'rm /opt/old/kept',
      'chmod 600 /app/hello.txt',
      'ln -sf /etc/passwd /app/link',
      'rm -r /usr',
    ].join(' && ')]);
    const changes = await ctr.changes();
    const byPath = new Map(changes.map((c) => [c.path, c.kind]));
    expect(Object.fromEntries([...byPath].filter(([path]) => !['/', '/dev', '/proc', '/sys', '/run', '/etc', '/tmp'].includes(path) || path === '/etc'))).toEqual({
      '/added': 'A',
      '/app/hello.txt': 'C',
      '/app/link': 'C',
      '/etc': 'C',
      '/etc/group': 'D',
      '/etc/passwd': 'C',
      '/newdir': 'A',
      '/newdir/sub': 'A',
      '/opt/old': 'C',
      '/opt/old/kept': 'D',
      '/usr': 'D',
    });
    // Hidden by the image's own whiteout and opaque dir: never reported as deleted.
    expect(byPath.has('/etc/shadowed')).toBe(false);
    expect(byPath.has('/opt/old/hidden')).toBe(false);
    // Below a deleted directory only the directory itself is reported.
    expect(changes.some((c) => c.path.startsWith('/usr/'))).toBe(false);
  });

  it('commits the changes as a layer with whiteouts; the image runs with them and --change applies', async () => {
    const ctr = await ran(['sh', '-c', 'echo new > /newfile && rm /etc/group && rm /opt/old/kept && echo x > /app/x && echo changed > /app/hello.txt']);
    const report = await ctr.commit({ name: 'vfs-committed', changes: ['CMD=cat /newfile'] });
    const images = await runtime.images();
    const stored = images.store.lookupImage('vfs-committed');
    expect(stored.id).toBe(report.id);
    expect(stored.layers).toHaveLength(4);

    // The new layer holds the changes and nothing else of the image.
    const top = stored.layers.at(-1)!;
    const blob = readFileSync(images.store.blobs.path(top.blobDigest));
    const members = (await tarMembers(gunzipSync(blob))).map((m) => m.entry.name.replace(/\/$/, ''));
    expect(members).toEqual(expect.arrayContaining(['newfile', 'etc/.wh.group', 'opt/old/.wh.kept', 'app/x', 'app/hello.txt']));
    expect(members).not.toContain('bin/busybox');
    expect(members).not.toContain('etc/passwd');
    expect(members.length).toBeLessThan(20);

    const byCmd = await ran([], 'vfs-committed');
    expect(await output(byCmd)).toEqual(['new']);
    const check = await ran(['sh', '-c', 'test -e /etc/group && echo group; test -e /opt/old/kept && echo kept; cat /app/x /app/hello.txt; test -e /opt/old/hidden && echo hidden; true'], 'vfs-committed');
    expect(await output(check)).toEqual(['x', 'changed']);
    // A container of the committed image starts with no changes of its own.
    expect((await check.changes()).filter((c) => c.kind !== 'C')).toEqual([]);
  });

  it('copies into and out of a stopped vfs container (its copy, nothing mounted)', async () => {
    const ctr = await ran(['sh', '-c', 'echo from-inside > /root/out.txt']);
    const source = join(hostDir, 'in.txt');
    writeFileSync(source, 'into a stopped one\n');
    await copyPaths(runtime, { path: source }, { container: ctr.id(), path: '/root/' });
    const { merged } = rootfsPaths(store.graphRoot, ctr.id());
    expect(isMounted(merged)).toBe(false);
    expect(readFileSync(join(merged, 'root', 'in.txt'), 'utf8')).toBe('into a stopped one\n');
    await copyPaths(runtime, { container: ctr.id(), path: '/root/out.txt' }, { path: join(hostDir, 'out.txt') });
    expect(readFileSync(join(hostDir, 'out.txt'), 'utf8')).toBe('from-inside\n');
    expect(await ctr.changes()).toEqual(expect.arrayContaining([{ path: '/root/in.txt', kind: 'A' }, { path: '/root/out.txt', kind: 'A' }]));
  });
});
