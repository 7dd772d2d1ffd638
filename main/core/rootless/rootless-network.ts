// Which network modes a rootless container can have today. Bridge networks need root (netavark,
// iptables); rootless bridge-like networking goes through slirp4netns, which is not wired yet — so
// the default and named networks are refused with the modes that work instead of failing in crun.
import { PodbayError } from '../../../shared/errors.ts';
import { hostIdentity } from './host-identity.ts';

const rootlessModes = /^(none|host|container:.+|ns:\/.+)$/;

/** Throws ErrNotImplemented when a rootless engine is asked for a bridge or named network (or the default one). */
export function refuseRootlessNetwork(network: string | readonly string[] | undefined, joinsPodNetwork: boolean, publishes: boolean): void {
  if (!hostIdentity().inUserNamespace) return;
  if (publishes) throw new PodbayError('ErrNotImplemented', 'publishing ports (-p, -P) is not supported in rootless mode yet: it needs slirp4netns port forwarding');
  if (joinsPodNetwork) return;
  const values = network === undefined ? [] : typeof network === 'string' ? [network] : [...network];
  if (values.length === 1 && rootlessModes.test(values[0] as string)) return;
  const asked = values.length === 0 ? 'the default bridge network' : `--network ${values.join(',')}`;
  throw new PodbayError('ErrNotImplemented', `${asked} is not supported in rootless mode yet: use --network none or --network host (pods: pod create --network none; members share its localhost)`);
}
