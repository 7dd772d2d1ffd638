// Moving images (PERFORMANCE.md's transfer rows): `images` with 50 images sharing a layer, pulls of
// `big` (busybox + 4 × 25 MiB incompressible layers) and `busybox` into empty stores, push of `big`
// to an empty registry and again when every blob exists, save and load of both archive formats —
// Podbay's CLI against podman's (and skopeo's copy as a reference), on one loopback registry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNormalizedReference } from '../../main/core/image/reference.ts';
import { pushImage } from '../../main/core/image/push.ts';
import { bigLayers, busyboxLayer, buildImage, layerFromMembers, storeImage } from '../../test/helpers/image-builder.ts';
import { startRegistry } from '../../test/helpers/registry-server.ts';
import type { RegistryServer } from '../../test/helpers/registry-server.ts';
import { command } from '../measure.ts';
import type { Contender } from '../measure.ts';
import type { BenchCase, BenchGroup } from '../types.ts';

interface Store {
  dir: string;
  podbay: string[];
  podman: string[];
}

export const transferGroup: BenchGroup = {
  name: 'transfer',
  async setup(context) {
    const base = mkdtempSync(join(tmpdir(), 'podbay-bench-transfer-'));
    let serial = 0;
    const stores: Store[] = [];
    const newStore = (): Store => {
      const dir = join(base, `s${serial++}`);
      const store = {
        dir,
        podbay: ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')],
        podman: ['--root', join(dir, 'podman-root'), '--runroot', join(dir, 'podman-run'), '--storage-driver', 'overlay'],
      };
      stores.push(store);
      return store;
    };
    // containers/storage leaves its overlay home bind-mounted: unmount before removing.
    const dropStore = (store: Store) => {
      spawnSync('umount', ['-R', join(store.dir, 'podman-root', 'overlay')], { stdio: 'ignore' });
      rmSync(store.dir, { recursive: true, force: true });
    };
    const podbay = (store: Store, ...args: string[]) => context.podbay([...store.podbay, ...args]);
    const podman = (store: Store, ...args: string[]) => command(['podman', ...store.podman, ...args]);

    const registries: RegistryServer[] = [];
    const registry = await startRegistry();
    registries.push(registry);
    process.stdout.write('building and pushing busybox, big and 50 images sharing a layer…\n');
    const source = newStore();
    const busybox = buildImage([busyboxLayer()]);
    // A smoke run keeps the shape (5 layers) at a fraction of the bytes.
    const big = buildImage([busyboxLayer(), ...bigLayers(4, context.smoke ? 1024 * 1024 : 25 * 1024 * 1024)]);
    const manyCount = context.scale(50, 5);
    const sourceRoot = join(source.dir, 'root');
    for (const [image, ref] of [[busybox, 'bench/busybox:latest'], [big, 'bench/big:latest']] as const) {
      await storeImage(sourceRoot, image);
      await pushImage(parseNormalizedReference(`${registry.host}/${ref}`), { graphRoot: sourceRoot, manifestDigest: image.manifestDigest, tlsVerify: false });
    }
    const shared = busyboxLayer();
    for (let i = 0; i < manyCount; i++) {
      const image = buildImage([shared, layerFromMembers([{ name: `img${i}.txt`, data: `image ${i}\n` }])]);
      await storeImage(sourceRoot, image);
      await pushImage(parseNormalizedReference(`${registry.host}/perf/many:t${i}`), { graphRoot: sourceRoot, manifestDigest: image.manifestDigest, tlsVerify: false });
    }
    const bigRef = `${registry.host}/bench/big:latest`;
    const busyboxRef = `${registry.host}/bench/busybox:latest`;

    // A store of each tool holding the 50 images, and one holding `big` for push/save.
    const many = newStore();
    podbay(many, 'pull', '--all-tags', '-q', '--tls-verify=false', `${registry.host}/perf/many`)();
    for (let i = 0; i < manyCount; i++) podman(many, 'pull', '-q', '--tls-verify=false', `${registry.host}/perf/many:t${i}`)();
    const holding = newStore();
    podbay(holding, 'pull', '-q', '--tls-verify=false', bigRef)();
    podman(holding, 'pull', '-q', '--tls-verify=false', bigRef)();
    podbay(holding, 'save', '--format', 'oci-archive', '-o', join(base, 'big-oci.tar'), bigRef)();
    podbay(holding, 'save', '--format', 'docker-archive', '-o', join(base, 'big-docker.tar'), bigRef)();

    /** A contender that gets a fresh empty store (made outside the timing) for every run. */
    const intoEmpty = (label: string, tool: 'podbay' | 'podman', args: string[]): Contender => {
      let store: Store | undefined;
      return {
        label,
        before: () => {
          if (store) dropStore(store);
          store = newStore();
        },
        run: () => (tool === 'podbay' ? podbay(store!, ...args) : podman(store!, ...args))(),
      };
    };
    /** Pushes to a registry that is new and empty for every run. */
    const toEmptyRegistry = (label: string, tool: 'podbay' | 'podman'): Contender => {
      let target: RegistryServer | undefined;
      return {
        label,
        before: async () => {
          await target?.stop();
          target = await startRegistry();
          registries.push(target);
        },
        run: () => {
          const destination = `docker://${target!.host}/bench/big:latest`;
          return (tool === 'podbay' ? podbay(holding, 'push', '--tls-verify=false', bigRef, destination) : podman(holding, 'push', '-q', '--tls-verify=false', bigRef, destination))();
        },
      };
    };
    const out = (name: string) => join(base, name);
    const cases: BenchCase[] = [
      {
        group: 'transfer',
        work: `\`images\`, ${manyCount} images sharing one layer`,
        podbay: { label: 'podbay images', run: podbay(many, 'images') },
        peer: { label: 'podman images', run: podman(many, 'images') },
        goalRatio: 0.12,
      },
      {
        group: 'transfer',
        work: 'pull `big` (106 MB, 5 layers) into an empty store',
        podbay: intoEmpty('podbay pull', 'podbay', ['pull', '-q', '--tls-verify=false', bigRef]),
        peer: intoEmpty('podman pull', 'podman', ['pull', '-q', '--tls-verify=false', bigRef]),
        goalRatio: 0.6,
        runs: 3,
        warmups: 1,
      },
      {
        group: 'transfer',
        work: 'pull `big`: reference, `skopeo copy … dir:` (download and verify only)',
        podbay: intoEmpty('podbay pull', 'podbay', ['pull', '-q', '--tls-verify=false', bigRef]),
        peer: {
          label: 'skopeo copy',
          before: () => rmSync(out('skopeo-dir'), { recursive: true, force: true }),
          run: command(['skopeo', 'copy', '-q', '--src-tls-verify=false', `docker://${bigRef}`, `dir:${out('skopeo-dir')}`]),
        },
        runs: 3,
        warmups: 0,
      },
      {
        group: 'transfer',
        work: 'pull `busybox` into an empty store',
        podbay: intoEmpty('podbay pull', 'podbay', ['pull', '-q', '--tls-verify=false', busyboxRef]),
        peer: intoEmpty('podman pull', 'podman', ['pull', '-q', '--tls-verify=false', busyboxRef]),
        goalRatio: 0.5,
        runs: 5,
        warmups: 1,
      },
      {
        group: 'transfer',
        work: 'push `big` to an empty registry',
        podbay: toEmptyRegistry('podbay push', 'podbay'),
        peer: toEmptyRegistry('podman push', 'podman'),
        goalRatio: 0.55,
        runs: 3,
        warmups: 0,
      },
      {
        group: 'transfer',
        work: 'push `big` when every blob exists',
        podbay: { label: 'podbay push', run: podbay(holding, 'push', '--tls-verify=false', bigRef) },
        peer: { label: 'podman push', run: podman(holding, 'push', '-q', '--tls-verify=false', bigRef) },
        goalRatio: 1.0,
        runs: 5,
      },
      {
        group: 'transfer',
        work: 'save `big` as oci-archive',
        podbay: { label: 'podbay save', before: () => rmSync(out('a.tar'), { force: true }), run: podbay(holding, 'save', '-q', '--format', 'oci-archive', '-o', out('a.tar'), bigRef) },
        peer: { label: 'podman save', before: () => rmSync(out('b.tar'), { force: true }), run: podman(holding, 'save', '-q', '--format', 'oci-archive', '-o', out('b.tar'), bigRef) },
        goalRatio: 0.3,
        runs: 5,
      },
      {
        group: 'transfer',
        work: 'save `big` as docker-archive',
        podbay: { label: 'podbay save', before: () => rmSync(out('c.tar'), { force: true }), run: podbay(holding, 'save', '-q', '--format', 'docker-archive', '-o', out('c.tar'), bigRef) },
        peer: { label: 'podman save', before: () => rmSync(out('d.tar'), { force: true }), run: podman(holding, 'save', '-q', '--format', 'docker-archive', '-o', out('d.tar'), bigRef) },
        goalRatio: 0.8,
        runs: 5,
      },
      {
        group: 'transfer',
        work: 'load docker-archive of `big` into an empty store',
        podbay: intoEmpty('podbay load', 'podbay', ['load', '-q', '-i', out('big-docker.tar')]),
        peer: intoEmpty('podman load', 'podman', ['load', '-q', '-i', out('big-docker.tar')]),
        goalRatio: 0.8,
        runs: 3,
      },
      {
        group: 'transfer',
        work: 'load oci-archive of `big` into an empty store',
        podbay: intoEmpty('podbay load', 'podbay', ['load', '-q', '-i', out('big-oci.tar')]),
        peer: intoEmpty('podman load', 'podman', ['load', '-q', '-i', out('big-oci.tar')]),
        goalRatio: 0.8,
        runs: 3,
      },
    ];
    return {
      cases,
      teardown: async () => {
        for (const r of registries) await r.stop().catch(() => undefined);
        for (const store of stores) dropStore(store);
        rmSync(base, { recursive: true, force: true });
      },
    };
  },
};
