// system prune over a real store: what does not run goes (pods with their containers, containers,
// dangling or — with all — unused images, then unreferenced content); what runs or is used stays.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withName, withPod, withRootFSFromImage, withRootFSFromPath } from '../../../../main/core/container-config.ts';
import { withNamedVolumes } from '../../../../main/core/container-mounts.ts';
import { withPodName } from '../../../../main/core/pod-config.ts';
import { withVolumeName } from '../../../../main/core/volume-config.ts';
import type { Runtime } from '../../../../main/core/runtime.ts';
import { pruneSystem } from '../../../../main/core/system/system-prune.ts';
import { buildImage, installImage, layerFromMembers } from '../../../helpers/image-builder.ts';
import { openRuntime, sleepSpec, tempStore } from '../../../helpers/core-store.ts';
import type { TempStore } from '../../../helpers/core-store.ts';

describe('pruneSystem', () => {
  let store: TempStore;
  let runtime: Runtime;

  beforeEach(async () => {
    store = tempStore();
    await installImage(store.graphRoot, buildImage([layerFromMembers([{ name: 'used', data: 'u' }])]), 'localhost/used:latest');
    await installImage(store.graphRoot, buildImage([layerFromMembers([{ name: 'unused', data: 'n' }])]), 'localhost/unused:latest');
    runtime = openRuntime(store, [], { cliScript: null });
  });
  afterEach(() => {
    runtime.shutdown(true);
    store.cleanup();
  });

  it('removes stopped pods and containers, keeps images in use, and removes unused ones with all', async () => {
    const pod = await runtime.newPod([withPodName('idle')]);
    await runtime.newContainer(sleepSpec, [withName('in-pod'), withRootFSFromPath(store.rootfs), withPod(pod)]);
    await runtime.newContainer(sleepSpec, [withName('loose'), withRootFSFromPath(store.rootfs)]);
    const first = await pruneSystem(runtime);
    expect(first).toMatchObject({ pods: ['idle'], containers: ['in-pod', 'loose'], images: [], errors: [] });
    expect(runtime.containers()).toEqual([]);
    expect(runtime.pods()).toEqual([]);

    // A stopped container goes first, so the dangling image it used goes in the same run; an unused
    // image with a name stays, except with all.
    await runtime.newContainer(sleepSpec, [withName('user'), withRootFSFromImage('localhost/used:latest', true)]);
    const images = await runtime.images();
    const usedId = images.store.lookupImageId('localhost/used:latest');
    const unusedId = images.store.lookupImageId('localhost/unused:latest');
    images.untag('localhost/used:latest');
    expect(await pruneSystem(runtime)).toMatchObject({ containers: ['user'], images: [usedId], errors: [] });
    expect(images.store.hasImage(unusedId)).toBe(true);
    const all = await pruneSystem(runtime, { all: true });
    expect(all.images).toEqual([unusedId]);
    expect(all.reclaimedBytes).toBeGreaterThan(0);
  });

  it('removes unused volumes only with volumes, after the containers that used them', async () => {
    await runtime.newVolume([withVolumeName('unused')]);
    await runtime.newContainer(sleepSpec, [withName('user'), withRootFSFromPath(store.rootfs), withNamedVolumes([{ name: 'used', destination: '/data', options: [] }])]);
    const plain = await pruneSystem(runtime);
    expect(plain).toMatchObject({ containers: ['user'], volumes: [] });
    expect(runtime.listVolumes().map((v) => v.name()).sort()).toEqual(['unused', 'used']);
    await runtime.newContainer(sleepSpec, [withName('user2'), withRootFSFromPath(store.rootfs), withNamedVolumes([{ name: 'used', destination: '/data', options: [] }])]);
    // The stopped container goes first; then its volume is unused too, and goes in the same run.
    const report = await pruneSystem(runtime, { volumes: true });
    expect(report.containers).toEqual(['user2']);
    expect(report.volumes.sort()).toEqual(['unused', 'used']);
    expect(runtime.listVolumes()).toEqual([]);
  });

  it('leaves nothing unreferenced behind', async () => {
    await pruneSystem(runtime, { all: true });
    expect(readdirSync(join(store.graphRoot, 'layers'))).toEqual([]);
    expect(readdirSync(join(store.graphRoot, 'blobs', 'sha256'))).toEqual([]);
  });
});
