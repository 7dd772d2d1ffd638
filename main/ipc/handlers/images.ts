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
import { framesOf } from './frames-of.ts';
import { downloadFrames, uploadFrames } from './transfers.ts';
import type { Transfers } from './transfers.ts';
import { withScratchFile, writeChunks } from './scratch-file.ts';

// Handlers of other areas import framesOf from here (kube.ts): it lives in frames-of.ts now.
export { framesOf };

export interface ImageHandlerDeps {
  paths: RuntimePaths;
  events: EventLog;
  defaultRuntime: string;
  /** The resolved config (search and insecure registries). */
  config: ResolvedRuntimeConfig;
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

export function createImageHandlers(deps: ImageHandlerDeps, transfers: Transfers) {
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
    'images.save': (input, ctx) =>
      downloadFrames(transfers, ctx, async (consume) => {
        const images = await imageRuntimeFor(deps);
        // The archive is written whole first (its writer seeks), then streamed out of the scratch file.
        await withScratchFile(deps.paths.runRoot, async (path) => {
          await images.save(input.nameOrIds, path, input.format, ctx.signal);
          const { createReadStream } = await import('node:fs');
          const { stat } = await import('node:fs/promises');
          const { size } = await stat(path);
          await consume({ name: archiveFilename(input.nameOrIds, input.format), kind: 'tar', size }, createReadStream(path, { highWaterMark: 1024 * 1024 }));
        });
      }),
    'images.load': (_input, ctx) =>
      uploadFrames(transfers, ctx, async (data, received) => {
        const images = await imageRuntimeFor(deps);
        // An archive is read out of order (manifest.json may come last): it lands in a scratch file first.
        return withScratchFile(deps.paths.runRoot, async (path) => {
          received(await writeChunks(data, path, ctx.signal));
          return { type: 'done' as const, images: await images.load(path, ctx.signal) };
        });
      }),
    'images.import': (input, ctx) =>
      uploadFrames(transfers, ctx, async (data, received) => {
        const images = await imageRuntimeFor(deps);
        let bytes = 0;
        async function* counted() {
          for await (const chunk of data) {
            bytes += chunk.length;
            yield chunk;
          }
          received(bytes);
        }
        // A tarball is read in order: streamed into the layer as it arrives.
        const image = await images.importImage(counted(), { changes: input.changes, message: input.message, reference: input.reference, signal: ctx.signal });
        return { type: 'done' as const, image };
      }),
    'images.users': async (input) => {
      const images = await imageRuntimeFor(deps);
      const users = containerImageUsers(() => runtimeFor(deps), images.store);
      return Object.fromEntries(input.ids.map((id) => [id, users.list(id)]));
    },
    'images.tag': async (input) => (await imageRuntimeFor(deps)).tag(input.nameOrId, input.names),
    'images.untag': async (input) => (await imageRuntimeFor(deps)).untag(input.nameOrId, input.names),
  } satisfies Handlers<typeof imageProcedures>;
}
