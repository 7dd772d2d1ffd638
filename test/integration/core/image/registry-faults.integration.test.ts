// Faults between us and a real registry, injected by a proxy on loopback: a connection cut
// mid-layer (resumed with Range), a corrupted byte (refused, nothing stored), 503 + Retry-After
// (waited, then succeeds), endless 429 (bounded failure), cancel mid-pull, a gzip bomb and a
// config whose DiffID lies.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { digestOf } from '../../../../main/core/image/digest.ts';
import { parseNormalizedReference } from '../../../../main/core/image/reference.ts';
import { pullImage } from '../../../../main/core/image/pull.ts';
import { pushImage } from '../../../../main/core/image/push.ts';
import type { PullProgressEvent } from '../../../../main/core/image/progress.ts';
import { bigLayers, buildImage, layerFromMembers, storeImage } from '../../../helpers/image-builder.ts';
import type { BuiltImage } from '../../../helpers/image-builder.ts';
import { startRegistryProxy } from '../../../helpers/registry-proxy.ts';
import type { Fault, RegistryProxy } from '../../../helpers/registry-proxy.ts';
import { registryMissing, startRegistry } from '../../../helpers/registry-server.ts';
import type { RegistryServer } from '../../../helpers/registry-server.ts';
import { makeTempStore } from '../../../helpers/temp-store.ts';
import type { TempStore } from '../../../helpers/temp-store.ts';

const missing = registryMissing();
if (missing) console.warn(`skipping registry fault tests: ${missing}`);

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.skipIf(missing !== undefined)('registry faults', () => {
  let registry: RegistryServer;
  let source: TempStore;
  let image: BuiltImage;
  let proxy: RegistryProxy | undefined;
  const stores: TempStore[] = [];
  const newStore = () => {
    const s = makeTempStore('podbay-faults-');
    stores.push(s);
    return s;
  };
  const layerDigest = () => image.layers[0]!.digest;
  const isLayerGet = (method: string | undefined, url: string | undefined) => method === 'GET' && (url ?? '').includes(`/blobs/${layerDigest()}`);
  const expectNothingStored = (root: string) => {
    expect(readdirSync(join(root, 'layers'))).toEqual([]);
    expect(readdirSync(join(root, 'blobs', 'sha256')).filter((n) => n.startsWith('.tmp-') || n === layerDigest().slice(7))).toEqual([]);
  };

  beforeAll(async () => {
    registry = await startRegistry();
    source = newStore();
    image = buildImage(bigLayers(1, 4 * 1024 * 1024));
    await storeImage(source.root, image);
    await pushImage(parseNormalizedReference(`${registry.host}/faults/img:1`), { graphRoot: source.root, manifestDigest: image.manifestDigest, tlsVerify: false });
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });
  afterAll(async () => {
    await registry?.stop();
    for (const s of stores) s.cleanup();
  });

  const through = async (decide: (method: string | undefined, url: string | undefined, index: number) => Fault) => {
    proxy = await startRegistryProxy(registry.host, (req, i) => decide(req.method, req.url, i));
    return proxy;
  };

  it('resumes a layer with Range after the connection is cut mid-body', async () => {
    let cut = false;
    const p = await through((method, url) => {
      if (!cut && isLayerGet(method, url)) {
        cut = true;
        return { kind: 'cut', afterBytes: 1_000_000 };
      }
      return { kind: 'pass' };
    });
    const store = newStore();
    const events: PullProgressEvent[] = [];
    const pulled = await pullImage(`${p.host}/faults/img:1`, { graphRoot: store.root, tlsVerify: false, onProgress: (e) => events.push(e), retry: { baseDelayMs: 10 } });
    expect(pulled.layers[0]!.diffId).toBe(image.layers[0]!.diffId);
    const layerRequests = p.requests.filter((r) => isLayerGet(r.method, r.url));
    expect(layerRequests).toHaveLength(2);
    expect(layerRequests[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/=(\d+)-/.exec(layerRequests[1]!.range!)![1])).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'layer-resumed')).toBe(true);
  });

  it('refuses a layer whose bytes do not match its digest and stores nothing of it', async () => {
    // Byte 5 is in the gzip header's mtime: gunzip accepts it, only the digest can tell.
    for (const [atByte, message] of [[5, /digest did not match/], [2_000_000, /digest did not match|gzip/]] as const) {
      const p = await through((method, url) => (isLayerGet(method, url) ? { kind: 'corrupt', atByte } : { kind: 'pass' }));
      const store = newStore();
      const error = await errorOf(pullImage(`${p.host}/faults/img:1`, { graphRoot: store.root, tlsVerify: false }));
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
      expect(String((error as Error).message)).toMatch(message);
      expectNothingStored(store.root);
      await p.close();
      proxy = undefined;
    }
  });

  it('waits as Retry-After asks on 503, then succeeds', async () => {
    let first = true;
    const p = await through((method, url) => {
      if (first && (url ?? '').includes('/manifests/')) {
        first = false;
        return { kind: 'status', status: 503, headers: { 'retry-after': '2' } };
      }
      return { kind: 'pass' };
    });
    const waits: number[] = [];
    const store = newStore();
    await pullImage(`${p.host}/faults/img:1`, { graphRoot: store.root, tlsVerify: false, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toContain(2000);
  });

  it('gives up on endless 429 after a bounded number of tries', async () => {
    const p = await through((_m, url) => ((url ?? '').includes('/manifests/') ? { kind: 'status', status: 429 } : { kind: 'pass' }));
    const waits: number[] = [];
    const store = newStore();
    const error = await errorOf(pullImage(`${p.host}/faults/img:1`, { graphRoot: store.root, tlsVerify: false, retry: { attempts: 4 }, sleep: async (ms) => void waits.push(ms) }));
    expect(error).toBeDefined();
    expect(waits).toHaveLength(3);
    expect(p.requests.filter((r) => r.url.includes('/manifests/'))).toHaveLength(4);
  });

  it('stops at once when canceled mid-layer and leaves no temp files', async () => {
    const controller = new AbortController();
    const store = newStore();
    const error = await errorOf(
      pullImage(`${registry.host}/faults/img:1`, {
        graphRoot: store.root,
        tlsVerify: false,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.type === 'layer-bytes' && e.done > 0) controller.abort();
        },
      }),
    );
    expect(hasCode(error, 'ErrCanceled')).toBe(true);
    expectNothingStored(store.root);
  });

  it('refuses a gzip bomb by its decompression ratio', async () => {
    const bomb = buildImage([layerFromMembers([{ name: 'zeros', data: Buffer.alloc(40 * 1024 * 1024) }])]);
    await storeImage(source.root, bomb);
    await pushImage(parseNormalizedReference(`${registry.host}/faults/bomb:1`), { graphRoot: source.root, manifestDigest: bomb.manifestDigest, tlsVerify: false });
    const store = newStore();
    const error = await errorOf(pullImage(`${registry.host}/faults/bomb:1`, { graphRoot: store.root, tlsVerify: false, bombSlackBytes: 1024 * 1024, maxRatio: 100 }));
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect(String((error as Error).message)).toMatch(/bomb/);
    expect(readdirSync(join(store.root, 'layers'))).toEqual([]);
  });

  it('refuses a layer that does not match the DiffID the config promises', async () => {
    const layer = layerFromMembers([{ name: 'x', data: 'real content' }]);
    const liar = buildImage([{ ...layer, diffId: digestOf('something else') }]);
    await storeImage(source.root, liar);
    await pushImage(parseNormalizedReference(`${registry.host}/faults/liar:1`), { graphRoot: source.root, manifestDigest: liar.manifestDigest, tlsVerify: false });
    const store = newStore();
    const error = await errorOf(pullImage(`${registry.host}/faults/liar:1`, { graphRoot: store.root, tlsVerify: false }));
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect(String((error as Error).message)).toMatch(/DiffID/);
    expect(readdirSync(join(store.root, 'layers'))).toEqual([]);
    expect(readdirSync(join(store.root, 'blobs', 'sha256'))).not.toContain(layer.digest.slice(7));
  });
});
