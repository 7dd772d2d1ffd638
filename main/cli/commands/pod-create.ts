// `podbay pod create [--name N] [--label K=V] [--share KINDS] [--infra=BOOL] [--hostname H]
// [-p PORT] [--network NET]`: a pod with its infra container (catatonit, holding the shared
// namespaces and, on the default bridge network unless told otherwise, the pod's network and
// published ports), printing the pod's full id.
import { PodbayError } from '../../../shared/errors.ts';
import type { PodCreateOptions } from '../../../shared/types/pods.ts';
import { createPod } from '../../core/pod-create.ts';
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
    share: { type: 'string', description: 'Namespaces the members share: net, ipc, uts, pid, cgroup (default net,ipc,uts; "none" for none)', valueName: 'KINDS' },
    hostname: { type: 'string', description: "Set the pod's hostname", valueName: 'NAME' },
    publish: { type: 'string', short: 'p', multiple: true, description: "Publish a port of the pod to the host: [ip:][hostPort:]containerPort[/protocol]", valueName: 'PORT' },
    network: { type: 'string', multiple: true, description: "The pod's network: bridge (default), NAME[:ip=IP,alias=NAME,…], none or host", valueName: 'NETWORK' },
  },
  examples: ['podbay pod create --name web -p 8080:80', 'podbay pod create --share net,ipc,uts,pid web', 'podbay pod create --infra=false solo'],
  async run(run) {
    const { flags, args, io } = run;
    const name = (flags.name as string | undefined) ?? args[0];
    const labels = keyValues(stringList(flags.label), 'label');
    const infra = flags.infra === undefined ? true : parseBool(flags.infra as string, 'infra');
    const shareText = flags.share as string | undefined;
    if (!infra && shareText !== undefined && shareText !== 'none' && shareText !== '') throw new PodbayError('ErrInvalidArg', 'you cannot share namespaces without an infra container (--infra=false)');
    const network = stringList(flags.network);
    const publish = stringList(flags.publish);
    const input: PodCreateOptions = {
      infra,
      ...(name !== undefined ? { name } : {}),
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(shareText !== undefined && infra ? { share: shareText === 'none' || shareText === '' ? [] : shareText.split(',').map((k) => k.trim()).filter(Boolean) } : {}),
      ...(flags.hostname !== undefined ? { hostname: flags.hostname as string } : {}),
      ...(network.length ? { network } : {}),
      ...(publish.length ? { publish } : {}),
    };
    const runtime = await openCliRuntime(run);
    try {
      const pod = await createPod(runtime, input);
      io.stdout(`${pod.id()}\n`);
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
