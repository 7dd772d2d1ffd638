// Containers and pods on bridge networks through real conmon + crun + netavark + iptables (busybox
// rootfs, throw-away store, the integration tests' own default network — vitest.config.ts): an
// address and the gateway, published ports answering on 127.0.0.1, a pod publishing on its infra
// container, DNS between containers, teardown when a container exits by itself (the exit command),
// no leftovers after many cycles, recovery after a process is SIGKILLed mid-setup, typed errors.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { withName, withNetworkMode, withPod, withPortMappings, withRootFSFromPath, withStopTimeout } from '../../../main/core/container-config.ts';
import type { ContainerSpec } from '../../../main/core/container-config.ts';
import { listContainerItems } from '../../../main/core/container-inspect.ts';
import { parsePublishList } from '../../../main/core/network/port-mappings.ts';
import { createNetwork, inspectNetwork, pruneNetworks } from '../../../main/core/networks.ts';
import { createPod } from '../../../main/core/pod-create.ts';
import { withOCIRuntime } from '../../../main/core/runtime-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { buildCoreChild, spawnChild } from '../../helpers/core-processes.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { firewallRules, httpGet, leftovers, linkNames, networkHostProblems } from '../../helpers/network-host.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';
import { cliPath } from '../../helpers/cli.ts';

const spec = (...args: string[]): ContainerSpec => ({ process: { args } });

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}


function logText(store: TempStore, id: string): string {
  const path = join(store.graphRoot, 'containers', id, 'userdata', 'ctr.log');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? (networkHostProblems().join('; ') || null);
describe.skipIf(skip !== null)(`Containers on bridge networks${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let runtime: Runtime;
  let linksBefore: string[];
  let rulesBefore: string;
  let child: string;

  beforeAll(async () => {
    child = await buildCoreChild();
  });

  beforeEach(() => {
    store = tempStore();
    makeBusyboxRootfs(store.rootfs);
    writeFileSync(join(store.rootfs, 'index.html'), 'hello from the container\n');
    // With the built CLI, conmon runs `container cleanup` when a container exits (as in production).
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: existsSync(cliPath) ? cliPath : null });
    linksBefore = linkNames();
    rulesBefore = firewallRules();
  });

  afterEach(async () => {
    try {
      for (const pod of runtime.pods()) await runtime.removePod(pod, true).catch(() => undefined);
      await runtime.removeContainers(runtime.containers(), true, { timeout: 0 });
      // Takes the store's bridges and their iptables rules down (a sweep), whatever the test left.
      await pruneNetworks(runtime);
      runtime.shutdown(true);
    } catch {
      // the test shut it down
    }
    await removeStoreDir(store.dir);
  });

  afterAll(() => {
    // Nothing of ours may stay on the host: no bridge or veth, no rule naming our subnets.
    expect(linkNames().filter((l) => !linksBefore.includes(l) && (l.startsWith('veth') || l.startsWith('podbay')))).toEqual([]);
  });

  const container = (name: string, args: string[], options = [withStopTimeout(1)]) =>
    runtime.newContainer(spec(...args), [withName(name), withRootFSFromPath(store.rootfs), withNetworkMode('bridge', 'podbay-it'), ...options]);

  it('gives a container on the default bridge an address, its /etc/hosts and resolv.conf, and reaches the gateway', async () => {
    const network = await runtime.network();
    const config = network.get(runtime.settings().network.defaultNetwork);
    const gateway = config.subnets[0]?.gateway as string;
    // A server on the host, reached through the bridge's gateway address.
    const server: Server = createServer((_req, res) => res.end('host says hi'));
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const ctr = await container('probe', ['sh', '-c', `ip -4 -o addr show eth0; cat /etc/hosts /etc/resolv.conf; wget -q -O- http://${gateway}:${port}/`]);
      await ctr.start();
      expect(await ctr.wait()).toBe(0);
      const out = logText(store, ctr.id());
      const address = /inet (10\.\d+\.\d+\.\d+)\/(\d+)/.exec(out);
      expect(address?.[1]).toBeDefined();
      expect(config.subnets[0]?.subnet).toBe(`${(address?.[1] ?? '').split('.').slice(0, 3).join('.')}.0/${address?.[2]}`);
      expect(out).toContain(`${address?.[1]}\t${ctr.id().slice(0, 12)} probe`);
      expect(out).toContain(`${gateway}\thost.containers.internal`);
      expect(out).toContain('host says hi');
    } finally {
      server.close();
    }
    // The exit command (or, without a built CLI, the next stop) tore the network down.
    if (existsSync(cliPath)) await until(() => network.attachmentOf(runtime.containers()[0]?.id() ?? '') === null);
  });

  it('publishes a port that answers on 127.0.0.1, lists it, and frees it when the container stops', async () => {
    const ctr = await container('web', ['httpd', '-f', '-p', '80', '-h', '/'], [withStopTimeout(1), withPortMappings(parsePublishList(['127.0.0.1::80']))]);
    await ctr.start();
    const [item] = await listContainerItems(runtime, { all: true });
    const port = item?.ports[0];
    expect(port).toMatchObject({ hostIp: '127.0.0.1', containerPort: 80, protocol: 'tcp', range: 1 });
    expect(port?.hostPort).toBeGreaterThan(0);
    expect(item?.networks).toEqual(['podbay-it']);
    expect(await httpGet(port?.hostPort ?? 0, '/index.html')).toBe('hello from the container\n');
    await ctr.stop({ timeout: 0 });
    const network = await runtime.network();
    expect(network.attachmentOf(ctr.id())).toBeNull();
    expect(network.ipam.allocationsOf(ctr.id())).toEqual([]);
    expect(firewallRules()).not.toContain(ctr.id());
  });

  it('publishes a pod\'s port on its infra container; a member serves it and members get no network of their own', async () => {
    const pod = await createPod(runtime, { name: 'shop', publish: ['127.0.0.1:0:8080'.replace(':0:', '::')] });
    const infra = runtime.getContainer(pod.infraContainerId() as string);
    expect(infra.view()).toMatchObject({ networkMode: 'bridge', portMappings: [{ host_ip: '127.0.0.1', container_port: 8080 }] });
    const web = await runtime.newContainer(spec('httpd', '-f', '-p', '8080', '-h', '/'), [withName('shop-web'), withRootFSFromPath(store.rootfs), withPod(pod), withStopTimeout(1)]);
    const probe = await runtime.newContainer(spec('sh', '-c', 'for i in $(seq 1 100); do wget -q -O- http://localhost:8080/index.html && exit 0; sleep 0.1; done; exit 1'), [
      withName('shop-probe'),
      withRootFSFromPath(store.rootfs),
      withPod(pod),
    ]);
    expect(web.view().networkMode).toBeUndefined();
    expect([...(await pod.start())]).toEqual([]);
    const items = await listContainerItems(runtime, { all: true });
    const port = items.find((i) => i.id === web.id())?.ports[0]?.hostPort ?? 0;
    expect(port).toBeGreaterThan(0);
    expect(items.find((i) => i.id === infra.id())?.ports[0]?.hostPort).toBe(port);
    expect(await httpGet(port, '/index.html')).toBe('hello from the container\n');
    // localhost between members keeps working.
    expect(await probe.wait()).toBe(0);
    // Only the infra container has a network attachment.
    const network = await runtime.network();
    expect(network.attachmentOf(web.id())).toBeNull();
    expect(network.attachmentOf(infra.id())?.phase).toBe('up');
    await pod.stop({ timeout: 0 });
    expect(network.attachmentOf(infra.id())).toBeNull();
  });

  it('resolves containers by name and alias on a user network with DNS', async () => {
    await createNetwork(runtime, { name: 'it-dns', subnets: [{ subnet: '10.89.230.0/24' }] });
    const b = await runtime.newContainer(spec('httpd', '-f', '-p', '80', '-h', '/'), [withName('backend'), withRootFSFromPath(store.rootfs), withNetworkMode('it-dns:alias=api'), withStopTimeout(1)]);
    await b.start();
    const a = await runtime.newContainer(spec('sh', '-c', 'for i in $(seq 1 50); do wget -q -O- http://backend/index.html && wget -q -O- http://api/index.html && exit 0; sleep 0.1; done; exit 1'), [
      withName('frontend'),
      withRootFSFromPath(store.rootfs),
      withNetworkMode('it-dns'),
    ]);
    await a.start();
    expect(await a.wait()).toBe(0);
    expect(logText(store, a.id()).match(/hello from the container/g)?.length).toBe(2);
    const members = (await inspectNetwork(runtime, 'it-dns')).containers.map((c) => c.name);
    expect(members).toEqual(['backend', 'frontend']);
  });

  it('refuses a host port that is in use with a typed error and leaves nothing half-created', async () => {
    const taken = createTcpServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const ctr = await container('clash', ['sleep', '10'], [withPortMappings(parsePublishList([`127.0.0.1:${port}:80`]))]);
      const error = await ctr.start().catch((e: unknown) => e);
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
      expect(ctr.status()).toBe('configured');
      const network = await runtime.network();
      expect([network.attachmentOf(ctr.id()), network.ipam.allocationsOf(ctr.id()), network.netns.list()]).toEqual([null, [], []]);
      // Two of our containers on the same host port: the second is refused as well.
      const first = await container('first', ['sleep', '10'], [withPortMappings(parsePublishList(['127.0.0.1:0:80'.replace(':0:', `:${port + 1}:`)]))]);
      await first.start();
      const second = await container('second', ['sleep', '10'], [withPortMappings(parsePublishList([`127.0.0.1:${port}-${port + 2}:80-82`]))]);
      expect(hasCode(await second.start().catch((e: unknown) => e), 'ErrInvalidArg')).toBe(true);
      expect(network.attachmentOf(second.id())).toBeNull();
    } finally {
      taken.close();
    }
  });

  it('tears a container\'s network down when it exits by itself (the exit command)', async () => {
    if (!existsSync(cliPath)) return expect.fail(`${cliPath} is missing: run \`npm run build\` first (npm test does)`);
    const ctr = await container('brief', ['sh', '-c', 'sleep 0.2'], [withPortMappings(parsePublishList(['127.0.0.1::80']))]);
    await ctr.start();
    const network = await runtime.network();
    expect(network.attachmentOf(ctr.id())?.phase).toBe('up');
    // Nobody calls stop: conmon's `container cleanup` must free the namespace, rules and address.
    await until(() => network.attachmentOf(ctr.id()) === null && network.netns.list().length === 0);
    expect(network.ipam.allocationsOf(ctr.id())).toEqual([]);
    expect(firewallRules()).not.toContain(ctr.id());
  });

  // 20 in every run; PODBAY_NETWORK_CYCLES=100 for the issue's full hundred (about a minute).
  const cycles = Number(process.env.PODBAY_NETWORK_CYCLES ?? 20);
  it(`leaves no namespace, veth, rule or allocation after ${cycles} create/start/remove cycles`, { timeout: 30_000 + cycles * 2_000 }, async () => {
    const ids: string[] = [];
    for (let i = 0; i < cycles; i++) {
      const ctr = await container(`cycle-${i}`, ['sleep', '30'], i % 2 ? [withStopTimeout(1), withPortMappings(parsePublishList(['127.0.0.1::80']))] : [withStopTimeout(1)]);
      ids.push(ctr.id());
      await ctr.start();
      await runtime.removeContainer(ctr, true, { timeout: 0 });
    }
    const network = await runtime.network();
    const config = network.get('podbay-it');
    await pruneNetworks(runtime);
    expect(leftovers(network, config, ids, linksBefore)).toEqual([]);
    expect(network.db.allConnections()).toEqual([]);
    const added = firewallRules().split('\n').filter((rule) => rule && !rulesBefore.includes(rule));
    expect(added).toEqual([]);
  });

  it('cleans up after a process SIGKILLed while it set up a container\'s network', async () => {
    const ctr = await container('victim', ['sleep', '30'], [withStopTimeout(1), withPortMappings(parsePublishList(['127.0.0.1::80']))]);
    const attachments = join(store.runRoot, 'network-attachments');
    const starter = spawnChild(child, ['start', store.graphRoot, store.runRoot, 'victim']);
    // Killed as soon as its setup is recorded: netavark may have run partly, the OCI runtime too.
    await until(() => existsSync(join(attachments, `${ctr.id()}.json`)), 20_000);
    starter.process.kill('SIGKILL');
    await starter.exited;
    // The next start of the container cleans what the dead process left and works.
    await ctr.start();
    expect(ctr.status()).toBe('running');
    const network = await runtime.network();
    expect(network.netns.list()).toHaveLength(1);
    await ctr.stop({ timeout: 0 });
    expect(network.netns.list()).toEqual([]);

    // And without a new start: stale cleanup (what the exit command and the app run) frees it.
    const other = await container('victim2', ['sleep', '30']);
    const second = spawnChild(child, ['start', store.graphRoot, store.runRoot, 'victim2']);
    await until(() => existsSync(join(attachments, `${other.id()}.json`)), 20_000);
    second.process.kill('SIGKILL');
    await second.exited;
    const report = await runtime.cleanupStaleNetworks({ sweep: false });
    expect(report?.tornDown).toContain(other.id());
    expect(readdirSync(attachments).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect(network.ipam.allocationsOf(other.id())).toEqual([]);
  });
});
