// The images procedures over the core's ImageRuntime. One ImageRuntime per handler set, opened on
// first use; pull and push streams turn the core's frame callbacks into async iterables, and the
// router's signal (the window went away, the user cancelled) aborts the transfer.
import type { Handlers } from '../../../shared/contract/define.ts';
import type { imageProcedures } from '../../../shared/contract/images.ts';
import type { ImagePullFrame, ImagePushFrame } from '../../../shared/types/images.ts';
import type { EventLog } from '../../core/events/event-log.ts';
import { ImageRuntime } from '../../core/image/image-runtime.ts';
import { imageRegistriesConf } from '../../core/image/registries-conf.ts';
import { containerImageUsers } from '../../core/image/image-users.ts';
import type { ResolvedRuntimeConfig } from '../../core/runtime-config.ts';
import type { RuntimePaths } from '../../core/runtime-paths.ts';
import { runtimeFor } from './runtime.ts';
import { PodbayError } from '../../../shared/errors.ts';
import type { TransferStore } from '../../core/transfer-store.ts';

export interface ImageHandlerDeps {
  paths: RuntimePaths;
  events: EventLog;
  defaultRuntime: string;
  /** The resolved config (search and insecure registries). */
  config: ResolvedRuntimeConfig;
  transfers?: TransferStore;
}

function transfersOf(deps: ImageHandlerDeps): TransferStore {
  if (!deps.transfers) throw new PodbayError('ErrNotImplemented', 'file transfers are served by the web host (podbay serve); this window has none');
  return deps.transfers;
}

/** `docker.io/library/busybox:1.36` → `busybox-1.36.tar`; several images → `images.tar`. */
export function archiveFilename(nameOrIds: readonly string[], format: string): string {
  const suffix = format === 'oci-archive' ? '.oci.tar' : '.tar';
  if (nameOrIds.length !== 1) return `images${suffix}`;
  const last = nameOrIds[0]!.split('/').pop()!.replace(/^sha256:/, '');
  return `${last.replace(/[:@]/g, '-').slice(0, 80)}${suffix}`;
}

const opened = new WeakMap<ImageHandlerDeps, Promise<ImageRuntime>>();

export function imageRuntimeFor(deps: ImageHandlerDeps): Promise<ImageRuntime> {
  let runtime = opened.get(deps);
  if (!runtime) {
    runtime = (async () => {
      const images: ImageRuntime = await ImageRuntime.open({
        graphRoot: deps.paths.graphRoot,
        events: deps.events,
        registriesConf: () => imageRegistriesConf(deps.config.image),
        signaturePolicyPath: deps.config.image.signaturePolicyPath,
        isInUse: (id) => containerImageUsers(() => runtimeFor(deps), images.store).isInUse(id),
        removeUsers: (id) => containerImageUsers(() => runtimeFor(deps), images.store).removeUsers(id),
      });
      return images;
    })();
    runtime.catch(() => opened.delete(deps));
    opened.set(deps, runtime);
  }
  return runtime;
}

/**
 * Runs `work`, yielding each frame it emits as it comes; ends when `work` resolves, throws what it
 * throws. Frames wait in a queue while the consumer is slow (they are coalesced upstream, ~10/s).
 */
export async function* framesOf<F>(work: (emit: (frame: F) => void) => Promise<unknown>): AsyncGenerator<F> {
  const queue: F[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  let failure: { error: unknown } | null = null;
  const done = work((frame) => {
    queue.push(frame);
    wake?.();
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = { error };
      finished = true;
      wake?.();
    },
  );
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    await done;
    if (failure) throw (failure as { error: unknown }).error;
  } finally {
    queue.length = 0;
  }
}

export function createImageHandlers(deps: ImageHandlerDeps) {
  return {
    'images.list': async (input) => (await imageRuntimeFor(deps)).list(input.filters ?? {}),
    'images.inspect': async (input) => (await imageRuntimeFor(deps)).inspect(input.nameOrId),
    'images.resolve': async (input) => await (await imageRuntimeFor(deps)).resolve(input.reference),
    'images.pull': (input, { signal }) =>
      framesOf<ImagePullFrame>(async (emit) => {
        const images = await imageRuntimeFor(deps);
        await images.pull(input.reference, {
          allTags: input.allTags,
          platform: input.platform,
          tlsVerify: input.tlsVerify,
          credentials: input.credentials,
          signal,
          onFrame: emit,
        });
      }),
    'images.push': (input, { signal }) =>
      framesOf<ImagePushFrame>(async (emit) => {
        const images = await imageRuntimeFor(deps);
        await images.push(input.nameOrId, input.destination, { tlsVerify: input.tlsVerify, credentials: input.credentials, signal, onFrame: emit });
      }),
    'images.remove': async (input, { signal }) => (await imageRuntimeFor(deps)).remove(input.nameOrIds, input.force, signal),
    'images.save': async (input, { signal }) => {
      const transfers = transfersOf(deps);
      const filename = archiveFilename(input.nameOrIds, input.format);
      const { id, path } = transfers.beginDownload(filename);
      try {
        await (await imageRuntimeFor(deps)).save(input.nameOrIds, path, input.format, signal);
        return { transferId: id, filename, bytes: transfers.download(id).bytes };
      } catch (error) {
        transfers.removeDownload(id);
        throw error;
      }
    },
    'images.load': async (input, { signal }) => {
      const transfers = transfersOf(deps);
      try {
        return await (await imageRuntimeFor(deps)).load(transfers.uploadPath(input.transferId), signal);
      } finally {
        transfers.release(input.transferId);
      }
    },
    'images.import': async (input, { signal }) => {
      const transfers = transfersOf(deps);
      try {
        const { createReadStream } = await import('node:fs');
        const source = createReadStream(transfers.uploadPath(input.transferId), { highWaterMark: 1024 * 1024 });
        return await (await imageRuntimeFor(deps)).importImage(source, { changes: input.changes, message: input.message, reference: input.reference, signal });
      } finally {
        transfers.release(input.transferId);
      }
    },
    'images.users': async (input) => {
      const images = await imageRuntimeFor(deps);
      const users = containerImageUsers(() => runtimeFor(deps), images.store);
      return Object.fromEntries(input.ids.map((id) => [id, users.list(id)]));
    },
    'images.tag': async (input) => (await imageRuntimeFor(deps)).tag(input.nameOrId, input.names),
    'images.untag': async (input) => (await imageRuntimeFor(deps)).untag(input.nameOrId, input.names),
  } satisfies Handlers<typeof imageProcedures>;
}
