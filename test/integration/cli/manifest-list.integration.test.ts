// A multi-platform image pushed by skopeo (the oracle: `skopeo copy --all` of an OCI layout whose
// index lists amd64 and arm64/v8) pulls the right platform with the built CLI: this machine's by
// default, another with --platform; the index digest is kept as the image's list digest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../../helpers/cli.ts';
import { buildImage, buildIndex, layerFromMembers } from '../../helpers/image-builder.ts';
import type { BuiltImage } from '../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';
import { makeTempStore } from '../../helpers/temp-store.ts';
import type { TempStore } from '../../helpers/temp-store.ts';

const skopeoMissing = spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).error ? 'skopeo is missing (apt-get install skopeo)' : undefined;
const missing = registryMissing() ?? skopeoMissing;
if (missing) console.warn(`skipping manifest list oracle tests: ${missing}`);

describe.skipIf(missing !== undefined || process.arch !== 'x64')('a manifest list pushed with skopeo', () => {
  let registry: RegistryServer;
  let store: TempStore;
  let amd64: BuiltImage;
  let arm64: BuiltImage;
  let index: { bytes: Buffer; digest: string };
  const run = (args: string[]) => spawnSync(process.execPath, [cliPath, '--root', store.root, '--runroot', store.runRoot, ...args], { encoding: 'utf8', timeout: 60_000 });

  beforeAll(async () => {
    registry = await startRegistry();
    store = makeTempStore('podbay-manifest-list-');
    amd64 = buildImage([layerFromMembers([{ name: 'arch', data: 'amd64\n' }])], { oci: true, architecture: 'amd64' });
    arm64 = buildImage([layerFromMembers([{ name: 'arch', data: 'arm64\n' }])], { oci: true, architecture: 'arm64', variant: 'v8' });
    index = buildIndex([
      { image: arm64, architecture: 'arm64', variant: 'v8' },
      { image: amd64, architecture: 'amd64' },
    ]);
    const layout = join(store.dir, 'layout');
    mkdirSync(join(layout, 'blobs/sha256'), { recursive: true });
    const put = (digest: string, bytes: Buffer) => writeFileSync(join(layout, 'blobs/sha256', digest.slice(7)), bytes);
    for (const image of [amd64, arm64]) {
      put(image.manifestDigest, image.manifest);
      put(image.configDigest, image.config);
      for (const l of image.layers) put(l.digest, l.blob);
    }
    put(index.digest, index.bytes);
    writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(
      join(layout, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: index.digest, size: index.bytes.length, annotations: { 'org.opencontainers.image.ref.name': 'multi' } }] }),
    );
    const copied = spawnSync('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${layout}:multi`, `docker://${registry.host}/multi/app:1`], { encoding: 'utf8', timeout: 60_000 });
    if (copied.status !== 0) throw new Error(`skopeo copy failed: ${copied.stderr}`);
  }, 60_000);
  afterAll(async () => {
    await registry?.stop();
    store?.cleanup();
  });

  it('pulls this machine’s platform by default, another with --platform, keeping the list digest', () => {
    const pulled = run(['pull', '-q', '--tls-verify=false', `${registry.host}/multi/app:1`]);
    expect(pulled.status, pulled.stderr).toBe(0);
    expect(pulled.stdout.trim()).toBe(amd64.configDigest.slice(7));
    const inspect = JSON.parse(run(['image', 'inspect', `${registry.host}/multi/app:1`]).stdout) as { Id: string; Architecture: string; Digest: string; Podbay: { ListDigest: string } }[];
    expect(inspect[0]).toMatchObject({ Architecture: 'amd64', Digest: amd64.manifestDigest, Podbay: { ListDigest: index.digest } });

    const arm = run(['pull', '-q', '--tls-verify=false', '--platform', 'linux/arm64/v8', `${registry.host}/multi/app:1`]);
    expect(arm.status, arm.stderr).toBe(0);
    expect(arm.stdout.trim()).toBe(arm64.configDigest.slice(7));
    const byId = JSON.parse(run(['image', 'inspect', arm64.configDigest.slice(7)]).stdout) as { Architecture: string; Variant: string }[];
    expect(byId[0]).toMatchObject({ Architecture: 'arm64', Variant: 'v8' });
    const missingPlatform = run(['pull', '-q', '--tls-verify=false', '--platform', 'linux/s390x', `${registry.host}/multi/app:1`]);
    expect(missingPlatform.status).toBe(125);
  });
});
