// A pod's configuration and its options (libpod/pod.go podConfig, WithPodName, WithPodLabels).
import { PodbayError } from '../../shared/errors.ts';
import { validateName } from './names.ts';

export interface PodConfig {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** RFC 3339. */
  createdAt: string;
}

/** The mutable half of a pod. The infra container arrives with the pods issue. */
export interface PodState {
  infraContainerId: string | null;
}

export type PodConfigDraft = { name: string | null; labels: Record<string, string> };

export interface PodDraft {
  readonly finalized: boolean;
  readonly draft: PodConfigDraft;
}

export type PodOption = (target: PodDraft) => void;

function editable(target: PodDraft): PodConfigDraft {
  if (target.finalized) throw new PodbayError('ErrPodFinalized', 'pod already created: its configuration cannot change');
  return target.draft;
}

export function withPodName(name: string): PodOption {
  return (target) => {
    const draft = editable(target);
    validateName(name, 'pod');
    draft.name = name;
  };
}

export function withPodLabels(labels: Record<string, string>): PodOption {
  return (target) => {
    const draft = editable(target);
    for (const [key, value] of Object.entries(labels)) {
      if (key === '' || typeof value !== 'string') throw new PodbayError('ErrInvalidArg', `labels need non-empty keys and string values (key "${key}")`);
    }
    draft.labels = { ...labels };
  };
}
