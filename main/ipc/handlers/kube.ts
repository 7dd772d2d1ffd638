// The kube procedures over the core: generate kube, play kube and its --down.
import type { Handlers } from '../../../shared/contract/define.ts';
import type { kubeProcedures } from '../../../shared/contract/kube.ts';
import type { KubePlayFrame } from '../../../shared/types/kube.ts';
import { generateKube } from '../../core/kube/kube-generate.ts';
import { downKube, playKube } from '../../core/kube/kube-play.ts';
import { framesOf } from './frames-of.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

export function createKubeHandlers(deps: RuntimeDeps) {
  return {
    'kube.generate': async (input) => ({ yaml: await generateKube(runtimeFor(deps), input.nameOrIds, { service: input.service }) }),
    'kube.play': (input, { signal }) =>
      framesOf<KubePlayFrame>(async (emit) => {
        const report = await playKube(runtimeFor(deps), input.yaml, {
          replace: input.replace,
          network: input.network,
          tlsVerify: input.tlsVerify,
          signal,
          onPullFrame: (image, frame) => emit({ type: 'pull', image, frame }),
        });
        emit({ type: 'played', report });
      }),
    'kube.down': async (input, { signal }) => downKube(runtimeFor(deps), input.yaml, { signal }),
  } satisfies Handlers<typeof kubeProcedures>;
}
