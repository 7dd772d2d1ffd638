// The image commands as a user runs them: the built CLI against Debian's docker-registry on
// 127.0.0.1, with skopeo as the oracle for what landed in a registry or an auth file (the product
// never calls skopeo). Images are built offline (busybox-static and incompressible `big` layers).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { humanSize } from '../../../shared/types/images.ts';
import { parseNormalizedReference } from '../../../main/core/image/reference.ts';
import { pushImage } from '../../../main/core/image/push.ts';
import { cliPath, podbay } from '../../helpers/cli.ts';
import { bigLayers, busyboxLayer, busyboxMissing, buildImage, layerFromMembers, storeImage } from '../../helpers/image-builder.ts';
import type { BuiltImage } from '../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';
import { makeTempStore } from '../../helpers/temp-store.ts';
import type { TempStore } from '../../helpers/temp-store.ts';

const missing = registryMissing({ auth: true }) ?? busyboxMissing();
const skopeoMissing = spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).error ? 'skopeo is missing (apt-get install skopeo)' : undefined;
const podmanMissing = spawnSync('podman', ['--version'], { stdio: 'ignore' }).error ? 'podman is missing (apt-get install podman)' : undefined;
if (missing) console.warn(`skipping image CLI tests: ${missing}`);

interface PodmanImageJson {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[];
  Size: number;
  Digest: string;
}

describe.skipIf(missing !== undefined)('podbay image commands against a loopback registry', () => {
  let registry: RegistryServer;
  let source: TempStore;
  let busybox: BuiltImage;
  let shared: BuiltImage;
  let big: BuiltImage;
  const stores: TempStore[] = [];
  const newStore = () => {
    const s = makeTempStore('podbay-cli-images-');
    stores.push(s);
    return s;
  };
  const env = (s: TempStore) => ({ REGISTRY_AUTH_FILE: join(s.dir, 'auth.json') });
  const run = (s: TempStore, args: string[], timeoutMs = 60_000) => podbay(['--root', s.root, '--runroot', s.runRoot, ...args], { env: env(s), timeoutMs });
  const ref = (path: string) => `${registry.host}/${path}`;
  const listJson = (s: TempStore) => {
    const result = run(s, ['images', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as PodmanImageJson[];
  };
  const push = (image: BuiltImage, path: string) =>
    pushImage(parseNormalizedReference(ref(path)), { graphRoot: source.root, manifestDigest: image.manifestDigest, tlsVerify: false });

  beforeAll(async () => {
    registry = await startRegistry();
    source = newStore();
    busybox = buildImage([busyboxLayer()]);
    shared = buildImage([busyboxLayer(), layerFromMembers([{ name: 'app/', type: 'dir' }, { name: 'app/hello.txt', data: 'hello\n' }])]);
    big = buildImage([busyboxLayer(), ...bigLayers(4, 25 * 1024 * 1024)]);
    for (const image of [busybox, shared, big]) await storeImage(source.root, image);
    await push(busybox, 'podbay/busybox:latest');
    await push(shared, 'podbay/shared:latest');
    await push(big, 'bench/big:latest');
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
    for (const s of stores) s.cleanup();
  });

  it('pulls busybox: the ID on stdout, podman-style steps on stderr, and `images` lists it with its ID, size and tag', () => {
    const s = newStore();
    const pulled = run(s, ['pull', '--tls-verify=false', ref('podbay/busybox')]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const id = busybox.configDigest.slice(7);
    expect(pulled.stdout).toBe(`${id}\n`);
    expect(pulled.stderr).toContain(`Trying to pull ${ref('podbay/busybox:latest')}...`);
    expect(pulled.stderr).toContain(`Copying blob ${busybox.layers[0]!.digest}`);
    expect(pulled.stderr).toContain('Writing manifest to image destination');

    const [image, ...others] = listJson(s);
    expect(others).toEqual([]);
    expect(image).toMatchObject({ Id: id, RepoTags: [ref('podbay/busybox:latest')], Digest: busybox.manifestDigest, Size: busybox.layers[0]!.tar.length });
    expect(image!.RepoDigests).toContain(`${ref('podbay/busybox')}@${busybox.manifestDigest}`);

    const table = run(s, ['images']);
    expect(table.stdout.split('\n')[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    expect(table.stdout).toMatch(new RegExp(`^${ref('podbay/busybox').replace(/[.]/g, '\\.')}\\s+latest\\s+${id.slice(0, 12)}\\s+\\d+ years ago\\s+${humanSize(busybox.layers[0]!.tar.length)}$`, 'm'));
    expect(run(s, ['images', '-q']).stdout).toBe(`${id.slice(0, 12)}\n`);
    expect(run(s, ['image', 'inspect', 'busybox']).code).toBe(0);

    const events = readFileSync(join(s.runRoot, 'events', 'events.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; action: string; id: string });
    expect(events).toContainEqual(expect.objectContaining({ type: 'image', action: 'pull', id }));
  });

  it.skipIf(spawnSync('script', ['--version'], { stdio: 'ignore' }).error !== undefined)('shows byte progress per layer on a terminal, redrawn in place, each layer ending done', () => {
    const s = newStore();
    const command = ['node', cliPath, '--root', s.root, '--runroot', s.runRoot, 'pull', '--tls-verify=false', ref('bench/big')].map((a) => `'${a}'`).join(' ');
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, ...env(s) }, timeout: 120_000 });
    expect(result.status, result.stdout).toBe(0);
    const out = result.stdout;
    expect(out).toContain('\x1b[5A'); // the five-line block moved up and redrawn
    for (const layer of big.layers) {
      const short = layer.digest.slice(7, 19);
      expect(out).toMatch(new RegExp(`Copying blob ${short} \\[[=>-]+\\] [\\d.]+(B|KiB|MiB) / [\\d.]+MiB`));
      expect(out).toContain(`Copying blob ${short} done`);
    }
    expect(out.trim().split(/\r?\n/).at(-1)).toBe(big.configDigest.slice(7));
  });

  it('does not download blobs again when the same image is pulled twice', () => {
    const s = newStore();
    expect(run(s, ['pull', '--tls-verify=false', ref('podbay/busybox')]).code).toBe(0);
    const blobPath = join(s.root, 'blobs', 'sha256', busybox.layers[0]!.digest.slice(7));
    const layerPath = join(s.root, 'layers', busybox.layers[0]!.diffId.slice(7));
    const before = { blob: statSync(blobPath), layer: statSync(layerPath) };
    const again = run(s, ['pull', '--tls-verify=false', ref('podbay/busybox')]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Copying blob ${busybox.layers[0]!.digest} skipped: already exists`);
    const after = { blob: statSync(blobPath), layer: statSync(layerPath) };
    expect([after.blob.ino, after.blob.mtimeMs, after.layer.ino]).toEqual([before.blob.ino, before.blob.mtimeMs, before.layer.ino]);
    expect(listJson(s)).toHaveLength(1);
  });

  it('rmi removes the blobs and layers no other image uses and keeps the layer busybox shares', () => {
    const s = newStore();
    expect(run(s, ['pull', '--tls-verify=false', ref('podbay/busybox')]).code).toBe(0);
    expect(run(s, ['pull', '--tls-verify=false', ref('podbay/shared')]).code).toBe(0);
    expect(listJson(s)).toHaveLength(2);
    const removed = run(s, ['rmi', ref('podbay/shared')]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(`Untagged: ${ref('podbay/shared:latest')}\nDeleted: ${shared.configDigest.slice(7)}\n`);
    const blobs = readdirSync(join(s.root, 'blobs', 'sha256')).sort();
    expect(blobs).toEqual([busybox.manifestDigest, busybox.configDigest, busybox.layers[0]!.digest].map((d) => d.slice(7)).sort());
    expect(readdirSync(join(s.root, 'layers'))).toEqual([busybox.layers[0]!.diffId.slice(7)]);
    expect(listJson(s).map((i) => i.Id)).toEqual([busybox.configDigest.slice(7)]);
    const gone = run(s, ['rmi', ref('podbay/shared')]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^Error: .*image not known/);
  });

  it('tags and untags as podman: short names under localhost/, rmi of one of two names only untags', () => {
    const s = newStore();
    expect(run(s, ['pull', '--tls-verify=false', ref('podbay/busybox')]).code).toBe(0);
    expect(run(s, ['tag', 'busybox', 'mybox:1', `${registry.host}/other/box:v2`]).code).toBe(0);
    expect(listJson(s)[0]!.RepoTags).toEqual(expect.arrayContaining([ref('podbay/busybox:latest'), 'localhost/mybox:1', ref('other/box:v2')]));
    const untag = run(s, ['rmi', 'mybox:1']);
    expect(untag.stdout).toBe('Untagged: localhost/mybox:1\n');
    const byId = run(s, ['rmi', busybox.configDigest.slice(7, 19)]);
    expect(byId.code).toBe(2);
    expect(run(s, ['untag', 'busybox']).code).toBe(0);
    expect(listJson(s)[0]!.RepoTags).toBeNull();
    expect(run(s, ['images']).stdout).toMatch(/^<none>\s+<none>\s+/m);
    expect(run(s, ['image', 'prune']).stdout).toBe(`${busybox.configDigest.slice(7)}\n`);
    expect(listJson(s)).toEqual([]);
    expect(readdirSync(join(s.root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('leaves a consistent store after a pull is SIGKILLed, and the next pull succeeds', async () => {
    const s = newStore();
    const child = spawn(process.execPath, [cliPath, '--root', s.root, '--runroot', s.runRoot, 'pull', '--tls-verify=false', ref('bench/big')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env(s) } });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const layersDir = join(s.root, 'layers');
    const deadline = Date.now() + 30_000;
    // Kill once big's data is on its way: a temp layer directory holds part of a layer.
    for (;;) {
      const temps = existsSync(layersDir) ? readdirSync(layersDir).filter((n) => n.startsWith('.tmp-')) : [];
      const partial = temps.some((t) => existsSync(join(layersDir, t, 'diff', 'data')));
      if (partial) break;
      if (Date.now() > deadline) throw new Error('the pull never started extracting');
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    const leftovers = [...readdirSync(layersDir), ...readdirSync(join(s.root, 'blobs', 'sha256'))];
    expect(leftovers.length).toBeGreaterThan(0);

    // The next start of anything that opens the store collects the dead pull's garbage.
    expect(listJson(s)).toEqual([]);
    expect(readdirSync(layersDir)).toEqual([]);
    expect(readdirSync(join(s.root, 'blobs', 'sha256'))).toEqual([]);

    const again = run(s, ['pull', '--tls-verify=false', ref('bench/big')], 120_000);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`${big.configDigest.slice(7)}\n`);
    const [image] = listJson(s);
    expect(image!.Size).toBe(big.layers.reduce((n, l) => n + l.tar.length, 0));
    expect(readFileSync(join(layersDir, big.layers[1]!.diffId.slice(7), 'diff', 'data', 'blob1.bin')).length).toBe(25 * 1024 * 1024);
  }, 180_000);

  it.skipIf(skopeoMissing !== undefined)('pushes to an empty registry: skopeo reads back the same manifest digest', async () => {
    const s = newStore();
    expect(run(s, ['pull', '--tls-verify=false', ref('podbay/busybox')]).code).toBe(0);
    const empty = await startRegistry();
    try {
      const dest = `${empty.host}/pushed/box:v1`;
      const pushed = run(s, ['push', '--tls-verify=false', 'busybox', dest]);
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(pushed.stderr).toContain('Writing manifest to image destination');
      const inspect = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${dest}`], { encoding: 'utf8' })) as { Digest: string; Layers: string[] };
      expect(inspect.Digest).toBe(busybox.manifestDigest);
      expect(inspect.Layers).toEqual([busybox.layers[0]!.digest]);
    } finally {
      await empty.stop();
    }
  });

  it.skipIf(skopeoMissing !== undefined)('logs in to an htpasswd registry: auth.json that skopeo accepts; a wrong password writes nothing; logout removes it', async () => {
    const s = newStore();
    const secured = await startRegistry({ auth: { username: 'alice', password: 's3cret' } });
    try {
      await pushImage(parseNormalizedReference(`${secured.host}/podbay/busybox:latest`), {
        graphRoot: source.root,
        manifestDigest: busybox.manifestDigest,
        tlsVerify: false,
        auth: { credentials: { username: 'alice', password: 's3cret' } },
      });
      const authFile = join(s.dir, 'auth.json');
      const wrong = run(s, ['login', '-u', 'alice', '-p', 'nope', '--tls-verify=false', secured.host]);
      expect(wrong.code).toBe(125);
      expect(existsSync(authFile)).toBe(false);

      const login = podbay(['--root', s.root, '--runroot', s.runRoot, 'login', '-u', 'alice', '--password-stdin', '--tls-verify=false', secured.host], { input: 's3cret\n', env: env(s) });
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout).toBe('Login Succeeded!\n');
      expect(statSync(authFile).mode & 0o777).toBe(0o600);
      const doc = JSON.parse(readFileSync(authFile, 'utf8')) as { auths: Record<string, { auth: string }> };
      expect(Buffer.from(doc.auths[secured.host]!.auth, 'base64').toString()).toBe('alice:s3cret');
      const inspect = spawnSync('skopeo', ['inspect', '--authfile', authFile, '--tls-verify=false', `docker://${secured.host}/podbay/busybox:latest`], { encoding: 'utf8' });
      expect(inspect.status, inspect.stderr).toBe(0);
      expect((JSON.parse(inspect.stdout) as { Digest: string }).Digest).toBe(busybox.manifestDigest);

      // podbay's own pull uses the stored credentials.
      expect(run(s, ['pull', '--tls-verify=false', `${secured.host}/podbay/busybox`]).code).toBe(0);

      const logout = run(s, ['logout', secured.host]);
      expect(logout.stdout).toBe(`Removed login credentials for ${secured.host}\n`);
      expect(JSON.parse(readFileSync(authFile, 'utf8')).auths).toEqual({});
      expect(run(s, ['logout', secured.host]).code).toBe(125);
      const denied = spawnSync('skopeo', ['inspect', '--authfile', authFile, '--tls-verify=false', `docker://${secured.host}/podbay/busybox:latest`], { encoding: 'utf8' });
      expect(denied.status).not.toBe(0);
    } finally {
      await secured.stop();
    }
  });

  describe.skipIf(skopeoMissing !== undefined || podmanMissing !== undefined)('save and load', () => {
    // podman and skopeo are oracles; podman gets its own throw-away store (its overlay home is
    // bind-mounted by c/storage: unmounted before removal).
    const podmanIn = (s: TempStore, args: string[]) =>
      spawnSync('podman', ['--root', join(s.dir, 'podman-root'), '--runroot', join(s.dir, 'podman-run'), '--storage-driver', 'overlay', ...args], { encoding: 'utf8', timeout: 120_000 });
    const unmountPodman = (s: TempStore) => spawnSync('umount', ['-R', join(s.dir, 'podman-root', 'overlay')], { stdio: 'ignore' });

    it('saves a docker-archive and an oci-archive that skopeo reads and podman loads, and loads them back', () => {
      const s = newStore();
      expect(run(s, ['pull', '--tls-verify=false', ref('podbay/busybox')]).code).toBe(0);
      const docker = join(s.dir, 'busybox-docker.tar');
      const oci = join(s.dir, 'busybox-oci.tar');
      expect(run(s, ['save', '-o', docker, 'busybox']).code).toBe(0);
      const saved = run(s, ['save', '--format', 'oci-archive', '-o', oci, 'busybox']);
      expect(saved.code, saved.stderr).toBe(0);

      const dockerInspect = JSON.parse(execFileSync('skopeo', ['inspect', `docker-archive:${docker}`], { encoding: 'utf8' })) as { Layers: string[] };
      expect(dockerInspect.Layers).toEqual([busybox.layers[0]!.diffId]);
      const ociInspect = JSON.parse(execFileSync('skopeo', ['inspect', `oci-archive:${oci}`], { encoding: 'utf8' })) as { Digest: string; Layers: string[] };
      // Byte-identical blobs: the manifest and the compressed layer keep their registry digests.
      expect(ociInspect.Digest).toBe(busybox.manifestDigest);
      expect(ociInspect.Layers).toEqual([busybox.layers[0]!.digest]);

      try {
        for (const archive of [docker, oci]) {
          const loaded = podmanIn(s, ['load', '-i', archive]);
          expect(loaded.status, loaded.stderr).toBe(0);
          expect(loaded.stdout).toContain(ref('podbay/busybox:latest'));
        }
        const podmanIds = podmanIn(s, ['images', '-q', '--no-trunc']).stdout.trim().split('\n');
        expect(podmanIds).toContain(`sha256:${busybox.configDigest.slice(7)}`);
        // The other direction: an archive podman saved loads in Podbay.
        const podmanArchive = join(s.dir, 'podman-saved.tar');
        expect(podmanIn(s, ['save', '-o', podmanArchive, ref('podbay/busybox:latest')]).status).toBe(0);
        const other = newStore();
        const fromPodman = run(other, ['load', '-i', podmanArchive]);
        expect(fromPodman.code, fromPodman.stderr).toBe(0);
        expect(fromPodman.stdout).toBe(`Loaded image: ${ref('podbay/busybox:latest')}\n`);
        expect(listJson(other).map((i) => i.Id)).toEqual([busybox.configDigest.slice(7)]);
        expect(readFileSync(join(other.root, 'layers', busybox.layers[0]!.diffId.slice(7), 'diff', 'bin', 'busybox')).length).toBeGreaterThan(100_000);
      } finally {
        unmountPodman(s);
      }

      for (const archive of [docker, oci]) {
        const fresh = newStore();
        const loaded = run(fresh, ['load', '-i', archive]);
        expect(loaded.code, loaded.stderr).toBe(0);
        expect(loaded.stdout).toBe(`Loaded image: ${ref('podbay/busybox:latest')}\n`);
        const [image] = listJson(fresh);
        expect(image).toMatchObject({ Id: busybox.configDigest.slice(7), Size: busybox.layers[0]!.tar.length });
        if (archive === oci) expect(image!.Digest).toBe(busybox.manifestDigest);
      }
    });

    it('refuses an archive whose blob does not match its name, storing nothing', () => {
      const s = newStore();
      expect(run(s, ['pull', '--tls-verify=false', ref('podbay/busybox')]).code).toBe(0);
      const oci = join(s.dir, 'oci.tar');
      expect(run(s, ['save', '--format', 'oci-archive', '-o', oci, 'busybox']).code).toBe(0);
      // Flip one byte inside the layer blob's data (the first member after oci-layout's header+data).
      const bytes = readFileSync(oci);
      const member = bytes.indexOf(Buffer.from(`blobs/sha256/${busybox.layers[0]!.digest.slice(7)}`));
      bytes[member + 512 + 100] = bytes[member + 512 + 100]! ^ 0xff;
      writeFileSync(oci, bytes);
      const fresh = newStore();
      const loaded = run(fresh, ['load', '-i', oci]);
      expect(loaded.code).toBe(125);
      expect(loaded.stderr).toMatch(/^Error: .*digest did not match/);
      expect(listJson(fresh)).toEqual([]);
      expect(readdirSync(join(fresh.root, 'layers'))).toEqual([]);
      expect(readdirSync(join(fresh.root, 'blobs', 'sha256'))).toEqual([]);
    });
  });

  it('answers errors as podman: a malformed reference and an unknown image exit 125 with Error:', () => {
    const s = newStore();
    for (const args of [['pull', 'UPPER/case'], ['image', 'inspect', 'nothere'], ['tag', 'nothere', 'x']]) {
      const result = run(s, args);
      expect(result.code, args.join(' ')).toBe(125);
      expect(result.stderr, args.join(' ')).toMatch(/^Error: /);
    }
  });
});
