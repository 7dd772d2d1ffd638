// Resource limits in rootless mode: a user can set them only through a delegated cgroup v2 subtree.
// Without one (cgroup v1, as on these machines) podman warns and runs without the limits; Podbay
// refuses them instead, so nobody believes a container is limited when it is not.
import { PodbayError } from '../../../shared/errors.ts';
import type { CgroupInfo } from '../../../shared/types/system-info.ts';
import { readCgroupInfo } from '../system/cgroups.ts';
import { hostIdentity } from './host-identity.ts';
import { rootlessLimitsAvailable } from './rootless-probe.ts';

export interface RequestedLimits {
  memoryBytes?: number | undefined;
  cpus?: number | undefined;
  pidsLimit?: number | undefined;
}

/** Whether containers of this (rootless) engine get a cgroup at all; always true rootful. */
export async function containersGetCgroups(cgroups?: CgroupInfo): Promise<boolean> {
  if (!hostIdentity().inUserNamespace) return true;
  return rootlessLimitsAvailable(cgroups ?? (await readCgroupInfo()));
}

/** Throws ErrInvalidArg naming the flags when limits are asked for and cannot be applied. */
export async function refuseUnavailableLimits(limits: RequestedLimits, cgroups?: CgroupInfo): Promise<void> {
  const asked = [
    limits.memoryBytes !== undefined ? '--memory' : null,
    limits.cpus !== undefined ? '--cpus' : null,
    limits.pidsLimit !== undefined && limits.pidsLimit > 0 ? '--pids-limit' : null,
  ].filter((flag): flag is string => flag !== null);
  if (asked.length === 0 || (await containersGetCgroups(cgroups))) return;
  const info = cgroups ?? (await readCgroupInfo());
  const why = info.version === 'v1' ? 'this host uses cgroup v1, which cannot delegate limits to an unprivileged user' : 'the user’s cgroup v2 subtree has no memory and pids controllers delegated';
  throw new PodbayError('ErrInvalidArg', `${asked.join(', ')} cannot be applied in rootless mode: ${why}; run without ${asked.length === 1 ? 'it' : 'them'}, or run rootful (as root) to set limits`);
}
