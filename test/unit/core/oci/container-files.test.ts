import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostsFileContent, resolvConfContent, writeContainerFiles } from '../../../../main/core/oci/container-files.ts';

describe('hostsFileContent', () => {
  it('lists localhost, extra hosts and the container\'s own name', () => {
    expect(hostsFileContent({ hostname: 'abc123', name: 'web', extraHosts: ['10.0.0.5 db'] })).toBe(
      '127.0.0.1 localhost localhost.localdomain localhost4 localhost4.localdomain4\n::1 localhost localhost.localdomain localhost6 localhost6.localdomain6\n10.0.0.5 db\n127.0.1.1 abc123 web\n',
    );
  });
});

describe('resolvConfContent', () => {
  const host = 'search example.org\nnameserver 127.0.0.53\nnameserver 10.1.1.1\nnameserver ::1\noptions edns0\n';

  it('drops loopback nameservers, which would point into the container', () => {
    expect(resolvConfContent(host)).toBe('search example.org\nnameserver 10.1.1.1\noptions edns0\n');
  });

  it('keeps them with the host network, and replaces all with --dns', () => {
    expect(resolvConfContent(host, [], true)).toContain('nameserver 127.0.0.53');
    expect(resolvConfContent(host, ['9.9.9.9'])).toBe('search example.org\noptions edns0\nnameserver 9.9.9.9\n');
  });
});

describe('writeContainerFiles', () => {
  it('writes hostname, hosts, resolv.conf and .containerenv with no temp files left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-files-'));
    try {
      await writeContainerFiles(dir, { hostname: 'abc', name: 'n', hostResolvConf: 'nameserver 1.1.1.1\n' });
      expect(readdirSync(dir).sort()).toEqual(['.containerenv', 'hostname', 'hosts', 'resolv.conf']);
      expect(readFileSync(join(dir, 'hostname'), 'utf8')).toBe('abc\n');
      expect(readFileSync(join(dir, 'resolv.conf'), 'utf8')).toBe('nameserver 1.1.1.1\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
