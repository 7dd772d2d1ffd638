import { describe, expect, it } from 'vitest';
import { portLines } from '../../../main/cli/commands/port.ts';

describe('portLines', () => {
  it('lists every port of a mapping, as podman port does', () => {
    expect(portLines([{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp', range: 2 }, { hostIp: '127.0.0.1', hostPort: 53, containerPort: 53, protocol: 'udp', range: 1 }])).toEqual([
      { container: '80/tcp', host: '0.0.0.0:8080' },
      { container: '81/tcp', host: '0.0.0.0:8081' },
      { container: '53/udp', host: '127.0.0.1:53' },
    ]);
    expect(portLines([{ hostIp: 'fd00::1', hostPort: 1, containerPort: 2, protocol: 'tcp', range: 1 }])).toEqual([{ container: '2/tcp', host: '[fd00::1]:1' }]);
  });
});
