import { z } from 'zod';
import { call, stream } from './define.ts';
import type { ImageInspect, ImageListItem, ImagePullFrame, ImagePushFrame, ImageRemoveReport, ImageResolution, ImageSaveResult } from '../types/images.ts';

const nameOrId = z.string().min(1).max(512);
/** A reference as typed: checked precisely by the core's parser (ErrInvalidArg naming the fault). */
const reference = z.string().min(1).max(4096);
/** An upload or download of the web host's transfer store (128-bit hex). */
const transferId = z.string().regex(/^[0-9a-f]{32}$/);
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
   * Writes images into one archive for the browser to download (`GET /transfers/download/<id>` on the
   * web host, once). ErrNotImplemented where there is no transfer store (the Electron shell).
   */
  'images.save': call<ImageSaveResult>()(
    z.strictObject({ nameOrIds: z.array(nameOrId).min(1).max(100), format: z.enum(['docker-archive', 'oci-archive']).default('oci-archive') }),
  ),
  /** Loads every image of an uploaded archive (`PUT /transfers/upload` → its id); the upload is consumed. */
  'images.load': call<ImageListItem[]>()(z.strictObject({ transferId })),
  /** An uploaded rootfs tarball (plain or gzip) → a new single-layer image with `changes`, named `reference`. */
  'images.import': call<ImageListItem>()(
    z.strictObject({
      transferId,
      reference: reference.optional(),
      changes: z.array(z.string().min(1).max(4096)).max(100).default([]),
      message: z.string().max(4096).optional(),
    }),
  ),
  /** Removes the given names, or all names when none are given; returns the names removed. */
  'images.untag': call<string[]>()(z.strictObject({ nameOrId, names: z.array(reference).max(100).default([]) })),
};
