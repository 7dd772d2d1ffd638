import { z } from 'zod';
import { call } from './define.ts';
import type { NetworkInspect, NetworkListItem, NetworkRemoveReport } from '../types/networks.ts';
import type { ContainerActionReport } from '../types/containers.ts';

const nameOrId = z.string().min(1).max(256);
const filters = z.record(z.string().min(1).max(32), z.array(z.string().max(512)).max(64));
/** Values are checked precisely by the core (CIDR, address, names): ErrInvalidArg naming the fault. */
const address = z.string().min(1).max(64);
const labels = z.record(z.string().min(1).max(1024), z.string().max(65_536));

export const networkProcedures = {
  /** Every network, sorted by name, with who is connected; filters as podman network ls (name, id, driver, label, dangling). */
  'networks.list': call<NetworkListItem[]>()(z.strictObject({ filters: filters.optional() })),
  /** One network by name, full id or unique id prefix → ErrNoSuchNetwork. */
  'networks.inspect': call<NetworkInspect>()(z.strictObject({ nameOrId })),
  /**
   * A bridge network (podman network create): name, bridge and subnet chosen when not given, DNS on
   * unless `dnsEnabled: false`. Taken name → ErrNetworkExists; bad or overlapping subnet → ErrInvalidArg.
   */
  'networks.create': call<NetworkInspect>()(
    z.strictObject({
      name: z.string().min(1).max(128).optional(),
      subnets: z.array(z.strictObject({ subnet: z.string().min(1).max(64), gateway: address.optional() })).max(8).optional(),
      internal: z.boolean().optional(),
      dnsEnabled: z.boolean().optional(),
      labels: labels.optional(),
      options: z.record(z.string().min(1).max(64), z.string().max(256)).optional(),
      interfaceName: z.string().min(1).max(15).optional(),
      ignoreExisting: z.boolean().optional(),
    }),
  ),
  /**
   * Removes each network on its own (one report each). In use → ErrNetworkInUse unless `force`,
   * which removes the containers using it first; the default network → ErrInvalidArg.
   */
  'networks.remove': call<NetworkRemoveReport[]>()(
    z.strictObject({
      nameOrIds: z.array(nameOrId).min(1).max(1000),
      force: z.boolean().default(false),
      timeout: z.number().int().min(0).max(86_400).optional(),
    }),
  ),
  /** Connects each container (live when it runs); one report per container. */
  'networks.connect': call<ContainerActionReport[]>()(
    z.strictObject({
      network: nameOrId,
      containers: z.array(nameOrId).min(1).max(1000),
      aliases: z.array(z.string().min(1).max(253)).max(64).optional(),
      staticIps: z.array(address).max(2).optional(),
      staticMac: z.string().min(1).max(32).optional(),
    }),
  ),
  /** Disconnects each container (live when it runs); one report per container. */
  'networks.disconnect': call<ContainerActionReport[]>()(z.strictObject({ network: nameOrId, containers: z.array(nameOrId).min(1).max(1000) })),
  /** Removes every network no container uses (never the default one); returns their names. */
  'networks.prune': call<{ removed: string[] }>()(z.strictObject({ filters: filters.optional() })),
};
