import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCapability, prepareSpec } from '../../../../main/core/oci/prepare-spec.ts';
import type { HostFacts } from '../../../../main/core/oci/prepare-spec.ts';
import { mergeImageConfig } from '../../../../main/core/oci/spec-generator.ts';

const facts: HostFacts = {
  rlimits: [{ resource: 'RLIMIT_NOFILE', label: 'Max open files', soft: 20000, hard: 20000, units: 'files' }],
  canRaiseRlimits: false,
  cgroups: { version: 'v1', mode: 'hybrid', unifiedControllers: [], manager: 'cgroupfs' },
  seccompProfile: { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] },
  kernel: '6.1.0',
  arch: 'amd64',
  absentSeccompArchitectures: ['SCMP_ARCH_X32'],
};

describe('hasCapability', () => {
  it('reads a bit of CapEff', () => {
    expect(hasCapability('Name:\tnode\nCapEff:\t000001fffeffffff\n', 24n)).toBe(false);
    expect(hasCapability('CapEff:\t000001ffffffffff\n', 24n)).toBe(true);
    expect(hasCapability('', 24n)).toBe(false);
  });
});

describe('prepareSpec', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-prepare-'));
    mkdirSync(join(dir, 'rootfs/etc'), { recursive: true });
    writeFileSync(join(dir, 'rootfs/etc/passwd'), 'root:x:0:0::/root:/bin/sh\nweb:x:33:33::/srv:/bin/sh\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves the user in the rootfs, writes the /etc files and applies host facts', async () => {
    const merged = mergeImageConfig({ Cmd: ['serve'], User: 'web', Env: ['A=1'] }, {});
    const spec = await prepareSpec({
      id: 'f'.repeat(64), name: 'web-1', rootfs: join(dir, 'rootfs'), userdataDir: join(dir, 'userdata'), process: merged,
      files: { hostResolvConf: 'nameserver 127.0.0.53\nnameserver 10.0.0.2\n' }, hostFacts: facts,
    });
    expect(spec.process.user).toMatchObject({ uid: 33, gid: 33 });
    expect(spec.process.env).toContain('HOME=/srv');
    expect(spec.process.rlimits[0]).toEqual({ type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 });
    expect(spec.linux.seccomp?.syscalls).toEqual([{ names: ['read'], action: 'SCMP_ACT_ALLOW' }]);
    expect(spec.linux.namespaces.map((n) => n.type)).not.toContain('cgroup');
    expect(readFileSync(join(dir, 'userdata/hostname'), 'utf8')).toBe('ffffffffffff\n');
    expect(readFileSync(join(dir, 'userdata/resolv.conf'), 'utf8')).toBe('nameserver 10.0.0.2\n');
    expect(readFileSync(join(dir, 'userdata/hosts'), 'utf8')).toContain('ffffffffffff web-1');
  });

  it('runs unconfined when seccomp is off, and rejects a user the rootfs does not know', async () => {
    const base = { id: 'e'.repeat(64), name: 'n', rootfs: join(dir, 'rootfs'), userdataDir: join(dir, 'u'), hostFacts: facts };
    const spec = await prepareSpec({ ...base, process: mergeImageConfig(null, { command: ['true'] }), seccomp: false });
    expect(spec.linux.seccomp).toBeUndefined();
    await expect(prepareSpec({ ...base, process: mergeImageConfig(null, { command: ['true'], user: 'ghost' }) })).rejects.toMatchObject({ code: 'ErrInvalidArg' });
  });
});
