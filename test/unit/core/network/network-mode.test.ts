import { describe, expect, it } from 'vitest';
import { PodbayError } from '../../../../shared/errors.ts';
import { parseNetworkFlags } from '../../../../main/core/network/network-mode.ts';
import type { NetworkMode } from '../../../../main/core/network/network-mode.ts';

const bridge = (...networks: { network: string; staticIps?: string[]; aliases?: string[]; staticMac?: string; interfaceName?: string }[]): NetworkMode => ({
  kind: 'bridge',
  networks: networks.map((n) => ({ staticIps: [], aliases: [], ...n })),
});

function codeOf(values: string[]): string {
  try {
    parseNetworkFlags(values);
    return 'no error';
  } catch (error) {
    return error instanceof PodbayError ? error.code : 'not a PodbayError';
  }
}

describe('parseNetworkFlags', () => {
  it.each<[string[], NetworkMode]>([
    [[], bridge({ network: 'podbay' })],
    [['bridge'], bridge({ network: 'podbay' })],
    [['private'], bridge({ network: 'podbay' })],
    [['none'], { kind: 'none' }],
    [['host'], { kind: 'host' }],
    [['slirp4netns'], { kind: 'slirp4netns' }],
    [['container:web'], { kind: 'container', container: 'web' }],
    [['ns:/run/netns/x'], { kind: 'ns', path: '/run/netns/x' }],
    [['front', 'back'], bridge({ network: 'front' }, { network: 'back' })],
    [['bridge:ip=10.88.0.9,alias=db'], bridge({ network: 'podbay', staticIps: ['10.88.0.9'], aliases: ['db'] })],
    [
      ['app:ip=10.89.0.5,ip6=fd00::5,mac=02:AA:bb:cc:dd:ee,alias=a,alias=b,interface_name=net0'],
      bridge({ network: 'app', staticIps: ['10.89.0.5', 'fd00::5'], aliases: ['a', 'b'], staticMac: '02:aa:bb:cc:dd:ee', interfaceName: 'net0' }),
    ],
  ])('parses %j', (values, expected) => {
    expect(parseNetworkFlags(values)).toEqual(expected);
  });

  it.each([
    [['none', 'front']],
    [['host:x']],
    [['slirp4netns:port_handler=rootlesskit']],
    [['slirp4netns', 'front']],
    [['container:']],
    [['ns:relative']],
    [['app:ip=10.89.0.300']],
    [['app:ip=fd00::1']],
    [['app:mac=nope']],
    [['app:color=red']],
    [['app:ip']],
    [['-bad']],
    [['app', 'app']],
    [['app:interface_name=much-too-long-name']],
  ])('refuses %j with ErrInvalidArg', (values) => {
    expect(codeOf(values)).toBe('ErrInvalidArg');
  });

  it('says pasta is not implemented', () => {
    expect(codeOf(['pasta'])).toBe('ErrNotImplemented');
  });
});
