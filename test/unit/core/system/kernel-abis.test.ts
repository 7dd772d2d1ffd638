import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { describe, expect, it } from 'vitest';
import { absentSeccompArchitectures, readKernelConfig } from '../../../../main/core/system/kernel-abis.ts';

const config = (...lines: string[]) => ['#', '# Automatically generated file; DO NOT EDIT.', 'CONFIG_X86_64=y', ...lines, ''].join('\n');

describe('absentSeccompArchitectures', () => {
  it('drops x32 when the kernel was built without it (either option name), and i386 without IA32 emulation', () => {
    expect(absentSeccompArchitectures(config('CONFIG_IA32_EMULATION=y', '# CONFIG_X86_X32_ABI is not set'))).toEqual(['SCMP_ARCH_X32']);
    expect(absentSeccompArchitectures(config('CONFIG_IA32_EMULATION=y', '# CONFIG_X86_X32 is not set'))).toEqual(['SCMP_ARCH_X32']);
    expect(absentSeccompArchitectures(config('# CONFIG_IA32_EMULATION is not set'))).toEqual(['SCMP_ARCH_X32', 'SCMP_ARCH_X86']);
  });

  it('keeps what the kernel can run, and everything when it cannot tell', () => {
    expect(absentSeccompArchitectures(config('CONFIG_IA32_EMULATION=y', 'CONFIG_X86_X32_ABI=y'))).toEqual([]);
    expect(absentSeccompArchitectures(config('CONFIG_IA32_EMULATION=y', 'CONFIG_X86_X32=y'))).toEqual([]);
    expect(absentSeccompArchitectures('')).toEqual([]);
    // An arm64 config says nothing about x86 ABIs.
    expect(absentSeccompArchitectures('CONFIG_ARM64=y\n# CONFIG_X86_X32_ABI is not set\n')).toEqual([]);
  });

  const hasConfig = existsSync('/proc/config.gz') || existsSync(`/boot/config-${release()}`);
  it.skipIf(!hasConfig)(`reads this machine's kernel config${hasConfig ? '' : ' (skipped: no /proc/config.gz or /boot/config-*)'}`, async () => {
    expect(await readKernelConfig()).toMatch(/^CONFIG_[A-Z0-9_]+=/m);
  });
});
