// images.* through the router, as the window and the web host call them, against Debian's
// docker-registry on 127.0.0.1: short names resolved through the config's search registries, pull
// frames with byte progress, cancelling a stream mid-pull, ErrImageInUse from a real container record.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract.ts';
import { PodbayError } from '../../../../shared/errors.ts';
import type { ImageInspect, ImageListItem, ImagePullFrame, ImagePushFrame, ImageRemoveReport, ImageResolution } from '../../../../shared/types/images.ts';
import { withName, withRootFSFromImage } from '../../../../main/core/container-config.ts';
import { EventLog } from '../../../../main/core/events/event-log.ts';
import { realExec } from '../../../../main/core/exec.ts';
import { ImageStore } from '../../../../main/core/image/image-store.ts';
import { parseNormalizedReference } from '../../../../main/core/image/reference.ts';
import { pushImage } from '../../../../main/core/image/push.ts';
import type { ResolvedRuntimeConfig } from '../../../../main/core/runtime-config.ts';
import { resolvePaths } from '../../../../main/core/runtime-paths.ts';
import type { Runtime } from '../../../../main/core/runtime.ts';
import { createHandlers } from '../../../../main/ipc/handlers.ts';
import type { HandlerDeps } from '../../../../main/ipc/handlers.ts';
import { createRouter } from '../../../../main/ipc/router.ts';
import type { Router } from '../../../../main/ipc/router.ts';
import { openRuntime, sleepSpec, tempStore } from '../../../helpers/core-store.ts';
import type { TempStore } from '../../../helpers/core-store.ts';
import { bigLayers, busyboxLayer, busyboxMissing, buildImage, storeImage } from '../../../helpers/image-builder.ts';
import type { BuiltImage } from '../../../helpers/image-builder.ts';
import { registryMissing, startRegistry } from '../../../helpers/registry-server.ts';
import type { RegistryServer } from '../../../helpers/registry-server.ts';

const missing = registryMissing() ?? busyboxMissing();
if (missing) console.warn(`skipping images contract tests: ${missing}`);

describe.skipIf(missing !== undefined)('images.* procedures', () => {
  let registry: RegistryServer;
  let source: TempStore;
  let store: TempStore;
  let router: Router;
  let runtime: Runtime;
  let busybox: BuiltImage;
  let big: BuiltImage;

  const call = <T>(path: string, input: unknown) => router.call(path, input, new AbortController().signal) as Promise<T>;
  const frames = async <F>(path: string, input: unknown, signal = new AbortController().signal, onFrame?: (f: F) => void) => {
    const out: F[] = [];
    for await (const frame of router.stream(path, input, signal) as AsyncIterable<F>) {
      out.push(frame);
      onFrame?.(frame);
    }
    return out;
  };

  beforeAll(async () => {
    registry = await startRegistry();
    source = tempStore();
    busybox = buildImage([busyboxLayer()]);
    big = buildImage([busyboxLayer(), ...bigLayers(4, 25 * 1024 * 1024)]);
    for (const [image, path] of [[busybox, 'podbay/busybox:latest'], [big, 'bench/big:latest']] as const) {
      await storeImage(source.graphRoot, image);
      await pushImage(parseNormalizedReference(`${registry.host}/${path}`), { graphRoot: source.graphRoot, manifestDigest: image.manifestDigest, tlsVerify: false });
    }
    store = tempStore();
    const deps = {
      paths: resolvePaths({ root: store.graphRoot, runRoot: store.runRoot }),
      exec: realExec,
      events: new EventLog(store.eventsLog),
      defaultRuntime: 'crun',
      // As the app context: podbay.conf's [registries] search and insecure lists.
      config: { image: { searchRegistries: [registry.host], insecureRegistries: [registry.host] } } as ResolvedRuntimeConfig,
    };
    router = createRouter(contract, createHandlers(deps as HandlerDeps));
    runtime = openRuntime(store);
  }, 120_000);
  afterAll(async () => {
    runtime?.shutdown(true);
    await registry?.stop();
    source?.cleanup();
    store?.cleanup();
  });

  it('resolves a short name through the search registries', async () => {
    expect(await call<ImageResolution>('images.resolve', { reference: 'podbay/busybox' })).toEqual({
      input: 'podbay/busybox',
      origin: 'search',
      candidates: [`${registry.host}/podbay/busybox:latest`],
    });
  });

  it('streams a pull by short name: resolved, byte progress to 100 %, then the image; then lists and inspects it', async () => {
    const got = await frames<ImagePullFrame>('images.pull', { reference: 'podbay/busybox' });
    expect(got[0]).toEqual({ type: 'resolved', resolution: { input: 'podbay/busybox', origin: 'search', candidates: [`${registry.host}/podbay/busybox:latest`] } });
    expect(got[1]).toEqual({ type: 'resolving', reference: `${registry.host}/podbay/busybox:latest` });
    const bytes = got.filter((f): f is Extract<ImagePullFrame, { type: 'layer-bytes' }> => f.type === 'layer-bytes');
    expect(bytes.at(-1)).toMatchObject({ digest: busybox.layers[0]!.digest, done: busybox.layers[0]!.blob.length, total: busybox.layers[0]!.blob.length });
    const last = got.at(-1);
    expect(last).toMatchObject({ type: 'image', image: { id: busybox.configDigest.slice(7), repoTags: [`${registry.host}/podbay/busybox:latest`], size: busybox.layers[0]!.tar.length } });

    const list = await call<ImageListItem[]>('images.list', {});
    expect(list.map((i) => i.id)).toEqual([busybox.configDigest.slice(7)]);
    const inspect = await call<ImageInspect>('images.inspect', { nameOrId: 'busybox' });
    expect(inspect).toMatchObject({ configDigest: busybox.configDigest, os: 'linux', architecture: 'amd64', layerPaths: [join(store.graphRoot, 'layers', busybox.layers[0]!.diffId.slice(7), 'diff')] });
    expect(await call<string[]>('images.tag', { nameOrId: 'busybox', names: ['mine:1'] })).toEqual(['localhost/mine:1']);
    expect(await call<string[]>('images.untag', { nameOrId: 'mine:1', names: ['mine:1'] })).toEqual(['localhost/mine:1']);
  });

  it('cancelling a pull stream aborts it cleanly: ErrCanceled, nothing recorded, no temp files, the lease released', async () => {
    const controller = new AbortController();
    let error: unknown;
    try {
      await frames<ImagePullFrame>('images.pull', { reference: `${registry.host}/bench/big` }, controller.signal, (f) => {
        if (f.type === 'layer-bytes' && f.done > 0 && f.total > 1_000_000) controller.abort();
      });
    } catch (e) {
      error = e;
    }
    expect(error instanceof PodbayError && error.code).toBe('ErrCanceled');
    expect((await call<ImageListItem[]>('images.list', {})).map((i) => i.id)).not.toContain(big.configDigest.slice(7));
    expect(readdirSync(join(store.graphRoot, 'layers')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(readdirSync(join(store.graphRoot, 'blobs', 'sha256')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    const images = ImageStore.open(store.graphRoot);
    try {
      expect((await images.collectGarbage()).skipped).toBeUndefined();
      expect(images.list()).toHaveLength(1);
    } finally {
      images.close();
    }
  }, 120_000);

  it('refuses to remove an image a container was created from (ErrImageInUse); force removes the container too', async () => {
    await runtime.newContainer(sleepSpec, [withName('user'), withRootFSFromImage('podbay/busybox', true)]);
    const id = busybox.configDigest.slice(7);
    const users = await call<Record<string, { id: string; name: string }[]>>('images.users', { ids: [id, 'f'.repeat(64)] });
    expect(users).toEqual({ [id]: [{ id: runtime.state().allContainers()[0]!.config.id, name: 'user' }], ['f'.repeat(64)]: [] });
    const [refused] = await call<ImageRemoveReport[]>('images.remove', { nameOrIds: ['podbay/busybox'] });
    expect(refused!.error?.code).toBe('ErrImageInUse');
    expect(await call<ImageListItem[]>('images.list', {})).toHaveLength(1);
    const [forced] = await call<ImageRemoveReport[]>('images.remove', { nameOrIds: ['podbay/busybox'], force: true });
    expect(forced).toMatchObject({ deleted: [busybox.configDigest.slice(7)] });
    expect(forced!.error).toBeUndefined();
    expect(runtime.state().allContainers()).toEqual([]);
    expect(await call<ImageListItem[]>('images.list', {})).toEqual([]);
    expect(readdirSync(join(store.graphRoot, 'layers'))).toEqual([]);
  });

  it('streams a push of a pulled image, ending with the digest the registry stored', async () => {
    await frames<ImagePullFrame>('images.pull', { reference: 'podbay/busybox' });
    const got = await frames<ImagePushFrame>('images.push', { nameOrId: 'busybox', destination: `${registry.host}/copied/busybox:v1` });
    expect(got.at(-1)).toEqual({ type: 'pushed', reference: `${registry.host}/copied/busybox:v1`, manifestDigest: busybox.manifestDigest });
  });
});
