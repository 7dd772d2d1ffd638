import { z } from 'zod';
import { call, stream } from './define.ts';
import type { ImageImportDone, ImageInspect, ImageListItem, ImageLoadDone, ImagePullFrame, ImagePushFrame, ImageRemoveReport, ImageResolution } from '../types/images.ts';
import type { DownloadFrame, UploadFrame } from '../types/transfers.ts';

const nameOrId = z.string().min(1).max(512);
/** A reference as typed: checked precisely by the core's parser (ErrInvalidArg naming the fault). */
const reference = z.string().min(1).max(4096);
const filters = z.record(z.string().min(1).max(32), z.array(z.string().max(512)).max(64));
const credentials = z.strictObject({ username: z.string().min(1).max(1024), password: z.string().max(64 * 1024) });
const platform = z.strictObject({ os: z.string().min(1).max(64), architecture: z.string().min(1).max(64), variant: z.string().max(64).optional() });
const registryOptions = {
  /** false: plain HTTP or an unverified certificate is accepted for this call (`--tls-verify=false`). */
  tlsVerify: z.boolean().optional(),
  /** Instead of auth.json (`--creds`). */
  credentials: credentials.optional(),
};

export const imageProcedures = {
  /** Images of the store, oldest first; filters as podman (dangling, label, reference, id, before, since). */
  'images.list': call<ImageListItem[]>()(z.strictObject({ filters: filters.optional() })),
  /** One image by ID, unique ID prefix, name (short names match the end of stored names) or digest → ErrNoSuchImage. */
  'images.inspect': call<ImageInspect>()(z.strictObject({ nameOrId })),
  /** Where a pull of `reference` would look, in order (short names through registries.conf): for the pull dialog. */
  'images.resolve': call<ImageResolution>()(z.strictObject({ reference })),
  /**
   * Pulls into the store. Frames: `resolved`, progress (`resolving` per candidate tried, `manifest`,
   * per-layer `layer-bytes` with bytesPerSecond, `layer-verifying`, `layer-done`/`layer-exists`),
   * then `image` for each image stored. Cancelling the stream aborts the pull; nothing half-pulled is
   * recorded.
   */
  'images.pull': stream<ImagePullFrame>()(
    z.strictObject({
      reference,
      allTags: z.boolean().default(false),
      platform: platform.optional(),
      ...registryOptions,
    }),
  ),
  /** Pushes a stored image byte for byte to `destination` (default: the name it was given by). */
  'images.push': stream<ImagePushFrame>()(
    z.strictObject({
      nameOrId,
      destination: reference.optional(),
      ...registryOptions,
    }),
  ),
  /** Removes each image on its own, one report per name (an image containers use → ErrImageInUse unless force). */
  'images.remove': call<ImageRemoveReport[]>()(
    z.strictObject({
      nameOrIds: z.array(nameOrId).min(1).max(1000),
      force: z.boolean().default(false),
    }),
  ),
  /** The containers created from each image (by ID), for Remove to name what uses them. */
  'images.users': call<Record<string, { id: string; name: string }[]>>()(z.strictObject({ ids: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1).max(1000) })),
  /** Adds names (short names become `localhost/…`, `:latest` added); returns the full names. */
  'images.tag': call<string[]>()(z.strictObject({ nameOrId, names: z.array(reference).min(1).max(100) })),
  /**
   * Writes images into one archive and downloads it (a transfer, see transfers.ts): `start` names the
   * file (`busybox-1.tar`) and its size, the chunks follow. The engine writes the archive to a scratch
   * file under its run root first (its size goes in `start`), removed when the stream ends.
   */
  'images.save': stream<DownloadFrame>()(
    z.strictObject({ nameOrIds: z.array(nameOrId).min(1).max(100), format: z.enum(['docker-archive', 'oci-archive']).default('oci-archive') }),
  ),
  /**
   * Uploads an archive (docker-archive or oci-archive, a transfer) and loads every image in it: `start`,
   * `received` once every byte is in a scratch file, then `done` with the images. Cancellable throughout.
   */
  'images.load': stream<UploadFrame<ImageLoadDone>>()(z.strictObject({})),
  /**
   * Uploads a rootfs tarball (plain or gzip, a transfer) streamed into a new single-layer image with
   * `changes`, named `reference`: `start`, `received`, then `done` with the image.
   */
  'images.import': stream<UploadFrame<ImageImportDone>>()(
    z.strictObject({
      reference: reference.optional(),
      changes: z.array(z.string().min(1).max(4096)).max(100).default([]),
      message: z.string().max(4096).optional(),
    }),
  ),
  /** Removes the given names, or all names when none are given; returns the names removed. */
  'images.untag': call<string[]>()(z.strictObject({ nameOrId, names: z.array(reference).max(100).default([]) })),
};
