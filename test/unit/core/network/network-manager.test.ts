import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { parseCidr } from '../../../../main/core/network/ip-address.ts';
import { parsePublish } from '../../../../main/core/network/port-mappings.ts';
import { currentProcessIdentity } from '../../../../main/core/lock/lock-manager.ts';
import { fakeNetworkEnv, fakePortProbe, hexId } from '../../../helpers/network-fakes.ts';
import type { FakeNetworkEnv } from '../../../helpers/network-fakes.ts';

async function codeOf(work: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof work === 'function' ? work() : work);
    return 'no error';
  } catch (error) {
    for (const code of ['ErrInvalidArg', 'ErrNetworkExists', 'ErrNoSuchNetwork', 'ErrNetworkInUse', 'ErrInternal', 'ErrCanceled'] as const) {
      if (hasCode(error, code)) return code;
    }
    return `unexpected: ${String(error)}`;
  }
}

describe('NetworkManager definitions', () => {
  let env: FakeNetworkEnv;
  beforeEach(() => {
    env = fakeNetworkEnv();
  });
  afterEach(() => env.cleanup());

  it('creates the default network podbay on first use, once, in the first free subnet of the pool', () => {
    const list = env.manager.list();
    expect(list.map((n) => [n.name, n.subnets])).toEqual([['podbay', ['10.89.0.0/24']]]);
    expect(env.manager.get('podbay').network_interface).toBe('podbay0');
    expect(readdirSync(join(env.dir, 'graph', 'networks')).filter((f) => f.endsWith('.json'))).toEqual(['podbay.json']);
    const again = env.open().list();
    expect(again[0]?.id).toBe(list[0]?.id);
  });

  it('picks free names, bridges and 10.89.N.0/24 subnets, skipping what the host routes', () => {
    const env2 = fakeNetworkEnv({ hostRoutes: () => [parseCidr('10.89.1.0/24')!] });
    try {
      const a = env2.manager.create();
      const b = env2.manager.create();
      // The default network took 10.89.0.0/24 first; 10.89.1.0/24 is routed by the host.
      expect(env2.manager.get('podbay').subnets[0]?.subnet).toBe('10.89.0.0/24');
      expect([a.name, a.network_interface, a.subnets]).toEqual(['podbay1', 'podbay1', [{ subnet: '10.89.2.0/24', gateway: '10.89.2.1' }]]);
      expect([b.name, b.network_interface, b.subnets[0]?.subnet]).toEqual(['podbay2', 'podbay2', '10.89.3.0/24']);
    } finally {
      env2.cleanup();
    }
  });

  it('stores what it creates in netavark\'s format and inspects by name, id and id prefix', () => {
    const net = env.manager.create({ name: 'web', subnets: [{ subnet: '10.89.40.0/24' }], dnsEnabled: true, labels: { a: 'b' }, options: { mtu: '1400' } });
    const onDisk = JSON.parse(readFileSync(join(env.dir, 'graph', 'networks', 'web.json'), 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({ name: 'web', driver: 'bridge', dns_enabled: true, subnets: [{ subnet: '10.89.40.0/24', gateway: '10.89.40.1' }], options: { mtu: '1400' }, ipam_options: { driver: 'host-local' } });
    expect(env.manager.inspect('web').id).toBe(net.id);
    expect(env.manager.inspect(net.id).name).toBe('web');
    expect(env.manager.inspect(net.id.slice(0, 12)).name).toBe('web');
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    env.manager.create({ name: 'one', subnets: [{ subnet: '10.89.50.0/24' }] });
    expect(await codeOf(() => env.manager.create({ name: 'one' }))).toBe('ErrNetworkExists');
    expect(await codeOf(() => env.manager.create({ name: 'two', subnets: [{ subnet: '10.89.50.128/25' }] }))).toBe('ErrInvalidArg');
    expect(await codeOf(() => env.manager.create({ name: 'bad/name' }))).toBe('ErrInvalidArg');
    expect(await codeOf(() => env.manager.create({ name: 'x', subnets: [{ subnet: '10.89.60.0/24', gateway: '10.89.61.1' }] }))).toBe('ErrInvalidArg');
    expect(await codeOf(() => env.manager.create({ name: 'y', options: { nope: '1' } }))).toBe('ErrInvalidArg');
    // Inside the default network's 10.89.0.0/24, even before the default was ever used.
    expect(await codeOf(() => env.manager.create({ name: 'z', subnets: [{ subnet: '10.89.0.0/25' }] }))).toBe('ErrInvalidArg');
    expect(await codeOf(() => env.manager.get('missing'))).toBe('ErrNoSuchNetwork');
    expect(env.manager.list().map((n) => n.name)).toEqual(['one', 'podbay']);
  });

  it('returns the existing network with ignoreExisting', () => {
    const a = env.manager.create({ name: 'same' });
    expect(env.manager.create({ name: 'same', ignoreExisting: true }).id).toBe(a.id);
  });

  it('refuses to remove the default network, a missing one, or one in use without force', async () => {
    env.manager.ensureDefault();
    expect(await codeOf(env.manager.remove('podbay'))).toBe('ErrInvalidArg');
    expect(await codeOf(env.manager.remove('missing'))).toBe('ErrNoSuchNetwork');
    env.manager.create({ name: 'busy' });
    await env.manager.connect({ id: hexId(1), name: 'c1' }, 'busy');
    expect(await codeOf(env.manager.remove('busy'))).toBe('ErrNetworkInUse');
    env.manager.create({ name: 'claimed' });
    expect(await codeOf(env.manager.remove('claimed', { usedBy: () => [hexId(9)] }))).toBe('ErrNetworkInUse');
    const report = await env.manager.remove('busy', { force: true });
    expect(report.containers).toEqual([hexId(1)]);
    expect(env.manager.connectionsOf(hexId(1))).toEqual([]);
    expect(env.manager.exists('busy')).toBe(false);
  });
});

describe('NetworkManager connections and lifecycle', () => {
  let env: FakeNetworkEnv;
  const web = { id: hexId(1), name: 'web' };
  beforeEach(() => {
    env = fakeNetworkEnv();
  });
  afterEach(() => env.cleanup());

  it('numbers interfaces eth0, eth1… and refuses a second connection to the same network', async () => {
    env.manager.create({ name: 'a' });
    env.manager.create({ name: 'b' });
    await env.manager.connect(web, 'a');
    await env.manager.connect(web, 'b', { aliases: ['www'] });
    expect(env.manager.connectionsOf(web.id).map((c) => [c.network, c.options.interfaceName])).toEqual([
      ['a', 'eth0'],
      ['b', 'eth1'],
    ]);
    expect(await codeOf(env.manager.connect(web, 'a'))).toBe('ErrNetworkExists');
    expect(await codeOf(env.manager.connect(web, 'missing'))).toBe('ErrNoSuchNetwork');
    await env.manager.disconnect(web.id, 'a');
    expect(await codeOf(env.manager.disconnect(web.id, 'a'))).toBe('ErrInvalidArg');
    expect(env.manager.list().find((n) => n.name === 'b')?.containers).toBe(1);
  });

  it('sets up through netavark with allocated IPs as static_ips, the ports, and a namespace under the run root', async () => {
    await env.manager.connect(web, 'podbay', { aliases: ['www'] });
    const report = await env.manager.setup(web, { portMappings: parsePublish('127.0.0.1:8080:80') });
    expect(report.netnsPath).toMatch(new RegExp(`^${join(env.dir, 'run', 'netns')}/netns-[0-9a-f-]{36}$`));
    const [call] = env.host.netavarkCalls('setup');
    expect(call?.netns).toBe(report.netnsPath);
    expect(call?.options.networks).toEqual({ podbay: { interface_name: 'eth0', static_ips: ['10.89.0.2'], aliases: ['www'] } });
    expect(call?.options.network_info.podbay?.network_interface).toBe('podbay0');
    expect(call?.options.port_mappings).toEqual([{ host_ip: '127.0.0.1', container_port: 80, host_port: 8080, range: 1, protocol: 'tcp' }]);
    expect(report.status.podbay?.interfaces?.eth0?.subnets?.[0]?.ipnet).toBe('10.89.0.2/24');
    expect(env.manager.attachmentOf(web.id)?.phase).toBe('up');
    expect(env.manager.inspect('podbay').containers[web.id]?.addresses).toEqual(['10.89.0.2/24']);
    // Idempotent: a second setup returns the same namespace without running netavark again.
    expect((await env.manager.setup(web)).netnsPath).toBe(report.netnsPath);
    expect(env.host.netavarkCalls('setup')).toHaveLength(1);
  });

  it('tears down with the same options, removes the namespace, frees the address and the record', async () => {
    await env.manager.connect(web, 'podbay');
    const report = await env.manager.setup(web, { portMappings: parsePublish('8080:80') });
    await env.manager.teardown(web.id);
    const [teardown] = env.host.netavarkCalls('teardown');
    expect(teardown?.options).toEqual(env.host.netavarkCalls('setup')[0]?.options);
    expect(env.host.mounts.has(report.netnsPath)).toBe(false);
    expect(existsSync(report.netnsPath)).toBe(false);
    expect(env.manager.ipam.allocationsOf(web.id)).toEqual([]);
    expect(env.manager.attachmentOf(web.id)).toBeNull();
    // The connection itself stays: the container is still on the network, just not running.
    expect(env.manager.connectionsOf(web.id)).toHaveLength(1);
    await env.manager.teardown(web.id); // idempotent
  });

  it('undoes everything when netavark setup fails, and reports the failure', async () => {
    await env.manager.connect(web, 'podbay');
    env.host.failNext.setup = 'bridge exploded';
    const error = await env.manager.setup(web).catch((e: unknown) => e);
    expect(hasCode(error, 'ErrInternal')).toBe(true);
    expect((error as Error).message).toContain('bridge exploded');
    expect(env.host.netavarkCalls('teardown')).toHaveLength(1);
    expect(env.manager.netns.list()).toEqual([]);
    expect(env.manager.ipam.allocationsOf(web.id)).toEqual([]);
    expect(env.manager.attachmentOf(web.id)).toBeNull();
  });

  it('keeps the record when netavark teardown fails, and cleanupStale finishes the job later', async () => {
    await env.manager.connect(web, 'podbay');
    await env.manager.setup(web);
    env.host.failNext.teardown = 'iptables locked';
    expect(await codeOf(env.manager.teardown(web.id))).toBe('ErrInternal');
    expect(env.manager.netns.list()).toEqual([]);
    expect(env.manager.ipam.allocationsOf(web.id)).toEqual([]);
    expect(env.manager.attachmentOf(web.id)).not.toBeNull();
    const report = await env.manager.cleanupStale({ isLive: () => false });
    expect(report.tornDown).toEqual([web.id]);
    expect(env.manager.attachmentOf(web.id)).toBeNull();
    // The namespace was gone, so the retry ran netavark against a scratch one; that cannot remove
    // the bridge (netavark sees no veth leave), so the bridge sweep follows.
    const retries = env.host.netavarkCalls('teardown').filter((c) => c.options.container_id === web.id);
    expect(retries).toHaveLength(2);
    expect(retries[1]?.netns).not.toBe(retries[0]?.netns);
    expect(report.bridgesRemoved).toEqual(['podbay0']);
    expect(env.manager.netns.list()).toEqual([]);
  });

  it('sets up in a namespace made beforehand (for crun create to run alongside), and refuses a foreign one', async () => {
    await env.manager.connect(web, 'podbay');
    expect(await codeOf(env.manager.setup(web, { netnsPath: '/run/netns/someone-elses' }))).toBe('ErrInvalidArg');
    const early = await env.manager.netns.create();
    const report = await env.manager.setup(web, { netnsPath: early });
    expect(report.netnsPath).toBe(early);
    expect(env.host.netavarkCalls('setup')[0]?.netns).toBe(early);
    expect(env.manager.netns.list()).toEqual([early]);
  });

  it('keepBridge: tears the container down through the scratch namespace and leaves the bridge for a sweep', async () => {
    await env.manager.connect(web, 'podbay');
    const { netnsPath } = await env.manager.setup(web, { portMappings: parsePublish('8080:80') });
    await env.manager.teardown(web.id, { keepBridge: true });
    const [call] = env.host.netavarkCalls('teardown');
    expect(call?.netns).toBe(join(env.dir, 'run', 'netns', 'netns-scratch'));
    expect(call?.options.port_mappings).toHaveLength(1);
    expect(env.host.mounts.has(netnsPath)).toBe(false);
    expect(env.manager.attachmentOf(web.id)).toBeNull();
    expect(env.manager.ipam.allocationsOf(web.id)).toEqual([]);
    expect(env.host.bridges.has('podbay0')).toBe(true);
    // The scratch namespace is shared and kept, and is not a container's namespace.
    expect(env.host.mounts.has(call?.netns ?? '')).toBe(true);
    expect(env.manager.netns.list()).toEqual([]);
    expect(await env.manager.sweepIdleBridges()).toEqual({ bridgesRemoved: ['podbay0'], problems: [] });
    expect(env.host.bridges.has('podbay0')).toBe(false);
  });

  it('keepBridge runs no netavark for a container without ports on a network without DNS: the namespace is all there is', async () => {
    env.manager.create({ name: 'named', dnsEnabled: true });
    await env.manager.connect(web, 'podbay');
    const { netnsPath } = await env.manager.setup(web);
    await env.manager.teardown(web.id, { keepBridge: true });
    expect(env.host.netavarkCalls('teardown')).toEqual([]);
    expect([env.host.mounts.has(netnsPath), env.manager.attachmentOf(web.id), env.manager.ipam.allocationsOf(web.id)]).toEqual([false, null, []]);
    // With DNS, aardvark-dns holds the container's name: netavark must take it out.
    const other = { id: hexId(2), name: 'other' };
    await env.manager.connect(other, 'named');
    await env.manager.setup(other);
    await env.manager.teardown(other.id, { keepBridge: true });
    expect(env.host.netavarkCalls('teardown')).toHaveLength(1);
  });

  it('keepBridge still surfaces a firewall failure', async () => {
    await env.manager.connect(web, 'podbay');
    await env.manager.setup(web, { portMappings: parsePublish('8080:80') });
    env.host.failNext.teardown = 'netavark encountered multiple errors:\n\t- failed to delete container veth eth0: Netlink error: No such device (os error 19)\n\t- iptables: Chain already exists';
    expect(await codeOf(env.manager.teardown(web.id, { keepBridge: true }))).toBe('ErrInternal');
  });

  it('removing a network takes down a bridge kept up for it', async () => {
    env.manager.create({ name: 'kept' });
    await env.manager.connect(web, 'kept');
    await env.manager.setup(web);
    await env.manager.teardown(web.id, { keepBridge: true });
    expect(env.host.bridges.has('podbay1')).toBe(true);
    await env.manager.remove('kept', { force: true });
    expect(env.host.bridges.has('podbay1')).toBe(false);
  });

  it('gives a container connected to no network a namespace with only loopback, and refuses a host port already taken', async () => {
    const lone = await env.manager.setup(web, { portMappings: parsePublish('8080:80') });
    expect([lone.status, lone.portMappings, env.host.mounts.has(lone.netnsPath)]).toEqual([{}, [], true]);
    expect(env.host.netavarkCalls()).toEqual([]);
    await env.manager.teardown(web.id);
    expect(env.manager.netns.list()).toEqual([]);
    const env2 = fakeNetworkEnv({ portProbe: fakePortProbe([8080]) });
    try {
      await env2.manager.connect(web, 'podbay');
      expect(await codeOf(env2.manager.setup(web, { portMappings: parsePublish('8080:80') }))).toBe('ErrInvalidArg');
      expect(env2.manager.netns.list()).toEqual([]);
      expect(env2.host.netavarkCalls()).toEqual([]);
    } finally {
      env2.cleanup();
    }
  });

  it('connects and disconnects a running container live, one network at a time', async () => {
    env.manager.create({ name: 'extra' });
    await env.manager.connect(web, 'podbay');
    const { netnsPath } = await env.manager.setup(web);
    await env.manager.connect(web, 'extra');
    const [, live] = env.host.netavarkCalls('setup');
    expect(live?.netns).toBe(netnsPath);
    expect(Object.keys(live?.options.networks ?? {})).toEqual(['extra']);
    expect(live?.options.networks.extra?.interface_name).toBe('eth1');
    expect(Object.keys(env.manager.attachmentOf(web.id)?.status ?? {}).sort()).toEqual(['extra', 'podbay']);
    await env.manager.disconnect(web.id, 'extra');
    const [off] = env.host.netavarkCalls('teardown');
    expect(Object.keys(off?.options.networks ?? {})).toEqual(['extra']);
    expect(Object.keys(env.manager.attachmentOf(web.id)?.options.networks ?? {})).toEqual(['podbay']);
    expect(env.manager.ipam.allocationsOf(web.id).map((a) => a.network)).toEqual(['podbay']);
  });

  it('undoes a live connect whose netavark setup failed, leaving the container as it was', async () => {
    env.manager.create({ name: 'extra' });
    await env.manager.connect(web, 'podbay');
    await env.manager.setup(web);
    env.host.failNext.setup = 'no more veths';
    expect(await codeOf(env.manager.connect(web, 'extra'))).toBe('ErrInternal');
    const undo = env.host.netavarkCalls('teardown').at(-1);
    expect(Object.keys(undo?.options.networks ?? {})).toEqual(['extra']);
    expect(env.manager.connectionsOf(web.id).map((c) => c.network)).toEqual(['podbay']);
    expect(Object.keys(env.manager.attachmentOf(web.id)?.options.networks ?? {})).toEqual(['podbay']);
    expect(env.manager.ipam.allocationsOf(web.id).map((a) => a.network)).toEqual(['podbay']);
  });

  it('cleanupStale tears down dead containers, keeps live ones, removes unknown namespaces, frees and forgets', async () => {
    const live = { id: hexId(2), name: 'live' };
    await env.manager.connect(web, 'podbay');
    await env.manager.connect(live, 'podbay');
    await env.manager.setup(web);
    const kept = await env.manager.setup(live);
    const stray = await env.manager.netns.create();
    const report = await env.open().cleanupStale({ isLive: (id) => id === live.id, exists: (id) => id === live.id });
    expect(report.tornDown).toEqual([web.id]);
    expect(report.netnsRemoved).toEqual([stray]);
    expect(report.connectionsForgotten).toEqual([web.id]);
    expect(report.problems).toEqual([]);
    expect(env.manager.netns.list()).toEqual([kept.netnsPath]);
    expect(env.manager.ipam.all().map((a) => a.containerId)).toEqual([live.id]);
  });

  it('cleanupStale sweeps a bridge of ours that no container uses', async () => {
    env.manager.ensureDefault();
    env.host.bridges.add('podbay0');
    const report = await env.manager.cleanupStale({ isLive: () => false });
    expect(report.bridgesRemoved).toEqual(['podbay0']);
    expect(env.host.bridges.has('podbay0')).toBe(false);
    expect(env.manager.ipam.all()).toEqual([]);
    expect(env.manager.netns.list()).toEqual([]);
  });

  it('never sweeps a bridge of that name that carries another store\'s subnet', async () => {
    const env2 = fakeNetworkEnv({ interfaceRoutes: (name) => (name === 'podbay0' ? [parseCidr('10.89.99.0/24')!] : []) });
    try {
      env2.manager.ensureDefault();
      env2.host.bridges.add('podbay0');
      const swept = await env2.manager.sweepIdleBridges();
      expect(swept.bridgesRemoved).toEqual([]);
      expect(swept.problems[0]).toContain('another store');
      expect(env2.host.netavarkCalls()).toEqual([]);
      expect(env2.host.bridges.has('podbay0')).toBe(true);
    } finally {
      env2.cleanup();
    }
  });

  it('sweeps through a namespace of its own that no cleanup elsewhere mistakes for a stray, and removes one a killed sweep left', async () => {
    env.manager.ensureDefault();
    env.host.bridges.add('podbay0');
    await env.manager.sweepIdleBridges();
    const [setup] = env.host.netavarkCalls('setup');
    expect(setup?.netns).toMatch(/\/netns-sweep-[0-9a-f-]{36}$/);
    expect(env.manager.netns.listSweeps()).toEqual([]);
    // A sweep killed half-way: its namespace goes at the next cleanup, once nobody holds the lease.
    const left = await env.manager.netns.create(undefined, env.manager.netns.newSweepPath());
    const held = env.manager.db.tryTakeLease('someone', currentProcessIdentity());
    expect(held).toBe(true);
    await env.open().cleanupStale({ isLive: () => false, sweep: false });
    expect(env.manager.netns.listSweeps()).toEqual([left]);
    env.manager.db.releaseLease('someone');
    const report = await env.open().cleanupStale({ isLive: () => false, sweep: false });
    expect(report.netnsRemoved).toEqual([left]);
    expect(env.manager.netns.listSweeps()).toEqual([]);
  });

  it('serialises netavark runs: concurrent setups never overlap', async () => {
    let running = 0;
    let most = 0;
    const base = env.host.exec;
    const env2 = fakeNetworkEnv({
      exec: async (file, args, options) => {
        if (!file.endsWith('netavark')) return base(file, args, options);
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return base(file, args, options);
      },
    });
    try {
      const ctrs = Array.from({ length: 5 }, (_, i) => ({ id: hexId(10 + i), name: `c${i}` }));
      for (const c of ctrs) await env2.manager.connect(c, 'podbay');
      const reports = await Promise.all(ctrs.map((c) => env2.manager.setup(c)));
      expect(most).toBe(1);
      const addresses = reports.map((r) => r.status.podbay?.interfaces?.eth0?.subnets?.[0]?.ipnet);
      expect(new Set(addresses).size).toBe(5);
    } finally {
      env2.cleanup();
    }
  });

  it('stops waiting for the network lock when cancelled', async () => {
    await env.manager.connect(web, 'podbay');
    // Another live process holds the lease (this test process, under another token).
    env.manager.db.tryTakeLease('someone-else', { pid: process.pid, startTime: readStartTime(), bootId: readBootId() });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    expect(await codeOf(env.manager.setup(web, { signal: controller.signal }))).toBe('ErrCanceled');
    env.manager.db.releaseLease('someone-else');
  });
});

function readStartTime(): string {
  const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

function readBootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}
