// libpod Container.Export: the container's whole root filesystem — image layers with its writable
// layer on top, as the container sees it — as one uncompressed tar (`./` first, then every entry in
// lexical order, as chrootarchive.Tar with IncludeSourceDir). A running container is read through its
// mounted merged dir; a stopped one is mounted for the export and unmounted after (withRootfs). The
// tree is read through directory descriptors, so a running container's processes cannot make the
// export read host files (CVE-2023-0778). Emits `export`.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { wrap } from '../../shared/errors.ts';
import type { LifecycleContext } from './container-internal.ts';
import { withRootfs } from './container-mount.ts';
import { RootFs } from './image/in-root.ts';
import { archiveTree } from './image/tree-archive.ts';

export interface ExportOptions {
  signal?: AbortSignal;
  /** Body bytes of regular files read so far (progress). */
  onBytes?: (n: number) => void;
}

/** Streams the rootfs of container `id` (full ID) to `consume`, which must drain it before resolving. */
export async function exportContainer(ctx: LifecycleContext, id: string, consume: (tar: AsyncIterable<Buffer>) => Promise<void>, options: ExportOptions = {}): Promise<void> {
  await withRootfs(ctx, id, async (rootfs, record) => {
    const fs = RootFs.open(rootfs);
    try {
      await consume(archiveTree(fs, '/', { name: '.', includeRoot: true, ...(options.signal ? { signal: options.signal } : {}), ...(options.onBytes ? { onBytes: options.onBytes } : {}) }));
    } finally {
      fs.close();
    }
    ctx.emitContainer('export', record.config);
  });
}

/** `podbay export -o FILE`: written to a temp file beside FILE and renamed into place (no half-written FILE). */
export async function exportContainerToFile(ctx: LifecycleContext, id: string, output: string, options: ExportOptions = {}): Promise<void> {
  const temp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await exportContainer(ctx, id, (tar) => pipeline(Readable.from(tar), createWriteStream(temp, { flags: 'wx', mode: 0o644 })), options);
    await rename(temp, output);
  } catch (error) {
    await rm(temp, { force: true });
    throw wrap(error, `exporting container ${id.slice(0, 12)} to ${output}`);
  }
}
