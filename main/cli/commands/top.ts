// `podbay top CONTAINER [DESCRIPTORS…]`: the container's processes, podman's default columns
// USER PID PPID %CPU ELAPSED TTY TIME COMMAND, or psgo descriptors (`pid,comm`, `%C`); others run
// `ps` with them inside the container, as podman does.
import type { CommandSpec } from '../command.ts';
import { openCliRuntime, tabulate } from './ps.ts';

export const command: CommandSpec = {
  name: 'top',
  aliases: ['container top'],
  summary: 'Display the running processes of a container',
  usage: 'top CONTAINER [FORMAT-DESCRIPTORS|ARGS...]',
  minArgs: 1,
  stopAtFirstPositional: true,
  flags: {},
  examples: ['podbay top web', 'podbay top web pid,user,args', 'podbay top web -eo pid,comm'],
  async run(run) {
    const [name, ...descriptors] = run.args as [string, ...string[]];
    const runtime = await openCliRuntime(run);
    try {
      const report = await runtime.lookupContainer(name).top(descriptors, { signal: run.signal });
      run.io.stdout(tabulate([report.titles, ...report.processes]));
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
