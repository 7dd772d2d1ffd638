import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertSeccompProfile, goArch, loadSeccompProfile } from '../../../../main/core/oci/seccomp.ts';
import type { SeccompProfile } from '../../../../main/core/oci/seccomp.ts';

// The rule kinds of /usr/share/containers/seccomp.json, in miniature.
const profile: SeccompProfile = {
  defaultAction: 'SCMP_ACT_ERRNO',
  defaultErrnoRet: 38,
  archMap: [
    { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
    { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
  ],
  syscalls: [
    { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW', args: [], includes: {}, excludes: {} },
    { names: ['bdflush'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, args: [], includes: {}, excludes: {} },
    { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, valueTwo: 0, op: 'SCMP_CMP_EQ' }], includes: {}, excludes: {} },
    { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', args: [], includes: { arches: ['amd64', 'x32'] }, excludes: {} },
    { names: ['sync_file_range2'], action: 'SCMP_ACT_ALLOW', args: [], includes: { arches: ['ppc64le'] }, excludes: {} },
    { names: ['chroot'], action: 'SCMP_ACT_ALLOW', args: [], includes: { caps: ['CAP_SYS_CHROOT'] }, excludes: {} },
    { names: ['chroot'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, args: [], includes: {}, excludes: { caps: ['CAP_SYS_CHROOT'] } },
    { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38, args: [], includes: { minKernel: '5.3' }, excludes: {} },
  ],
};

describe('convertSeccompProfile', () => {
  it('keeps the host\'s architectures and the rules whose arch, capability and kernel conditions hold', () => {
    expect(convertSeccompProfile(profile, { arch: 'amd64', capabilities: ['CAP_SYS_CHROOT'], kernel: '6.1.0-13-amd64' })).toEqual({
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 38,
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
      syscalls: [
        { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['bdflush'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
        { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] },
        { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW' },
        { names: ['chroot'], action: 'SCMP_ACT_ALLOW' },
        { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
      ],
    });
  });

  it('denies with the excluded-capability rule when the container lacks the capability, on an older kernel and arm64', () => {
    const out = convertSeccompProfile(profile, { arch: 'arm64', capabilities: [], kernel: '4.19.0' });
    expect(out.architectures).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    expect(out.syscalls.map((r) => `${r.names[0]}:${r.action}`)).toEqual(['read:SCMP_ACT_ALLOW', 'bdflush:SCMP_ACT_ERRNO', 'personality:SCMP_ACT_ALLOW', 'chroot:SCMP_ACT_ERRNO']);
  });

  it('leaves out the architectures the kernel cannot run, never the native one', () => {
    expect(convertSeccompProfile(profile, { arch: 'amd64', capabilities: [], kernel: '6.1', absentArchitectures: ['SCMP_ARCH_X32'] }).architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    expect(convertSeccompProfile(profile, { arch: 'amd64', capabilities: [], kernel: '6.1', absentArchitectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'] }).architectures).toEqual(['SCMP_ARCH_X86_64']);
  });

  it('rejects a profile without a default action', () => {
    expect(() => convertSeccompProfile({} as SeccompProfile, { arch: 'amd64', capabilities: [], kernel: '6.1' })).toThrowError(expect.objectContaining({ code: 'ErrInvalidArg' }));
  });
});

describe('goArch', () => {
  it('names Node\'s architectures as Go does', () => {
    expect(goArch('x64')).toBe('amd64');
    expect(goArch('arm64')).toBe('arm64');
  });
});

describe('loadSeccompProfile', () => {
  it('reads the first profile found, null when none, ErrInvalidArg for bad JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-seccomp-'));
    try {
      writeFileSync(join(dir, 'good.json'), JSON.stringify(profile));
      writeFileSync(join(dir, 'bad.json'), '{');
      expect(await loadSeccompProfile([join(dir, 'none.json'), join(dir, 'good.json')])).toEqual(profile);
      expect(await loadSeccompProfile([join(dir, 'none.json')])).toBeNull();
      await expect(loadSeccompProfile([join(dir, 'bad.json')])).rejects.toMatchObject({ code: 'ErrInvalidArg' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
