import { z } from 'zod';
import { call, stream } from './define.ts';
import type { CommitFrame, ContainerChange, ContainerDirListing, ContainerStats, ContainerTopReport, CopyInDone } from '../types/container-files.ts';
import type { DownloadFrame, UploadFrame } from '../types/transfers.ts';

const nameOrId = z.string().min(1).max(256);
/** A path inside the container: resolved inside its rootfs by the engine (symlinks never leave it). */
const containerPath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'a path cannot contain NUL');

/**
 * Looking into and out of containers. Large data (an export, a file copied out or in) moves as the
 * contract's chunked transfers (transfers.ts); cancelling one unmounts what was mounted for it.
 */
export const containerFileProcedures = {
  /** One directory of the container's rootfs (running or not), entries by name; a symlinked path resolves inside the rootfs. */
  'containers.files': call<ContainerDirListing>()(z.strictObject({ nameOrId, path: containerPath.default('/') })),
  /** podman diff: paths added (A), changed (C) and deleted (D) against the image. */
  'containers.diff': call<ContainerChange[]>()(z.strictObject({ nameOrId })),
  /** podman top: processes of a running container (psgo descriptors, default the podman set) → ErrCtrStateInvalid when not running. */
  'containers.top': call<ContainerTopReport>()(z.strictObject({ nameOrId, descriptors: z.array(z.string().min(1).max(64)).max(32).default([]) })),
  /**
   * Resource use: one array of samples per interval while the stream is open (`stream: false`: one
   * round). `nameOrIds` absent: every running container, re-listed each round.
   */
  'containers.stats': stream<ContainerStats[]>()(
    z.strictObject({
      nameOrIds: z.array(nameOrId).min(1).max(100).optional(),
      intervalMs: z.number().int().min(500).max(60_000).default(2_000),
      stream: z.boolean().default(true),
    }),
  ),
  /** The whole rootfs as a tar: `start`, then chunks. */
  'containers.export': stream<DownloadFrame>()(z.strictObject({ nameOrId })),
  /** A path of the container: a regular file as its own bytes, anything else as a tar. */
  'containers.copyOut': stream<DownloadFrame>()(z.strictObject({ nameOrId, path: containerPath })),
  /**
   * Into directory `path` of the container: a tar (extracted there) or one file written as `name`
   * (`size` bytes). Owned by the container's user, as podman cp. Frames: `start` (the id for
   * `transfers.write`/`transfers.end`), then `done` with what was written. A member that climbs out of the directory → ErrInvalidArg.
   */
  'containers.copyIn': stream<UploadFrame<CopyInDone>>()(
    z
      .strictObject({
        nameOrId,
        path: containerPath,
        kind: z.enum(['tar', 'file']),
        name: z.string().min(1).max(255).optional(),
        size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
        overwrite: z.boolean().default(false),
      })
      .superRefine((input, ctx) => {
        if (input.kind === 'file' && (input.name === undefined || input.size === undefined)) ctx.addIssue({ code: 'custom', message: 'a file upload needs name and size', path: ['name'] });
        if (input.name !== undefined && (input.name.includes('/') || input.name === '.' || input.name === '..')) ctx.addIssue({ code: 'custom', message: 'a file name cannot contain / or be . or ..', path: ['name'] });
      }),
  ),
  /**
   * libpod Commit: the writable layer as a new image (tagged `name` if given). Frames: progress
   * (`pausing`, `writing` with bytes, `storing`, `done`), then `image`. The container is paused while
   * its layer is copied unless `pause: false`, and unpaused after, also on failure.
   */
  'containers.commit': stream<CommitFrame>()(
    z.strictObject({
      nameOrId,
      name: z.string().min(1).max(1024).optional(),
      author: z.string().max(1024).optional(),
      message: z.string().max(64 * 1024).optional(),
      changes: z.array(z.string().min(1).max(64 * 1024)).max(100).default([]),
      pause: z.boolean().default(true),
      format: z.enum(['oci', 'docker']).default('oci'),
    }),
  ),
};
