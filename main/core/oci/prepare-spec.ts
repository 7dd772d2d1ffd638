// The I/O around the pure spec generator: reads the host facts it needs (the caller's rlimits and
// capabilities, the cgroup layout, podman's seccomp profile, the kernel), resolves the user inside the
// container's rootfs, writes the /etc files the spec binds, and returns config.json's content.
// This is libpod's init-time generateSpec step; container.ts calls it before OciRuntime.createContainer.
import { mkdir, readFile } from 'node:fs/promises';
import { release } from 'node:os';
import type { CgroupInfo, RlimitInfo } from '../../../shared/types/system-info.ts';
import { hostIdentity } from '../rootless/host-identity.ts';
import { readCgroupInfo } from '../system/cgroups.ts';
import { absentSeccompArchitectures, readKernelConfig } from '../system/kernel-abis.ts';
import { readRlimits } from '../system/rlimits.ts';
import { writeContainerFiles } from './container-files.ts';
import type { ContainerFilesOptions } from './container-files.ts';
import { goArch, loadSeccompProfile } from './seccomp.ts';
import type { SeccompProfile } from './seccomp.ts';
import { generateSpec } from './spec-generator.ts';
import type { MergedProcessConfig, SpecGeneratorOptions } from './spec-generator.ts';
import type { OciSpec } from './spec.ts';
import { readRootfsUserFiles, resolveUser } from './user-resolver.ts';

export interface HostFacts {
  rlimits: RlimitInfo[];
  /** CAP_SYS_RESOURCE in our effective set: then rlimits may exceed our own hard limits. */
  canRaiseRlimits: boolean;
  cgroups: CgroupInfo;
  seccompProfile: SeccompProfile | null;
  kernel: string;
  arch: string;
  /** Seccomp architectures the kernel cannot run (amd64 hosts only). */
  absentSeccompArchitectures: string[];
}

const CAP_SYS_RESOURCE = 24n;

/** "CapEff:\t000001ffffffffff" → whether the bit is set. */
export function hasCapability(procStatus: string, bit: bigint): boolean {
  const hex = /^CapEff:\s*([0-9a-f]+)$/im.exec(procStatus)?.[1];
  return hex !== undefined && ((BigInt(`0x${hex}`) >> bit) & 1n) === 1n;
}

let cachedFacts: Promise<HostFacts> | null = null;

/** Read once per process: none of these change while it runs (the cgroup layout is re-read on error paths). */
export function readHostFacts(): Promise<HostFacts> {
  cachedFacts ??= (async () => {
    const arch = goArch();
    const [rlimits, status, cgroups, seccompProfile, kernelConfig] = await Promise.all([
      readRlimits(),
      readFile('/proc/self/status', 'utf8').catch(() => ''),
      readCgroupInfo(),
      loadSeccompProfile(),
      arch === 'amd64' ? readKernelConfig() : Promise.resolve(''),
    ]);
    // Root of the rootless user namespace has CAP_SYS_RESOURCE only there: rlimits are the host's business.
    const canRaiseRlimits = hasCapability(status, CAP_SYS_RESOURCE) && !hostIdentity().inUserNamespace;
    return { rlimits, canRaiseRlimits, cgroups, seccompProfile, kernel: release(), arch, absentSeccompArchitectures: absentSeccompArchitectures(kernelConfig) };
  })().catch((error: unknown) => {
    cachedFacts = null;
    throw error;
  });
  return cachedFacts;
}

export interface PrepareSpecOptions extends Omit<SpecGeneratorOptions, 'args' | 'env' | 'cwd' | 'user' | 'cgroupVersion' | 'hostRlimits' | 'canRaiseRlimits' | 'seccompProfile' | 'hostArch' | 'kernel' | 'absentSeccompArchitectures'> {
  /** From `mergeImageConfig`: argv, env, cwd and the user still as a name. */
  process: Pick<MergedProcessConfig, 'args' | 'env' | 'cwd' | 'user'>;
  /** The container's name, for its /etc/hosts line. */
  name: string;
  files?: Omit<ContainerFilesOptions, 'hostname' | 'name'>;
  /** false runs unconfined (podman --security-opt seccomp=unconfined). */
  seccomp?: boolean;
  /** Injected in tests; read from the host otherwise. */
  hostFacts?: HostFacts;
}

/**
 * Resolves the user through `<rootfs>/etc/passwd|group`, writes hostname/hosts/resolv.conf/.containerenv
 * into `userdataDir`, and generates the spec. Throws ErrInvalidArg for an unknown user or bad options.
 */
export async function prepareSpec(options: PrepareSpecOptions): Promise<OciSpec> {
  const facts = options.hostFacts ?? (await readHostFacts());
  const { passwd, group } = await readRootfsUserFiles(options.rootfs);
  const user = resolveUser(options.process.user, passwd, group);
  const hostname = options.hostname ?? options.id.slice(0, 12);
  await mkdir(options.userdataDir, { recursive: true, mode: 0o700 });
  await writeContainerFiles(options.userdataDir, {
    ...(options.files ?? {}),
    hostname,
    name: options.name,
    hostNetwork: options.namespaces?.network === 'host',
  });
  const { process: proc, name: _name, files: _files, seccomp, hostFacts: _facts, ...rest } = options;
  return generateSpec({
    ...rest,
    hostname,
    args: proc.args,
    env: proc.env,
    cwd: proc.cwd,
    user,
    cgroupVersion: facts.cgroups.version,
    hostRlimits: facts.rlimits,
    canRaiseRlimits: facts.canRaiseRlimits,
    seccompProfile: seccomp === false ? null : facts.seccompProfile,
    hostArch: facts.arch,
    kernel: facts.kernel,
    absentSeccompArchitectures: facts.absentSeccompArchitectures,
  });
}
