import { describe, expect, it } from 'vitest';
import {
  emptyNetworkForm,
  gatewaysLabel,
  isCidr,
  membersList,
  networkChoices,
  networkCreateInput,
  networkRemovalPlan,
  parsePortSpecs,
  portLinks,
  subnetsLabel,
  summarizeNetworkRemoval,
} from '../../../renderer/src/networks/network-presenters.ts';
import { network } from '../../helpers/network-items.ts';

const member = (name: string) => ({ id: name.padEnd(64, '1'), name, interface: 'eth0', addresses: [], aliases: [] });

describe('network cells', () => {
  it('says subnets, gateways and who is connected', () => {
    const two = network('dual', { subnets: [{ subnet: '10.89.1.0/24', gateway: '10.89.1.1' }, { subnet: 'fd00::/64', gateway: null }] });
    expect([subnetsLabel(two), gatewaysLabel(two)]).toEqual(['10.89.1.0/24, fd00::/64', '10.89.1.1']);
    expect(gatewaysLabel(network('internal', { subnets: [{ subnet: '10.89.2.0/24', gateway: null }] }))).toBe('—');
    expect(membersList(network('none'))).toBe('—');
    expect(membersList(network('many', { containers: ['a', 'b', 'c', 'd', 'e'].map(member) }))).toBe('a, b, c +2 more');
  });
});

describe('removing networks', () => {
  it('keeps the default network out and names the containers that go with the others', () => {
    const plan = networkRemovalPlan([network('podbay', { isDefault: true, containers: [member('x')] }), network('a', { containers: [member('web'), member('db')] }), network('b', { containers: [member('web')] })]);
    expect(plan.networks.map((n) => n.name)).toEqual(['a', 'b']);
    expect(plan.refused.map((n) => n.name)).toEqual(['podbay']);
    expect(plan.containers).toEqual(['db', 'web']);
  });

  it('counts what a removal did, each failure with its own error', () => {
    const summary = summarizeNetworkRemoval([
      { nameOrId: 'a', name: 'a', removedContainers: [], error: null },
      { nameOrId: 'b', name: 'b', removedContainers: [], error: { code: 'ErrNetworkInUse', category: 'failed-precondition', message: 'network b is being used' } },
    ]);
    expect(summary.title).toBe('Removed 1 of 2 networks; 1 failed');
    expect(summary.removedIds).toEqual(['a']);
    expect(summary.failures.map((f) => [f.name, f.code])).toEqual([['b', 'ErrNetworkInUse']]);
  });
});

describe('the Create network form', () => {
  it('leaves subnet and name to the engine when empty, with DNS on', () => {
    expect(networkCreateInput(emptyNetworkForm)).toEqual({ input: { internal: false, dnsEnabled: true } });
    expect(networkCreateInput({ name: ' web ', subnet: '10.89.40.0/24', gateway: '10.89.40.254', internal: true, dns: false })).toEqual({
      input: { name: 'web', subnets: [{ subnet: '10.89.40.0/24', gateway: '10.89.40.254' }], internal: true, dnsEnabled: false },
    });
  });

  it('names each bad field', () => {
    const bad = networkCreateInput({ name: '-x', subnet: '10.89.40.0', gateway: 'gw', internal: false, dns: true });
    expect('errors' in bad && Object.keys(bad.errors).sort()).toEqual(['gateway', 'name', 'subnet']);
    const lonely = networkCreateInput({ ...emptyNetworkForm, gateway: '10.0.0.1' });
    expect('errors' in lonely && lonely.errors.gateway).toBe('A gateway needs a subnet');
    expect([isCidr('10.0.0.0/8'), isCidr('fd00::/64'), isCidr('10.0.0.0/33'), isCidr('300.0.0.0/8'), isCidr('10.0.0.0')]).toEqual([true, true, false, false, false]);
  });

  it('offers the default bridge first, then the other networks, none and host', () => {
    expect(networkChoices([network('podbay', { isDefault: true }), network('back', { internal: true })])).toEqual([
      { value: '', label: 'podbay (default bridge)' },
      { value: 'back', label: 'back (internal)' },
      { value: 'none', label: 'None (loopback only)' },
      { value: 'host', label: "Host (the host's network)" },
    ]);
    expect(networkChoices(undefined)[0]).toEqual({ value: '', label: 'Default bridge network' });
  });

  it('rootless, offers slirp4netns (the default), none and host, and no bridge network', () => {
    expect(networkChoices([network('podbay', { isDefault: true }), network('back')], true)).toEqual([
      { value: '', label: 'slirp4netns (default, rootless)' },
      { value: 'none', label: 'None (loopback only)' },
      { value: 'host', label: "Host (the host's network)" },
    ]);
  });
});

describe('published ports', () => {
  it('links TCP ports to where they answer on this machine; UDP and unchosen ports stay text', () => {
    expect(
      portLinks([
        { hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 },
        { hostIp: '127.0.0.1', hostPort: 9000, containerPort: 90, protocol: 'tcp', range: 2 },
        { hostIp: '::1', hostPort: 8443, containerPort: 443, protocol: 'tcp', range: 1 },
        { hostIp: '', hostPort: 5353, containerPort: 53, protocol: 'udp', range: 1 },
        { hostIp: '', hostPort: 0, containerPort: 81, protocol: 'tcp', range: 1 },
      ]).map((l) => [l.text, l.href]),
    ).toEqual([
      ['0.0.0.0:8080->80/tcp', 'http://127.0.0.1:8080/'],
      ['127.0.0.1:9000-9001->90-91/tcp', 'http://127.0.0.1:9000/'],
      ['[::1]:8443->443/tcp', 'http://[::1]:8443/'],
      ['0.0.0.0:5353->53/udp', null],
      ['81/tcp', null],
    ]);
  });

  it('reads the Ports field: one spec per line or comma, checked for shape', () => {
    expect(parsePortSpecs(' 8080:80 ,\n127.0.0.1::53/udp\n[::1]:8443:443\n\n80-81/sctp')).toEqual({ specs: ['8080:80', '127.0.0.1::53/udp', '[::1]:8443:443', '80-81/sctp'] });
    expect(parsePortSpecs('')).toEqual({ specs: [] });
    expect(parsePortSpecs('80/icmp')).toEqual({ error: '“80/icmp” is not [ip:][hostPort:]containerPort[/protocol]' });
  });
});
