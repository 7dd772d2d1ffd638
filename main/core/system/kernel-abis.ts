// Which syscall ABIs this kernel cannot run, from its build config. A seccomp filter compiled for an
// ABI the kernel lacks guards nothing — a syscall of that ABI can never reach the filter as that
// architecture — yet crun pays for it at every create: libseccomp generating the x32 section of
// podman's amd64 profile costs about 13 ms of the ~46 ms a `crun create` takes here. Unknown (no
// readable config) → nothing is dropped.
import { readFile } from 'node:fs/promises';
import { release } from 'node:os';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

/**
 * The seccomp architectures (libseccomp names) an amd64 kernel with this build config cannot run.
 * Only options the config shows are trusted: an empty or foreign config drops nothing, and IA32 stays
 * when it is merely disabled by default (the `ia32_emulation=` boot option can turn it on).
 */
export function absentSeccompArchitectures(kernelConfig: string): string[] {
  if (!/^CONFIG_X86_64=y$/m.test(kernelConfig)) return [];
  const absent: string[] = [];
  // CONFIG_X86_X32 until Linux 5.18, CONFIG_X86_X32_ABI since.
  if (!/^CONFIG_X86_X32(_ABI)?=y$/m.test(kernelConfig)) absent.push('SCMP_ARCH_X32');
  if (!/^CONFIG_IA32_EMULATION=y$/m.test(kernelConfig)) absent.push('SCMP_ARCH_X86');
  return absent;
}

/** /proc/config.gz, else /boot/config-$(uname -r); '' when neither can be read. */
export async function readKernelConfig(): Promise<string> {
  try {
    // In the thread pool: the ~3 ms of inflating overlap the other host facts read beside it.
    return (await promisify(gunzip)(await readFile('/proc/config.gz'))).toString('utf8');
  } catch {
    return readFile(`/boot/config-${release()}`, 'utf8').catch(() => '');
  }
}
