import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasCode, PodbayError } from '../../../../shared/errors.ts';
import { choosePlatform, hostPlatform, layerCompression, mediaTypes, parseImageConfig, parseManifest } from '../../../../main/core/image/manifest.ts';
import type { IndexManifest } from '../../../../main/core/image/manifest.ts';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const image = {
  schemaVersion: 2,
  mediaType: mediaTypes.dockerManifest,
  config: { mediaType: mediaTypes.dockerConfig, digest: d('a'), size: 10 },
  layers: [{ mediaType: mediaTypes.dockerLayerGzip, digest: d('b'), size: 20 }],
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof PodbayError ? error.code : 'untyped';
  }
  return undefined;
}

describe('parseManifest', () => {
  it('reads a Docker v2s2 manifest', () => {
    const m = parseManifest(json(image));
    expect(m.kind).toBe('image');
    if (m.kind === 'image') expect(m.layers[0]!.digest).toBe(d('b'));
  });

  it('guesses OCI types when the body has no mediaType', () => {
    const { mediaType: _m, ...oci } = { ...image, config: { ...image.config, mediaType: mediaTypes.ociConfig } };
    expect(parseManifest(json(oci)).mediaType).toBe(mediaTypes.ociManifest);
    expect(parseManifest(json({ schemaVersion: 2, manifests: [] })).mediaType).toBe(mediaTypes.ociIndex);
  });

  it('refuses schema 1 with ErrNotImplemented and a clear message', () => {
    expect(codeOf(() => parseManifest(json({ schemaVersion: 1, name: 'x', fsLayers: [] })))).toBe('ErrNotImplemented');
    expect(() => parseManifest(json({ schemaVersion: 1 }))).toThrow(/schema 1/);
  });

  it.each([
    ['an ambiguous document (CVE-2021-41190)', { ...image, manifests: [] }],
    ['a digest that could climb directories (CVE-2024-3727)', { ...image, layers: [{ ...image.layers[0], digest: 'sha256:../../etc' }] }],
    ['a negative size', { ...image, layers: [{ ...image.layers[0], size: -1 }] }],
    ['no layers', { ...image, layers: undefined }],
    ['an unknown media type', { ...image, mediaType: 'text/html' }],
    ['schemaVersion 3', { ...image, schemaVersion: 3 }],
  ])('refuses %s', (_what, doc) => {
    expect(codeOf(() => parseManifest(json(doc)))).toBe('ErrInvalidArg');
  });

  it('refuses foreign layers that would make us fetch arbitrary URLs', () => {
    expect(codeOf(() => parseManifest(json({ ...image, layers: [{ ...image.layers[0], urls: ['http://example.invalid/x'] }] })))).toBe('ErrNotImplemented');
  });

  it('bounds manifest size and index entries (CVE-2020-1702)', () => {
    expect(codeOf(() => parseManifest(Buffer.alloc(5 * 1024 * 1024, 0x20)))).toBe('ErrInvalidArg');
    const entries = Array.from({ length: 10_000 }, () => ({ mediaType: mediaTypes.ociManifest, digest: d('c'), size: 1 }));
    expect(codeOf(() => parseManifest(json({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: entries })))).toBe('ErrInvalidArg');
  });

  it('throws only typed errors on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const code = codeOf(() => parseManifest(json(value)));
        expect(code).not.toBe('untyped');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('choosePlatform', () => {
  const index: IndexManifest = {
    kind: 'index',
    mediaType: mediaTypes.ociIndex,
    manifests: [
      { mediaType: mediaTypes.ociManifest, digest: d('1') as never, size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
      { mediaType: mediaTypes.ociManifest, digest: d('2') as never, size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { mediaType: mediaTypes.ociManifest, digest: d('3') as never, size: 1, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: mediaTypes.ociManifest, digest: d('4') as never, size: 1, platform: { os: 'windows', architecture: 'amd64' } },
      { mediaType: mediaTypes.ociManifest, digest: d('5') as never, size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ],
  };

  it('picks the exact platform, the best compatible arm variant, and names what is offered otherwise', () => {
    expect(choosePlatform(index, { os: 'linux', architecture: 'amd64' }).digest).toBe(d('3'));
    expect(choosePlatform(index, { os: 'linux', architecture: 'arm', variant: 'v7' }).digest).toBe(d('2'));
    expect(choosePlatform(index, { os: 'linux', architecture: 'arm', variant: 'v8' }).digest).toBe(d('2'));
    expect(choosePlatform(index, { os: 'linux', architecture: 'arm64' }).digest).toBe(d('5'));
    let caught: unknown;
    try {
      choosePlatform(index, { os: 'linux', architecture: 's390x' });
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrNoSuchImage')).toBe(true);
    expect((caught as Error).message).toContain('linux/amd64');
  });

  it('maps Node architectures to OCI names', () => {
    expect(hostPlatform().os).toBe('linux');
    if (process.arch === 'x64') expect(hostPlatform().architecture).toBe('amd64');
  });
});

describe('layers and configs', () => {
  it('knows gzip, plain and zstd layers and refuses others', () => {
    expect(layerCompression(mediaTypes.dockerLayerGzip)).toBe('gzip');
    expect(layerCompression(mediaTypes.ociLayer)).toBe('none');
    expect(layerCompression(mediaTypes.ociLayerZstd)).toBe('zstd');
    expect(codeOf(() => layerCompression('application/x-foo'))).toBe('ErrNotImplemented');
  });

  it('validates diff_ids in a config', () => {
    expect(parseImageConfig(json({ rootfs: { type: 'layers', diff_ids: [d('e')] } })).rootfs.diff_ids).toEqual([d('e')]);
    expect(codeOf(() => parseImageConfig(json({ rootfs: { type: 'layers', diff_ids: ['sha256:xyz'] } })))).toBe('ErrInvalidArg');
    expect(codeOf(() => parseImageConfig(json({})))).toBe('ErrInvalidArg');
  });
});
