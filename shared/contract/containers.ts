import { z } from 'zod';
import { call } from './define.ts';
import type { ContainerInspect, ContainerListItem, ContainerRemoveReport } from '../types/containers.ts';

const nameOrId = z.string().min(1).max(256);
/** podman's `--filter key=value`, grouped by key: keys AND'ed, values OR'ed (label values AND'ed). */
const filters = z.record(z.string().min(1).max(32), z.array(z.string().max(512)).max(64));

export const containerProcedures = {
  /** Containers of the store, oldest first. `all: false` keeps only running ones (podman ps without -a). */
  'containers.list': call<ContainerListItem[]>()(
    z.strictObject({
      all: z.boolean().default(true),
      filters: filters.optional(),
    }),
  ),
  /** One container by full id, unique id prefix or name → ErrNoSuchCtr; an ambiguous prefix → ErrInvalidArg. */
  'containers.inspect': call<ContainerInspect>()(z.strictObject({ nameOrId })),
  /** Removes each container on its own; one report per name, each with its own error. */
  'containers.remove': call<ContainerRemoveReport[]>()(
    z.strictObject({
      nameOrIds: z.array(nameOrId).min(1).max(1000),
      force: z.boolean().default(false),
    }),
  ),
};
