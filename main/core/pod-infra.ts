// A pod's infra container (libpod/runtime_pod_linux.go createInfraContainer): `catatonit -P` in a
// minimal root directory under the pod's userdata, the host's catatonit bound in at /catatonit (no image
// pull). It holds the namespaces the pod shares; members join them through /proc/<infra pid>/ns/*.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerConfig, ContainerNetworkMode, NamespaceKind } from './container-config.ts';
import type { NetworkRequest } from './network/network-mode.ts';
import type { PortMapping } from './network/port-mappings.ts';
import { initialContainerState } from './container-state.ts';
import { generateId } from './names.ts';
import type { PodConfig, PodConfigDraft } from './pod-config.ts';
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerRecord } from './state/state.ts';

/** `<graphRoot>/pods/<id>/userdata`: what belongs to the pod itself (the infra root directory). */
export function podUserdataDir(graphRoot: string, podId: string): string {
  return join(graphRoot, 'pods', podId, 'userdata');
}

/** Removes the pod's own directory (its infra root); never fails. */
export function removePodFilesSync(graphRoot: string, podId: string): void {
  rmSync(join(graphRoot, 'pods', podId), { recursive: true, force: true, maxRetries: 3 });
}

/** The infra container's minimal root: the mount points the runtime fills (also `system check --repair`). */
export function makeInfraRootfs(rootfs: string): void {
  for (const dir of ['dev', 'proc', 'sys', 'etc', 'tmp', 'run']) mkdirSync(join(rootfs, dir), { recursive: true, mode: 0o755 });
}

/** The infra's name, as podman names it: the first 12 characters of the pod id and `-infra`. */
export function infraName(podId: string): string {
  return `${podId.slice(0, 12)}-infra`;
}

/** What the infra container holds for the pod's network: its mode, networks and published ports. */
export interface InfraNetwork {
  networkMode: ContainerNetworkMode;
  networks?: NetworkRequest[];
  portMappings?: PortMapping[];
}

/**
 * Makes the infra root directory and returns the infra container's record (configured, not yet in
 * the store): the caller adds it with the pod in one transaction. `ociRuntime`: the runtime's default.
 * Without `network` the pod has only loopback.
 */
export function infraContainerRecord(pod: PodConfig, graphRoot: string, ociRuntime: string, network: InfraNetwork = { networkMode: 'none' }): ContainerRecord {
  const rootfs = join(podUserdataDir(graphRoot, pod.id), 'rootfs');
  makeInfraRootfs(rootfs);
  const config: ContainerConfig = {
    id: generateId(),
    name: infraName(pod.id),
    pod: pod.id,
    spec: { process: { args: ['/catatonit', '-P'] }, hostname: pod.hostname ?? pod.name },
    rootfs,
    rootfsImage: null,
    labels: {},
    annotations: { 'io.podman.annotations.infra': 'true' },
    stopSignal: 15,
    stopTimeout: 10,
    networkMode: network.networkMode,
    ...(network.networks ? { networks: network.networks } : {}),
    ...(network.portMappings?.length ? { portMappings: network.portMappings } : {}),
    isInfra: true,
    ociRuntime,
    sharedNamespaces: {},
    createdAt: pod.createdAt,
  };
  return { config, state: initialContainerState() };
}

/** The namespaces a member of `pod` joins from its infra container (none without one). */
export function memberNamespaces(pod: PodConfig, infraId: string | null): { from: string; kinds: NamespaceKind[] } | null {
  if (!infraId || !pod.infra) return null;
  const kinds = pod.sharedNamespaces ?? [];
  return kinds.length ? { from: infraId, kinds: [...kinds] } : null;
}

/**
 * The infra container's network from the pod's options: a network or published ports need an infra
 * container that shares `net` with the members (podman: "you must have an infra container to
 * publish ports" / "cannot set networks without a network namespace to share") → ErrInvalidArg.
 */
export function podInfraNetwork(draft: Pick<PodConfigDraft, 'infra' | 'sharedNamespaces' | 'networkMode' | 'networks' | 'portMappings'>): InfraNetwork {
  const wanted = draft.networkMode !== null || draft.portMappings.length > 0;
  if (wanted && (!draft.infra || !draft.sharedNamespaces.includes('net'))) {
    throw new PodbayError('ErrInvalidArg', 'a pod needs an infra container sharing the net namespace to have networks or published ports');
  }
  const networkMode = draft.networkMode ?? 'none';
  if (draft.portMappings.length && networkMode !== 'bridge' && networkMode !== 'slirp4netns') throw new PodbayError('ErrInvalidArg', `ports cannot be published with network mode ${networkMode}: use a bridge network`);
  return { networkMode, ...(networkMode === 'bridge' ? { networks: draft.networks } : {}), ...(draft.portMappings.length ? { portMappings: draft.portMappings } : {}) };
}
