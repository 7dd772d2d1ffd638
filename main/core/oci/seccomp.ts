// Converts a containers/common seccomp profile (/usr/share/containers/seccomp.json, the docker format
// with archMap and includes/excludes by arch, capability and kernel) into the OCI `linux.seccomp`
// object for one container, as podman's pkg/seccomp setupSeccomp does: only the rules whose
// conditions hold for the host architecture and the container's bounding capabilities are kept.
import { readFile } from 'node:fs/promises';
import { PodbayError } from '../../../shared/errors.ts';

export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

interface ProfileRule {
  name?: string;
  names?: string[] | null;
  action: string;
  errnoRet?: number;
  args?: SeccompArg[] | null;
  includes?: { arches?: string[] | null; caps?: string[] | null; minKernel?: string | null } | null;
  excludes?: { arches?: string[] | null; caps?: string[] | null; minKernel?: string | null } | null;
}

export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  archMap?: { architecture: string; subArchitectures?: string[] | null }[] | null;
  architectures?: string[] | null;
  syscalls?: ProfileRule[] | null;
  flags?: string[] | null;
}

export interface OciSeccompSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: SeccompArg[];
}

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  syscalls: OciSeccompSyscall[];
}

/** Node's process.arch → the Go GOARCH names the profile's `arches` conditions use. */
export function goArch(nodeArch: string = process.arch): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64', mips: 'mips', mipsel: 'mipsle' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

const nativeScmpArch: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64', '386': 'SCMP_ARCH_X86', arm64: 'SCMP_ARCH_AARCH64', arm: 'SCMP_ARCH_ARM', s390x: 'SCMP_ARCH_S390X',
  ppc64le: 'SCMP_ARCH_PPC64LE', riscv64: 'SCMP_ARCH_RISCV64', mips64: 'SCMP_ARCH_MIPS64', mips64le: 'SCMP_ARCH_MIPSEL64',
};

/** "5.10.0-21-amd64" → [5, 10]; compared as major.minor as podman's kernel check does. */
function kernelAtLeast(kernel: string, min: string): boolean {
  const parse = (v: string) => v.split(/[.-]/).slice(0, 2).map((n) => Number.parseInt(n, 10) || 0);
  const [kMajor = 0, kMinor = 0] = parse(kernel);
  const [mMajor = 0, mMinor = 0] = parse(min);
  return kMajor > mMajor || (kMajor === mMajor && kMinor >= mMinor);
}

export interface SeccompContext {
  /** GOARCH of the host, e.g. "amd64" (`goArch()`). */
  arch: string;
  /** The container's bounding capabilities. */
  capabilities: readonly string[];
  /** `uname -r`, for minKernel conditions. */
  kernel: string;
  /** Architectures the kernel cannot run (system/kernel-abis.ts): left out of the filter. */
  absentArchitectures?: readonly string[];
}

export function convertSeccompProfile(profile: SeccompProfile, context: SeccompContext): OciSeccomp {
  if (typeof profile?.defaultAction !== 'string') throw new PodbayError('ErrInvalidArg', 'seccomp profile has no defaultAction');
  const native = nativeScmpArch[context.arch];
  let architectures: string[] = [];
  if (profile.archMap && profile.archMap.length > 0) {
    const entry = profile.archMap.find((a) => a.architecture === native);
    if (entry) architectures = [entry.architecture, ...(entry.subArchitectures ?? [])];
  } else if (profile.architectures) {
    architectures = [...profile.architectures];
  }
  // The native architecture always stays: an empty list would mean "native only" anyway.
  const absent = new Set(context.absentArchitectures ?? []);
  architectures = architectures.filter((a, i) => i === 0 || !absent.has(a));
  const caps = new Set(context.capabilities);
  const syscalls: OciSeccompSyscall[] = [];
  for (const rule of profile.syscalls ?? []) {
    const inc = rule.includes ?? {};
    const exc = rule.excludes ?? {};
    if (inc.arches?.length && !inc.arches.includes(context.arch)) continue;
    if (inc.caps?.length && !inc.caps.every((c) => caps.has(c))) continue;
    if (inc.minKernel && !kernelAtLeast(context.kernel, inc.minKernel)) continue;
    if (exc.arches?.length && exc.arches.includes(context.arch)) continue;
    if (exc.caps?.length && exc.caps.some((c) => caps.has(c))) continue;
    if (exc.minKernel && kernelAtLeast(context.kernel, exc.minKernel)) continue;
    const names = rule.names?.length ? [...rule.names] : rule.name ? [rule.name] : [];
    if (names.length === 0) throw new PodbayError('ErrInvalidArg', 'seccomp profile has a rule without syscall names');
    syscalls.push({
      names,
      action: rule.action,
      ...(rule.errnoRet !== undefined ? { errnoRet: rule.errnoRet } : {}),
      ...(rule.args?.length
        ? { args: rule.args.map((a) => ({ index: a.index, value: a.value, ...(a.valueTwo ? { valueTwo: a.valueTwo } : {}), op: a.op })) }
        : {}),
    });
  }
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet !== undefined ? { defaultErrnoRet: profile.defaultErrnoRet } : {}),
    ...(architectures.length ? { architectures } : {}),
    ...(profile.flags?.length ? { flags: [...profile.flags] } : {}),
    syscalls,
  };
}

/** Where podman's packages install the default profile (containers.conf `seccomp_profile`). */
export const defaultSeccompProfilePaths = ['/usr/share/containers/seccomp.json', '/etc/containers/seccomp.json'];

/** The first profile found, parsed; null when none is installed (the caller then runs unconfined or refuses). */
export async function loadSeccompProfile(paths: readonly string[] = defaultSeccompProfilePaths): Promise<SeccompProfile | null> {
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    try {
      return JSON.parse(text) as SeccompProfile;
    } catch (error) {
      throw new PodbayError('ErrInvalidArg', `seccomp profile ${path} is not valid JSON`, { cause: error });
    }
  }
  return null;
}
