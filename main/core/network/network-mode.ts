// `--network` values as podman takes them (pkg/specgen/namespaces.go ParseNetworkFlag): one of the
// modes `none`, `host`, `slirp4netns`, `container:<id|name>`, `ns:<path>`, `private`/`bridge[:opts]`, or one or more
// network names, each `name[:opt=value,…]` with opts ip=, ip6=, mac=, alias=, interface_name=.
// Repeating the flag joins more networks. Pure: the names are checked against the store by
// NetworkManager.connect, not here.
import { PodbayError } from '../../../shared/errors.ts';
import { parseIp } from './ip-address.ts';
import { defaultNetworkName, validateNetworkName } from './network-config.ts';

export interface NetworkRequest {
  network: string;
  staticIps: string[];
  staticMac?: string;
  aliases: string[];
  interfaceName?: string;
}

export type NetworkMode =
  /** Bridge networks through netavark; `networks` is never empty (the default one when none named). */
  | { kind: 'bridge'; networks: NetworkRequest[] }
  /** A private namespace with only `lo`: crun creates it, netavark is not involved. */
  | { kind: 'none' }
  /** The host's namespace: no network namespace in the spec at all. */
  | { kind: 'host' }
  /** A private namespace crun creates, given outbound networking by slirp4netns (rootless' default). */
  | { kind: 'slirp4netns' }
  /** Join another container's namespace (/proc/<its pid>/ns/net), as pod members join the infra. */
  | { kind: 'container'; container: string }
  /** Join the namespace held at a path. */
  | { kind: 'ns'; path: string };

const macPattern = /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/;

function invalid(value: string, why: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `invalid --network "${value}": ${why}`);
}

function parseRequest(value: string, network: string, opts: string): NetworkRequest {
  const request: NetworkRequest = { network, staticIps: [], aliases: [] };
  if (opts === '') return request;
  for (const opt of opts.split(',')) {
    const eq = opt.indexOf('=');
    const key = eq < 0 ? opt : opt.slice(0, eq);
    const v = eq < 0 ? '' : opt.slice(eq + 1);
    if (v === '') throw invalid(value, `option "${key}" needs a value`);
    switch (key) {
      case 'ip':
      case 'ip6': {
        const ip = parseIp(v);
        if (!ip || ip.family !== (key === 'ip' ? 4 : 6)) throw invalid(value, `${key}=${v} is not an IPv${key === 'ip' ? 4 : 6} address`);
        request.staticIps.push(v);
        break;
      }
      case 'mac':
        if (!macPattern.test(v)) throw invalid(value, `mac=${v} is not a MAC address`);
        request.staticMac = v.toLowerCase();
        break;
      case 'alias':
        if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v)) throw invalid(value, `alias "${v}" is not a valid DNS name`);
        request.aliases.push(v);
        break;
      case 'interface_name':
        if (!/^[a-zA-Z0-9_.-]{1,15}$/.test(v)) throw invalid(value, `interface_name "${v}" is not an interface name`);
        request.interfaceName = v;
        break;
      default:
        throw invalid(value, `unknown option "${key}" (ip, ip6, mac, alias, interface_name)`);
    }
  }
  return request;
}

/**
 * Parses every `--network` of one container into one mode; `bridge` (and no value at all) means
 * `defaultNetwork`, the runtime's default network. Bad values → ErrInvalidArg.
 */
export function parseNetworkFlags(values: readonly string[], defaultNetwork: string = defaultNetworkName): NetworkMode {
  if (values.length === 0) return { kind: 'bridge', networks: [{ network: defaultNetwork, staticIps: [], aliases: [] }] };
  const networks: NetworkRequest[] = [];
  for (const value of values) {
    const colon = value.indexOf(':');
    const head = colon < 0 ? value : value.slice(0, colon);
    const rest = colon < 0 ? '' : value.slice(colon + 1);
    const alone = (mode: NetworkMode): NetworkMode => {
      if (values.length > 1) throw invalid(value, `network mode ${head} cannot be combined with other networks`);
      return mode;
    };
    switch (head) {
      case 'none':
      case 'host':
      case 'slirp4netns':
        // slirp4netns options (port_handler=, allow_host_loopback=, …) are podman's; none is taken yet.
        if (rest) throw invalid(value, `${head} takes no options`);
        return alone({ kind: head });
      case 'container':
        if (!rest) throw invalid(value, 'container: needs a container name or id');
        return alone({ kind: 'container', container: rest });
      case 'ns':
        if (!rest.startsWith('/')) throw invalid(value, 'ns: needs an absolute path');
        return alone({ kind: 'ns', path: rest });
      case 'pasta':
        throw new PodbayError('ErrNotImplemented', 'network mode pasta is not supported: use slirp4netns');
      case 'private':
      case 'bridge':
        if (head === 'private' && rest) throw invalid(value, 'private takes no options');
        networks.push(parseRequest(value, defaultNetwork, rest));
        break;
      default:
        try {
          validateNetworkName(head);
        } catch {
          throw invalid(value, `"${head}" is neither a network mode nor a network name`);
        }
        networks.push(parseRequest(value, head, rest));
    }
  }
  const seen = new Set<string>();
  for (const n of networks) {
    if (seen.has(n.network)) throw new PodbayError('ErrInvalidArg', `network ${n.network} given twice`);
    seen.add(n.network);
  }
  return { kind: 'bridge', networks };
}
