// Rootless mode as a workstation user meets it: the built CLI run as the unprivileged test user
// (runuser), its own HOME and XDG_RUNTIME_DIR, images from Debian's docker-registry on 127.0.0.1,
// real conmon + crun inside the user's namespace.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage } from '../../../main/core/image/push.ts';
import { freePort } from '../../../main/core/rootless/slirp4netns.ts';
import { parseNormalizedReference } from '../../../main/core/image/reference.ts';
import { busyboxLayer, busyboxMissing, buildImage, layerFromMembers, storeImage } from '../../helpers/image-builder.ts';
import type { BuiltImage } from '../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';
import { makeRootlessUserDirs, podbayAs, removeRootlessUserDirs, rootlessSkipReason, rootlessTestUser } from '../../helpers/rootless-cli.ts';
import type { RootlessUserDirs } from '../../helpers/rootless-cli.ts';
import type { SystemInfo } from '../../../shared/types/system-info.ts';

const skip = rootlessSkipReason() ?? registryMissing() ?? busyboxMissing() ?? null;

describe.skipIf(skip !== null)(`rootless podbay CLI${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dirs: RootlessUserDirs;
  let registry: RegistryServer;
  let busybox: BuiltImage;
  const cli = (...args: string[]) => podbayAs(dirs, args);
  const image = () => `${registry.host}/library/busybox:latest`;

  beforeAll(async () => {
    dirs = makeRootlessUserDirs('podbay-rootless-');
    registry = await startRegistry();
    const conf = join(dirs.home, '.config', 'containers');
    mkdirSync(conf, { recursive: true });
    writeFileSync(join(conf, 'registries.conf'), `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
    const { uid, gid } = statSync(dirs.home);
    for (const path of [join(dirs.home, '.config'), conf, join(conf, 'registries.conf')]) chownSync(path, uid, gid);
    const source = join(dirs.dir, 'source');
    // A second layer owned by uid/gid 1000 and holding a device node, which a user namespace cannot make.
    const appLayer = layerFromMembers([
      { name: 'home/', type: 'dir', mode: 0o755 },
      { name: 'home/app/', type: 'dir', mode: 0o755, uid: 1000, gid: 1000 },
      { name: 'home/app/data', data: 'owned by 1000\n', uid: 1000, gid: 1000 },
      { name: 'dev/', type: 'dir', mode: 0o755 },
      { name: 'dev/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 },
    ]);
    busybox = buildImage([busyboxLayer(), appLayer]);
    await storeImage(source, busybox);
    await pushImage(parseNormalizedReference(image()), { graphRoot: source, manifestDigest: busybox.manifestDigest, tlsVerify: false });
  }, 120_000);

  afterAll(async () => {
    if (dirs) {
      cli('rm', '-f', '-t', '0', '-a');
      removeRootlessUserDirs(dirs);
    }
    await registry?.stop();
  });

  it('info reports rootless mode, the XDG paths and the subordinate ranges, with no problems', () => {
    const result = cli('info', '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout) as SystemInfo;
    expect(info.podbay.mode).toBe('rootless');
    expect(info.store.graphRoot).toBe(join(dirs.home, '.local', 'share', 'podbay'));
    expect(info.store.runRoot).toBe(join(dirs.runtimeDir, 'podbay'));
    expect(info.rootless?.subuids.length).toBeGreaterThan(0);
    expect(info.rootless?.problems).toEqual([]);
  });

  it('pull extracts inside the user namespace: owners map through the subordinate range, device nodes are skipped', () => {
    const result = cli('pull', '--tls-verify=false', image());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(busybox.configDigest.slice(7));
    const images = JSON.parse(cli('images', '--format', 'json').stdout) as { Id: string; Names: string[] }[];
    expect(images).toEqual([expect.objectContaining({ Id: busybox.configDigest.slice(7), Names: [image()] })]);
    // Container uid 0 is the user; container uid 1000 is subordinate uid start + 999.
    const layers = join(dirs.home, '.local', 'share', 'podbay', 'layers');
    const diffs = readdirSync(layers).filter((name) => /^[0-9a-f]{64}$/.test(name)).map((name) => join(layers, name, 'diff'));
    const app = diffs.find((diff) => existsSync(join(diff, 'home', 'app', 'data')));
    expect(app).toBeDefined();
    const data = statSync(join(app as string, 'home', 'app', 'data'));
    expect([data.uid, data.gid]).toEqual([subordinateStart() + 999, subordinateStart() + 999]);
    expect(statSync(join(app as string, 'home')).uid).toBe(statSync(dirs.home).uid);
    expect(existsSync(join(app as string, 'dev', 'null'))).toBe(false);
  });

  it('save and load round-trip an image whose layer holds a device node and a uid 1000 owner', () => {
    const archive = join(dirs.home, 'busybox.tar');
    expect(cli('save', '--format', 'docker-archive', '-o', archive, image()).code).toBe(0);
    expect(cli('rmi', image()).code).toBe(0);
    const loaded = cli('load', '-i', archive);
    expect(loaded.code, loaded.stderr).toBe(0);
    const images = JSON.parse(cli('images', '--format', 'json').stdout) as { Id: string }[];
    expect(images.map((i) => i.Id)).toEqual([busybox.configDigest.slice(7)]);
  });

  it('run --network none runs the command as root of the user namespace, mapped onto the user', () => {
    const result = cli('run', '--rm', '--network', 'none', image(), 'sh', '-c', 'echo hi; id -u; cat /proc/self/uid_map');
    expect(result.code, result.stderr).toBe(0);
    const [hi, uid, ...map] = result.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
    expect([hi, uid]).toEqual(['hi', '0']);
    expect(map).toEqual([`0 ${statSync(dirs.home).uid} 1`, `1 ${subordinateStart()} 65536`]);
  });

  it('create, start, attach, exec, logs and rm work on a detached container', () => {
    const created = cli('create', '--name', 'talker', '--network', 'none', image(), 'sh', '-c', 'sleep 3; echo attached-output');
    expect(created.code, created.stderr).toBe(0);
    expect(cli('start', 'talker').code).toBe(0);
    const exec = cli('exec', 'talker', 'sh', '-c', 'echo exec-ok $(id -u)');
    expect(exec.stdout, exec.stderr).toBe('exec-ok 0\n');
    // Attach follows the output until the container exits, then exits with its status.
    const attach = cli('attach', 'talker');
    expect(attach.stdout, attach.stderr).toBe('attached-output\n');
    expect(attach.code).toBe(0);
    expect(cli('logs', 'talker').stdout).toBe('attached-output\n');
    expect(cli('rm', 'talker').code).toBe(0);
    expect(cli('ps', '-a', '-q').stdout.trim()).toBe('');
  });

  // Limits may be delegated on cgroup v2: the refusal is for v1 hosts.
  it.skipIf(statfsSync('/sys/fs/cgroup').type === 0x63677270)('refuses resource limits on cgroup v1 with a message naming the flags, and runs nothing', () => {
    const result = cli('run', '--rm', '--network', 'none', '--memory', '64m', '--pids-limit', '10', image(), 'true');
    expect(result.code).toBe(125);
    expect(result.stderr).toMatch(/^Error: --memory, --pids-limit cannot be applied in rootless mode: this host uses cgroup v1/);
    expect(cli('ps', '-a', '-q').stdout.trim()).toBe('');
  });

  it('refuses named and bridge networks with the modes that work', () => {
    for (const network of ['bridge', 'podbay']) {
      const result = cli('run', '--rm', '--network', network, image(), 'true');
      expect(result.code).toBe(125);
      expect(result.stderr).toContain('bridge and named networks need root; rootless containers and pods use --network slirp4netns');
    }
    expect(cli('ps', '-a', '-q').stdout.trim()).toBe('');
  });

  it('the default network is slirp4netns: tap0 has its address, resolv.conf its DNS, and no slirp4netns is left after the run', () => {
    const result = cli('run', '--rm', image(), 'sh', '-c', 'ip -4 -o addr show tap0; grep nameserver /etc/resolv.conf');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/tap0\s+inet 10\.0\.2\.100\/24/);
    expect(result.stdout).toContain('nameserver 10.0.2.3');
    expect(slirpProcesses()).toEqual([]);
  });

  it('a published port is answered from the host, and rm -f leaves no slirp4netns behind', async () => {
    const port = await freePort();
    const run = cli('run', '-d', '--name', 'web', '-p', `127.0.0.1:${port}:80`, image(), 'sh', '-c', 'mkdir -p /www && echo served-rootless > /www/index.html && exec httpd -f -p 80 -h /www');
    expect(run.code, run.stderr).toBe(0);
    expect(slirpProcesses()).toHaveLength(1);
    expect(await fetchWithRetry(`http://127.0.0.1:${port}/`)).toBe('served-rootless\n');
    expect(cli('rm', '-f', '-t', '0', 'web').code).toBe(0);
    expect(slirpProcesses()).toEqual([]);
  });

  it('a host port chosen at start (-p CTR) is shown by ps and answers', async () => {
    const run = cli('run', '-d', '--name', 'chosen', '-p', '8080', image(), 'sh', '-c', 'mkdir -p /www && echo chosen-port > /www/index.html && exec httpd -f -p 8080 -h /www');
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(cli('ps', '--format', 'json').stdout) as { Names: string[]; Ports: { host_port: number; container_port: number }[] | null }[];
    const ports = listed.find((c) => c.Names.includes('chosen'))?.Ports ?? [];
    expect(ports).toHaveLength(1);
    expect(ports[0]?.container_port).toBe(8080);
    expect(ports[0]?.host_port).toBeGreaterThan(0);
    expect(await fetchWithRetry(`http://127.0.0.1:${ports[0]?.host_port}/`)).toBe('chosen-port\n');
    expect(cli('rm', '-f', '-t', '0', 'chosen').code).toBe(0);
    expect(slirpProcesses()).toEqual([]);
  });

  it('-P publishes the image\'s exposed port on a free host port through slirp4netns, which ps shows and which answers', async () => {
    const exposing = buildImage([busyboxLayer()], { config: { Cmd: ['/bin/sh'], ExposedPorts: { '8080/tcp': {} } } });
    const source = join(dirs.dir, 'exposing');
    await storeImage(source, exposing);
    const name = `${registry.host}/library/exposing:latest`;
    await pushImage(parseNormalizedReference(name), { graphRoot: source, manifestDigest: exposing.manifestDigest, tlsVerify: false });
    const run = cli('run', '-d', '--name', 'exposed', '-P', '--tls-verify=false', name, 'sh', '-c', 'mkdir -p /www && echo published-all > /www/index.html && exec httpd -f -p 8080 -h /www');
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(cli('ps', '--format', 'json').stdout) as { Names: string[]; Ports: { host_port: number; container_port: number; protocol: string }[] | null }[];
    const ports = listed.find((c) => c.Names.includes('exposed'))?.Ports ?? [];
    expect(ports.map((p) => [p.container_port, p.protocol])).toEqual([[8080, 'tcp']]);
    expect(ports[0]?.host_port).toBeGreaterThan(0);
    expect(await fetchWithRetry(`http://127.0.0.1:${ports[0]?.host_port}/`)).toBe('published-all\n');
    expect(cli('rm', '-f', '-t', '0', 'exposed').code).toBe(0);
    expect(slirpProcesses()).toEqual([]);
  });

  it('a pod publishes a port for its members, which talk over localhost, and pod rm -f leaves no slirp4netns', async () => {
    const port = await freePort();
    expect(cli('pod', 'create', '--name', 'site', '-p', `${port}:8080`).code).toBe(0);
    const server = cli('run', '-d', '--pod', 'site', '--name', 'site-web', image(), 'sh', '-c', 'mkdir -p /www && echo pod-served > /www/index.html && exec httpd -f -p 8080 -h /www');
    expect(server.code, server.stderr).toBe(0);
    expect(await fetchWithRetry(`http://127.0.0.1:${port}/`)).toBe('pod-served\n');
    const member = cli('run', '--rm', '--pod', 'site', image(), 'wget', '-q', '-O', '-', 'http://127.0.0.1:8080/');
    expect(member.stdout, member.stderr).toBe('pod-served\n');
    expect(slirpProcesses()).toHaveLength(1);
    expect(cli('pod', 'rm', '-f', 'site').code).toBe(0);
    expect(slirpProcesses()).toEqual([]);
  });

  it('two containers of a pod talk over localhost', async () => {
    expect(cli('pod', 'create', '--name', 'duo', '--network', 'none').code).toBe(0);
    const server = cli('run', '-d', '--pod', 'duo', '--name', 'duo-server', image(), 'sh', '-c', 'echo pong > /tmp/reply; while true; do nc -l -p 8080 < /tmp/reply; done');
    expect(server.code, server.stderr).toBe(0);
    let reply = '';
    for (let attempt = 0; attempt < 50 && reply !== 'pong'; attempt++) {
      reply = cli('run', '--rm', '--pod', 'duo', image(), 'sh', '-c', 'nc 127.0.0.1 8080 < /dev/null').stdout.trim();
      if (reply !== 'pong') await sleep(100);
    }
    expect(reply).toBe('pong');
    expect(cli('pod', 'rm', '-f', 'duo').code).toBe(0);
  });

  it('--userns=keep-id: the container runs as the user, whose files in a bind mount are theirs on the host; without it they belong to a subordinate id', () => {
    const { uid, gid } = statSync(dirs.home);
    const shared = join(dirs.home, 'shared');
    mkdirSync(shared, { mode: 0o777 });
    chownSync(shared, uid, gid);
    // chmod after mkdir: the umask would drop the write bits the subordinate uid needs.
    spawnSync('chmod', ['0777', shared]);
    const kept = cli('run', '--rm', '--network', 'none', '--userns=keep-id', '-v', `${shared}:/shared`, image(), 'sh', '-c', 'id -u; id -g; id -un; cat /proc/self/uid_map; touch /shared/kept');
    expect(kept.code, kept.stderr).toBe(0);
    const [idU, idG, name, ...map] = kept.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
    expect([idU, idG, name]).toEqual([String(uid), String(gid), rootlessTestUser]);
    expect(map).toEqual([`0 1 ${uid}`, `${uid} 0 1`, `${uid + 1} ${uid + 1} ${65536 - uid}`]);
    expect([statSync(join(shared, 'kept')).uid, statSync(join(shared, 'kept')).gid]).toEqual([uid, gid]);
    // The same uid without keep-id is an ordinary container uid: subordinate start + uid - 1 on the host.
    const plain = cli('run', '--rm', '--network', 'none', '--user', `${uid}:${gid}`, '-v', `${shared}:/shared`, image(), 'touch', '/shared/plain');
    expect(plain.code, plain.stderr).toBe(0);
    expect(statSync(join(shared, 'plain')).uid).toBe(subordinateStart() + uid - 1);
    // --userns=host is the default: root of the user's namespace, which is the user.
    const host = cli('run', '--rm', '--network', 'none', '--userns=host', '-v', `${shared}:/shared`, image(), 'touch', '/shared/host');
    expect(host.code, host.stderr).toBe(0);
    expect(statSync(join(shared, 'host')).uid).toBe(uid);
  });

  it('--userns=keep-id keeps an explicit --user and works with slirp4netns and exec', () => {
    const run = cli('run', '-d', '--name', 'kept', '--userns=keep-id', image(), 'sleep', '30');
    expect(run.code, run.stderr).toBe(0);
    const exec = cli('exec', 'kept', 'sh', '-c', 'id -u; ip -4 -o addr show tap0 | wc -l');
    expect(exec.stdout.trim().split('\n'), exec.stderr).toEqual([String(statSync(dirs.home).uid), '1']);
    expect(cli('rm', '-f', '-t', '0', 'kept').code).toBe(0);
    const asRoot = cli('run', '--rm', '--network', 'none', '--userns=keep-id', '--user', '0', image(), 'id', '-u');
    expect(asRoot.stdout, asRoot.stderr).toBe('0\n');
  });

  it('refuses --userns modes it does not implement and keep-id in a pod', () => {
    const auto = cli('run', '--rm', '--userns=auto', image(), 'true');
    expect(auto.code).toBe(125);
    expect(auto.stderr).toContain('--userns=auto: only keep-id and host are supported');
    expect(cli('pod', 'create', '--name', 'kept-pod', '--network', 'none').code).toBe(0);
    const inPod = cli('run', '--rm', '--pod', 'kept-pod', '--userns=keep-id', image(), 'true');
    expect(inPod.code).toBe(125);
    expect(inPod.stderr).toContain('--userns=keep-id cannot be combined with --pod');
    expect(cli('pod', 'rm', '-f', 'kept-pod').code).toBe(0);
  });

  it('commit keeps the container\'s change and push puts the new image in the registry', () => {
    expect(cli('run', '--name', 'changer', '--network', 'none', image(), 'sh', '-c', 'echo committed > /root/note; rm /etc/group').code).toBe(0);
    const committed = cli('commit', '-q', 'changer', `${registry.host}/rootless/committed:1`);
    expect(committed.code, committed.stderr).toBe(0);
    const shown = cli('run', '--rm', '--network', 'none', `${registry.host}/rootless/committed:1`, 'sh', '-c', 'cat /root/note; test -e /etc/group && echo group-back || echo group-gone');
    expect(shown.stdout).toBe('committed\ngroup-gone\n');
    const pushed = cli('push', '--tls-verify=false', `${registry.host}/rootless/committed:1`);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(cli('rm', 'changer').code).toBe(0);
    expect(cli('rmi', `${registry.host}/rootless/committed:1`).code).toBe(0);
    const pulled = cli('pull', '--tls-verify=false', `${registry.host}/rootless/committed:1`);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(cli('run', '--rm', '--network', 'none', `${registry.host}/rootless/committed:1`, 'cat', '/root/note').stdout).toBe('committed\n');
  });
});

/**
 * The test user's live slirp4netns processes (other users' are not this suite's). A zombie has
 * exited: it waits only for init, its new parent once the CLI that started it is gone, to reap it.
 */
function slirpProcesses(): number[] {
  const uid = Number(spawnSync('id', ['-u', rootlessTestUser], { encoding: 'utf8' }).stdout.trim());
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const exited = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
        return !exited && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'slirp4netns' && statSync(`/proc/${pid}`).uid === uid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The server in the container needs a moment after `run -d` returns: retried until it answers. */
async function fetchWithRetry(url: string): Promise<string> {
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return await response.text();
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  throw lastError;
}

function subordinateStart(): number {
  const line = readFileSync('/etc/subuid', 'utf8').split('\n').find((l) => l.startsWith(`${rootlessTestUser}:`)) ?? '';
  return Number(line.split(':')[1]);
}
