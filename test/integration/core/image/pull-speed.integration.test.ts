// Pulls a ~106 MB image (busybox + 4 × 25 MiB incompressible layers, as the bench's `big`) from the
// loopback registry and checks that memory stays bounded while streaming: layers are never buffered
// whole. Speed is `npm run bench`'s business, never a timed assertion here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNormalizedReference } from '../../../../main/core/image/reference.ts';
import { pullImage } from '../../../../main/core/image/pull.ts';
import { pushImage } from '../../../../main/core/image/push.ts';
import { bigLayers, busyboxLayer, busyboxMissing, buildImage, storeImage } from '../../../helpers/image-builder.ts';
import type { BuiltImage } from '../../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../../helpers/registry-server.ts';
import type { RegistryServer } from '../../../helpers/registry-server.ts';
import { makeTempStore } from '../../../helpers/temp-store.ts';
import type { TempStore } from '../../../helpers/temp-store.ts';

const missing = registryMissing() ?? busyboxMissing();
if (missing) console.warn(`skipping pull speed test: ${missing}`);

describe.skipIf(missing !== undefined)('pulling a ~106 MB image from loopback', () => {
  let registry: RegistryServer;
  let source: TempStore;
  let big: BuiltImage;
  const stores: TempStore[] = [];

  beforeAll(async () => {
    registry = await startRegistry();
    source = makeTempStore('podbay-big-');
    big = buildImage([busyboxLayer(), ...bigLayers(4, 25 * 1024 * 1024)]);
    await storeImage(source.root, big);
    const t0 = performance.now();
    await pushImage(parseNormalizedReference(`${registry.host}/bench/big:latest`), { graphRoot: source.root, manifestDigest: big.manifestDigest, tlsVerify: false });
    console.log(`push of big to an empty registry: ${Math.round(performance.now() - t0)} ms`);
  }, 120_000);
  afterAll(async () => {
    await registry?.stop();
    source?.cleanup();
    for (const s of stores) s.cleanup();
  });

  it('streams the pull with bounded memory growth', async () => {
    const totalBytes = big.layers.reduce((n, l) => n + l.blob.length, 0);
    const runs: number[] = [];
    let peakRss = 0;
    for (let i = 0; i < 1; i++) {
      const store = makeTempStore('podbay-big-pull-');
      stores.push(store);
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss - rssBefore);
      }, 20);
      const t0 = performance.now();
      const image = await pullImage(`${registry.host}/bench/big:latest`, { graphRoot: store.root, tlsVerify: false });
      runs.push(performance.now() - t0);
      clearInterval(sampler);
      expect(image.layers).toHaveLength(5);
    }
    console.log(`pull of big (${(totalBytes / 1e6).toFixed(1)} MB): ${Math.round(runs[0]!)} ms, peak RSS growth ${(peakRss / 1e6).toFixed(0)} MB`);
    expect(peakRss).toBeLessThan(256 * 1024 * 1024);
  }, 180_000);
});
