// Which network modes a rootless container can have. Bridge networks need root (netavark creates
// bridges and iptables rules in the host's namespace); a rootless container gets slirp4netns instead
// — its default, as podman's — so bridge and named networks are refused with the modes that work
// rather than failing in netavark.
import { PodbayError } from '../../../shared/errors.ts';
import { hostIdentity } from './host-identity.ts';

const rootlessModes = /^(none|host|slirp4netns|container:.+|ns:\/.+)$/;

/** The network mode a container or pod gets when none is asked for: slirp4netns rootless, else the default bridge. */
export function defaultNetworkMode(): 'slirp4netns' | 'bridge' {
  return hostIdentity().inUserNamespace ? 'slirp4netns' : 'bridge';
}

/** Throws ErrNotImplemented when a rootless engine is asked for a bridge or named network. */
export function refuseRootlessNetwork(network: string | readonly string[] | undefined): void {
  if (!hostIdentity().inUserNamespace || network === undefined) return;
  const values = typeof network === 'string' ? [network] : [...network];
  if (values.length === 0 || (values.length === 1 && rootlessModes.test(values[0] as string))) return;
  throw new PodbayError(
    'ErrNotImplemented',
    `--network ${values.join(',')}: bridge and named networks need root; rootless containers and pods use --network slirp4netns (the default, which -p publishes through), none, host or container:NAME`,
  );
}
