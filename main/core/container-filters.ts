// `podman ps --filter` for the core (pkg/domain/filters/containers.go): each key=value becomes a
// predicate; values of one key are OR'ed except `label`, whose values must all match (as podman);
// keys are AND'ed. An unknown key or a bad value is ErrInvalidArg — never silently ignored.
import { PodbayError } from '../../shared/errors.ts';
import type { Container } from './container.ts';
import { isContainerStatus } from './container-state.ts';
import type { ContainerStatus } from './container-state.ts';
import type { PodRecord } from './state/state.ts';

export type ContainerFilter = (container: Container) => boolean;

export const containerFilterKeys = ['id', 'name', 'label', 'label!', 'status', 'pod', 'ancestor'] as const;

/** Parses ["status=running", "label=a=b"] into { status: ["running"], label: ["a=b"] }. */
export function parseFilterArgs(args: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new PodbayError('ErrInvalidArg', `invalid filter "${arg}": expected key=value`);
    (out[arg.slice(0, eq)] ??= []).push(arg.slice(eq + 1));
  }
  return out;
}

/** A filter value as a regular expression → ErrInvalidArg naming the filter when it is not one. */
export function regex(value: string, key: string): RegExp {
  try {
    return new RegExp(value);
  } catch {
    throw new PodbayError('ErrInvalidArg', `invalid ${key} filter "${value}": not a regular expression`);
  }
}

/** `key` (present) or `key=value` (present with that value). */
export function labelMatches(labels: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq === -1) return Object.hasOwn(labels, filter);
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

/** Whether a container's image reference matches an `ancestor` value (names resolve with the image issue). */
function ancestorMatches(image: string | undefined, value: string): boolean {
  if (!image) return false;
  const strip = (ref: string) => ref.replace(/^docker\.io\/(library\/)?/, '').replace(/:latest$/, '');
  return image === value || strip(image) === strip(value) || strip(image).split(':')[0] === strip(value);
}

/** Builds the predicates; `pods` resolves `pod=` values given as a pod name or id prefix. */
export function containerFilters(filters: Record<string, readonly string[]>, pods: () => readonly PodRecord[]): ContainerFilter[] {
  const out: ContainerFilter[] = [];
  for (const [key, values] of Object.entries(filters)) {
    if (values.length === 0) continue;
    switch (key) {
      case 'id':
        out.push((c) => values.some((v) => c.id().startsWith(v)));
        break;
      case 'name': {
        const patterns = values.map((v) => regex(v, 'name'));
        out.push((c) => patterns.some((p) => p.test(c.name())));
        break;
      }
      case 'label':
        out.push((c) => {
          const labels = c.view().labels;
          return values.every((v) => labelMatches(labels, v));
        });
        break;
      case 'label!':
        out.push((c) => {
          const labels = c.view().labels;
          return !values.some((v) => labelMatches(labels, v));
        });
        break;
      case 'status': {
        const wanted = new Set<ContainerStatus>();
        for (const v of values) {
          // podman's "created" is libpod's Configured and Created alike.
          if (v === 'created') wanted.add('configured').add('created');
          else if (isContainerStatus(v)) wanted.add(v);
          else throw new PodbayError('ErrInvalidArg', `invalid status filter "${v}": expected created, running, paused, stopping, stopped, exited, removing or unknown`);
        }
        out.push((c) => wanted.has(c.cachedState().status));
        break;
      }
      case 'pod': {
        const all = pods();
        const ids = new Set(all.filter((p) => values.some((v) => p.config.name === v || p.config.id.startsWith(v))).map((p) => p.config.id));
        out.push((c) => {
          const pod = c.podId();
          return pod !== null && ids.has(pod);
        });
        break;
      }
      case 'ancestor':
        out.push((c) => values.some((v) => ancestorMatches(c.view().rootfsImage?.name, v)));
        break;
      default:
        throw new PodbayError('ErrInvalidArg', `invalid filter "${key}": expected one of ${containerFilterKeys.join(', ')}`);
    }
  }
  return out;
}
