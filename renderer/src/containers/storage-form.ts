// The Run/Create dialog's storage and restart part, as a pure model (tested without a DOM): mount rows
// (a volume — picked or typed, or none for an anonymous one —, a host path, or a tmpfs), a read-only
// root filesystem and the restart policy, checked as the engine will and turned into the
// `containers.create` fields. The engine checks everything again (paths must exist, options…).
import type { ContainerMountSpec } from '../../../shared/types/containers.ts';

export type MountKind = 'volume' | 'bind' | 'tmpfs';
export type RestartChoice = 'no' | 'on-failure' | 'always' | 'unless-stopped';

export interface MountRowForm {
  /** Stable per row (React key and error key). */
  readonly key: number;
  readonly kind: MountKind;
  /** A volume name (empty: an anonymous volume) or an absolute host path; unused for tmpfs. */
  readonly source: string;
  readonly destination: string;
  readonly readOnly: boolean;
}

export interface StorageForm {
  readonly mounts: readonly MountRowForm[];
  readonly readOnly: boolean;
  readonly restart: RestartChoice;
  /** on-failure only: at most this many restarts (empty: no limit). */
  readonly retries: string;
}

export const emptyStorageForm: StorageForm = { mounts: [], readOnly: false, restart: 'no', retries: '' };

export const restartChoices: readonly { readonly value: RestartChoice; readonly label: string }[] = [
  { value: 'no', label: 'Never (no)' },
  { value: 'on-failure', label: 'On failure' },
  { value: 'always', label: 'Always' },
  { value: 'unless-stopped', label: 'Unless stopped' },
];

export function addMountRow(form: StorageForm, kind: MountKind = 'volume'): StorageForm {
  const key = form.mounts.reduce((max, m) => Math.max(max, m.key), 0) + 1;
  return { ...form, mounts: [...form.mounts, { key, kind, source: '', destination: '', readOnly: false }] };
}

export function updateMountRow(form: StorageForm, key: number, patch: Partial<Omit<MountRowForm, 'key'>>): StorageForm {
  return { ...form, mounts: form.mounts.map((m) => (m.key === key ? { ...m, ...patch } : m)) };
}

export function removeMountRow(form: StorageForm, key: number): StorageForm {
  return { ...form, mounts: form.mounts.filter((m) => m.key !== key) };
}

/** `mount-<key>-source`, `mount-<key>-destination` or `retries` → the message to show there. */
export type StorageErrors = Readonly<Record<string, string>>;

export interface StorageInput {
  mounts?: ContainerMountSpec[];
  readOnly?: boolean;
  restartPolicy?: Exclude<RestartChoice, 'no'>;
  restartRetries?: number;
}

const volumeName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** podman's filepath.Clean of a destination, enough to find duplicates. */
function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function storageInput(form: StorageForm): { input: StorageInput } | { errors: StorageErrors } {
  const errors: Record<string, string> = {};
  const seen = new Map<string, number>();
  const mounts: ContainerMountSpec[] = [];
  for (const row of form.mounts) {
    const source = row.source.trim();
    const destination = row.destination.trim();
    const at = (field: string) => `mount-${row.key}-${field}`;
    if (!destination) errors[at('destination')] = 'Enter the path inside the container';
    else if (!destination.startsWith('/')) errors[at('destination')] = 'Use an absolute path (starting with /)';
    else if (cleanPath(destination) === '/') errors[at('destination')] = 'A mount cannot replace the root';
    else if (seen.has(cleanPath(destination))) errors[at('destination')] = 'Another mount already uses this path';
    else seen.set(cleanPath(destination), row.key);
    if (row.kind === 'bind') {
      if (!source) errors[at('source')] = 'Enter the host directory or file';
      else if (!source.startsWith('/')) errors[at('source')] = 'Use an absolute host path (starting with /)';
    } else if (row.kind === 'volume' && source && !volumeName.test(source)) {
      errors[at('source')] = 'A volume name: letters, digits, _ . - (empty for an anonymous volume)';
    }
    if (errors[at('source')] || errors[at('destination')]) continue;
    if (row.kind === 'tmpfs') mounts.push({ type: 'tmpfs', destination, ...(row.readOnly ? { readOnly: true } : {}) });
    else mounts.push({ type: row.kind, ...(source ? { source } : {}), destination, ...(row.readOnly ? { readOnly: true } : {}) });
  }
  let retries: number | undefined;
  if (form.restart === 'on-failure' && form.retries.trim() !== '') {
    if (!/^\d+$/.test(form.retries.trim())) errors.retries = 'A whole number of restarts (empty: no limit)';
    else retries = Number(form.retries.trim());
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    input: {
      ...(mounts.length ? { mounts } : {}),
      ...(form.readOnly ? { readOnly: true } : {}),
      ...(form.restart !== 'no' ? { restartPolicy: form.restart } : {}),
      ...(retries ? { restartRetries: retries } : {}),
    },
  };
}
