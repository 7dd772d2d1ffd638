import type { NetworkListItem } from '../../../shared/types/networks.ts';
import { networkChoices } from '../networks/network-presenters.ts';

/**
 * The Network picker and the Published ports field the create dialogs share (containers and pods):
 * the default bridge first, other networks, none and host (rootless: slirp4netns, none and host);
 * ports as podman -p specs.
 */
export function NetworkPortFields({
  idPrefix,
  networks,
  network,
  ports,
  portsError,
  networkDisabled = false,
  rootless = false,
  onNetwork,
  onPorts,
}: {
  idPrefix: string;
  networks: readonly NetworkListItem[] | undefined;
  network: string;
  ports: string;
  portsError?: string | undefined;
  networkDisabled?: boolean;
  /** Offer what works rootless (slirp4netns, none, host) instead of bridge networks. */
  rootless?: boolean;
  onNetwork: (value: string) => void;
  onPorts: (value: string) => void;
}) {
  const networkId = `${idPrefix}-network`;
  const portsId = `${idPrefix}-ports`;
  return (
    <>
      <label className="form-field" htmlFor={networkId}>
        <span className="form-label">Network</span>
        <select id={networkId} className="input" value={network} disabled={networkDisabled} onChange={(e) => onNetwork(e.target.value)} aria-describedby={`${networkId}-hint`}>
          {networkChoices(networks, rootless).map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <span id={`${networkId}-hint`} className="form-hint">
          {rootless
            ? 'Rootless: slirp4netns reaches out through the host and publishes ports; bridge networks need root'
            : `Containers on one network reach each other${networks?.some((n) => n.dnsEnabled) ? '; with DNS, by name' : ''}`}
        </span>
      </label>
      <label className="form-field" htmlFor={portsId}>
        <span className="form-label">Published ports</span>
        <input id={portsId} className="input mono" placeholder="8080:80, 127.0.0.1::53/udp" value={ports} onChange={(e) => onPorts(e.target.value)} aria-invalid={portsError ? true : undefined} aria-describedby={portsError ? `${portsId}-error` : `${portsId}-hint`} />
        {portsError ? (
          <span id={`${portsId}-error`} className="form-error">
            {portsError}
          </span>
        ) : (
          <span id={`${portsId}-hint`} className="form-hint">
            hostPort:containerPort, comma separated; an empty host port takes a free one
          </span>
        )}
      </label>
    </>
  );
}
