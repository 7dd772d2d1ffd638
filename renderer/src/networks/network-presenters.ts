// What the UI says about networks and published ports, as pure functions: the cells of the
// Networks page, what a removal takes with it, the Create network form checked before it is sent,
// and published ports as links that open in the browser.
import type { NetworkCreateOptions, NetworkListItem, NetworkRemoveReport, PublishedPort } from '../../../shared/types/networks.ts';
import { formatPublishedPort } from '../../../shared/types/networks.ts';
import { summarizeRemoval } from '../containers/container-presenters.ts';
import type { RemovalSummary } from '../containers/container-presenters.ts';

/** "10.89.0.0/24", several joined with ", ". */
export function subnetsLabel(network: Pick<NetworkListItem, 'subnets'>): string {
  return network.subnets.map((s) => s.subnet).join(', ') || '—';
}

export function gatewaysLabel(network: Pick<NetworkListItem, 'subnets'>): string {
  return network.subnets.map((s) => s.gateway).filter((g): g is string => g !== null).join(', ') || '—';
}

/** "web, db" (at most `max` names, then "+N more"), or "—". */
export function membersList(network: Pick<NetworkListItem, 'containers'>, max = 3): string {
  const names = network.containers.map((c) => c.name);
  if (names.length === 0) return '—';
  return names.length > max ? `${names.slice(0, max).join(', ')} +${names.length - max} more` : names.join(', ');
}

export interface NetworkRemovalPlan {
  readonly networks: readonly NetworkListItem[];
  /** The default network cannot be removed: left out, and named. */
  readonly refused: readonly NetworkListItem[];
  /** Containers connected to the networks removed: they go too (force). */
  readonly containers: readonly string[];
}

export function networkRemovalPlan(selected: readonly NetworkListItem[]): NetworkRemovalPlan {
  const networks = selected.filter((n) => !n.isDefault);
  const containers = [...new Set(networks.flatMap((n) => n.containers.map((c) => c.name)))].sort();
  return { networks, refused: selected.filter((n) => n.isDefault), containers };
}

export function summarizeNetworkRemoval(reports: readonly NetworkRemoveReport[]): RemovalSummary {
  return summarizeRemoval(
    reports.map((r) => ({ nameOrId: r.nameOrId, id: r.name, error: r.error })),
    (name) => name,
    'network',
  );
}

// ---------- the Create network form ----------

export interface NetworkForm {
  readonly name: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly internal: boolean;
  readonly dns: boolean;
}

export const emptyNetworkForm: NetworkForm = { name: '', subnet: '', gateway: '', internal: false, dns: true };

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const ipv6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:.]*$/;

function isAddress(text: string): boolean {
  return ipv4.test(text) || ipv6.test(text);
}

/** A CIDR as podman takes it; the engine still checks overlaps and host bits. */
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return ipv4.test(address) ? Number(prefix) <= 32 : ipv6.test(address) && Number(prefix) <= 128;
}

/**
 * The form as `networks.create` input, or field errors. Empty subnet: the engine picks a free
 * 10.89.N.0/24; a gateway needs a subnet. DNS is aardvark-dns (names resolve between containers).
 */
export function networkCreateInput(form: NetworkForm): { input: NetworkCreateOptions } | { errors: Partial<Record<keyof NetworkForm, string>> } {
  const errors: Partial<Record<keyof NetworkForm, string>> = {};
  const name = form.name.trim();
  if (name && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) errors.name = 'Letters, digits, _ . - only, starting with a letter or digit';
  const subnet = form.subnet.trim();
  if (subnet && !isCidr(subnet)) errors.subnet = 'A subnet in CIDR notation, e.g. 10.89.40.0/24';
  const gateway = form.gateway.trim();
  if (gateway && !subnet) errors.gateway = 'A gateway needs a subnet';
  else if (gateway && !isAddress(gateway)) errors.gateway = 'An IP address, e.g. 10.89.40.1';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    input: {
      ...(name ? { name } : {}),
      ...(subnet ? { subnets: [{ subnet, ...(gateway ? { gateway } : {}) }] } : {}),
      internal: form.internal,
      dnsEnabled: form.dns,
    },
  };
}

// ---------- published ports ----------

export interface PortLink {
  readonly key: string;
  /** As podman ps writes it: 0.0.0.0:8080->80/tcp. */
  readonly text: string;
  /** Where it answers from this machine, for TCP ports with a known host port; null otherwise. */
  readonly href: string | null;
}

/**
 * Published ports as links to open in the browser: a port on every address (0.0.0.0) opens on
 * 127.0.0.1, one bound to an address on that address (IPv6 bracketed). UDP and SCTP ports, and
 * ports not chosen yet (the container is not running), are plain text.
 */
export function portLinks(ports: readonly PublishedPort[]): PortLink[] {
  return ports.map((port, i) => {
    const text = formatPublishedPort(port);
    if (port.protocol !== 'tcp' || port.hostPort === 0) return { key: `${i}:${text}`, text, href: null };
    const host = port.hostIp === '' || port.hostIp === '0.0.0.0' ? '127.0.0.1' : port.hostIp === '::' ? '[::1]' : port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
    return { key: `${i}:${text}`, text, href: `http://${host}:${port.hostPort}/` };
  });
}

/**
 * The Ports field of the create dialogs: one podman -p spec per line or comma. Checked for shape
 * only ([ip:][hostPort:]containerPort[/tcp|udp|sctp], ranges a-b); the engine checks the rest.
 */
export function parsePortSpecs(text: string): { specs: string[] } | { error: string } {
  const specs = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const range = '\\d{1,5}(-\\d{1,5})?';
  const shape = new RegExp(`^((\\[[0-9a-fA-F:.]+\\]|[0-9.]+):)?((${range})?:)?${range}(/(tcp|udp|sctp))?$`);
  const bad = specs.find((s) => !shape.test(s));
  if (bad !== undefined) return { error: `“${bad}” is not [ip:][hostPort:]containerPort[/protocol]` };
  return { specs };
}

/**
 * The network picker of the create dialogs: the default bridge first (value ''), the other networks,
 * none and host. Rootless, bridge networks cannot work (they need root): the default is slirp4netns.
 */
export function networkChoices(networks: readonly NetworkListItem[] | undefined, rootless = false): { value: string; label: string }[] {
  if (rootless) {
    return [
      { value: '', label: 'slirp4netns (default, rootless)' },
      { value: 'none', label: 'None (loopback only)' },
      { value: 'host', label: "Host (the host's network)" },
    ];
  }
  const list = networks ?? [];
  const fallback = list.find((n) => n.isDefault);
  return [
    { value: '', label: fallback ? `${fallback.name} (default bridge)` : 'Default bridge network' },
    ...list.filter((n) => !n.isDefault).map((n) => ({ value: n.name, label: `${n.name}${n.internal ? ' (internal)' : ''}` })),
    { value: 'none', label: 'None (loopback only)' },
    { value: 'host', label: "Host (the host's network)" },
  ];
}
