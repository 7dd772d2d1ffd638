// `podbay pod create [--name N] [--label K=V]`: an empty pod, printing its full id. (The infra
// container that holds shared namespaces arrives with the pods issue.)
import type { PodOption } from '../../core/pod-config.ts';
import { withPodLabels, withPodName } from '../../core/pod-config.ts';
import type { CommandSpec } from '../command.ts';
import { keyValues } from './create.ts';
import { openCliRuntime, stringList } from './ps.ts';

export const command: CommandSpec = {
  name: 'pod create',
  summary: 'Create a new empty pod',
  usage: 'pod create [options] [NAME]',
  maxArgs: 1,
  flags: {
    name: { type: 'string', short: 'n', description: 'Assign a name to the pod', valueName: 'NAME' },
    label: { type: 'string', short: 'l', multiple: true, description: 'Set metadata on the pod', valueName: 'KEY=VALUE' },
  },
  examples: ['podbay pod create --name web --label tier=front'],
  async run(run) {
    const { flags, args, io } = run;
    const options: PodOption[] = [];
    const name = (flags.name as string | undefined) ?? args[0];
    if (name !== undefined) options.push(withPodName(name));
    const labels = keyValues(stringList(flags.label), 'label');
    if (Object.keys(labels).length) options.push(withPodLabels(labels));
    const runtime = await openCliRuntime(run);
    try {
      const pod = await runtime.newPod(options);
      io.stdout(`${pod.id()}\n`);
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
