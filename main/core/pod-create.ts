// `PodCreateOptions` (what `podman pod create` flags and the contract's pods.create say) → pod options
// → runtime.newPod. As podman, a pod with an infra container sharing `net` is on the default bridge
// network (rootless: slirp4netns) unless told otherwise; its published ports live on the infra container.
import { defaultNetworkMode, refuseRootlessNetwork } from './rootless/rootless-network.ts';
import { PodbayError } from '../../shared/errors.ts';
import type { PodCreateOptions } from '../../shared/types/pods.ts';
import { parsePublishList } from './network/port-mappings.ts';
import type { Pod } from './pod.ts';
import { defaultPodShares, withPodHostname, withPodInfra, withPodLabels, withPodName, withPodNetwork, withPodPortMappings, withPodSharedNamespaces } from './pod-config.ts';
import type { PodOption } from './pod-config.ts';
import type { Runtime } from './runtime.ts';

export function podOptions(input: PodCreateOptions, defaultNetwork?: string, defaultMode: string = 'bridge'): PodOption[] {
  const infra = input.infra ?? true;
  const options: PodOption[] = [withPodInfra(infra)];
  if (input.name !== undefined) options.push(withPodName(input.name));
  if (input.labels && Object.keys(input.labels).length) options.push(withPodLabels(input.labels));
  if (input.hostname !== undefined) options.push(withPodHostname(input.hostname));
  if (!infra && input.share?.length) throw new PodbayError('ErrInvalidArg', 'you cannot share namespaces without an infra container (--infra=false)');
  const share = infra ? (input.share ?? [...defaultPodShares]) : [];
  if (infra && input.share !== undefined) options.push(withPodSharedNamespaces(share));
  const sharesNet = infra && share.includes('net');
  if (input.network !== undefined) options.push(withPodNetwork(input.network, defaultNetwork));
  else if (sharesNet) options.push(withPodNetwork(defaultMode, defaultNetwork));
  if (input.publish?.length) options.push(withPodPortMappings(parsePublishList(input.publish)));
  return options;
}

/** Creates the pod (and its infra container, connected to its networks). Bad options → ErrInvalidArg. */
export async function createPod(runtime: Runtime, input: PodCreateOptions): Promise<Pod> {
  refuseRootlessNetwork(input.network);
  return runtime.newPod(podOptions(input, runtime.settings().network.defaultNetwork, defaultNetworkMode()));
}
