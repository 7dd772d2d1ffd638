// Looking into and out of containers through real conmon + crun and the image store: export, commit
// (the new image runs, with its whiteouts honoured and --change applied), mount counting, cp both
// ways with symlinks resolved inside the container, top, stats from the cgroup, and diff.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { withName, withResources, withRootFSFromImage } from '../../../main/core/container-config.ts';
import { withMounts, withNamedVolumes } from '../../../main/core/container-mounts.ts';
import type { ContainerOption } from '../../../main/core/container-config.ts';
import { copyPaths } from '../../../main/core/container-copy.ts';
import { isMounted, rootfsPaths } from '../../../main/core/container-rootfs.ts';
import { withOCIRuntime } from '../../../main/core/runtime-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { busyboxLayer, busyboxMissing, buildImage } from '../../helpers/image-builder.ts';
import { makeTar, once } from '../../helpers/image-tar.ts';
import { tarMembers } from '../../helpers/tar-members.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { addImage } from '../../helpers/stored-image.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? busyboxMissing() ?? null;
const image = 'localhost/test/busybox:latest';

describe.skipIf(skip !== null)(`Looking into containers (crun, overlay)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let runtime: Runtime;
  let hostDir: string;
  const busybox = buildImage([busyboxLayer()], { oci: true });

  beforeEach(async () => {
    store = tempStore();
    hostDir = mkdtempSync(join(tmpdir(), 'podbay-cp-host-'));
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
    await addImage(runtime, busybox, [image]);
  });
  afterEach(async () => {
    try {
      await runtime.removeContainers(runtime.containers(), true, { timeout: 0 });
      runtime.shutdown(true);
    } catch {
      // the test shut it down
    }
    rmSync(hostDir, { recursive: true, force: true });
    await removeStoreDir(store.dir);
  });

  const container = (args: string[], ...options: ContainerOption[]) => runtime.newContainer({ process: { args } }, [withRootFSFromImage(image, true), ...options]);
  const ran = async (args: string[], ...options: ContainerOption[]) => {
    const ctr = await container(args, ...options);
    await ctr.start();
    expect(await ctr.wait()).toBe(0);
    // No exit command runs here (cliScript null): stop does the cleanup it would (the unmount).
    await ctr.stop();
    return ctr;
  };
  const output = async (ctr: { logs(): AsyncGenerator<{ text: string }> }) => {
    const lines: string[] = [];
    for await (const line of ctr.logs()) lines.push(line.text);
    return lines;
  };

  it('exports a stopped container\'s rootfs with the image\'s files and what it wrote, mounting it only for the export', async () => {
    const ctr = await ran(['sh', '-c', 'echo written at run time > /written; ln -s /etc /etclink; chmod 600 /written']);
    const { merged } = rootfsPaths(store.graphRoot, ctr.id());
    expect(isMounted(merged)).toBe(false);
    const out = join(hostDir, 'export.tar');
    await ctr.export(out);
    expect(isMounted(merged)).toBe(false);
    const entries = new Map((await tarMembers(readFileSync(out))).map((m) => [m.entry.name, m]));
    expect([...entries.keys()][0]).toBe('./');
    expect(entries.get('bin/busybox')?.entry).toMatchObject({ type: 'file', mode: 0o755 });
    expect(entries.get('bin/sh')?.entry).toMatchObject({ type: 'symlink', linkname: 'busybox' });
    expect(entries.get('written')).toMatchObject({ data: 'written at run time\n', entry: { mode: 0o600, uid: 0 } });
    expect(entries.get('etclink')?.entry).toMatchObject({ type: 'symlink', linkname: '/etc' });
    expect(entries.get('etc/passwd')?.data).toContain('root:x:0:0');
  });

  it('exports a running container through its merged dir and leaves it mounted', async () => {
    const ctr = await container(['sh', '-c', 'echo live > /live; sleep 1000']);
    await ctr.start();
    const { merged } = rootfsPaths(store.graphRoot, ctr.id());
    for (let i = 0; i < 100 && !existsSync(join(merged, 'live')); i++) await new Promise((r) => setTimeout(r, 20));
    const chunks: Buffer[] = [];
    await ctr.export(async (tar) => {
      for await (const c of tar) chunks.push(c);
    });
    const entries = new Map((await tarMembers(Buffer.concat(chunks))).map((m) => [m.entry.name, m]));
    expect(entries.get('live')?.data).toBe('live\n');
    expect(isMounted(merged)).toBe(true);
  });

  it('counts mounts: a user mount outlives a stop, umount unmounts, and the run\'s own mount cannot be unmounted', async () => {
    const ctr = await container(['sleep', '1000']);
    const { merged } = rootfsPaths(store.graphRoot, ctr.id());
    expect(await ctr.mount()).toBe(merged);
    expect(readFileSync(join(merged, 'etc', 'passwd'), 'utf8')).toContain('root');
    await ctr.start();
    await ctr.stop({ timeout: 0 });
    expect(isMounted(merged)).toBe(true);
    await ctr.unmount();
    expect(isMounted(merged)).toBe(false);
    await ctr.start();
    let error: unknown;
    try {
      await ctr.unmount();
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrCtrStateInvalid')).toBe(true);
    expect(isMounted(merged)).toBe(true);
    await ctr.stop({ timeout: 0 });
    expect(isMounted(merged)).toBe(false);
  });

  it('commits written, deleted and replaced files as a layer with OCI whiteouts; the image runs and --change applies', async () => {
    const ctr = await ran(['sh', '-c', 'echo new > /newfile; rm /etc/group; rm -rf /var/www; mkdir /var/www; echo x > /var/www/x']);
    const report = await ctr.commit({ name: 'committed', author: 'Tester <t@example.com>', message: 'a message', changes: ['CMD=cat /newfile', 'ENV GREETING=hi', 'LABEL stage=commit', 'WORKDIR /var'], pause: true });
    expect(report.names).toEqual(['localhost/committed:latest']);
    const images = await runtime.images();
    const stored = images.store.lookupImage('committed');
    expect(stored.id).toBe(report.id);
    expect(stored.layers).toHaveLength(2);
    const config = stored.config as { author?: string; config: Record<string, unknown>; history: { comment?: string }[]; rootfs: { diff_ids: string[] } };
    expect(config.author).toBe('Tester <t@example.com>');
    expect(config.config.Cmd).toEqual(['/bin/sh', '-c', 'cat /newfile']);
    expect(config.config.Env).toEqual(expect.arrayContaining(['GREETING=hi', 'container=podman']));
    expect(config.config.Labels).toMatchObject({ stage: 'commit' });
    expect(config.config.WorkingDir).toBe('/var');
    expect(config.history.at(-1)?.comment).toBe('a message');
    expect(config.rootfs.diff_ids).toHaveLength(2);

    const byCmd = await runtime.newContainer({ process: { args: [] } }, [withRootFSFromImage('committed', true)]);
    await byCmd.start();
    expect(await byCmd.wait()).toBe(0);
    expect(await output(byCmd)).toEqual(['new']);
    const check = await runtime.newContainer({ process: { args: ['sh', '-c', 'test -e /etc/group && echo group; test -e /var/www/index.html && echo index; cat /var/www/x; pwd'] } }, [withRootFSFromImage('committed', true)]);
    await check.start();
    expect(await check.wait()).toBe(0);
    expect(await output(check)).toEqual(['x', '/var']);
  });

  it('pauses a running container for the commit and unpauses it, also when the commit fails', async () => {
    const ctr = await container(['sleep', '1000']);
    await ctr.start();
    const phases: string[] = [];
    await ctr.commit({ name: 'live', onFrame: (f) => f.type === 'progress' && phases.push(f.phase) });
    expect(phases[0]).toBe('pausing');
    expect(phases.at(-1)).toBe('done');
    expect(ctr.status()).toBe('running');
    let error: unknown;
    try {
      await ctr.commit({ name: 'bad', changes: ['FROBNICATE x'] });
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect(ctr.status()).toBe('running');
  });

  it('copies into a running container through symlinks resolved inside it, and out to the host owned by the caller', async () => {
    const ctr = await container(['sh', '-c', 'ln -s / /escape; ln -s ../../../../../../tmp /up; sleep 1000']);
    await ctr.start();
    const { merged } = rootfsPaths(store.graphRoot, ctr.id());
    for (let i = 0; i < 100 && !existsSync(join(merged, 'up')); i++) await new Promise((r) => setTimeout(r, 20));
    const marker = `podbay-cp-${ctr.id().slice(0, 12)}`;
    const source = join(hostDir, 'hello.txt');
    writeFileSync(source, 'hello from the host\n');
    await copyPaths(runtime, { path: source }, { container: ctr.id(), path: `/escape/tmp/${marker}` });
    await copyPaths(runtime, { path: source }, { container: ctr.name(), path: `/up/${marker}-2` });
    expect(existsSync(join('/tmp', marker))).toBe(false);
    expect(existsSync(join('/tmp', `${marker}-2`))).toBe(false);
    expect(readFileSync(join(merged, 'tmp', marker), 'utf8')).toBe('hello from the host\n');
    expect(readFileSync(join(merged, 'tmp', `${marker}-2`), 'utf8')).toBe('hello from the host\n');

    await copyPaths(runtime, { container: ctr.id(), path: '/escape/etc/passwd' }, { path: hostDir });
    expect(readFileSync(join(hostDir, 'passwd'), 'utf8')).toContain('root:x:0:0');
    expect(statSync(join(hostDir, 'passwd')).uid).toBe(process.getuid?.() ?? 0);
    await copyPaths(runtime, { container: ctr.id(), path: '/etc' }, { path: join(hostDir, 'etc-copy') });
    expect(readFileSync(join(hostDir, 'etc-copy', 'group'), 'utf8')).toContain('root');

    let error: unknown;
    try {
      await copyPaths(runtime, { path: '-' }, { container: ctr.id(), path: '/tmp' }, { stdin: once(makeTar([{ name: `../../${marker}-escape`, data: 'x' }])) });
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect(existsSync(join(merged, `${marker}-escape`))).toBe(false);
    let missing: unknown;
    try {
      await copyPaths(runtime, { container: ctr.id(), path: '/no/such/file' }, { path: hostDir });
    } catch (e) {
      missing = e;
    }
    expect(hasCode(missing, 'ErrInvalidArg')).toBe(true);
  });

  it('sees a running container as its processes do: its bind-mounted /etc/hostname, relative paths from its workdir', async () => {
    const ctr = await runtime.newContainer({ process: { args: ['sleep', '1000'], cwd: '/tmp' } }, [withRootFSFromImage(image, true)]);
    await ctr.start();
    await copyPaths(runtime, { container: ctr.id(), path: '/etc/hostname' }, { path: hostDir });
    expect(readFileSync(join(hostDir, 'hostname'), 'utf8').trim()).toBe(ctr.id().slice(0, 12));
    const source = join(hostDir, 'rel.txt');
    writeFileSync(source, 'relative\n');
    await copyPaths(runtime, { path: source }, { container: ctr.id(), path: 'here.txt' });
    expect(readFileSync(join(rootfsPaths(store.graphRoot, ctr.id()).merged, 'tmp', 'here.txt'), 'utf8')).toBe('relative\n');
    const listing = await ctr.listFiles('/etc');
    expect(listing.entries.find((e) => e.name === 'hostname')?.size).toBeGreaterThan(0);
  });

  it('copies into a stopped container, which is mounted only for the copy', async () => {
    const ctr = await ran(['true']);
    const source = join(hostDir, 'in.txt');
    writeFileSync(source, 'into a stopped one\n');
    await copyPaths(runtime, { path: source }, { container: ctr.id(), path: '/root/' });
    const { merged, upper } = rootfsPaths(store.graphRoot, ctr.id());
    expect(isMounted(merged)).toBe(false);
    expect(readFileSync(join(upper, 'root', 'in.txt'), 'utf8')).toBe('into a stopped one\n');
  });

  it('copies into and out of a stopped container\'s volume and bind mount, not the rootfs beneath them', async () => {
    const bound = join(hostDir, 'bound');
    mkdirSync(bound);
    const ctr = await ran(['sh', '-c', 'echo in-volume > /data/v.txt'], withNamedVolumes([{ name: 'cpvol', destination: '/data', options: [] }]), withMounts([{ type: 'bind', source: bound, destination: '/srv/bound', options: [] }]));
    await copyPaths(runtime, { container: ctr.id(), path: '/data/v.txt' }, { path: join(hostDir, 'v.txt') });
    expect(readFileSync(join(hostDir, 'v.txt'), 'utf8')).toBe('in-volume\n');
    const source = join(hostDir, 'to-bind.txt');
    writeFileSync(source, 'bound\n');
    await copyPaths(runtime, { path: source }, { container: ctr.id(), path: '/srv/bound/' });
    expect(readFileSync(join(bound, 'to-bind.txt'), 'utf8')).toBe('bound\n');
    await copyPaths(runtime, { path: source }, { container: ctr.id(), path: '/data/new.txt' });
    const { upper } = rootfsPaths(store.graphRoot, ctr.id());
    expect(existsSync(join(upper, 'data', 'new.txt'))).toBe(false);
    const check = await runtime.newContainer({ process: { args: ['cat', '/data/new.txt'] } }, [withRootFSFromImage(image, true), withNamedVolumes([{ name: 'cpvol', destination: '/data', options: [] }])]);
    await check.start();
    expect(await check.wait()).toBe(0);
    expect(await output(check)).toEqual(['bound']);
  });

  it('lists the processes of a running container as podman top does', async () => {
    const ctr = await container(['sleep', '1000'], withName('topped'));
    await ctr.start();
    const report = await ctr.top();
    expect(report.titles).toEqual(['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND']);
    expect(report.processes).toContainEqual(['root', '1', '0', expect.stringMatching(/^\d+\.\d{3}$/), expect.stringMatching(/s$/), '?', expect.stringMatching(/s$/), 'sleep 1000']);
    const custom = await ctr.top(['pid,comm', 'hpid']);
    expect(custom.titles).toEqual(['PID', 'COMMAND', 'HPID']);
    expect(custom.processes[0]?.slice(0, 2)).toEqual(['1', 'sleep']);
  });

  it('reports memory usage and the memory limit from the cgroup', async () => {
    const ctr = await container(['sh', '-c', 'dd if=/dev/zero of=/dev/null bs=1M count=1 2>/dev/null; sleep 1000'], withResources({ memoryBytes: 64 * 1024 * 1024 }));
    await ctr.start();
    const sample = (await ctr.stats().next()).value;
    expect(sample).toBeDefined();
    expect(sample?.memUsage).toBeGreaterThan(0);
    expect(sample?.memLimit).toBe(64 * 1024 * 1024);
    expect(sample?.pids).toBeGreaterThanOrEqual(1);
    expect(sample?.cpuNanos).toBeGreaterThan(0);
  });

  it('lists added, changed and deleted paths against the image', async () => {
    const ctr = await ran(['sh', '-c', 'echo a > /added; echo more >> /etc/passwd; rm /etc/group; mkdir -p /newdir/sub']);
    const changes = await ctr.changes();
    expect(changes).toEqual(expect.arrayContaining([
      { path: '/added', kind: 'A' },
      { path: '/etc', kind: 'C' },
      { path: '/etc/passwd', kind: 'C' },
      { path: '/etc/group', kind: 'D' },
      { path: '/newdir', kind: 'A' },
      { path: '/newdir/sub', kind: 'A' },
    ]));
    expect(changes.map((c) => c.path)).not.toContain('/etc/hosts');
  });
});
