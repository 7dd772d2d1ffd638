// A container's immutable configuration and the options that build it (libpod/container_config.go and
// the With… options of libpod/options.go). An option applied to a container that is already in the
// store throws ErrCtrFinalized, as libpod's options do once `ctr.valid` is set.
import { existsSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { isAbsolute } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import { validateName } from './names.ts';

/** The kernel namespaces a container may join from another one (libpod's namespace kinds). */
export const namespaceKinds = ['ipc', 'mount', 'net', 'pid', 'user', 'uts'] as const;
export type NamespaceKind = (typeof namespaceKinds)[number];

/** The part of the OCI runtime spec a caller gives; the spec generator (OCI issue) fills in the rest. */
export interface ContainerSpec {
  process: {
    args: string[];
    env?: string[];
    cwd?: string;
    terminal?: boolean;
  };
  hostname?: string;
}

export interface RootfsImage {
  /** As the user named it ("alpine", "docker.io/library/alpine:3.20", an image id). */
  name: string;
  /** Whether the image's config (entrypoint, env, workdir, stop signal) is merged into the spec. */
  useImageConfig: boolean;
}

export interface ContainerConfig {
  id: string;
  name: string;
  /** Pod id, or null for a container outside any pod. */
  pod: string | null;
  spec: ContainerSpec;
  /** Exactly one of rootfs (a directory) and rootfsImage is set. */
  rootfs: string | null;
  rootfsImage: RootfsImage | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Signal number sent by stop; 15 (SIGTERM) unless set. */
  stopSignal: number;
  /** Namespaces joined from another container: kind → that container's id. */
  sharedNamespaces: Partial<Record<NamespaceKind, string>>;
  /** RFC 3339. */
  createdAt: string;
}

/** The containers this one needs to exist first: those whose namespaces it joins. */
export function dependencies(config: ContainerConfig): string[] {
  return [...new Set(Object.values(config.sharedNamespaces))];
}

/** What options write into before the container is finalized (id and creation time come last). */
export type ContainerConfigDraft = Omit<ContainerConfig, 'id' | 'name' | 'createdAt'> & { name: string | null };

export interface ContainerDraft {
  /** True once the container is in the store: options then throw ErrCtrFinalized. */
  readonly finalized: boolean;
  readonly draft: ContainerConfigDraft;
}

export type ContainerOption = (target: ContainerDraft) => void;

export function newContainerDraft(spec: ContainerSpec): ContainerConfigDraft {
  if (!spec || !Array.isArray(spec.process?.args) || spec.process.args.some((a) => typeof a !== 'string')) {
    throw new PodbayError('ErrInvalidArg', 'container spec needs process.args, an array of strings');
  }
  return {
    name: null,
    pod: null,
    spec: structuredClone(spec),
    rootfs: null,
    rootfsImage: null,
    labels: {},
    annotations: {},
    stopSignal: constants.signals.SIGTERM,
    sharedNamespaces: {},
  };
}

function editable(target: ContainerDraft): ContainerConfigDraft {
  if (target.finalized) throw new PodbayError('ErrCtrFinalized', 'container already created: its configuration cannot change');
  return target.draft;
}

export function withName(name: string): ContainerOption {
  return (target) => {
    const draft = editable(target);
    validateName(name, 'container');
    draft.name = name;
  };
}

function checkStringMap(map: Record<string, string>, what: string): Record<string, string> {
  for (const [key, value] of Object.entries(map)) {
    if (key === '' || typeof value !== 'string') throw new PodbayError('ErrInvalidArg', `${what} need non-empty keys and string values (key "${key}")`);
  }
  return { ...map };
}

/** Replaces the labels (libpod WithLabels). */
export function withLabels(labels: Record<string, string>): ContainerOption {
  return (target) => {
    const draft = editable(target);
    draft.labels = checkStringMap(labels, 'labels');
  };
}

export function withAnnotations(annotations: Record<string, string>): ContainerOption {
  return (target) => {
    const draft = editable(target);
    draft.annotations = checkStringMap(annotations, 'annotations');
  };
}

/** Accepts 15, "15", "TERM" or "SIGTERM" (podman --stop-signal); unknown or 0 → ErrInvalidArg. */
export function parseSignal(signal: number | string): number {
  const signals = constants.signals as Record<string, number>;
  let value: number | undefined;
  if (typeof signal === 'number') value = signal;
  else if (/^\d+$/.test(signal)) value = Number(signal);
  else {
    const upper = signal.toUpperCase();
    value = signals[upper.startsWith('SIG') ? upper : `SIG${upper}`];
  }
  if (value === undefined || !Number.isInteger(value) || value < 1 || value > 64) {
    throw new PodbayError('ErrInvalidArg', `invalid stop signal "${signal}"`);
  }
  return value;
}

export function withStopSignal(signal: number | string): ContainerOption {
  return (target) => {
    const draft = editable(target);
    draft.stopSignal = parseSignal(signal);
  };
}

/** The container's root is this directory, used as is (podman --rootfs). */
export function withRootFSFromPath(path: string): ContainerOption {
  return (target) => {
    const draft = editable(target);
    if (draft.rootfsImage) throw new PodbayError('ErrInvalidArg', 'a container has either an image or a rootfs path, not both');
    if (!isAbsolute(path)) throw new PodbayError('ErrInvalidArg', `rootfs path "${path}" must be absolute`);
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new PodbayError('ErrInvalidArg', `rootfs path "${path}" is not a directory`);
    draft.rootfs = path;
  };
}

/**
 * The container's root comes from an image. Recorded as given; resolving it to a stored image (and
 * ErrNoSuchImage) is the image layer's job.
 */
export function withRootFSFromImage(image: string, useImageConfig: boolean): ContainerOption {
  return (target) => {
    const draft = editable(target);
    if (draft.rootfs) throw new PodbayError('ErrInvalidArg', 'a container has either an image or a rootfs path, not both');
    if (typeof image !== 'string' || image.trim() === '') throw new PodbayError('ErrInvalidArg', 'image name must not be empty');
    draft.rootfsImage = { name: image, useImageConfig };
  };
}

/** What withSharedNamespaces and withPod need of the other object, without importing its class. */
export interface NamespaceSource {
  id(): string;
  podId(): string | null;
}

/**
 * Joins `namespaces` of container `from` (libpod WithIPCNSFrom, WithNetNSFrom…). `from` must share
 * this container's pod, or both be outside pods (checked again when the container is added).
 */
export function withSharedNamespaces(from: NamespaceSource, namespaces: readonly NamespaceKind[]): ContainerOption {
  return (target) => {
    const draft = editable(target);
    if (namespaces.length === 0) throw new PodbayError('ErrInvalidArg', 'no namespaces given to share');
    for (const kind of namespaces) {
      if (!(namespaceKinds as readonly string[]).includes(kind)) {
        throw new PodbayError('ErrInvalidArg', `unknown namespace "${kind}": expected one of ${namespaceKinds.join(', ')}`);
      }
      draft.sharedNamespaces[kind] = from.id();
    }
  };
}

export function withPod(pod: { id(): string }): ContainerOption {
  return (target) => {
    const draft = editable(target);
    draft.pod = pod.id();
  };
}
