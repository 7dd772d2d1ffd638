import { describe, expect, it } from 'vitest';
import { componentSpecs, parseVersion, probeComponent } from '../../../../main/core/system/components.ts';
import type { Exec } from '../../../../main/core/exec.ts';

describe('parseVersion', () => {
  it.each([
    ['crun version 1.8.1\ncommit: f8a0\nspec: 1.0.0', '1.8.1'],
    ['runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1', '1.1.5+ds1'],
    ['conmon version 2.1.6\ncommit: unknown', '2.1.6'],
    ['tini version 0.1.7_catatonit', '0.1.7'],
    ['netavark 1.4.0', '1.4.0'],
    ['no digits here', null],
  ])('reads %j as %j', (output, version) => {
    expect(parseVersion(output)).toBe(version);
  });
});

describe('probeComponent', () => {
  const spec = { ...componentSpecs[0]!, name: 'crun' as const, knownPaths: ['/bin/sh'] };

  it('reports a component that is not installed as missing, with the apt-get command', async () => {
    const ghost = { ...spec, name: 'crun' as const, knownPaths: ['/nonexistent/crun-podbay-test'] };
    const original = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const info = await probeComponent(ghost, async () => ({ exitCode: 0, stdout: '', stderr: '' }));
      expect(info).toMatchObject({ status: 'missing', path: null, version: null, fix: { command: 'apt-get install -y crun' } });
    } finally {
      process.env.PATH = original;
    }
  });

  it('reports a binary whose --version fails as unusable and says how', async () => {
    const failing: Exec = async () => ({ exitCode: 1, stdout: '', stderr: 'error while loading shared libraries: libyajl.so.2' });
    const info = await probeComponent(spec, failing);
    expect(info.status).toBe('unusable');
    expect(info.problem).toContain('libyajl.so.2');
    expect(info.fix?.command).toBe('apt-get install -y --reinstall crun');
  });

  it('reports a working binary with its path and version', async () => {
    const ok: Exec = async (file, args) => ({ exitCode: 0, stdout: `crun version 9.9.9 (${file} ${args.join(' ')})`, stderr: '' });
    expect(await probeComponent(spec, ok)).toMatchObject({ status: 'ok', path: '/bin/sh', version: '9.9.9', problem: null });
  });
});
