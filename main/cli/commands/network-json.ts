// podman's JSON for networks (netavark's Network, as `podman network ls --format json` and
// `network inspect` print it; inspect adds podman 5's `containers`), from the core's list items.
import type { NetworkListItem } from '../../../shared/types/networks.ts';

export function toPodmanNetworkJson(n: NetworkListItem, withContainers: boolean) {
  return {
    name: n.name,
    id: n.id,
    driver: n.driver,
    network_interface: n.interface,
    created: n.createdAt,
    subnets: n.subnets.map((s) => ({ subnet: s.subnet, ...(s.gateway ? { gateway: s.gateway } : {}) })),
    ipv6_enabled: n.ipv6,
    internal: n.internal,
    dns_enabled: n.dnsEnabled,
    ...(Object.keys(n.labels).length ? { labels: n.labels } : {}),
    ...(Object.keys(n.options).length ? { options: n.options } : {}),
    ipam_options: { driver: 'host-local' },
    ...(withContainers
      ? {
          containers: Object.fromEntries(
            n.containers.map((c) => [
              c.id,
              { name: c.name, interfaces: { [c.interface]: { subnets: c.addresses.map((ipnet) => ({ ipnet, ...(gatewayFor(n, ipnet) ? { gateway: gatewayFor(n, ipnet) } : {}) })) } } },
            ]),
          ),
        }
      : {}),
  };
}

/** The gateway of the subnet an address is in (same family and, for IPv4, same network). */
function gatewayFor(n: NetworkListItem, ipnet: string): string | undefined {
  const v6 = ipnet.includes(':');
  return n.subnets.find((s) => s.subnet.includes(':') === v6)?.gateway ?? undefined;
}
