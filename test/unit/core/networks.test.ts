import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { createContainer } from '../../../main/core/container-create.ts';
import { createNetwork, inspectNetwork, listNetworks, networkExists, pruneNetworks, removeNetworks } from '../../../main/core/networks.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { withDefaultNetwork } from '../../../main/core/runtime-config.ts';
import { openRuntime, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';

// Definitions only: nothing here starts a container, so no namespace, netavark or iptables is touched.
// Bridge names are ones no host has, so no removal ever finds a bridge to sweep.
describe('network verbs', () => {
  let store: TempStore;
  let runtime: Runtime;
  beforeEach(() => {
    store = tempStore();
    runtime = openRuntime(store, [withDefaultNetwork({ name: 'unitnet', subnet: '10.89.250.0/24', interface: 'pbunit0' })]);
  });
  afterEach(() => {
    runtime.shutdown(true);
    store.cleanup();
  });

  const events = () => (existsSync(store.eventsLog) ? readFileSync(store.eventsLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; action: string; name: string }) : []);

  it('lists the configured default network first created on use, and creates networks with DNS on by default', async () => {
    expect((await listNetworks(runtime)).map((n) => [n.name, n.interface, n.subnets, n.isDefault, n.dnsEnabled])).toEqual([['unitnet', 'pbunit0', [{ subnet: '10.89.250.0/24', gateway: '10.89.250.1' }], true, false]]);
    const made = await createNetwork(runtime, { name: 'web', subnets: [{ subnet: '10.89.251.0/24', gateway: '10.89.251.254' }], labels: { team: 'a' }, interfaceName: 'pbunit1' });
    expect(made).toMatchObject({ name: 'web', driver: 'bridge', dnsEnabled: true, internal: false, isDefault: false, labels: { team: 'a' }, subnets: [{ subnet: '10.89.251.0/24', gateway: '10.89.251.254' }], containers: [] });
    expect(await createNetwork(runtime, { name: 'quiet', dnsEnabled: false, internal: true, subnets: [{ subnet: '10.89.252.0/24' }], interfaceName: 'pbunit2' })).toMatchObject({ dnsEnabled: false, internal: true });
    expect((await createNetwork(runtime, { name: 'web', ignoreExisting: true })).id).toBe(made.id);
    expect(events().filter((e) => e.type === 'network').map((e) => `${e.action} ${e.name}`)).toEqual(['create web', 'create quiet']);
    expect(hasCode(await createNetwork(runtime, { name: 'web' }).catch((e: unknown) => e), 'ErrNetworkExists')).toBe(true);
    expect(hasCode(await createNetwork(runtime, { name: 'x', subnets: [{ subnet: '10.89.251.128/25' }] }).catch((e: unknown) => e), 'ErrInvalidArg')).toBe(true);
  });

  it('filters as podman network ls: name, id prefix, label, dangling; refuses unknown keys', async () => {
    const web = await createNetwork(runtime, { name: 'web', subnets: [{ subnet: '10.89.251.0/24' }], labels: { team: 'a' }, interfaceName: 'pbunit1' });
    await createNetwork(runtime, { name: 'db', subnets: [{ subnet: '10.89.252.0/24' }], labels: { team: 'b' }, interfaceName: 'pbunit2' });
    await createContainer(runtime, { rootfs: store.rootfs, name: 'app', command: ['true'], network: 'web' });
    const names = async (filters: Record<string, string[]>) => (await listNetworks(runtime, { filters })).map((n) => n.name);
    expect(await names({ name: ['we'] })).toEqual(['web']);
    expect(await names({ id: [web.id.slice(0, 8)] })).toEqual(['web']);
    expect(await names({ label: ['team=b'] })).toEqual(['db']);
    expect(await names({ label: ['team'] })).toEqual(['db', 'web']);
    expect(await names({ dangling: ['true'] })).toEqual(['db', 'unitnet']);
    expect(hasCode(await listNetworks(runtime, { filters: { colour: ['red'] } }).catch((e: unknown) => e), 'ErrInvalidArg')).toBe(true);
    expect((await inspectNetwork(runtime, 'web')).containers.map((c) => [c.name, c.interface, c.addresses])).toEqual([['app', 'eth0', []]]);
    expect([await networkExists(runtime, 'web'), await networkExists(runtime, 'nope')]).toEqual([true, false]);
  });

  it('removes each network with its own report: in use without force, the default one, a missing one; force removes its containers', async () => {
    await createNetwork(runtime, { name: 'web', subnets: [{ subnet: '10.89.251.0/24' }], interfaceName: 'pbunit1' });
    const app = await createContainer(runtime, { rootfs: store.rootfs, name: 'app', command: ['true'], network: 'web' });
    const reports = await removeNetworks(runtime, ['web', 'unitnet', 'nope']);
    expect(reports.map((r) => [r.nameOrId, r.error?.code ?? null])).toEqual([
      ['web', 'ErrNetworkInUse'],
      ['unitnet', 'ErrInvalidArg'],
      ['nope', 'ErrNoSuchNetwork'],
    ]);
    expect(reports[0]?.error?.message).toContain('app');
    const [forced] = await removeNetworks(runtime, ['web'], { force: true });
    expect(forced).toMatchObject({ name: 'web', removedContainers: [app.id()], error: null });
    expect(runtime.containers()).toEqual([]);
    expect(await networkExists(runtime, 'web')).toBe(false);
  });

  it('prunes the networks no container uses, never the default one', async () => {
    await createNetwork(runtime, { name: 'used', subnets: [{ subnet: '10.89.251.0/24' }], interfaceName: 'pbunit1' });
    await createNetwork(runtime, { name: 'idle', subnets: [{ subnet: '10.89.252.0/24' }], interfaceName: 'pbunit2' });
    await createContainer(runtime, { rootfs: store.rootfs, command: ['true'], network: 'used' });
    expect(await pruneNetworks(runtime)).toEqual(['idle']);
    expect((await listNetworks(runtime)).map((n) => n.name)).toEqual(['unitnet', 'used']);
    expect(events().filter((e) => e.type === 'network').map((e) => e.action)).toEqual(['create', 'create', 'remove']);
  });
});
