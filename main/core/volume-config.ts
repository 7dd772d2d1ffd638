// A named volume's configuration and state (libpod/volume.go VolumeConfig/VolumeState) and the options
// that build it (libpod/options.go WithVolumeName, WithVolumeLabels, WithVolumeOptions, WithVolumeDriver,
// withSetAnon). An option applied to a volume already in the store throws ErrInvalidArg (libpod says
// "volume already finalized").
import { existsSync } from 'node:fs';
import { PodbayError } from '../../shared/errors.ts';

export interface VolumeConfig {
  name: string;
  /** "local" only (podman's default driver; plugins are not supported). */
  driver: 'local';
  labels: Record<string, string>;
  /**
   * Local driver options (libpod validates the same keys): `type`, `device` and `o` make the volume a
   * mount (`mount -t TYPE -o O DEVICE _data`) done when a container using it starts and undone when
   * the last one stops; `uid`/`gid` own `_data`; `nocopy` skips the copy-up of image content.
   */
  options: Record<string, string>;
  /** Made for an image VOLUME or a destination-only `--mount type=volume`: goes with `rm -v` / `--rm`. */
  anonymous: boolean;
  /** RFC 3339. */
  createdAt: string;
}

export interface VolumeState {
  /** True until a container's content at the destination has been copied in (libpod NeedsCopyUp). */
  needsCopyUp: boolean;
  /** True until `_data` was given the owner of the first container's destination (libpod NeedsChown). */
  needsChown: boolean;
  /**
   * libpod's MountCount, kept 0 here: whether a volume's own mount (type/device/o) is needed is derived
   * from its running users (container-volumes.ts), which a crash cannot leave wrong; lists report that count.
   */
  mountCount: number;
}

export interface VolumeRecord {
  config: VolumeConfig;
  state: VolumeState;
}

export interface VolumeConfigDraft {
  name: string | null;
  driver: 'local';
  labels: Record<string, string>;
  options: Record<string, string>;
  anonymous: boolean;
}

export interface VolumeDraft {
  readonly finalized: boolean;
  readonly draft: VolumeConfigDraft;
}

export type VolumeOption = (target: VolumeDraft) => void;

export function newVolumeDraft(): VolumeConfigDraft {
  return { name: null, driver: 'local', labels: {}, options: {}, anonymous: false };
}

export function initialVolumeState(config: Pick<VolumeConfig, 'options'>): VolumeState {
  return { needsCopyUp: !('nocopy' in config.options), needsChown: !('uid' in config.options || 'gid' in config.options), mountCount: 0 };
}

function editable(target: VolumeDraft): VolumeConfigDraft {
  if (target.finalized) throw new PodbayError('ErrInvalidArg', 'volume already created: its configuration cannot change');
  return target.draft;
}

const volumeNameRule = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** podman's volume name rule (define.NameRegex), at most 253 characters: the name is a directory. */
export function validateVolumeName(name: string): void {
  if (typeof name !== 'string' || !volumeNameRule.test(name) || name.length > 253) {
    throw new PodbayError('ErrInvalidArg', `invalid volume name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]* (at most 253 characters)`);
  }
}

export function withVolumeName(name: string): VolumeOption {
  return (target) => {
    const draft = editable(target);
    validateVolumeName(name);
    draft.name = name;
  };
}

function checkMap(map: Record<string, string>, what: string): Record<string, string> {
  for (const [key, value] of Object.entries(map)) {
    if (key === '' || typeof value !== 'string') throw new PodbayError('ErrInvalidArg', `volume ${what} need non-empty keys and string values (key "${key}")`);
  }
  return { ...map };
}

export function withVolumeLabels(labels: Record<string, string>): VolumeOption {
  return (target) => {
    editable(target).labels = checkMap(labels, 'labels');
  };
}

/** Driver options; checked when the volume is created (validateLocalOptions). */
export function withVolumeOptions(options: Record<string, string>): VolumeOption {
  return (target) => {
    editable(target).options = checkMap(options, 'options');
  };
}

/** Only "local" exists (podman's plugins and the image driver are not supported) → else ErrNotImplemented. */
export function withVolumeDriver(driver: string): VolumeOption {
  return (target) => {
    const draft = editable(target);
    if (driver !== 'local' && driver !== '') throw new PodbayError('ErrNotImplemented', `volume driver "${driver}" is not supported: only local`);
    draft.driver = 'local';
  };
}

/** Marks the volume anonymous (libpod withSetAnon): created for one container, removed with it by `rm -v`. */
export function withVolumeAnonymous(): VolumeOption {
  return (target) => {
    editable(target).anonymous = true;
  };
}

const localOptionKeys = ['type', 'device', 'o', 'uid', 'gid', 'nocopy', 'copy'] as const;

/**
 * libpod newVolume's checks for the local driver, with keys lower-cased as podman compares them:
 * unknown keys → ErrInvalidArg; `size`/`inodes`/`noquota` need XFS project quotas → ErrNotImplemented;
 * `type=bind` needs an existing device; values that `mount` would read as flags are refused.
 */
export function validateLocalOptions(options: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(options)) {
    const key = rawKey.toLowerCase();
    if (key === 'size' || key === 'inodes' || key === 'noquota') {
      throw new PodbayError('ErrNotImplemented', `volume option "${rawKey}" needs XFS project quotas, which Podbay does not set up`);
    }
    if (!(localOptionKeys as readonly string[]).includes(key)) {
      throw new PodbayError('ErrInvalidArg', `invalid mount option ${rawKey} for driver 'local': expected one of ${localOptionKeys.join(', ')}`);
    }
    if ((key === 'type' || key === 'device') && (value === '' || value.startsWith('-'))) {
      throw new PodbayError('ErrInvalidArg', `invalid volume option ${rawKey}="${value}": must be a non-empty value not starting with "-"`);
    }
    if ((key === 'uid' || key === 'gid') && !/^\d{1,10}$/.test(value)) throw new PodbayError('ErrInvalidArg', `invalid volume option ${rawKey}="${value}": expected a number`);
    // podman accepts `copy`, the default, by name; only nocopy changes anything.
    if (key !== 'copy') out[key] = value;
  }
  if (out.type === 'bind' && (!out.device || !existsSync(out.device))) {
    throw new PodbayError('ErrInvalidArg', `invalid volume option device for driver 'local': ${out.device ?? '(none)'}: no such file or directory`);
  }
  // tmpfs has no device: podman passes "tmpfs" as one; anything else mounts a device.
  if (needsMount({ options: out }) && out.device === undefined && out.type !== 'tmpfs') {
    throw new PodbayError('ErrInvalidArg', 'volume options type and o need a device to mount (only type=tmpfs works without one)');
  }
  return out;
}

/** Whether the volume is a mount made at first use (libpod needsMount): the local driver with type/device/o. */
export function needsMount(config: Pick<VolumeConfig, 'options'>): boolean {
  return config.options.type !== undefined || config.options.device !== undefined || config.options.o !== undefined;
}
