import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { newContainerDraft } from '../../../main/core/container-config.ts';
import { checkMemberNetwork, checkPorts, publishExposedPorts } from '../../../main/core/container-network.ts';

const draft = () => newContainerDraft({ process: { args: ['true'] } });
const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return hasCode(error, 'ErrInvalidArg') ? 'ErrInvalidArg' : String(error);
  }
};

describe('publishExposedPorts (podman -P)', () => {
  it('publishes each exposed port the -p flags leave out, on a free host port', () => {
    const d = { ...draft(), publishAll: true, portMappings: [{ host_ip: '', container_port: 80, host_port: 8080, range: 1, protocol: 'tcp' as const }] };
    publishExposedPorts(d, { config: { ExposedPorts: { '80/tcp': {}, '443': {}, '53/udp': {}, 'nonsense': {}, '99999/tcp': {} } } });
    expect(d.portMappings).toEqual([
      { host_ip: '', container_port: 80, host_port: 8080, range: 1, protocol: 'tcp' },
      { host_ip: '', container_port: 443, host_port: 0, range: 1, protocol: 'tcp' },
      { host_ip: '', container_port: 53, host_port: 0, range: 1, protocol: 'udp' },
    ]);
  });

  it('does nothing without -P or without exposed ports', () => {
    const d = draft();
    publishExposedPorts(d, { config: { ExposedPorts: { '80/tcp': {} } } });
    expect(d.portMappings).toBeUndefined();
    const all = { ...draft(), publishAll: true };
    publishExposedPorts(all, {});
    expect(all.portMappings).toBeUndefined();
  });
});

describe('network checks at creation', () => {
  it('refuses networks and ports for a container that uses its pod’s network', () => {
    const member = { ...draft(), sharedNamespaces: { net: 'i'.repeat(64) } };
    expect(codeOf(() => checkMemberNetwork(member))).toBe('no error');
    expect(codeOf(() => checkMemberNetwork({ ...member, networkMode: 'bridge' }))).toBe('ErrInvalidArg');
    expect(codeOf(() => checkMemberNetwork({ ...member, networkMode: 'slirp4netns' }))).toBe('ErrInvalidArg');
    expect(codeOf(() => checkMemberNetwork({ ...member, portMappings: [{ host_ip: '', container_port: 1, host_port: 1, range: 1, protocol: 'tcp' }] }))).toBe('ErrInvalidArg');
  });

  it('refuses ports without a bridge network or slirp4netns', () => {
    const port = [{ host_ip: '', container_port: 1, host_port: 1, range: 1, protocol: 'tcp' as const }];
    expect(codeOf(() => checkPorts({ ...draft(), networkMode: 'host', portMappings: port }))).toBe('ErrInvalidArg');
    expect(codeOf(() => checkPorts({ ...draft(), portMappings: port }))).toBe('ErrInvalidArg');
    expect(codeOf(() => checkPorts({ ...draft(), networkMode: 'bridge', portMappings: port }))).toBe('no error');
    expect(codeOf(() => checkPorts({ ...draft(), networkMode: 'slirp4netns', portMappings: port }))).toBe('no error');
  });
});
