// `podbay pod rm [-f] POD…`: each pod removed with all its containers or not at all; prints the full
// id of each pod removed, `Error: …` for the others (exit 1: no such pod, 2: active containers, else 125).
import { removePods } from '../../core/runtime-batch.ts';
import type { CommandSpec } from '../command.ts';
import { printRemovals } from './print-removals.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'pod rm',
  aliases: ['pod remove'],
  summary: 'Remove one or more pods and their containers',
  usage: 'pod rm [options] POD [POD...]',
  minArgs: 1,
  flags: {
    force: { type: 'boolean', short: 'f', description: 'Force removal of pods with running or paused containers' },
  },
  examples: ['podbay pod rm web', 'podbay pod rm -f 3f2a'],
  async run(run) {
    const { flags, args, io } = run;
    const runtime = await openCliRuntime(run);
    let reports;
    try {
      reports = await removePods(runtime, args, flags.force === true, run.signal);
    } finally {
      runtime.shutdown(true);
    }
    return printRemovals(io, reports, (r) => r.id ?? r.nameOrId, { missing: 'ErrNoSuchPod', busy: 'ErrCtrStateInvalid' });
  },
};
