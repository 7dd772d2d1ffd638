// `podbay pod top POD [DESCRIPTORS…]` (podman pod top): the processes of every running container of
// the pod, with podman top's columns and descriptors.
import { topPod } from '../../core/pod-top.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime, tabulate } from './ps.ts';

export const command: CommandSpec = {
  name: 'pod top',
  summary: 'Display the running processes of containers in a pod',
  usage: 'pod top POD [FORMAT-DESCRIPTORS|ARGS...]',
  minArgs: 1,
  stopAtFirstPositional: true,
  flags: {},
  examples: ['podbay pod top web', 'podbay pod top web pid,user,args'],
  async run(run) {
    const [name, ...descriptors] = run.args as [string, ...string[]];
    const runtime = await openCliRuntime(run);
    try {
      const report = await topPod(runtime, runtime.lookupPod(name).id(), descriptors, { signal: run.signal });
      run.io.stdout(tabulate([report.titles, ...report.processes]));
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
