// What the volumes procedures return (podman pkg/domain/entities: VolumeConfigResponse, VolumeRmReport,
// VolumePruneReport), in the project's camelCase; the CLI maps them to podman's JSON field names.
import type { ErrorData } from '../errors.ts';

/** A container that uses a volume, as lists show it ("used by"). */
export interface VolumeUser {
  id: string;
  name: string;
}

export interface VolumeListItem {
  name: string;
  /** Always "local": the only driver (podman's default). */
  driver: string;
  /** `<graphRoot>/volumes/<name>/_data`: what containers see at their destination. */
  mountpoint: string;
  /** RFC 3339. */
  createdAt: string;
  labels: Record<string, string>;
  /** The driver options given at creation (`--opt type=tmpfs`, `device=…`, `o=…`, `uid=…`). */
  options: Record<string, string>;
  scope: 'local';
  /** Made for an image VOLUME or a destination-only mount; removed with its container (`rm -v`, `--rm`). */
  anonymous: boolean;
  usedBy: VolumeUser[];
  /** Containers that have it mounted right now (volumes with mount options: type/device/o). */
  mountCount: number;
  /** The image content at the first container's destination is still to be copied in (podman copy-up). */
  needsCopyUp: boolean;
  needsChown: boolean;
}

export interface VolumeInspect extends VolumeListItem {
  /** Bytes of the files under the mountpoint (podman system df -v): hard links once, symlinks not followed. */
  size: number;
}

/** One per volume named in `volumes.remove`: its own outcome (podman VolumeRmReport). */
export interface VolumeRemoveReport {
  nameOrId: string;
  /** The full name, when the volume was found. */
  name: string | null;
  /** Containers removed with it (force). */
  removedContainers: string[];
  error: ErrorData | null;
}

export interface VolumePruneReport {
  /** Names of the volumes removed. */
  removed: string[];
  /** Volumes that matched but could not be removed (a container started using one meanwhile). */
  errors: { name: string; error: ErrorData }[];
}

export interface VolumeCreateOptions {
  /** Generated (64 hex digits) when absent, as podman does. */
  name?: string | undefined;
  labels?: Record<string, string> | undefined;
  options?: Record<string, string> | undefined;
  /** `volume create --ignore`: an existing volume of that name is returned instead of ErrVolumeExists. */
  ignoreIfExists?: boolean | undefined;
}
