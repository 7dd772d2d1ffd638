// `podman pod ps --filter` for the core (pkg/domain/filters/pods.go): keys AND'ed, values of a key
// OR'ed except `label` (all must match). Unknown key or bad value → ErrInvalidArg.
import { PodbayError } from '../../shared/errors.ts';
import { labelMatches } from './container-filters.ts';
import type { Pod } from './pod.ts';
import { podStatuses } from './pod-status.ts';
import type { PodStatus } from './pod-status.ts';

export type PodFilter = (pod: Pod) => boolean;

export const podFilterKeys = ['id', 'name', 'label', 'label!', 'status', 'ctr-names', 'ctr-ids', 'ctr-number'] as const;

export function podFilters(filters: Record<string, readonly string[]>): PodFilter[] {
  const out: PodFilter[] = [];
  for (const [key, values] of Object.entries(filters)) {
    if (values.length === 0) continue;
    switch (key) {
      case 'id':
        out.push((p) => values.some((v) => p.id().startsWith(v)));
        break;
      case 'name': {
        const patterns = values.map((v) => {
          try {
            return new RegExp(v);
          } catch {
            throw new PodbayError('ErrInvalidArg', `invalid name filter "${v}": not a regular expression`);
          }
        });
        out.push((p) => patterns.some((r) => r.test(p.name())));
        break;
      }
      case 'label':
        out.push((p) => values.every((v) => labelMatches(p.labels(), v)));
        break;
      case 'label!':
        out.push((p) => !values.some((v) => labelMatches(p.labels(), v)));
        break;
      case 'status': {
        const wanted = new Set<PodStatus>();
        for (const v of values) {
          const status = podStatuses.find((s) => s.toLowerCase() === v.toLowerCase());
          if (!status) throw new PodbayError('ErrInvalidArg', `invalid pod status filter "${v}": expected one of ${podStatuses.map((s) => s.toLowerCase()).join(', ')}`);
          wanted.add(status);
        }
        out.push((p) => wanted.has(p.status()));
        break;
      }
      case 'ctr-names':
        out.push((p) => p.getContainers().some((c) => values.includes(c.name())));
        break;
      case 'ctr-ids':
        out.push((p) => p.getContainers().some((c) => values.some((v) => c.id().startsWith(v))));
        break;
      case 'ctr-number': {
        const numbers = values.map((v) => {
          if (!/^\d+$/.test(v)) throw new PodbayError('ErrInvalidArg', `invalid ctr-number filter "${v}": expected a number`);
          return Number(v);
        });
        out.push((p) => numbers.includes(p.getContainers().length));
        break;
      }
      default:
        throw new PodbayError('ErrInvalidArg', `invalid filter "${key}": expected one of ${podFilterKeys.join(', ')}`);
    }
  }
  return out;
}
