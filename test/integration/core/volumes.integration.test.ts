// What containers store, through real conmon + crun (busybox rootfs, throw-away store): named volumes
// that outlive their containers, host binds (read-only ones refuse writes), tmpfs, a read-only rootfs
// with podman's writable tmpfs dirs, destinations resolved inside the rootfs (a symlink in it cannot
// send a mount to the host), volumes in use protected, anonymous volumes removed with `rm -v`, image
// VOLUMEs backed by anonymous volumes holding the image's content, and the log size limit.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import type { ContainerCreateOptions } from '../../../shared/types/containers.ts';
import { withName, withRootFSFromImage, withRootFSFromPath } from '../../../main/core/container-config.ts';
import { withNamedVolumes } from '../../../main/core/container-mounts.ts';
import { createContainer } from '../../../main/core/container-create.ts';
import { inspectContainer } from '../../../main/core/container-inspect.ts';
import type { Container } from '../../../main/core/container.ts';
import { pushImage } from '../../../main/core/image/push.ts';
import { parseNormalizedReference } from '../../../main/core/image/reference.ts';
import { withOCIRuntime } from '../../../main/core/runtime-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { withVolumeLabels, withVolumeName, withVolumeOptions } from '../../../main/core/volume-config.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { busyboxLayer, busyboxMissing, buildImage, layerFromMembers, storeImage } from '../../helpers/image-builder.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');

async function output(ctr: Container): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of ctr.logs()) lines.push(line.text);
  return lines;
}

function volumeEvents(store: TempStore): { action: string; id: string }[] {
  if (!existsSync(store.eventsLog)) return [];
  return readFileSync(store.eventsLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; action: string; id: string }).filter((e) => e.type === 'volume');
}

describe.skipIf(skip !== null)(`Volumes and mounts (crun)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let runtime: Runtime;
  let host: string;
  beforeEach(() => {
    store = tempStore();
    makeBusyboxRootfs(store.rootfs);
    host = mkdtempSync(join(tmpdir(), 'podbay-bind-'));
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
  });
  afterEach(async () => {
    try {
      await runtime.removeContainers(runtime.containers(), true, { timeout: 0 });
      runtime.shutdown(true);
    } catch {
      // the test shut it down
    }
    await removeStoreDir(store.dir);
    rmSync(host, { recursive: true, force: true });
  });

  /** Runs a container from the busybox rootfs to its end; returns it and its exit code. */
  const run = async (command: string[], extra: Partial<ContainerCreateOptions> = {}) => {
    const ctr = await createContainer(runtime, { rootfs: store.rootfs, command, start: true, ...extra });
    return { ctr, code: await ctr.wait() };
  };

  it('a file written in a named volume outlives its container and is seen by the next one', async () => {
    const first = await run(['sh', '-c', 'echo kept > /data/file'], { volumes: ['shared:/data'] });
    expect(first.code).toBe(0);
    // Created on demand, with an event, under <graphRoot>/volumes/<name>/_data.
    const vol = runtime.lookupVolume('shared');
    expect(vol.anonymous()).toBe(false);
    expect(readFileSync(join(store.graphRoot, 'volumes', 'shared', '_data', 'file'), 'utf8')).toBe('kept\n');
    expect(volumeEvents(store)).toEqual([expect.objectContaining({ action: 'create', id: 'shared' })]);
    expect(vol.users()).toEqual([first.ctr.id()]);

    await runtime.removeContainer(first.ctr, false, { volumes: true });
    expect(runtime.hasVolume('shared')).toBe(true);
    expect(vol.users()).toEqual([]);

    const second = await run(['cat', '/srv/file'], { mounts: [{ type: 'volume', source: 'shared', destination: '/srv' }] });
    expect(second.code).toBe(0);
    expect(await output(second.ctr)).toEqual(['kept']);
  });

  it('a read-only bind mount shows the host files and refuses writes; a writable one writes to the host', async () => {
    writeFileSync(join(host, 'hello.txt'), 'from the host\n');
    const ro = await run(['sh', '-c', 'cat /mnt/hello.txt; touch /mnt/new 2>/dev/null && echo wrote || echo refused'], { volumes: [`${host}:/mnt:ro`] });
    expect(ro.code).toBe(0);
    expect(await output(ro.ctr)).toEqual(['from the host', 'refused']);
    expect(existsSync(join(host, 'new'))).toBe(false);

    const rw = await run(['sh', '-c', 'echo back > /mnt/written'], { mounts: [{ type: 'bind', source: host, destination: '/mnt' }] });
    expect(rw.code).toBe(0);
    expect(readFileSync(join(host, 'written'), 'utf8')).toBe('back\n');
  });

  it('a bind source that does not exist is refused with podman’s error before anything is created', async () => {
    const missing = join(host, 'nope');
    const error = await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], volumes: [`${missing}:/mnt`] }).catch((e: unknown) => e);
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect((error as Error).message).toBe(`statfs ${missing}: no such file or directory`);
    expect(runtime.containers()).toEqual([]);
  });

  it('--tmpfs mounts a tmpfs with its options; --read-only refuses writes but keeps /tmp, /var/tmp and /run writable', async () => {
    const tmpfs = await run(['sh', '-c', 'grep " /scratch " /proc/mounts; echo x > /scratch/f && cat /scratch/f'], { tmpfs: ['/scratch:size=1m,mode=700'] });
    expect(tmpfs.code).toBe(0);
    const [mountLine, content] = await output(tmpfs.ctr);
    expect(mountLine).toMatch(/^tmpfs \/scratch tmpfs rw,.*size=1024k.*mode=700/);
    expect(content).toBe('x');

    const ro = await run(['sh', '-c', 'touch /etc/x 2>/dev/null && echo wrote-etc || echo refused-etc; for d in /tmp /var/tmp /run; do touch $d/ok && echo $d-ok; done'], { readOnly: true });
    expect(ro.code).toBe(0);
    expect(await output(ro.ctr)).toEqual(['refused-etc', '/tmp-ok', '/var/tmp-ok', '/run-ok']);
    expect(existsSync(join(store.rootfs, 'etc', 'x'))).toBe(false);

    const strict = await run(['sh', '-c', 'touch /tmp/x 2>/dev/null && echo wrote || echo refused'], { readOnly: true, readOnlyTmpfs: false });
    expect(await output(strict.ctr)).toEqual(['refused']);
  });

  it('a destination reached through a symlink in the rootfs stays inside the rootfs', async () => {
    // /escape → ../../../../<host dir>: followed lexically on the host it would land in `host`.
    symlinkSync(`${'../'.repeat(12)}${host.slice(1)}`, join(store.rootfs, 'escape'));
    const result = await run(['sh', '-c', 'echo inside > /escape/f'], { volumes: ['trap:/escape'] });
    expect(result.code).toBe(0);
    expect(existsSync(join(host, 'f'))).toBe(false);
    expect(readFileSync(join(store.graphRoot, 'volumes', 'trap', '_data', 'f'), 'utf8')).toBe('inside\n');
    // The mount point was made inside the rootfs, where the link resolves when the rootfs is "/".
    expect(statSync(join(store.rootfs, host)).isDirectory()).toBe(true);
  });

  it('a volume in use cannot be removed without force; force removes the containers using it, as podman does', async () => {
    await runtime.newVolume([withVolumeName('busy'), withVolumeLabels({ app: 'db' })]);
    const user = await runtime.newContainer({ process: { args: ['true'] } }, [withRootFSFromPath(store.rootfs), withName('user'), withNamedVolumes([{ name: 'busy', destination: '/data', options: [] }])]);
    const vol = runtime.getVolume('busy');
    const refused = await runtime.removeVolume(vol, false).catch((e: unknown) => e);
    expect(hasCode(refused, 'ErrVolumeBeingUsed')).toBe(true);
    expect((refused as Error).message).toContain('user');
    expect(runtime.hasVolume('busy')).toBe(true);

    expect(await runtime.removeVolume(vol, true)).toEqual([user.id()]);
    expect(runtime.hasVolume('busy')).toBe(false);
    expect(runtime.hasContainer(user.id())).toBe(false);
    expect(existsSync(join(store.graphRoot, 'volumes', 'busy'))).toBe(false);
    expect(volumeEvents(store).map((e) => e.action)).toEqual(['create', 'remove']);
  });

  it('rm -v removes a container’s anonymous volumes and keeps its named ones; prune removes unused volumes', async () => {
    const { ctr } = await run(['sh', '-c', 'echo a > /anon/f; echo n > /named/f'], { volumes: ['/anon', 'named:/named'] });
    const anon = inspectContainer(ctr, runtime.state(), { logPath: '', graphRoot: store.graphRoot }).mounts?.find((m) => m.destination === '/anon');
    expect(anon).toMatchObject({ type: 'volume', anonymous: true, rw: true });
    const anonName = anon?.name as string;
    expect(runtime.getVolume(anonName).anonymous()).toBe(true);

    await runtime.removeContainer(ctr, false, { volumes: true });
    expect(runtime.hasVolume(anonName)).toBe(false);
    expect(runtime.hasVolume('named')).toBe(true);

    await runtime.newVolume([withVolumeName('keep'), withVolumeLabels({ keep: 'yes' })]);
    const report = await runtime.pruneVolumes({ 'label!': ['keep'] });
    expect(report).toEqual({ removed: ['named'], errors: [] });
    expect(runtime.listVolumes().map((v) => v.name())).toEqual(['keep']);
  });

  it('a volume with mount options (type=tmpfs) is mounted while a container uses it and unmounted after', async () => {
    await runtime.newVolume([withVolumeName('ram'), withVolumeOptions({ type: 'tmpfs', device: 'tmpfs', o: 'size=2m' })]);
    const data = join(store.graphRoot, 'volumes', 'ram', '_data');
    const mounted = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === data);
    const ctr = await createContainer(runtime, { rootfs: store.rootfs, command: ['sh', '-c', 'df -k /cache | tail -1; sleep 30'], volumes: ['ram:/cache'], start: true });
    expect(mounted()).toBe(true);
    await ctr.stop({ timeout: 0 });
    expect(mounted()).toBe(false);
    const [df] = await output(ctr);
    expect(df).toMatch(/^tmpfs\s+2048\s/);
  });

  it('conmon truncates the log at --log-opt max-size and logs still reads it', async () => {
    const { ctr, code } = await run(['sh', '-c', 'i=0; while [ $i -lt 3000 ]; do echo line-$i; i=$((i+1)); done'], { logSizeMax: 16_384 });
    expect(code).toBe(0);
    const log = runtime.containerPaths(ctr.id()).logPath;
    expect(statSync(log).size).toBeLessThanOrEqual(16_384 + 128);
    const lines = await output(ctr);
    expect(lines.at(-1)).toBe('line-2999');
    expect(lines).not.toContain('line-0');
  });
});

const imageSkip = skip ?? registryMissing() ?? busyboxMissing() ?? null;

describe.skipIf(imageSkip !== null)(`Image VOLUMEs (crun, overlay)${imageSkip ? ` (skipped: ${imageSkip})` : ''}`, () => {
  let registry: RegistryServer;
  let source: TempStore;
  let store: TempStore;
  let runtime: Runtime;
  const content = layerFromMembers([
    { name: 'srv/', type: 'dir', mode: 0o755 },
    { name: 'srv/data/', type: 'dir', mode: 0o750, uid: 1234, gid: 4321 },
    { name: 'srv/data/seed.txt', data: 'from the image\n' },
  ]);
  const image = buildImage([busyboxLayer(), content], { config: { Volumes: { '/srv/data': {} } } });
  const ref = () => `${registry.host}/test/volumes:latest`;

  beforeAll(async () => {
    registry = await startRegistry();
    source = tempStore();
    await storeImage(source.graphRoot, image);
    await pushImage(parseNormalizedReference(ref()), { graphRoot: source.graphRoot, manifestDigest: image.manifestDigest, tlsVerify: false });
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
    source?.cleanup();
  });
  beforeEach(() => {
    store = tempStore();
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
  });
  afterEach(async () => {
    try {
      await runtime.removeContainers(runtime.containers(), true, { timeout: 0 });
      runtime.shutdown(true);
    } catch {
      // the test shut it down
    }
    await removeStoreDir(store.dir);
  });

  it('gets an anonymous volume at create, filled with the image’s content (owner and mode kept) at the first start', async () => {
    await (await runtime.images()).pull(ref(), { tlsVerify: false });
    const ctr = await runtime.newContainer({ process: { args: ['sh', '-c', 'cat /srv/data/seed.txt && echo more > /srv/data/added'] } }, [withRootFSFromImage(ref(), true)]);
    const volumes = runtime.listVolumes();
    expect(volumes).toHaveLength(1);
    const vol = volumes[0]!;
    expect(vol.anonymous()).toBe(true);
    expect(vol.users()).toEqual([ctr.id()]);
    expect(vol.cachedState().needsCopyUp).toBe(true);

    await ctr.start();
    expect(await ctr.wait()).toBe(0);
    expect(await output(ctr)).toEqual(['from the image']);
    const data = join(store.graphRoot, 'volumes', vol.name(), '_data');
    expect(readFileSync(join(data, 'seed.txt'), 'utf8')).toBe('from the image\n');
    expect(readFileSync(join(data, 'added'), 'utf8')).toBe('more\n');
    expect(statSync(data)).toMatchObject({ uid: 1234, gid: 4321 });
    expect(statSync(data).mode & 0o777).toBe(0o750);
    expect(runtime.getVolume(vol.name()).sync().needsCopyUp).toBe(false);

    // A second start copies nothing over what the container wrote.
    rmSync(join(data, 'seed.txt'));
    await ctr.start();
    expect(await ctr.wait()).toBe(1);

    // A user mount on the same destination replaces the anonymous volume.
    const covered = await createContainer(runtime, { image: ref(), command: ['true'], pull: 'never', volumes: ['mine:/srv/data'] });
    expect(covered.configuration().namedVolumes?.map((v) => v.name)).toEqual(['mine']);

    await runtime.removeContainer(ctr, true, { volumes: true });
    expect(runtime.hasVolume(vol.name())).toBe(false);
  });
});

describe('volume directories', () => {
  it('are refused a name that would leave the volumes directory', async () => {
    const store = tempStore();
    const runtime = openRuntime(store, [], { cliScript: null });
    try {
      for (const name of ['../escape', 'a/b', '.hidden', '']) {
        const error = await runtime.newVolume([withVolumeName(name)]).catch((e: unknown) => e);
        expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
      }
      mkdirSync(join(store.graphRoot, 'volumes'), { recursive: true });
      expect(runtime.listVolumes()).toEqual([]);
    } finally {
      runtime.shutdown(true);
      store.cleanup();
    }
  });
});
