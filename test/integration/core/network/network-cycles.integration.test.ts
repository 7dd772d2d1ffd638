// The "no leftover netns/veth/iptables rules after 100 create/remove cycles", on the real
// host: each cycle is what `run --rm` does to the network (connect, setup, teardown, disconnect),
// every other one with a published port. Timings are printed for the report, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkManager } from '../../../../main/core/network/network-manager.ts';
import type { NetworkConfig } from '../../../../main/core/network/network-config.ts';
import { parsePublish } from '../../../../main/core/network/port-mappings.ts';
import { containerId, eventually, firewallRules, leftovers, linkNames, networkHostProblems } from '../../../helpers/network-host.ts';

const problems = networkHostProblems();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

describe.skipIf(problems.length > 0)('100 network cycles', () => {
  let dir: string;
  let manager: NetworkManager;
  let network: NetworkConfig;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-net-cycles-'));
    manager = new NetworkManager({ graphRoot: join(dir, 'graph'), runRoot: join(dir, 'run') });
    network = manager.create();
  });

  afterAll(async () => {
    if (!manager) return;
    await manager.cleanupStale({ isLive: () => false }).catch(() => undefined);
    await manager.remove(network.name, { force: true }).catch(() => undefined);
    await manager.netns.unmountDir().catch(() => undefined);
    manager.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no namespace, veth, firewall rule, record or allocation behind', { timeout: 180_000 }, async () => {
    const linksBefore = linkNames();
    const rulesBefore = firewallRules();
    const ids: string[] = [];
    const times: Record<'setup' | 'teardown', number[]>[] = [{ setup: [], teardown: [] }, { setup: [], teardown: [] }];
    for (let i = 0; i < 100; i++) {
      const ctr = { id: containerId(), name: `cycle-${i}` };
      ids.push(ctr.id);
      const withPorts = i % 2;
      await manager.connect(ctr, network.name);
      const t0 = performance.now();
      await manager.setup(ctr, { portMappings: withPorts ? parsePublish('127.0.0.1::8080') : [] });
      const t1 = performance.now();
      await manager.teardown(ctr.id);
      const t2 = performance.now();
      await manager.disconnect(ctr.id, network.name);
      times[withPorts]?.setup.push(t1 - t0);
      times[withPorts]?.teardown.push(t2 - t1);
    }
    const line = (label: string, t: { setup: number[]; teardown: number[] }) =>
      `${label}: setup ${median(t.setup).toFixed(1)} ms + teardown ${median(t.teardown).toFixed(1)} ms = ${(median(t.setup) + median(t.teardown)).toFixed(1)} ms (medians of ${t.setup.length})`;
    console.log(`network cycles on ${network.network_interface}\n  ${line('no ports', times[0]!)}\n  ${line('one port', times[1]!)}`);
    expect(leftovers(manager, network, ids, linksBefore)).toEqual([]);
    expect(manager.inspect(network.name).containers).toEqual({});
    // Rules that existed before (netavark's shared chains) may stay; nothing new may.
    const added = firewallRules().split('\n').filter((rule) => rule && !rulesBefore.includes(rule));
    expect(added).toEqual([]);
  });

  it('does the same with keepBridge teardowns, and a sweep leaves nothing either', { timeout: 180_000 }, async () => {
    const linksBefore = linkNames();
    const rulesBefore = firewallRules();
    const ids: string[] = [];
    const times: Record<'setup' | 'teardown', number[]>[] = [{ setup: [], teardown: [] }, { setup: [], teardown: [] }];
    for (let i = 0; i < 100; i++) {
      const ctr = { id: containerId(), name: `fast-${i}` };
      ids.push(ctr.id);
      const withPorts = i % 2;
      await manager.connect(ctr, network.name);
      const t0 = performance.now();
      await manager.setup(ctr, { portMappings: withPorts ? parsePublish('127.0.0.1::8080') : [] });
      const t1 = performance.now();
      await manager.teardown(ctr.id, { keepBridge: true });
      const t2 = performance.now();
      await manager.disconnect(ctr.id, network.name);
      times[withPorts]?.setup.push(t1 - t0);
      times[withPorts]?.teardown.push(t2 - t1);
    }
    const line = (label: string, t: { setup: number[]; teardown: number[] }) =>
      `${label}: setup ${median(t.setup).toFixed(1)} ms + teardown ${median(t.teardown).toFixed(1)} ms = ${(median(t.setup) + median(t.teardown)).toFixed(1)} ms (medians of ${t.setup.length})`;
    console.log(`keepBridge cycles on ${network.network_interface}\n  ${line('no ports', times[0]!)}\n  ${line('one port', times[1]!)}`);
    // Per container, nothing stays: its rules went at once, its veth with its namespace.
    const perContainer = () => firewallRules().split('\n').filter((rule) => ids.some((id) => rule.includes(id)));
    expect(perContainer()).toEqual([]);
    expect(await eventually(() => linkNames().filter((l) => l.startsWith('veth') && !linksBefore.includes(l)).length === 0)).toBe(true);
    expect(linkNames()).toContain(network.network_interface);
    const swept = await manager.sweepIdleBridges();
    expect(swept).toEqual({ bridgesRemoved: [network.network_interface], problems: [] });
    expect(leftovers(manager, network, ids, linksBefore)).toEqual([]);
    const added = firewallRules().split('\n').filter((rule) => rule && !rulesBefore.includes(rule));
    expect(added).toEqual([]);
  });
});
