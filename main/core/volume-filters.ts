// `podman volume ls --filter` and `volume prune --filter` for the core (pkg/domain/filters/volumes.go):
// keys AND'ed, values of a key OR'ed except `label` (all must match). Unknown key or bad value →
// ErrInvalidArg. `dangling` needs the users of each volume: the caller passes them in one map.
import { PodbayError } from '../../shared/errors.ts';
import { labelMatches, regex } from './container-filters.ts';
import type { VolumeRecord } from './volume-config.ts';

export type VolumeFilter = (volume: VolumeRecord, users: readonly string[]) => boolean;

export const volumeFilterKeys = ['name', 'label', 'label!', 'driver', 'scope', 'opt', 'dangling', 'anonymous', 'until', 'since', 'after'] as const;
export const volumePruneFilterKeys = ['label', 'label!', 'until'] as const;

function boolValue(key: string, value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new PodbayError('ErrInvalidArg', `invalid ${key} filter "${value}": expected true or false`);
}

/** An RFC 3339 time, a Unix time in seconds, or a duration before now (10m, 2h) → epoch ms. */
export function filterTime(value: string, now: number): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const duration = /^(\d+)(s|m|h)$/.exec(value);
  if (duration) return now - Number(duration[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[duration[2] as 's' | 'm' | 'h'];
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new PodbayError('ErrInvalidArg', `invalid time "${value}": expected RFC 3339, Unix seconds or a duration such as 10m`);
  return parsed;
}

export function volumeFilters(filters: Record<string, readonly string[]>, options: { keys?: readonly string[]; now?: number; lookup?: (nameOrPrefix: string) => VolumeRecord } = {}): VolumeFilter[] {
  const keys = options.keys ?? volumeFilterKeys;
  const now = options.now ?? Date.now();
  const out: VolumeFilter[] = [];
  for (const [key, values] of Object.entries(filters)) {
    if (values.length === 0) continue;
    if (!keys.includes(key)) throw new PodbayError('ErrInvalidArg', `invalid filter "${key}": expected one of ${keys.join(', ')}`);
    switch (key) {
      case 'name': {
        const patterns = values.map((v) => regex(v, 'name'));
        out.push((v) => patterns.some((r) => r.test(v.config.name)));
        break;
      }
      case 'label':
        out.push((v) => values.every((f) => labelMatches(v.config.labels, f)));
        break;
      case 'label!':
        out.push((v) => !values.some((f) => labelMatches(v.config.labels, f)));
        break;
      case 'driver':
        out.push((v) => values.includes(v.config.driver));
        break;
      case 'scope':
        out.push(() => values.includes('local'));
        break;
      case 'opt':
        out.push((v) => values.some((f) => labelMatches(v.config.options, f)));
        break;
      case 'dangling': {
        const wanted = values.map((value) => boolValue(key, value));
        out.push((_v, users) => wanted.includes(users.length === 0));
        break;
      }
      case 'anonymous': {
        const wanted = values.map((value) => boolValue(key, value));
        out.push((v) => wanted.includes(v.config.anonymous));
        break;
      }
      case 'until': {
        const limits = values.map((value) => filterTime(value, now));
        out.push((v) => limits.some((limit) => Date.parse(v.config.createdAt) < limit));
        break;
      }
      case 'since':
      case 'after': {
        // podman: volumes created after the named volume.
        const after = values.map((name) => {
          if (!options.lookup) throw new PodbayError('ErrInvalidArg', `the ${key} filter needs a volume name`);
          return Date.parse(options.lookup(name).config.createdAt);
        });
        out.push((v) => after.some((t) => Date.parse(v.config.createdAt) > t));
        break;
      }
    }
  }
  return out;
}
