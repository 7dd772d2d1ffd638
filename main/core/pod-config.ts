// A pod's configuration and its options (libpod/pod.go podConfig, WithPodName, WithPodLabels).
import { PodbayError } from '../../shared/errors.ts';
import { namespaceKinds, networkSettings } from './container-config.ts';
import type { ContainerNetworkMode, NamespaceKind } from './container-config.ts';
import { currentProcessIdentity, holderAlive } from './lock/lock-manager.ts';
import type { ProcessIdentity } from './lock/lock-manager.ts';
import { validateName } from './names.ts';
import type { NetworkRequest } from './network/network-mode.ts';
import { assertNoOverlap } from './network/port-mappings.ts';
import type { PortMapping } from './network/port-mappings.ts';

/** podman's --share default: what an infra container holds for the members. */
export const defaultPodShares: readonly NamespaceKind[] = ['net', 'ipc', 'uts'];
/** What a pod may share (podman --share): net, ipc, uts, pid and cgroup. */
export const podShareKinds: readonly NamespaceKind[] = ['net', 'ipc', 'uts', 'pid', 'cgroup'];

export interface PodConfig {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** RFC 3339. */
  createdAt: string;
  /** Whether the pod has an infra container; records written before infra containers lack it (false). */
  infra?: boolean;
  /** The namespaces members join from the infra container (podman --share). */
  sharedNamespaces?: NamespaceKind[];
  /** The infra container's (and so the members') hostname; default the pod's name. */
  hostname?: string;
}

/** The mutable half of a pod. */
export interface PodState {
  infraContainerId: string | null;
  /**
   * Set while a forced removal stops the members (the long part, done without the pod's lock): no
   * container may join the pod meanwhile (ErrPodRemoved). Cleared if the removal fails. It names the
   * removing process, so a removal killed half-way (SIGKILL, crash) blocks nobody: once that process
   * is gone the mark is stale and ignored, as a dead holder's lease is.
   */
  removing?: ProcessIdentity;
}

/** Whether a forced removal of the pod is under way: marked by a process that still runs. */
export function podBeingRemoved(state: PodState): boolean {
  const by = state.removing;
  // An older mark without its remover (a bare `true`) cannot be checked: treat it as stale.
  return typeof by === 'object' && by !== null && holderAlive(by, currentProcessIdentity());
}

export type PodConfigDraft = {
  name: string | null;
  labels: Record<string, string>;
  infra: boolean;
  sharedNamespaces: NamespaceKind[];
  hostname: string | null;
  /** The infra container's network (podman pod create --network); null: none, only loopback. */
  networkMode: ContainerNetworkMode | null;
  networks: NetworkRequest[];
  /** Published on the infra container (podman pod create -p): the members serve them. */
  portMappings: PortMapping[];
};

/** As libpod NewPod: no infra container unless withPodInfra(true) (podman's pod create asks for one). */
export function newPodDraft(): PodConfigDraft {
  return { name: null, labels: {}, infra: false, sharedNamespaces: [...defaultPodShares], hostname: null, networkMode: null, networks: [], portMappings: [] };
}

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

/** libpod WithInfraContainer: `true` gives the pod an infra container holding the shared namespaces. */
export function withPodInfra(enabled: boolean): PodOption {
  return (target) => {
    editable(target).infra = enabled;
  };
}

/** The namespaces the infra container holds for members (podman --share net,ipc,uts[,pid,cgroup]); `[]`: none. */
export function withPodSharedNamespaces(kinds: readonly string[]): PodOption {
  return (target) => {
    const draft = editable(target);
    for (const kind of kinds) {
      if (!(podShareKinds as readonly string[]).includes(kind)) {
        const known = (namespaceKinds as readonly string[]).includes(kind);
        throw new PodbayError(known ? 'ErrNotImplemented' : 'ErrInvalidArg', `a pod cannot share the "${kind}" namespace: expected some of ${podShareKinds.join(', ')}`);
      }
    }
    draft.sharedNamespaces = [...new Set(kinds as NamespaceKind[])];
  };
}

export function withPodHostname(hostname: string): PodOption {
  return (target) => {
    const draft = editable(target);
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,62})$/.test(hostname)) throw new PodbayError('ErrInvalidArg', `invalid hostname "${hostname}"`);
    draft.hostname = hostname;
  };
}

/**
 * The pod's network, held by its infra container (podman pod create --network): the values as
 * withNetworkMode takes them; `defaultNetwork` is what `bridge` means. Needs an infra container
 * sharing `net` (checked when the pod is created).
 */
export function withPodNetwork(values: string | readonly string[], defaultNetwork?: string): PodOption {
  return (target) => {
    const draft = editable(target);
    const settings = networkSettings(values, defaultNetwork);
    draft.networkMode = settings.networkMode;
    draft.networks = settings.networks ?? [];
  };
}

/** Ports published on the infra container (podman pod create -p), for the members to serve. */
export function withPodPortMappings(mappings: readonly PortMapping[]): PodOption {
  return (target) => {
    const draft = editable(target);
    assertNoOverlap(mappings);
    draft.portMappings = mappings.map((m) => ({ ...m }));
  };
}
