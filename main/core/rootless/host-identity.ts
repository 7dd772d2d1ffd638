// Who the engine runs as on the host. A rootless engine joins its user namespace (userns-holder.ts)
// and runs there as uid 0, so geteuid() no longer tells the mode: the process that joined passes the
// user's real identity down in $PODBAY_USERNS (as podman marks its re-exec with
// _CONTAINERS_USERNS_CONFIGURED), and everything that needs the host uid asks here.
import { readFileSync } from 'node:fs';

export const usernsEnvVar = 'PODBAY_USERNS';

export interface HostIdentity {
  uid: number;
  gid: number;
  /** The login name, or null when not known here (inside the namespace, or no passwd entry). */
  user: string | null;
  /** True when this process runs as root of the user's rootless namespace. */
  inUserNamespace: boolean;
}

/** `<holder pid>:<uid>:<gid>:<user>`, as written by the process that re-executed us inside. */
export function formatUsernsMarker(pid: number, uid: number, gid: number, user: string): string {
  return `${pid}:${uid}:${gid}:${user}`;
}

function identityMapped(): boolean {
  try {
    // The initial namespace maps the whole range onto itself: "0 0 4294967295".
    return /^\s*0\s+0\s+4294967295\s*$/.test(readFileSync('/proc/self/uid_map', 'utf8'));
  } catch {
    return true;
  }
}

let cached: HostIdentity | undefined;

/** The marker counts only for a process that really is root of a non-initial user namespace. */
export function hostIdentity(env: NodeJS.ProcessEnv = process.env): HostIdentity {
  if (env === process.env && cached) return cached;
  const euid = process.geteuid?.() ?? 0;
  const egid = process.getegid?.() ?? 0;
  let identity: HostIdentity = { uid: euid, gid: egid, user: null, inUserNamespace: false };
  const match = /^(\d+):(\d+):(\d+):([^:\n]*)$/.exec(env[usernsEnvVar] ?? '');
  if (match && euid === 0 && !identityMapped()) {
    identity = { uid: Number(match[2]), gid: Number(match[3]), user: match[4] || null, inUserNamespace: true };
  }
  if (env === process.env) cached = identity;
  return identity;
}

/** The holder pid named by the marker (the namespace this process runs in), or null. */
export function usernsHolderPid(env: NodeJS.ProcessEnv = process.env): number | null {
  if (!hostIdentity(env).inUserNamespace) return null;
  return Number((env[usernsEnvVar] ?? '').split(':', 1)[0]);
}
