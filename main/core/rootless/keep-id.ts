// podman --userns=keep-id: the container gets a user namespace of its own, nested in the user's
// rootless one (userns-holder.ts), whose maps put the user's host uid/gid at the same ids inside —
// container uid U is intermediate uid 0, which is the user on the host — and spread the rest of the
// intermediate range around it (podman's getRootlessKeepIDMapping). Files its processes write into a
// bind mount then belong to the user on the host. `host` is the default: no namespace of its own.
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';
import type { SpecMount } from '../oci/spec-generator.ts';
import type { OciIdMapping } from '../oci/spec.ts';
import { parseGroup, parsePasswd, readRootfsUserFiles } from '../oci/user-resolver.ts';
import { hostIdentity } from './host-identity.ts';

/** podman --userns modes Podbay implements. */
export const usernsModes = ['keep-id', 'host'] as const;
export type UsernsMode = (typeof usernsModes)[number];

export interface KeepIdMappings {
  uidMappings: OciIdMapping[];
  gidMappings: OciIdMapping[];
}

/**
 * The maps for id `id` given `max` intermediate ids above 0 (the subordinate range's size):
 * 0…id-1 → 1…id, id → 0, id+1…max → id+1…max. An id past the range maps only itself.
 */
export function keepIdMapping(id: number, max: number): OciIdMapping[] {
  const maps: OciIdMapping[] = [];
  if (id > 0 && max > 0) maps.push({ containerID: 0, hostID: 1, size: Math.min(id, max) });
  maps.push({ containerID: id, hostID: 0, size: 1 });
  if (max > id) maps.push({ containerID: id + 1, hostID: id + 1, size: max - id });
  return maps;
}

/** How many ids above 0 a /proc/PID/[ug]id_map maps (each line "inside outside count"). */
export function mappedIdsAboveZero(mapText: string): number {
  let total = 0;
  for (const line of mapText.trim().split('\n')) {
    const [, , count] = line.trim().split(/\s+/).map(Number);
    if (count !== undefined && Number.isSafeInteger(count)) total += count;
  }
  return Math.max(0, total - 1);
}

/**
 * The keep-id maps for this engine's user, read from our own namespace's maps (what the holder
 * mapped). Rootful → ErrInvalidArg, as podman's "keep-id is only supported in rootless mode".
 */
export function readKeepIdMappings(): KeepIdMappings {
  const identity = hostIdentity();
  refuseKeepIdRootful();
  const uidMax = mappedIdsAboveZero(readFileSync('/proc/self/uid_map', 'utf8'));
  const gidMax = mappedIdsAboveZero(readFileSync('/proc/self/gid_map', 'utf8'));
  return { uidMappings: keepIdMapping(identity.uid, uidMax), gidMappings: keepIdMapping(identity.gid, gidMax) };
}

export function refuseKeepIdRootful(): void {
  if (!hostIdentity().inUserNamespace) {
    throw new PodbayError('ErrInvalidArg', '--userns=keep-id is only supported in rootless mode: a rootful container already shares the host\'s user ids');
  }
}

/** `--userns` as given → the mode; podman's other modes → ErrNotImplemented, anything else ErrInvalidArg. */
export function parseUsernsMode(value: string): UsernsMode | null {
  if (value === '' || value === 'host') return value === '' ? null : 'host';
  if (value === 'keep-id') return 'keep-id';
  if (/^(auto|nomap|keep-id:|auto:|container:|ns:|private$)/.test(value)) {
    throw new PodbayError('ErrNotImplemented', `--userns=${value}: only keep-id and host are supported`);
  }
  throw new PodbayError('ErrInvalidArg', `invalid --userns "${value}": expected keep-id or host`);
}

/** The /etc/passwd line keep-id adds when the image lacks the user (podman generateUserPasswdEntry). */
export function keepIdPasswdLine(name: string, uid: number, gid: number, home: string): string {
  return `${name}:*:${uid}:${gid}:${name}:${home}:/bin/sh\n`;
}

/** The /etc/group line for the user's primary group when the image lacks it. */
export function keepIdGroupLine(name: string, gid: number): string {
  return `${name}:x:${gid}:\n`;
}

export interface KeepIdUser {
  uid: number;
  gid: number;
  /** The login name; the uid as text when not known. */
  name: string;
  home: string;
}

/** The engine's user as keep-id adds them: the name from the marker, the home from the host's passwd. */
export async function keepIdUser(): Promise<KeepIdUser> {
  const { uid, gid, user } = hostIdentity();
  const hostPasswd = parsePasswd(await readFile('/etc/passwd', 'utf8').catch(() => ''));
  const entry = hostPasswd.find((e) => e.uid === uid);
  return { uid, gid, name: user ?? entry?.name ?? String(uid), home: entry?.home ?? '/' };
}

/**
 * Writes `<userdataDir>/passwd` and `group` — the image's files plus the user's entries where they
 * lack them — and returns the binds that put them on /etc/passwd and /etc/group (podman binds a
 * copy too, so the image's layer and a read-only rootfs stay untouched). Nothing to add → no binds.
 */
export async function writeKeepIdUserFiles(rootfs: string, userdataDir: string, user: KeepIdUser): Promise<SpecMount[]> {
  const { passwd, group } = await readRootfsUserFiles(rootfs);
  const files: [string, string][] = [];
  if (!parsePasswd(passwd ?? '').some((e) => e.uid === user.uid)) files.push(['passwd', withLine(passwd, keepIdPasswdLine(user.name, user.uid, user.gid, user.home))]);
  if (!parseGroup(group ?? '').some((e) => e.gid === user.gid)) files.push(['group', withLine(group, keepIdGroupLine(user.name, user.gid))]);
  const mounts: SpecMount[] = [];
  if (files.length) await mkdir(userdataDir, { recursive: true, mode: 0o700 });
  for (const [file, content] of files) {
    const target = join(userdataDir, file);
    await writeFile(`${target}.tmp`, content, { mode: 0o644 });
    await rename(`${target}.tmp`, target);
    mounts.push({ destination: `/etc/${file}`, type: 'bind', source: target, options: ['bind', 'rprivate'] });
  }
  return mounts;
}

function withLine(text: string | null, line: string): string {
  if (!text) return line;
  return text.endsWith('\n') ? text + line : `${text}\n${line}`;
}
