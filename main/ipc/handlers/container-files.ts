// The procedures that look into and out of containers, over the core (container-copy.ts, -export,
// -commit, -diff, -top, -stats). Export and cp are the contract's chunked transfers (transfers.ts).
import type { Handlers } from '../../../shared/contract/define.ts';
import type { containerFileProcedures } from '../../../shared/contract/container-files.ts';
import type { CommitFrame } from '../../../shared/types/container-files.ts';
import { readContainerPath, writeContainerPath } from '../../core/container-copy.ts';
import { containerStats } from '../../core/container-stats.ts';
import { framesOf } from './frames-of.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';
import { downloadFrames, uploadFrames } from './transfers.ts';
import type { Transfers } from './transfers.ts';

export function createContainerFileHandlers(deps: RuntimeDeps, transfers: Transfers) {
  return {
    'containers.files': async (input) => runtimeFor(deps).lookupContainer(input.nameOrId).listFiles(input.path),
    'containers.diff': async (input) => runtimeFor(deps).lookupContainer(input.nameOrId).changes(),
    'containers.top': async (input, { signal }) => runtimeFor(deps).lookupContainer(input.nameOrId).top(input.descriptors, { signal }),
    'containers.stats': (input, { signal }) => {
      const runtime = runtimeFor(deps);
      const ids = input.nameOrIds ? input.nameOrIds.map((n) => runtime.lookupContainer(n).id()) : null;
      return containerStats(runtime, ids, { stream: input.stream, intervalMs: input.intervalMs, signal });
    },
    'containers.export': (input, ctx) => {
      const ctr = runtimeFor(deps).lookupContainer(input.nameOrId);
      return downloadFrames(transfers, ctx, (consume) => ctr.export((tar) => consume({ name: `${ctr.name()}.tar`, kind: 'tar', size: null }, tar), { signal: ctx.signal }));
    },
    'containers.copyOut': (input, ctx) => {
      const runtime = runtimeFor(deps);
      const id = runtime.lookupContainer(input.nameOrId).id();
      return downloadFrames(transfers, ctx, (consume) => readContainerPath(runtime, id, input.path, consume, { signal: ctx.signal }));
    },
    'containers.copyIn': (input, ctx) => {
      const runtime = runtimeFor(deps);
      runtime.lookupContainer(input.nameOrId);
      return uploadFrames(transfers, ctx, async (data) => {
        const target = input.kind === 'tar' ? { kind: 'tar' as const, data } : { kind: 'file' as const, name: input.name as string, size: input.size as number, data };
        const report = await writeContainerPath(runtime, input.nameOrId, input.path, target, { overwrite: input.overwrite, signal: ctx.signal });
        return { type: 'done', entries: report.entries, bytes: report.fileBytes };
      });
    },
    'containers.commit': (input, { signal }) => {
      const runtime = runtimeFor(deps);
      const ctr = runtime.lookupContainer(input.nameOrId);
      return framesOf<CommitFrame>(async (emit) => {
        const report = await ctr.commit({
          ...(input.name ? { name: input.name } : {}),
          ...(input.author ? { author: input.author } : {}),
          ...(input.message ? { message: input.message } : {}),
          changes: input.changes,
          pause: input.pause,
          format: input.format,
          signal,
          onFrame: emit,
        });
        const images = await runtime.images();
        const item = images.list({ id: [report.id] })[0] ?? null;
        emit({ type: 'image', id: report.id, image: item });
      });
    },
  } satisfies Handlers<typeof containerFileProcedures>;
}
