import { z } from 'zod';
import { call } from './define.ts';
import type { VolumeInspect, VolumeListItem, VolumePruneReport, VolumeRemoveReport } from '../types/volumes.ts';

/** podman's volume name rule; the core checks it again. */
const volumeName = z.string().min(1).max(253).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'volume names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*');
const nameOrPrefix = z.string().min(1).max(253);
const stringMap = z.record(z.string().min(1).max(1024), z.string().max(65_536));
/** podman's `--filter key=value`, grouped by key. */
const filters = z.record(z.string().min(1).max(32), z.array(z.string().max(512)).max(64));

export const volumeProcedures = {
  /** Volumes of the store, oldest first, with the containers using each (`filters` as podman volume ls). */
  'volumes.list': call<VolumeListItem[]>()(z.strictObject({ filters: filters.optional() })),
  /** One volume by exact name or unique name prefix → ErrNoSuchVolume; an ambiguous prefix → ErrInvalidArg. */
  'volumes.inspect': call<VolumeInspect>()(z.strictObject({ name: nameOrPrefix })),
  /**
   * A new volume (a 64-hex name is drawn when none is given). Name taken → ErrVolumeExists unless
   * `ignoreIfExists`; bad driver options → ErrInvalidArg (keys: type, device, o, uid, gid, nocopy).
   */
  'volumes.create': call<VolumeInspect>()(
    z.strictObject({
      name: volumeName.optional(),
      labels: stringMap.optional(),
      options: stringMap.optional(),
      ignoreIfExists: z.boolean().optional(),
    }),
  ),
  /**
   * Removes each volume on its own, one report per name. A volume containers use → ErrVolumeBeingUsed
   * naming them, unless `force`: then those containers are removed first (stopped within `timeout`).
   */
  'volumes.remove': call<VolumeRemoveReport[]>()(
    z.strictObject({
      names: z.array(nameOrPrefix).min(1).max(1000),
      force: z.boolean().default(false),
      timeout: z.number().int().min(0).max(86_400).optional(),
    }),
  ),
  /** Removes every volume no container uses (filters: label, label!, until). */
  'volumes.prune': call<VolumePruneReport>()(z.strictObject({ filters: filters.optional() })),
};
