// export, commit, mount/umount, cp, top, stats and diff as a user runs them: the built CLI, each
// command its own process, real conmon + crun. The committed image runs under podbay, pushes to
// Debian's docker-registry on 127.0.0.1 (skopeo reads it back), and podman — the oracle — loads and
// runs it from `podbay save`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../../main/core/runtime.ts';
import { podbay, cliPath } from '../../helpers/cli.ts';
import { removeStoreDir, storeOptions, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { busyboxLayer, busyboxMissing, buildImage } from '../../helpers/image-builder.ts';
import { makeTar } from '../../helpers/image-tar.ts';
import { tarContents } from '../../helpers/tar-members.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';
import { addImage } from '../../helpers/stored-image.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? busyboxMissing() ?? registryMissing() ?? null;
const podmanMissing = spawnSync('podman', ['--version'], { stdio: 'ignore' }).error ? 'podman is missing (apt-get install podman)' : null;
const skopeoMissing = spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).error ? 'skopeo is missing (apt-get install skopeo)' : null;

describe.skipIf(skip !== null)(`podbay export/commit/mount/cp/top/stats/diff${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let globals: string[];
  const cli = (...args: string[]) => podbay([...globals, ...args], { timeoutMs: 60_000 });
  const ok = (...args: string[]) => {
    const result = cli(...args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const raw = (args: string[], input?: Buffer) => spawnSync(process.execPath, [cliPath, ...globals, ...args], { input, maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });

  beforeAll(async () => {
    store = tempStore();
    globals = ['--root', store.graphRoot, '--runroot', store.runRoot];
    const runtime = Runtime.create(storeOptions(store), { cliScript: null });
    await addImage(runtime, buildImage([busyboxLayer()], { oci: true }), ['localhost/busybox:latest']);
    runtime.shutdown(true);
  }, 60_000);
  afterAll(async () => {
    cli('rm', '-f', '-t', '0', '-a');
    await sleep(300);
    await removeStoreDir(store.dir);
  });

  it('exports to a file and to stdout, and the tar holds what the container wrote', async () => {
    ok('run', '--name', 'exp', '--network', 'none', 'busybox', 'sh', '-c', 'echo exported > /marker');
    const file = join(store.dir, 'exp.tar');
    ok('export', '-o', file, 'exp');
    expect((await tarContents(readFileSync(file))).get('marker')).toBe('exported\n');
    const piped = raw(['export', 'exp']);
    expect(piped.status, piped.stderr.toString()).toBe(0);
    expect((await tarContents(piped.stdout)).has('bin/busybox')).toBe(true);
    const missing = cli('export', 'no-such-container');
    expect(missing.code).toBe(125);
    expect(missing.stderr).toMatch(/^Error: /);
  });

  it('commits with --change CMD and -q: the ID on stdout, and `run` of the new image runs that command', () => {
    ok('run', '--name', 'base', '--network', 'none', 'busybox', 'sh', '-c', 'echo from the layer > /committed.txt; rm /etc/group');
    const id = ok('commit', '-q', '--change', 'CMD=cat /committed.txt', '--author', 'me', '-m', 'first commit', 'base', 'snapshot:1').trim();
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    const images = JSON.parse(ok('images', '--format', 'json')) as { Id: string; Names: string[] }[];
    expect(images.find((i) => i.Id === id)?.Names).toEqual(['localhost/snapshot:1']);
    expect(ok('run', '--rm', '--network', 'none', 'snapshot:1')).toBe('from the layer\n');
    expect(cli('run', '--rm', '--network', 'none', 'snapshot:1', 'test', '-e', '/etc/group').code).toBe(1);
    const progress = cli('commit', '--format', 'docker', '--pause=false', 'base');
    expect(progress.code, progress.stderr).toBe(0);
    expect(progress.stderr).toContain('Writing manifest to image destination');
    expect(cli('commit', '--change', 'BOGUS x', 'base').stderr).toMatch(/^Error: .*invalid instruction BOGUS/);
  });

  describe.skipIf(podmanMissing !== null || skopeoMissing !== null)(`the committed image elsewhere${podmanMissing ?? skopeoMissing ? ` (skipped: ${podmanMissing ?? skopeoMissing})` : ''}`, () => {
    let registry: RegistryServer;
    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(async () => registry?.stop());
    const podman = (args: string[]) =>
      spawnSync('podman', ['--root', join(store.dir, 'podman-root'), '--runroot', join(store.dir, 'podman-run'), '--storage-driver', 'overlay', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', ...args], { encoding: 'utf8', timeout: 120_000 });

    it('pushes to a registry and runs under podman after save + load', () => {
      ok('run', '--name', 'oracle', '--network', 'none', 'busybox', 'sh', '-c', 'echo seen by podman > /oracle.txt');
      ok('commit', '-q', '--change', 'CMD ["cat", "/oracle.txt"]', 'oracle', 'oracle:1');
      ok('push', '--tls-verify=false', 'oracle:1', `${registry.host}/podbay/oracle:1`);
      const inspect = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${registry.host}/podbay/oracle:1`], { encoding: 'utf8' })) as { Layers: string[] };
      expect(inspect.Layers).toHaveLength(2);
      const archive = join(store.dir, 'oracle.tar');
      ok('save', '-o', archive, 'oracle:1');
      try {
        const loaded = podman(['load', '-i', archive]);
        expect(loaded.status, loaded.stderr).toBe(0);
        // The host's hard NOFILE limit is below podman's default (see README, Host quirks).
        const ran = podman(['run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', 'localhost/oracle:1']);
        expect(ran.stderr).toBe('');
        expect(ran.stdout).toBe('seen by podman\n');
        expect(ran.status).toBe(0);
      } finally {
        podman(['rm', '-a', '-f']);
        spawnSync('umount', ['-R', join(store.dir, 'podman-root', 'overlay')], { stdio: 'ignore' });
      }
    });
  });

  it('mounts and unmounts: mount prints the path, lists it, umount takes it away', () => {
    ok('create', '--name', 'mnt', 'busybox', 'true');
    const path = ok('mount', 'mnt').trim();
    expect(readFileSync(join(path, 'etc', 'passwd'), 'utf8')).toContain('root');
    expect(ok('mount')).toContain(path);
    expect((JSON.parse(ok('mount', '--format', 'json')) as { mountpoint: string }[]).map((m) => m.mountpoint)).toContain(path);
    expect(ok('umount', 'mnt')).toMatch(/^[a-f0-9]{64}\n$/);
    expect(existsSync(join(path, 'etc'))).toBe(false);
  });

  it('copies in and out, with a tar on stdin and stdout, and refuses a traversal', async () => {
    ok('run', '-d', '--name', 'cp', '--network', 'none', 'busybox', 'sh', '-c', 'ln -s / /escape; sleep 1000');
    const host = join(store.dir, 'cp-host');
    mkdirSync(host);
    writeFileSync(join(host, 'in.txt'), 'in\n');
    ok('cp', join(host, 'in.txt'), 'cp:/escape/tmp/in.txt');
    expect(existsSync('/tmp/in.txt') && readFileSync('/tmp/in.txt', 'utf8') === 'in\n').toBe(false);
    ok('cp', 'cp:/tmp/in.txt', join(host, 'back.txt'));
    expect(readFileSync(join(host, 'back.txt'), 'utf8')).toBe('in\n');
    const tarOut = raw(['cp', 'cp:/etc', '-']);
    expect(tarOut.status, tarOut.stderr.toString()).toBe(0);
    expect((await tarContents(tarOut.stdout)).get('etc/passwd')).toContain('root:x:0:0');
    const tarIn = raw(['cp', '-', 'cp:/tmp'], makeTar([{ name: 'from-stdin.txt', data: 'stdin\n' }]));
    expect(tarIn.status, tarIn.stderr.toString()).toBe(0);
    expect(ok('exec', 'cp', 'cat', '/tmp/from-stdin.txt')).toBe('stdin\n');
    const escape = raw(['cp', '-', 'cp:/tmp'], makeTar([{ name: '../../escaped.txt', data: 'x' }]));
    expect(escape.status).toBe(125);
    expect(escape.stderr.toString()).toMatch(/^Error: .*outside of the destination/);
  });

  it('shows top, stats and diff of a running container', () => {
    ok('run', '-d', '--name', 'watch', '--network', 'none', '-m', '64m', 'busybox', 'sh', '-c', 'echo a > /added; rm /etc/group; sleep 1000');
    const top = ok('top', 'watch').split('\n');
    expect(top[0]).toMatch(/^USER\s+PID\s+PPID\s+%CPU\s+ELAPSED\s+TTY\s+TIME\s+COMMAND$/);
    expect(top.join('\n')).toMatch(/^root\s+1\s+0\s.*sleep 1000$/m);
    const stats = JSON.parse(ok('stats', '--no-stream', '--format', 'json', 'watch')) as { name: string; mem_usage: string; pids: string }[];
    expect(stats[0]?.name).toBe('watch');
    expect(stats[0]?.mem_usage).toMatch(/ \/ 67\.11MB$/);
    expect(Number(stats[0]?.pids)).toBeGreaterThanOrEqual(1);
    expect(ok('stats', '--no-stream', 'watch').split('\n')[0]).toMatch(/^ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT/);
    const diff = ok('diff', 'watch');
    expect(diff).toContain('A /added\n');
    expect(diff).toContain('D /etc/group\n');
    expect(diff).toContain('C /etc\n');
    expect(JSON.parse(ok('diff', '--format', 'json', 'watch'))).toMatchObject({ added: expect.arrayContaining(['/added']), deleted: ['/etc/group'] });
    expect(cli('top', 'exp').code).toBe(125);
  });
});
