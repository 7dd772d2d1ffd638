import { z } from 'zod';
import { call, stream } from './define.ts';
import type { SystemInfo } from '../types/system-info.ts';
import type { PodbayEvent } from '../types/events.ts';
import type { SystemCheckReport, SystemPruneReport } from '../types/system-check.ts';
import { eventTypes } from '../types/events.ts';

const eventFilter = z.strictObject({
  type: z.array(z.enum(eventTypes)).max(16).optional(),
  id: z.array(z.string().min(1).max(128)).max(64).optional(),
  action: z.array(z.string().min(1).max(64)).max(64).optional(),
});

export const systemProcedures = {
  /** Versions, host facts, components found or missing, cgroup mode, rlimits and storage paths. */
  'system.info': call<SystemInfo>()(z.strictObject({})),
  /**
   * Live events of the store, from any process that changes it. `sinceSeq` replays what was recorded
   * after that sequence number first (a reconnecting client passes the last one it saw).
   */
  'system.events': stream<PodbayEvent>()(
    z.strictObject({
      sinceSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      filter: eventFilter.optional(),
    }),
  ),
  /**
   * `podbay system check`: what is damaged or left over in the store; with `repair`, repaired (each
   * issue then says what was done). `force` (with repair) also removes containers on damaged images.
   */
  'system.check': call<SystemCheckReport>()(
    z.strictObject({ repair: z.boolean().optional(), quick: z.boolean().optional(), force: z.boolean().optional() }),
  ),
  /** `podbay system prune -f`: stopped pods and containers, dangling (or with `all`, unused) images. */
  'system.prune': call<SystemPruneReport>()(z.strictObject({ all: z.boolean().optional(), volumes: z.boolean().optional() })),
};
