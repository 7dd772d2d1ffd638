// Faults from outside: every kind of misbehaving registry, injected by a proxy on loopback in front of
// Debian's docker-registry. Each must end in a retry that succeeds or a clear typed error, within the
// test's time and with bounded memory — never a hang, an untyped exception or a damaged store (a
// system check after each pull, failed or not, finds nothing). `npm run test:soak` repeats the
// offset-dependent faults at many offsets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodbayError, errorCodes, hasCode } from '../../../shared/errors.ts';
import type { ErrorCode } from '../../../shared/errors.ts';
import { digestOf } from '../../../main/core/image/digest.ts';
import { mediaTypes } from '../../../main/core/image/manifest.ts';
import { pushImage } from '../../../main/core/image/push.ts';
import { parseNormalizedReference } from '../../../main/core/image/reference.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { checkSystem } from '../../../main/core/system/system-check.ts';
import { openRuntime, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { bigLayers, buildImage, layerFromMembers, storeImage } from '../../helpers/image-builder.ts';
import type { BuiltImage } from '../../helpers/image-builder.ts';
import { startRegistryProxy } from '../../helpers/registry-proxy.ts';
import type { Fault, RegistryProxy } from '../../helpers/registry-proxy.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';
import { recordSoak, scale } from '../../helpers/soak.ts';

const missing = registryMissing();

type Outcome = { ok: true } | { ok: false; code: ErrorCode; message: string };

describe.skipIf(missing !== undefined)(`registry fault corpus${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let registry: RegistryServer;
  let image: BuiltImage;
  let source: TempStore;
  const stats = { cases: 0, typed: 0, untyped: 0, damaged: 0 };

  beforeAll(async () => {
    registry = await startRegistry();
    source = tempStore();
    image = buildImage([...bigLayers(1, 2 * 1024 * 1024), layerFromMembers([{ name: 'etc/', type: 'dir' }, { name: 'etc/small', data: 'small layer' }])]);
    await storeImage(source.graphRoot, image);
    await pushImage(parseNormalizedReference(`${registry.host}/faults/img:1`), { graphRoot: source.graphRoot, manifestDigest: image.manifestDigest, tlsVerify: false });
  }, 120_000);
  afterAll(async () => {
    recordSoak({ suite: 'registry faults (proxy in front of docker-registry)', hostileInputs: stats.cases, typedErrors: stats.typed, crashes: stats.untyped + stats.damaged });
    await registry?.stop();
    source?.cleanup();
  });

  const bigDigest = () => image.layers[0]!.digest;
  const isBlob = (req: { method?: string; url?: string }, digest = bigDigest()) => req.method === 'GET' && (req.url ?? '').includes(`/blobs/${digest}`);
  const isManifest = (req: { method?: string; url?: string }) => req.method === 'GET' && (req.url ?? '').includes('/manifests/');

  /**
   * Pulls `${proxy}/${path}` into a fresh store with quick retries and a 1 s stall timeout; returns the
   * outcome (an untyped error fails the test), checks the store is sound either way, and the proxy.
   */
  async function pullThrough(decide: (req: { method?: string; url?: string }, index: number) => Fault, path = 'faults/img:1', attempts = 5): Promise<{ outcome: Outcome; proxy: RegistryProxy; runtime: Runtime; store: TempStore }> {
    const proxy = await startRegistryProxy(registry.host, decide);
    const store = tempStore();
    const runtime = openRuntime(store, [], { cliScript: null });
    stats.cases++;
    let outcome: Outcome;
    try {
      const images = await runtime.images();
      await images.pull(`${proxy.host}/${path}`, { tlsVerify: false, pull: { retry: { attempts, baseDelayMs: 5, maxDelayMs: 50 }, stallTimeoutMs: 1000, sleep: async () => undefined } });
      outcome = { ok: true };
    } catch (error) {
      if (!(error instanceof PodbayError) || !Object.hasOwn(errorCodes, error.code)) {
        stats.untyped++;
        throw new Error(`an untyped error escaped: ${String((error as Error)?.stack ?? error)}`, { cause: error });
      }
      stats.typed++;
      outcome = { ok: false, code: error.code, message: error.message };
    }
    const report = await checkSystem(runtime);
    if (report.issues.length > 0) stats.damaged++;
    expect(report.issues, 'the store after the pull').toEqual([]);
    return { outcome, proxy, runtime, store };
  }

  async function done(run: { proxy: RegistryProxy; runtime: Runtime; store: TempStore }): Promise<void> {
    run.runtime.shutdown(true);
    run.store.cleanup();
    await run.proxy.close();
  }

  async function expectPulled(run: Awaited<ReturnType<typeof pullThrough>>): Promise<void> {
    expect(run.outcome).toEqual({ ok: true });
    const images = await run.runtime.images();
    expect(images.list().map((i) => i.id)).toEqual([image.configDigest.slice(7)]);
    await done(run);
  }

  async function expectRefused(run: Awaited<ReturnType<typeof pullThrough>>, code: ErrorCode, message?: RegExp): Promise<void> {
    expect(run.outcome.ok).toBe(false);
    if (!run.outcome.ok) {
      expect(run.outcome.code, run.outcome.message).toBe(code);
      if (message) expect(run.outcome.message).toMatch(message);
    }
    expect((await run.runtime.images()).list()).toEqual([]);
    await done(run);
  }

  /** Offsets inside the big layer where a fault strikes: one in npm test, many in the soak. */
  const offsets = Array.from({ length: scale(1, 8) }, (_, i) => (i === 0 ? 700_000 : Math.floor(((i + 0.37) / 8) * 2 * 1024 * 1024)));

  it('resumes with Range after a connection reset mid-blob', async () => {
    for (const at of offsets) {
      let faulted = false;
      const run = await pullThrough((req) => (!faulted && isBlob(req) && (faulted = true) ? { kind: 'reset', afterBytes: at } : { kind: 'pass' }));
      // After a RST the client keeps only what it had read: the resume starts at or before the cut.
      const ranges = run.proxy.requests.filter((r) => isBlob(r)).map((r) => r.range);
      expect(ranges).toHaveLength(2);
      expect(ranges[0]).toBeUndefined();
      const resumed = Number(/^bytes=(\d+)-$/.exec(ranges[1] ?? '')?.[1]);
      expect(resumed).toBeGreaterThan(0);
      expect(resumed).toBeLessThanOrEqual(at);
      await expectPulled(run);
    }
  });

  it('resumes a truncated body, and gives up with a typed error when every try is truncated', async () => {
    let once = false;
    await expectPulled(await pullThrough((req) => (!once && isBlob(req) && (once = true) ? { kind: 'cut', afterBytes: 1000 } : { kind: 'pass' })));
    const always = await pullThrough((req) => (isBlob(req) ? { kind: 'cut', afterBytes: 0 } : { kind: 'pass' }), 'faults/img:1', 3);
    expect(always.proxy.requests.filter((r) => isBlob(r))).toHaveLength(3);
    await expectRefused(always, 'ErrInternal');
  });

  it('refuses a blob whose bytes do not match its digest, storing nothing of it', async () => {
    for (const at of offsets) {
      await expectRefused(await pullThrough((req) => (isBlob(req) ? { kind: 'corrupt', atByte: at } : { kind: 'pass' })), 'ErrInvalidArg', /digest did not match|gzip/);
    }
    // A whole other body of the right size (a registry serving the wrong blob).
    const other = Buffer.alloc(image.layers[0]!.blob.length, 7);
    await expectRefused(
      await pullThrough((req) => (isBlob(req) ? { kind: 'serve', headers: { 'content-length': String(other.length) }, body: async function* () { yield other; } } : { kind: 'pass' })),
      'ErrInvalidArg',
    );
  });

  it('copes with a Content-Length that promises more, or less, than the body', async () => {
    for (const delta of [100, -100]) {
      let once = false;
      await expectPulled(await pullThrough((req) => (!once && isBlob(req) && (once = true) ? { kind: 'length', delta } : { kind: 'pass' })));
    }
    // A manifest whose Content-Length lies short: the body read is not the manifest the digest names.
    let once = false;
    const manifestByDigest = (req: { method?: string; url?: string }) => isManifest(req) && (req.url ?? '').includes('sha256:');
    const run = await pullThrough((req) => (!once && isManifest(req) && !manifestByDigest(req) && (once = true) ? { kind: 'length', delta: -10 } : { kind: 'pass' }));
    // The truncated tag manifest is not JSON (typed refusal) or it was retried: never stored half.
    if (!run.outcome.ok) expect(run.outcome.code).toBe('ErrInvalidArg');
    await done(run);
  });

  it('waits as 503 with Retry-After asks, and answers a 500 with a typed error', async () => {
    let once = false;
    await expectPulled(await pullThrough((req) => (!once && isBlob(req) && (once = true) ? { kind: 'status', status: 503, headers: { 'retry-after': '1' } } : { kind: 'pass' })));
    await expectRefused(await pullThrough((req) => (isBlob(req) ? { kind: 'status', status: 500 } : { kind: 'pass' })), 'ErrInternal', /HTTP 500/);
  });

  it('retries 429 Too Many Requests, and stops after a bounded number of tries', async () => {
    let count = 0;
    await expectPulled(await pullThrough((req) => (isBlob(req) && count++ < 2 ? { kind: 'status', status: 429, headers: { 'retry-after': '0' } } : { kind: 'pass' })));
    const endless = await pullThrough((req) => (isBlob(req) ? { kind: 'status', status: 429 } : { kind: 'pass' }), 'faults/img:1', 4);
    expect(endless.proxy.requests.filter((r) => isBlob(r))).toHaveLength(4);
    await expectRefused(endless, 'ErrInternal', /429/);
  });

  it('finishes a slow trickle, resumes a stalled body after the stall timeout, and gives up on one that always stalls', async () => {
    let once = false;
    await expectPulled(await pullThrough((req) => (!once && isBlob(req) && (once = true) ? { kind: 'trickle', bytes: 256 * 1024, everyMs: 20 } : { kind: 'pass' })));
    once = false;
    const stalled = await pullThrough((req) => (!once && isBlob(req) && (once = true) ? { kind: 'trickle', bytes: 64 * 1024, everyMs: 5, stallAfter: 300_000 } : { kind: 'pass' }));
    expect(stalled.proxy.requests.filter((r) => isBlob(r)).map((r) => r.range)).toEqual([undefined, 'bytes=300000-']);
    await expectPulled(stalled);
    const always = await pullThrough((req) => (isBlob(req) ? { kind: 'trickle', bytes: 1000, everyMs: 5, stallAfter: 1000 } : { kind: 'pass' }), 'faults/img:1', 3);
    await expectRefused(always, 'ErrInternal', /no data/);
  });

  it('gives up on a redirect loop with a typed error', async () => {
    const run = await pullThrough((req) => (isManifest(req) ? { kind: 'redirect', location: req.url ?? '/' } : { kind: 'pass' }), 'faults/img:1', 2);
    await expectRefused(run, 'ErrInternal');
    expect(run.proxy.requests.length).toBeLessThan(100);
  });

  it('refuses a 100 MB manifest without reading it: by its Content-Length, or after the 4 MiB limit', async () => {
    const size = 100 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const huge = async function* () {
      for (let sent = 0; sent < size; sent += chunk.length) yield chunk;
    };
    for (const headers of [{ 'content-type': mediaTypes.ociManifest, 'content-length': String(size) }, { 'content-type': mediaTypes.ociManifest }] as Record<string, string>[]) {
      const run = await pullThrough((req) => (isManifest(req) ? { kind: 'serve', headers, body: huge } : { kind: 'pass' }));
      // Bounded memory: the proxy could write only what the client read before it let go (and socket buffers).
      expect(Math.max(...run.proxy.requests.map((r) => r.sent))).toBeLessThan(24 * 1024 * 1024);
      await expectRefused(run, 'ErrInvalidArg', /limit/);
    }
  });

  it('refuses a manifest list that lists itself, and one whose entry is another list', async () => {
    const fakeEntry = digestOf('not served');
    const loop = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [{ mediaType: mediaTypes.ociIndex, digest: fakeEntry, size: 100, platform: { os: 'linux', architecture: 'amd64' } }] }));
    const serveLoop: Fault = { kind: 'serve', headers: { 'content-type': mediaTypes.ociIndex }, body: async function* () { yield loop; } };
    // Asked for the entry's digest, the proxy answers with the list itself.
    await expectRefused(await pullThrough((req) => (isManifest(req) ? serveLoop : { kind: 'pass' })), 'ErrInvalidArg', /digest did not match/);
    const inner = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [] }));
    const outer = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [{ mediaType: mediaTypes.ociIndex, digest: digestOf(inner), size: inner.length, platform: { os: 'linux', architecture: 'amd64' } }] }));
    const nested = await pullThrough((req) => {
      if (!isManifest(req)) return { kind: 'pass' };
      const body = (req.url ?? '').includes(digestOf(inner)) ? inner : outer;
      return { kind: 'serve', headers: { 'content-type': mediaTypes.ociIndex }, body: async function* () { yield body; } };
    });
    await expectRefused(nested, 'ErrInvalidArg', /itself an index/);
  });

  it('refuses an index of 10,000 entries with a typed error, having read it once', async () => {
    const manifests = Array.from({ length: 10_000 }, (_, i) => ({ mediaType: mediaTypes.dockerManifest, digest: digestOf(`entry ${i}`), size: 500, platform: { os: 'linux', architecture: `arch${i}` } }));
    manifests[9_999] = { mediaType: mediaTypes.dockerManifest, digest: image.manifestDigest, size: image.manifest.length, platform: { os: 'linux', architecture: 'amd64' } };
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests }));
    expect(index.length).toBeGreaterThan(1024 * 1024);
    const byTag = (req: { method?: string; url?: string }) => isManifest(req) && (req.url ?? '').endsWith('/manifests/1');
    const run = await pullThrough((req) => (byTag(req) ? { kind: 'serve', headers: { 'content-type': mediaTypes.ociIndex }, body: async function* () { yield index; } } : { kind: 'pass' }));
    // The manifest parser bounds an index at 1,000 entries (real ones have a few dozen).
    expect(run.proxy.requests.filter((r) => byTag(r))).toHaveLength(1);
    await expectRefused(run, 'ErrInvalidArg', /more than 1000/);
  });

  it('a push whose upload is reset mid-blob ends typed or pushed, and the next push succeeds', async () => {
    let once = false;
    const proxy = await startRegistryProxy(registry.host, (req) => (!once && req.method === 'PATCH' && (once = true) ? { kind: 'reset', afterBytes: 0 } : { kind: 'pass' }));
    stats.cases++;
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await pushImage(parseNormalizedReference(`${proxy.host}/faults/pushed:${attempt}`), { graphRoot: source.graphRoot, manifestDigest: image.manifestDigest, tlsVerify: false, retry: { attempts: 2, baseDelayMs: 5 } });
        } catch (error) {
          expect(attempt, 'only the faulted push may fail').toBe(0);
          expect(error instanceof PodbayError && hasCode(error, error.code)).toBe(true);
          stats.typed++;
        }
      }
      expect(proxy.requests.some((r) => r.method === 'PATCH')).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
