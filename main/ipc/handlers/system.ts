// The storage maintenance procedures over the core: system.check and system.prune (the System page's
// "Check storage" and the CLI's `system check` / `system prune` run the same functions).
import type { Handlers } from '../../../shared/contract/define.ts';
import type { systemProcedures } from '../../../shared/contract/system.ts';
import { checkSystem } from '../../core/system/system-check.ts';
import { pruneSystem } from '../../core/system/system-prune.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

export function createSystemHandlers(deps: RuntimeDeps) {
  return {
    'system.check': async (input, { signal }) => checkSystem(runtimeFor(deps), { repair: input.repair === true, quick: input.quick === true, force: input.force === true, signal }),
    'system.prune': async (input, { signal }) => pruneSystem(runtimeFor(deps), { all: input.all === true, volumes: input.volumes === true, signal }),
  } satisfies Pick<Handlers<typeof systemProcedures>, 'system.check' | 'system.prune'>;
}
