// `podbay pod create [--name N] [--label K=V] [--share KINDS] [--infra=BOOL] [--hostname H]`: a pod
// with its infra container (catatonit, holding the shared namespaces), printing the pod's full id.
import { PodbayError } from '../../../shared/errors.ts';
import type { PodOption } from '../../core/pod-config.ts';
import { withPodHostname, withPodInfra, withPodLabels, withPodName, withPodSharedNamespaces } from '../../core/pod-config.ts';
import type { CommandSpec } from '../command.ts';
import { keyValues } from './create.ts';
import { openCliRuntime, stringList } from './ps.ts';

/** podman's --infra=BOOL (util.parseArgs booleans take no value, so the flag is a string). */
function parseBool(text: string, flag: string): boolean {
  if (/^(true|1|yes)$/i.test(text)) return true;
  if (/^(false|0|no)$/i.test(text)) return false;
  throw new PodbayError('ErrInvalidArg', `invalid --${flag} "${text}": expected true or false`);
}

export const command: CommandSpec = {
  name: 'pod create',
  summary: 'Create a new pod',
  usage: 'pod create [options] [NAME]',
  maxArgs: 1,
  flags: {
    name: { type: 'string', short: 'n', description: 'Assign a name to the pod', valueName: 'NAME' },
    label: { type: 'string', short: 'l', multiple: true, description: 'Set metadata on the pod', valueName: 'KEY=VALUE' },
    infra: { type: 'string', description: 'Create an infra container holding the shared namespaces (default true)', valueName: 'BOOL' },
    share: { type: 'string', description: 'Namespaces the members share: net, ipc, uts, pid (default net,ipc,uts; "none" for none)', valueName: 'KINDS' },
    hostname: { type: 'string', description: "Set the pod's hostname", valueName: 'NAME' },
  },
  examples: ['podbay pod create --name web --label tier=front', 'podbay pod create --share net,ipc,uts,pid web', 'podbay pod create --infra=false solo'],
  async run(run) {
    const { flags, args, io } = run;
    const options: PodOption[] = [];
    const name = (flags.name as string | undefined) ?? args[0];
    if (name !== undefined) options.push(withPodName(name));
    const labels = keyValues(stringList(flags.label), 'label');
    if (Object.keys(labels).length) options.push(withPodLabels(labels));
    const infra = flags.infra === undefined ? true : parseBool(flags.infra as string, 'infra');
    if (!infra && flags.share !== undefined && flags.share !== 'none' && flags.share !== '') throw new PodbayError('ErrInvalidArg', 'you cannot share namespaces without an infra container (--infra=false)');
    options.push(withPodInfra(infra));
    if (flags.share !== undefined && infra) {
      const text = flags.share as string;
      options.push(withPodSharedNamespaces(text === 'none' || text === '' ? [] : text.split(',').map((k) => k.trim()).filter(Boolean)));
    }
    if (flags.hostname !== undefined) options.push(withPodHostname(flags.hostname as string));
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
