// `podbay run IMAGE` and `podbay create IMAGE` as a user runs them: the built CLI, each command its own
// process, real conmon + crun, images built offline and served by Debian's docker-registry on
// 127.0.0.1. Short names resolve through a registries.conf of the test's own $HOME (search registry
// and an alias for `busybox`, both on loopback: nothing leaves the machine).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage } from '../../../main/core/image/push.ts';
import { parseNormalizedReference } from '../../../main/core/image/reference.ts';
import { podbay } from '../../helpers/cli.ts';
import { busyboxLayer, busyboxMissing, buildImage, storeImage } from '../../helpers/image-builder.ts';
import type { BuiltImage } from '../../helpers/image-builder.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';
import { releaseStoreNetworks } from '../../helpers/store-networks.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? registryMissing() ?? busyboxMissing() ?? null;

describe.skipIf(skip !== null)(`podbay run/create from images${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let home: string;
  let registry: RegistryServer;
  let busybox: BuiltImage;
  let globals: string[];
  const cli = (...args: string[]) => podbay([...globals, ...args], { env: { HOME: home, CONTAINERS_REGISTRIES_CONF: join(home, '.config', 'containers', 'registries.conf'), REGISTRY_AUTH_FILE: join(dir, 'auth.json') }, timeoutMs: 60_000 });
  const mountsUnder = (path: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(path));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-cli-image-'));
    home = join(dir, 'home');
    globals = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')];
    registry = await startRegistry();
    const conf = join(home, '.config', 'containers');
    mkdirSync(join(conf, 'registries.conf.d'), { recursive: true });
    writeFileSync(join(conf, 'registries.conf'), `unqualified-search-registries = ["${registry.host}"]\n\n[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n\n[aliases]\n"busybox" = "${registry.host}/library/busybox"\n`);
    // The host's shortnames.conf maps busybox to docker.io: the user's drop-in (read later) wins.
    writeFileSync(join(conf, 'registries.conf.d', 'zz-podbay-test.conf'), `[aliases]\n"busybox" = "${registry.host}/library/busybox"\n`);
    const source = join(dir, 'source');
    busybox = buildImage([busyboxLayer()]);
    await storeImage(source, busybox);
    for (const path of ['library/busybox:latest', 'tools/box:latest']) {
      await pushImage(parseNormalizedReference(`${registry.host}/${path}`), { graphRoot: source, manifestDigest: busybox.manifestDigest, tlsVerify: false });
    }
  }, 120_000);
  afterAll(async () => {
    cli('rm', '-f', '-t', '0', '-a');
    await sleep(500); // exit commands of the last containers
    await registry?.stop();
    releaseStoreNetworks(dir); // the default bridge network's namespaces, bridge and rules
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  });

  it('run busybox echo hi: pulls the short name through its alias, prints hi, and the image is then in `images`', () => {
    const result = cli('run', '--network', 'none', 'busybox', 'echo', 'hi');
    expect(result.stdout).toBe('hi\n');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Trying to pull ${registry.host}/library/busybox:latest...`);
    const images = JSON.parse(cli('images', '--format', 'json').stdout) as { Id: string; Names: string[] }[];
    expect(images).toEqual([expect.objectContaining({ Id: busybox.configDigest.slice(7), Names: [`${registry.host}/library/busybox:latest`] })]);
    // A second run finds it locally: no pull.
    const again = cli('run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'exit 4');
    expect(again.code).toBe(4);
    expect(again.stderr).not.toContain('Trying to pull');
  });

  it('run --rm busybox true leaves no mount and no directory behind', async () => {
    const before = new Set(existsSync(join(dir, 'root', 'containers')) ? readdirSync(join(dir, 'root', 'containers')) : []);
    const result = cli('run', '--rm', '--network', 'none', 'busybox', 'true');
    expect(result.code, result.stderr).toBe(0);
    await sleep(300); // the exit command's cleanup, if it raced the CLI's own removal
    expect(mountsUnder(join(dir, 'root', 'containers'))).toEqual([]);
    const after = readdirSync(join(dir, 'root', 'containers')).filter((n) => !before.has(n));
    expect(after).toEqual([]);
    expect(cli('ps', '-a', '-q', '--filter', 'status=exited').stdout.trim().split('\n').filter(Boolean).length).toBe(before.size);
  });

  it('a short name with no alias resolves through the search registries; create prints the id and ps shows the image name', () => {
    const created = cli('create', '--name', 'boxed', 'tools/box', 'sleep', '100');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain(`Trying to pull ${registry.host}/tools/box:latest...`);
    const id = created.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const ps = JSON.parse(cli('ps', '-a', '--format', 'json').stdout) as { Id: string; Image: string; Command: string[] }[];
    // As podman: the name the short name resolved to.
    expect(ps.find((c) => c.Id === id)).toMatchObject({ Image: `${registry.host}/tools/box:latest`, Command: ['sleep', '100'] });
    expect(cli('ps', '-a').stdout).toMatch(/tools\/box:latest\s+sleep 100/);
  });

  it('rmi of an image a container uses exits 2 (ErrImageInUse); --entrypoint and --pull never work; a missing image with --pull never fails without a container', () => {
    // One image, two names: removing a name only untags it (podman); the last name is refused.
    expect(cli('rmi', 'tools/box')).toMatchObject({ code: 0, stdout: `Untagged: ${registry.host}/tools/box:latest\n` });
    const inUse = cli('rmi', 'busybox');
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toMatch(/in use/);
    const entry = cli('run', '--rm', '--pull', 'never', '--entrypoint', '["sh","-c"]', 'busybox', 'echo from-entrypoint');
    expect(entry).toMatchObject({ code: 0, stdout: 'from-entrypoint\n' });
    const before = cli('ps', '-a', '-q').stdout;
    const missing = cli('run', '--rm', '--pull=never', 'nosuch/image', 'true');
    expect(missing.code).toBe(125);
    expect(missing.stderr).toMatch(/^Error: .*nosuch\/image/m);
    expect(cli('ps', '-a', '-q').stdout).toBe(before);
  });

  it('--pull always pulls again with --tls-verify=false, and the container runs from the image just pulled', () => {
    const result = cli('run', '--rm', '--pull', 'always', '--tls-verify=false', `${registry.host}/tools/box`, 'cat', '/etc/passwd');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Trying to pull');
    expect(result.stdout).toContain('root:x:0:0:');
  });
});
