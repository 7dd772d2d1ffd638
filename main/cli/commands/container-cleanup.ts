// `podbay container cleanup CONTAINER`: what conmon runs when a container exits (its exit command, as
// podman's `container cleanup`): records the exit, deletes the container from the OCI runtime, and
// removes it when it was created with --rm. Quiet: conmon discards its output.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hasCode } from '../../../shared/errors.ts';
import { stateFileName } from '../../core/state/sqlite-state.ts';
import { cleanupContainer } from '../../core/container-lifecycle.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'container cleanup',
  summary: 'Clean up the network and runtime state of exited containers',
  usage: 'container cleanup CONTAINER [CONTAINER...]',
  minArgs: 1,
  flags: {},
  async run(run) {
    // The store is gone (removed while the container ran): nothing to clean, and nothing to create.
    const ctx = await run.context();
    if (!existsSync(join(ctx.paths.graphRoot, stateFileName))) return 0;
    const runtime = await openCliRuntime(run);
    let exit = 0;
    try {
      for (const id of run.args) {
        try {
          const full = runtime.state().lookupContainerId(id);
          await cleanupContainer(runtime, full, async (target) => runtime.removeContainer(runtime.getContainer(target), false, { volumes: true }));
        } catch (error) {
          if (hasCode(error, 'ErrNoSuchCtr') || hasCode(error, 'ErrCtrRemoved')) continue;
          run.io.stderr(`Error: ${(error as Error).message}\n`);
          exit = 125;
        }
      }
    } finally {
      runtime.shutdown(true);
    }
    return exit;
  },
};
