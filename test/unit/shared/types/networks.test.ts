import { describe, expect, it } from 'vitest';
import { formatPublishedPort, formatPublishedPorts } from '../../../../shared/types/networks.ts';

describe('formatPublishedPort', () => {
  it('writes ports as podman ps does', () => {
    expect(formatPublishedPort({ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 })).toBe('0.0.0.0:8080->80/tcp');
    expect(formatPublishedPort({ hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp', range: 1 })).toBe('127.0.0.1:5353->53/udp');
    expect(formatPublishedPort({ hostIp: '::1', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 1 })).toBe('[::1]:8080->80/tcp');
    expect(formatPublishedPort({ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 3 })).toBe('0.0.0.0:8080-8082->80-82/tcp');
    // Not started yet, the host port chosen at start is unknown.
    expect(formatPublishedPort({ hostIp: '', hostPort: 0, containerPort: 80, protocol: 'tcp', range: 1 })).toBe('80/tcp');
  });

  it('joins a container\'s ports with ", "', () => {
    expect(formatPublishedPorts([])).toBe('');
    expect(
      formatPublishedPorts([
        { hostIp: '', hostPort: 1, containerPort: 2, protocol: 'tcp', range: 1 },
        { hostIp: '', hostPort: 3, containerPort: 4, protocol: 'sctp', range: 1 },
      ]),
    ).toBe('0.0.0.0:1->2/tcp, 0.0.0.0:3->4/sctp');
  });
});
