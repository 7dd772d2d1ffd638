// IP address management, as podman's own IPAM for netavark (common/libnetwork/internal/util/ipam):
// one address per subnet of each network a container joins, handed out round-robin after the last
// one given (a just-released address is not reused at once, so stale ARP/conntrack entries of a
// removed container do not hit a new one), never the gateway, never twice. Allocations live in
// <graphRoot>/networks/ipam.db; each allocate is one BEGIN IMMEDIATE transaction, so two processes
// allocating at once queue on SQLite's lock and see each other's rows.
import { PodbayError } from '../../../shared/errors.ts';
import type { NetworkConfig, ParsedSubnet } from './network-config.ts';
import { parseSubnets } from './network-config.ts';
import type { NetworkDb } from './network-db.ts';
import { formatIp, formatNet, mustParseIp, netContains } from './ip-address.ts';

export interface Allocation {
  network: string;
  /** "10.89.0.2" */
  address: string;
  /** "10.89.0.0/24": the subnet the address belongs to. */
  subnet: string;
  containerId: string;
}

export class Ipam {
  private readonly store: NetworkDb;

  constructor(store: NetworkDb) {
    this.store = store;
  }

  /**
   * Gives `containerId` one address in every subnet of `network` and returns them in subnet order.
   * Idempotent: a container that already holds addresses there gets the same ones back.
   * `staticIps` pin the address of the subnet that contains them; an address outside every subnet,
   * the gateway, or one held by another container → ErrInvalidArg. A full subnet → ErrInternal.
   */
  allocate(network: NetworkConfig, containerId: string, staticIps: readonly string[] = []): Allocation[] {
    const subnets = parseSubnets(network);
    const wanted = staticIps.map((text) => {
      const ip = mustParseIp(text, 'static IP');
      const subnet = subnets.find((s) => netContains(s.net, ip));
      if (!subnet) throw new PodbayError('ErrInvalidArg', `static IP ${text} is not in any subnet of network ${network.name}`);
      if (ip.value === subnet.gateway) throw new PodbayError('ErrInvalidArg', `static IP ${text} is the gateway of network ${network.name}`);
      if (ip.value < subnet.first || ip.value > subnet.last) {
        throw new PodbayError('ErrInvalidArg', `static IP ${text} is outside the usable range of ${formatNet(subnet.net)}`);
      }
      return { subnet, value: ip.value };
    });
    for (const [i, w] of wanted.entries()) {
      if (wanted.slice(i + 1).some((o) => o.subnet === w.subnet)) {
        throw new PodbayError('ErrInvalidArg', `two static IPs given for subnet ${formatNet(w.subnet.net)} of network ${network.name}`);
      }
    }
    const db = this.store.db;
    return this.store.immediate(() => {
      const held = db.prepare('SELECT address, subnet, container_id FROM allocations WHERE network = ?').all(network.name) as AllocationRow[];
      const taken = new Map(held.map((row) => [row.address, row.container_id]));
      const result: Allocation[] = [];
      for (const subnet of subnets) {
        const subnetText = formatNet(subnet.net);
        const mine = held.find((row) => row.container_id === containerId && row.subnet === subnetText);
        const pinned = wanted.find((w) => w.subnet === subnet);
        if (mine && (!pinned || formatIp({ family: subnet.net.family, value: pinned.value }) === mine.address)) {
          result.push({ network: network.name, address: mine.address, subnet: subnetText, containerId });
          continue;
        }
        if (mine) db.prepare('DELETE FROM allocations WHERE network = ? AND address = ?').run(network.name, mine.address);
        let value: bigint;
        if (pinned) {
          const text = formatIp({ family: subnet.net.family, value: pinned.value });
          const owner = taken.get(text);
          if (owner !== undefined && owner !== containerId) {
            throw new PodbayError('ErrInvalidArg', `requested IP ${text} on network ${network.name} is already allocated to container ${owner.slice(0, 12)}`);
          }
          value = pinned.value;
        } else {
          const last = db.prepare('SELECT address FROM last_allocated WHERE network = ? AND subnet = ?').get(network.name, subnetText) as { address: string } | undefined;
          value = nextFree(subnet, taken, last ? mustParseIp(last.address, 'last allocated address').value : null, network.name);
          db.prepare('INSERT INTO last_allocated (network, subnet, address) VALUES (?, ?, ?) ON CONFLICT (network, subnet) DO UPDATE SET address = excluded.address')
            .run(network.name, subnetText, formatIp({ family: subnet.net.family, value }));
        }
        const address = formatIp({ family: subnet.net.family, value });
        db.prepare('INSERT INTO allocations (network, address, subnet, container_id) VALUES (?, ?, ?, ?)').run(network.name, address, subnetText, containerId);
        taken.set(address, containerId);
        result.push({ network: network.name, address, subnet: subnetText, containerId });
      }
      return result;
    });
  }

  /** Frees what `containerId` holds (on one network, or everywhere); returns how many addresses. */
  release(containerId: string, network?: string): number {
    return this.store.immediate(() =>
      network === undefined
        ? this.store.db.prepare('DELETE FROM allocations WHERE container_id = ?').run(containerId).changes
        : this.store.db.prepare('DELETE FROM allocations WHERE container_id = ? AND network = ?').run(containerId, network).changes,
    );
  }

  /** Forgets a removed network: its allocations and its round-robin position. */
  releaseNetwork(network: string): void {
    this.store.immediate(() => {
      this.store.db.prepare('DELETE FROM allocations WHERE network = ?').run(network);
      this.store.db.prepare('DELETE FROM last_allocated WHERE network = ?').run(network);
    });
  }

  allocationsOf(containerId: string): Allocation[] {
    return (this.store.db.prepare('SELECT * FROM allocations WHERE container_id = ? ORDER BY network, address').all(containerId) as AllocationRow[]).map(toAllocation);
  }

  allocationsIn(network: string): Allocation[] {
    return (this.store.db.prepare('SELECT * FROM allocations WHERE network = ? ORDER BY address').all(network) as AllocationRow[]).map(toAllocation);
  }

  all(): Allocation[] {
    return (this.store.db.prepare('SELECT * FROM allocations ORDER BY network, address').all() as AllocationRow[]).map(toAllocation);
  }

  /**
   * Frees the addresses of every container for which `isLive` says false (it no longer exists, or
   * its network is down after a crash or reboot). Returns the container ids released. `isLive` runs
   * outside the transaction; an id that becomes live meanwhile allocates afresh on its next setup.
   */
  gc(isLive: (containerId: string) => boolean): string[] {
    const ids = (this.store.db.prepare('SELECT DISTINCT container_id FROM allocations').all() as { container_id: string }[]).map((r) => r.container_id);
    const dead = ids.filter((id) => !isLive(id));
    if (dead.length === 0) return [];
    this.store.immediate(() => {
      const remove = this.store.db.prepare('DELETE FROM allocations WHERE container_id = ?');
      for (const id of dead) remove.run(id);
    });
    return dead;
  }
}

interface AllocationRow {
  network: string;
  address: string;
  subnet: string;
  container_id: string;
}

function toAllocation(row: AllocationRow): Allocation {
  return { network: row.network, address: row.address, subnet: row.subnet, containerId: row.container_id };
}

/** The first free address after `last` (wrapping), skipping the gateway. */
function nextFree(subnet: ParsedSubnet, taken: ReadonlyMap<string, string>, last: bigint | null, networkName: string): bigint {
  const size = subnet.last - subnet.first + 1n;
  let candidate = last !== null && last >= subnet.first && last < subnet.last ? last + 1n : subnet.first;
  // Bounded by the range size; for an IPv6 /64 the loop ends at the first free address long before.
  for (let tried = 0n; tried < size; tried++) {
    const text = formatIp({ family: subnet.net.family, value: candidate });
    if (candidate !== subnet.gateway && !taken.has(text)) return candidate;
    candidate = candidate === subnet.last ? subnet.first : candidate + 1n;
  }
  throw new PodbayError('ErrInternal', `no free IP address left in subnet ${formatNet(subnet.net)} of network ${networkName}`);
}
