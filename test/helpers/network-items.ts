// A typed factory of the networks list items the renderer tests feed their models.
import type { NetworkListItem } from '../../shared/types/networks.ts';

/** A bridge network named `name` on 10.89.1.0/24 with DNS and nobody connected, unless `fields` say otherwise. */
export function network(name: string, fields: Partial<NetworkListItem> = {}): NetworkListItem {
  return {
    name,
    id: name.padEnd(64, 'e'),
    driver: 'bridge',
    interface: 'podbay1',
    subnets: [{ subnet: '10.89.1.0/24', gateway: '10.89.1.1' }],
    ipv6: false,
    internal: false,
    dnsEnabled: true,
    createdAt: '2026-11-28T10:00:00.000Z',
    labels: {},
    options: {},
    isDefault: false,
    containers: [],
    ...fields,
  };
}
