import { describe, expect, it } from 'vitest';
import { hostsFile, parseResolvConf, resolvConf } from '../../../../main/core/network/network-files.ts';
import type { StatusBlocks } from '../../../../main/core/network/netavark.ts';

const hostResolv = '# generated\nnameserver 127.0.0.53\nnameserver 192.168.1.1\nnameserver ::1\nsearch lan example.com\noptions edns0 trust-ad\n';

const withDns: StatusBlocks = {
  app: {
    dns_server_ips: ['10.89.0.1'],
    dns_search_domains: ['dns.podman'],
    interfaces: { eth0: { mac_address: '02:00:00:00:00:01', subnets: [{ ipnet: '10.89.0.5/24', gateway: '10.89.0.1' }] } },
  },
};
const plain: StatusBlocks = {
  podbay: { interfaces: { eth0: { mac_address: '02:00:00:00:00:02', subnets: [{ ipnet: '10.88.0.7/16', gateway: '10.88.0.1' }] } } },
};

describe('resolvConf', () => {
  it('puts aardvark first, then host servers without loopback ones, with the network search domain', () => {
    expect(resolvConf({ status: withDns, hostResolvConf: hostResolv })).toBe(
      'search dns.podman lan example.com\nnameserver 10.89.0.1\nnameserver 192.168.1.1\noptions edns0 trust-ad\n',
    );
  });

  it('uses only --dns when given, and --dns-search instead of the host search', () => {
    expect(resolvConf({ status: plain, hostResolvConf: hostResolv, dnsServers: ['1.1.1.1'], dnsSearch: ['corp'], dnsOptions: ['ndots:2'] })).toBe(
      'search corp\nnameserver 1.1.1.1\noptions edns0 trust-ad ndots:2\n',
    );
  });

  it('falls back to public servers when only loopback servers are configured', () => {
    expect(resolvConf({ status: null, hostResolvConf: 'nameserver 127.0.0.53\n' })).toBe('nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  });

  it('parses comments, domain and the last search line as glibc does', () => {
    expect(parseResolvConf('domain a\nsearch b c # x\nnameserver 10.0.0.1 ; y\n')).toEqual({ nameservers: ['10.0.0.1'], search: ['b', 'c'], options: [] });
  });
});

describe('hostsFile', () => {
  it('adds the container addresses and host.containers.internal on the gateway after the base', () => {
    expect(hostsFile({ status: plain, hostname: 'abc123', containerName: 'web', base: '127.0.0.1 localhost\n', extraHosts: ['db:10.0.0.9'] })).toBe(
      '127.0.0.1 localhost\n10.0.0.9\tdb\n10.88.0.7\tabc123 web\n10.88.0.1\thost.containers.internal host.docker.internal\n',
    );
  });

  it('uses the default localhost lines, and adds no host entry without a bridge network', () => {
    const text = hostsFile({ status: null, hostname: 'h', containerName: 'h' });
    expect(text).toContain('127.0.0.1   localhost');
    expect(text).not.toContain('host.containers.internal');
  });
});
