// What a container stores and how it keeps running, as options (libpod WithNamedVolumes, WithMounts…
// — the spec mounts podman's specgen builds —, WithRestartPolicy, WithRestartRetries, WithLogSize) and
// the parsers of podman's flags for them: -v/--volume, --mount, --tmpfs, --restart, --log-opt
// (pkg/specgenutil/volumes.go, pkg/util/mountOpts.go ProcessOptions). Everything a user typed is
// checked here: destinations clean, absolute and unique, bind sources absolute and existing, option
// words known and not contradicting each other. Where a destination lands inside the rootfs is
// resolved when the container starts (container-volumes.ts), never trusted as given.
import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';
import type { ContainerCreateOptions, ContainerMountSpec } from '../../shared/types/containers.ts';
import { editable, restartPolicies } from './container-config.ts';
import type { ContainerConfigDraft, ContainerMount, ContainerNamedVolume, ContainerOption, RestartPolicy } from './container-config.ts';
import { generateId } from './names.ts';
import { validateVolumeName } from './volume-config.ts';

const fail = (message: string) => new PodbayError('ErrInvalidArg', message);

/** A clean absolute destination inside the container (podman ValidateVolumeCtrDir + filepath.Clean). */
export function cleanDestination(destination: string): string {
  if (typeof destination !== 'string' || destination === '' || destination.includes('\0') || destination.length > 4096) throw fail(`invalid container path "${destination}"`);
  if (!destination.startsWith('/')) throw fail(`invalid container path "${destination}", must be an absolute path`);
  const clean = posix.normalize(destination).replace(/(.)\/+$/, '$1');
  if (clean === '/') throw fail(`invalid container path "${destination}": a mount cannot replace the container's root`);
  return clean;
}

/** A bind source: absolute (a relative one is resolved against `cwd`, as podman does) and existing. */
export function cleanBindSource(source: string, cwd?: string): string {
  if (typeof source !== 'string' || source === '' || source.includes('\0') || source.length > 4096) throw fail(`invalid host path "${source}"`);
  let path = source;
  if (!path.startsWith('/')) {
    if (!path.startsWith('.') || cwd === undefined) throw fail(`invalid host path "${source}": must be an absolute path`);
    path = posix.resolve(cwd, path);
  }
  path = posix.normalize(path).replace(/(.)\/+$/, '$1');
  try {
    statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // podman's words: `Error: statfs /nope: no such file or directory`.
    throw new PodbayError('ErrInvalidArg', `statfs ${path}: ${code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`, { cause: error });
  }
  return path;
}

export type MountKind = 'bind' | 'volume' | 'tmpfs';

const propagations = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable'];

/**
 * podman's ProcessOptions: checks every option word for `kind` and adds the defaults — rw, rprivate,
 * rbind (bind and volume) or tmpcopyup (tmpfs). Two words of one kind (ro and rw, two propagations)
 * or a word the kind does not take → ErrInvalidArg; overlay (O) and idmap → ErrNotImplemented.
 */
export function processMountOptions(options: readonly string[], kind: MountKind): string[] {
  const seen = new Map<string, string>();
  const once = (group: string, opt: string, message: string) => {
    if (seen.has(group)) throw fail(message);
    seen.set(group, opt);
  };
  const tmpfsOnly = (opt: string) => {
    if (kind !== 'tmpfs') throw fail(`the '${opt.split('=')[0]}' option is only allowed with tmpfs mounts`);
  };
  const out: string[] = [];
  for (const raw of options) {
    const opt = raw.trim();
    if (opt === '') continue;
    const eq = opt.indexOf('=');
    const key = eq === -1 ? opt : opt.slice(0, eq);
    const value = eq === -1 ? '' : opt.slice(eq + 1);
    switch (key) {
      case 'rw':
      case 'ro':
        once('write', opt, "only one of 'rw' and 'ro' can be used");
        break;
      case 'exec':
      case 'noexec':
        once('exec', opt, "only one of 'noexec' and 'exec' can be used");
        break;
      case 'suid':
      case 'nosuid':
        once('suid', opt, "only one of 'nosuid' and 'suid' can be used");
        break;
      case 'dev':
      case 'nodev':
        once('dev', opt, "only one of 'nodev' and 'dev' can be used");
        break;
      case 'bind':
      case 'rbind':
        if (kind === 'tmpfs') throw fail("the 'bind' and 'rbind' options are not allowed with tmpfs mounts");
        once('bind', opt, "only one of 'rbind' and 'bind' can be used");
        break;
      case 'z':
      case 'Z':
        // SELinux relabeling: podman skips it where SELinux is off, as it is on these hosts.
        if (kind === 'tmpfs') throw fail("the 'z' and 'Z' options are not allowed with tmpfs mounts");
        once('relabel', opt, "only one of 'z' and 'Z' can be used");
        break;
      case 'U':
        once('chown', opt, "the 'U' option can only be set once");
        break;
      case 'copy':
      case 'nocopy':
        if (kind !== 'volume') throw fail(`the '${key}' option is only allowed with named volumes`);
        once('copy', opt, "only one of 'copy' and 'nocopy' can be used");
        break;
      case 'tmpcopyup':
      case 'notmpcopyup':
        tmpfsOnly(opt);
        once('copyup', opt, "only one of 'tmpcopyup' and 'notmpcopyup' can be used");
        break;
      case 'size':
        tmpfsOnly(opt);
        if (!/^\d+[kmgKMG%]?$/.test(value)) throw fail(`invalid tmpfs size "${value}": expected a number with an optional k, m, g or % suffix`);
        once('size', opt, "the 'size' option can only be set once");
        break;
      case 'mode':
        tmpfsOnly(opt);
        if (!/^[0-7]{3,4}$/.test(value)) throw fail(`invalid tmpfs mode "${value}": expected octal digits such as 1777`);
        once('mode', opt, "the 'mode' option can only be set once");
        break;
      case 'nr_inodes':
      case 'uid':
      case 'gid':
        tmpfsOnly(opt);
        if (!/^\d+[kmgKMG]?$/.test(value)) throw fail(`invalid tmpfs option "${opt}": expected a number`);
        once(key, opt, `the '${key}' option can only be set once`);
        break;
      case 'O':
        throw new PodbayError('ErrNotImplemented', "overlay mounts (the 'O' option) are not supported");
      case 'idmap':
        throw new PodbayError('ErrNotImplemented', "idmapped mounts (the 'idmap' option) are not supported");
      default:
        if (propagations.includes(key) && eq === -1) {
          once('propagation', opt, 'only one root propagation mode can be used');
          break;
        }
        throw fail(`unknown mount option "${opt}": invalid mount option`);
    }
    out.push(opt);
  }
  if (!seen.has('write')) out.push('rw');
  if (!seen.has('propagation')) out.push('rprivate');
  if (kind === 'tmpfs' && !seen.has('copyup')) out.push('tmpcopyup');
  if (kind !== 'tmpfs' && !seen.has('bind')) out.push('rbind');
  return out;
}

/** Option words that steer Podbay (chown, copy-up, SELinux) rather than the mount: never in the spec. */
export const nonMountOptions: ReadonlySet<string> = new Set(['U', 'z', 'Z', 'copy', 'nocopy']);

/** A named volume as asked for: no name means an anonymous one (a name is drawn when it is applied). */
export type NamedVolumeRequest = Omit<ContainerNamedVolume, 'name'> & { name?: string | undefined };

export type MountRequest = { kind: 'mount'; mount: ContainerMount } | { kind: 'volume'; volume: NamedVolumeRequest };

function splitOptions(text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : text.split(',');
}

/**
 * podman -v/--volume: `DST` (an anonymous volume), `SRC:DST` or `SRC:DST:OPTS`. SRC starting with "/"
 * or "." is a host path (must exist; "." resolved against `cwd`), anything else a volume name.
 */
export function parseVolumeFlag(text: string, cwd?: string): MountRequest {
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p, i) => p === '' && i < 2)) throw fail(`incorrect volume format "${text}", should be [host-dir:]ctr-dir[:option]`);
  if (parts.length === 1) {
    return { kind: 'volume', volume: { destination: cleanDestination(parts[0] as string), options: processMountOptions([], 'volume'), anonymous: true } };
  }
  const [source = '', destination = '', opts] = parts;
  const options = splitOptions(opts);
  if (source.startsWith('/') || source.startsWith('.')) {
    return { kind: 'mount', mount: { type: 'bind', source: cleanBindSource(source, cwd), destination: cleanDestination(destination), options: processMountOptions(options, 'bind') } };
  }
  validateVolumeName(source);
  return { kind: 'volume', volume: { name: source, destination: cleanDestination(destination), options: processMountOptions(options, 'volume') } };
}

/** A -v value with a relative host path ("./data:/data") made absolute against `cwd`, as the CLI sends it. */
export function absoluteVolumeFlag(text: string, cwd: string): string {
  const colon = text.indexOf(':');
  if (colon === -1 || !text.startsWith('.')) return text;
  return `${posix.resolve(cwd, text.slice(0, colon))}${text.slice(colon)}`;
}

/** podman --tmpfs: `DST[:OPTS]`; without options podman's defaults rw,noexec,nosuid,nodev. */
export function parseTmpfsFlag(text: string): MountRequest {
  const colon = text.indexOf(':');
  const destination = cleanDestination(colon === -1 ? text : text.slice(0, colon));
  const given = colon === -1 ? [] : splitOptions(text.slice(colon + 1));
  const options = given.length > 0 ? given : ['rw', 'noexec', 'nosuid', 'nodev'];
  return { kind: 'mount', mount: { type: 'tmpfs', destination, options: processMountOptions(options, 'tmpfs') } };
}

const mountBooleans = (value: string, key: string): boolean => {
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  throw fail(`invalid value "${value}" for mount option ${key}: expected true or false`);
};

/**
 * podman --mount `type=bind|volume|tmpfs,source=…,destination=…[,ro][,…]` split into its fields
 * (src, dst and target are accepted as podman does; other keys become option words).
 */
export function parseMountFlag(text: string): ContainerMountSpec {
  let type: ContainerMountSpec['type'] | undefined;
  let source: string | undefined;
  let destination: string | undefined;
  let readOnly: boolean | undefined;
  let subPath: string | undefined;
  const options: string[] = [];
  for (const field of text.split(',')) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = (eq === -1 ? field : field.slice(0, eq)).trim();
    const value = eq === -1 ? '' : field.slice(eq + 1);
    switch (key) {
      case 'type':
        if (value !== 'bind' && value !== 'volume' && value !== 'tmpfs') throw fail(`invalid mount type "${value}": expected bind, volume or tmpfs`);
        type = value;
        break;
      case 'src':
      case 'source':
        source = value;
        break;
      case 'dst':
      case 'destination':
      case 'target':
        destination = value;
        break;
      case 'ro':
      case 'readonly':
        readOnly = mountBooleans(value, key);
        break;
      case 'rw':
        readOnly = !mountBooleans(value, key);
        break;
      case 'bind-propagation':
        options.push(value);
        break;
      case 'bind-nonrecursive':
        if (mountBooleans(value, key)) options.push('bind');
        break;
      case 'relabel':
        if (value === 'shared') options.push('z');
        else if (value === 'private') options.push('Z');
        else throw fail(`invalid relabel value "${value}": expected shared or private`);
        break;
      case 'volume-nocopy':
        if (mountBooleans(value, key)) options.push('nocopy');
        break;
      case 'tmpfs-size':
        options.push(`size=${value}`);
        break;
      case 'tmpfs-mode':
        options.push(`mode=${value}`);
        break;
      case 'chown':
        if (mountBooleans(value, key)) options.push('U');
        break;
      case 'subpath':
      case 'volume-subpath':
        subPath = value;
        break;
      case 'consistency':
        // Docker for Mac's hint; podman ignores it too.
        break;
      default:
        options.push(eq === -1 ? key : `${key}=${value}`);
    }
  }
  if (!type) throw fail(`invalid --mount "${text}": type=bind, type=volume or type=tmpfs is required`);
  if (destination === undefined) throw fail(`invalid --mount "${text}": destination is required`);
  return { type, destination, ...(source !== undefined ? { source } : {}), ...(readOnly !== undefined ? { readOnly } : {}), ...(options.length ? { options } : {}), ...(subPath !== undefined ? { subPath } : {}) };
}

/** One structured mount (the contract's, or a parsed --mount) → what the options take. */
export function mountRequestFromSpec(spec: ContainerMountSpec, cwd?: string): MountRequest {
  const words = [...(spec.options ?? []), ...(spec.readOnly === true ? ['ro'] : [])];
  const destination = cleanDestination(spec.destination);
  switch (spec.type) {
    case 'bind':
      if (spec.source === undefined || spec.source === '') throw fail(`a bind mount on ${destination} needs a source`);
      if (spec.subPath !== undefined) throw fail('subpath is only allowed with volume mounts');
      return { kind: 'mount', mount: { type: 'bind', source: cleanBindSource(spec.source, cwd), destination, options: processMountOptions(words, 'bind') } };
    case 'tmpfs':
      if (spec.source !== undefined && spec.source !== '' && spec.source !== 'tmpfs') throw fail(`a tmpfs mount on ${destination} takes no source`);
      if (spec.subPath !== undefined) throw fail('subpath is only allowed with volume mounts');
      return { kind: 'mount', mount: { type: 'tmpfs', destination, options: processMountOptions(words.some((w) => /^(no)?suid$/.test(w)) ? words : [...words, 'nosuid', 'nodev'], 'tmpfs') } };
    case 'volume': {
      const subPath = spec.subPath === undefined ? undefined : cleanSubPath(spec.subPath);
      const base = { destination, options: processMountOptions(words, 'volume'), ...(subPath !== undefined ? { subPath } : {}) };
      if (spec.source === undefined || spec.source === '') return { kind: 'volume', volume: { ...base, anonymous: true } };
      validateVolumeName(spec.source);
      return { kind: 'volume', volume: { ...base, name: spec.source } };
    }
  }
}

/** A subpath inside a volume: relative, clean, never climbing out of it (resolved securely at start). */
export function cleanSubPath(subPath: string): string {
  if (subPath === '' || subPath.includes('\0')) throw fail(`invalid volume subpath "${subPath}"`);
  const clean = posix.normalize(subPath.replace(/^\/+/, ''));
  if (clean === '..' || clean.startsWith('../')) throw fail(`invalid volume subpath "${subPath}": it must stay inside the volume`);
  return clean === '.' ? '' : clean.replace(/\/+$/, '');
}

/** Every mount the create options ask for: -v, --mount and --tmpfs, in that order. */
export function mountRequests(input: Pick<ContainerCreateOptions, 'volumes' | 'mounts' | 'tmpfs'>, cwd?: string): MountRequest[] {
  return [
    ...(input.volumes ?? []).map((v) => parseVolumeFlag(v, cwd)),
    ...(input.mounts ?? []).map((m) => mountRequestFromSpec(m, cwd)),
    ...(input.tmpfs ?? []).map((t) => parseTmpfsFlag(t)),
  ];
}

/** Destinations unique across bind, tmpfs and volume mounts (podman ErrDuplicateDest). */
export function checkMountDestinations(draft: Pick<ContainerConfigDraft, 'mounts' | 'namedVolumes'>): void {
  const seen = new Set<string>();
  for (const destination of [...(draft.mounts ?? []), ...(draft.namedVolumes ?? [])].map((m) => m.destination)) {
    if (seen.has(destination)) throw fail(`${destination}: duplicate mount destination`);
    seen.add(destination);
  }
}

/** Adds bind and tmpfs mounts (libpod's spec mounts); each checked again, as an option may be built by hand. */
export function withMounts(mounts: readonly ContainerMount[]): ContainerOption {
  return (target) => {
    const draft = editable(target);
    const checked = mounts.map((m): ContainerMount => {
      if (m.type !== 'bind' && m.type !== 'tmpfs') throw fail(`invalid mount type "${String((m as { type: unknown }).type)}": expected bind or tmpfs`);
      const destination = cleanDestination(m.destination);
      // Idempotent: processed options pass through unchanged, hand-built ones get their defaults.
      const options = processMountOptions(m.options, m.type);
      return m.type === 'bind' ? { type: 'bind', source: cleanBindSource(m.source ?? ''), destination, options } : { type: 'tmpfs', destination, options };
    });
    draft.mounts = [...(draft.mounts ?? []), ...checked];
    checkMountDestinations(draft);
  };
}

/**
 * Adds named volumes (libpod WithNamedVolumes). One without a name is anonymous and gets a drawn
 * 64-hex name; volumes that do not exist yet are created with the container (anonymous ones marked so).
 */
export function withNamedVolumes(volumes: readonly NamedVolumeRequest[]): ContainerOption {
  return (target) => {
    const draft = editable(target);
    const checked = volumes.map((v): ContainerNamedVolume => {
      const name = v.name ?? generateId();
      validateVolumeName(name);
      const subPath = v.subPath === undefined ? undefined : cleanSubPath(v.subPath);
      return {
        name,
        destination: cleanDestination(v.destination),
        options: processMountOptions(v.options, 'volume'),
        ...(subPath ? { subPath } : {}),
        ...(v.anonymous || v.name === undefined ? { anonymous: true } : {}),
      };
    });
    draft.namedVolumes = [...(draft.namedVolumes ?? []), ...checked];
    checkMountDestinations(draft);
  };
}

/** podman --read-only (and --read-only-tmpfs, default true: writable tmpfs on /tmp, /var/tmp and /run). */
export function withReadOnlyRootfs(readOnly = true, readOnlyTmpfs = true): ContainerOption {
  return (target) => {
    const draft = editable(target);
    draft.readOnlyRootfs = readOnly;
    draft.readOnlyTmpfs = readOnlyTmpfs;
  };
}

/**
 * podman --restart (libpod WithRestartPolicy + WithRestartRetries): `retries` only with on-failure
 * (0: no limit). Conflicts with --rm are checked when the container is created.
 */
export function withRestartPolicy(policy: RestartPolicy, retries?: number): ContainerOption {
  return (target) => {
    const draft = editable(target);
    if (!(restartPolicies as readonly string[]).includes(policy)) throw fail(`${String(policy)} is not a valid restart policy: expected one of ${restartPolicies.join(', ')}`);
    if (retries !== undefined) {
      if (policy !== 'on-failure' && retries !== 0) throw fail('restart policy retries can only be specified with on-failure restart policy');
      if (!Number.isInteger(retries) || retries < 0) throw fail(`restart retries ${retries} must be a whole number, 0 or more`);
    }
    draft.restartPolicy = policy;
    if (retries) draft.restartRetries = retries;
    else delete draft.restartRetries;
  };
}

/** podman --restart POLICY[:MAX_RETRIES]; "" means no. */
export function parseRestartPolicy(text: string): { policy: RestartPolicy; retries?: number } {
  const [name = '', count, ...rest] = text.split(':');
  const policy = name === '' ? 'no' : name;
  if (rest.length > 0 || !(restartPolicies as readonly string[]).includes(policy)) {
    throw fail(`invalid restart policy "${text}": expected no, on-failure[:max-retries], always or unless-stopped`);
  }
  if (count === undefined) return { policy: policy as RestartPolicy };
  if (policy !== 'on-failure') throw fail('restart policy retries can only be specified with on-failure restart policy');
  if (!/^\d+$/.test(count)) throw fail(`invalid restart policy "${text}": maximum retries must be a whole number, 0 or more`);
  return { policy: 'on-failure', retries: Number(count) };
}

/** Bytes after which conmon truncates the container's log (libpod WithLogSize); -1 is unlimited. */
export function withLogSizeMax(bytes: number): ContainerOption {
  return (target) => {
    const draft = editable(target);
    if (!Number.isSafeInteger(bytes) || (bytes < 1 && bytes !== -1)) throw fail(`log size ${bytes} must be a positive number of bytes (or -1 for no limit)`);
    draft.logSizeMax = bytes;
  };
}

/** docker/go-units FromHumanSize, which podman's --log-opt max-size uses: decimal units ("10m" = 10,000,000). */
export function parseHumanSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text.trim());
  if (!match) throw fail(`invalid size "${text}": expected a number with an optional k, m, g, t or p unit`);
  const unit = (match[2] ?? '').toLowerCase();
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 }[unit] ?? 1;
  return Math.floor(Number(match[1]) * scale);
}

/** podman --log-opt KEY=VALUE: only max-size is supported (path, tag and max-file need other drivers). */
export function parseLogOptions(values: readonly string[]): { logSizeMax?: number } {
  const out: { logSizeMax?: number } = {};
  for (const entry of values) {
    const eq = entry.indexOf('=');
    const key = eq === -1 ? entry : entry.slice(0, eq);
    const value = eq === -1 ? '' : entry.slice(eq + 1);
    if (key === 'max-size') out.logSizeMax = parseHumanSize(value);
    else if (key === 'path' || key === 'tag' || key === 'max-file') throw new PodbayError('ErrNotImplemented', `log option ${key} is not supported: only max-size (the k8s-file log lives in the container's directory)`);
    else throw fail(`invalid log option "${entry}": expected max-size=SIZE`);
  }
  return out;
}

/** The storage and restart options of a create request (container-create.ts adds them to the rest). */
export function storageOptions(input: ContainerCreateOptions, cwd?: string): ContainerOption[] {
  const options: ContainerOption[] = [];
  const requests = mountRequests(input, cwd);
  const mounts = requests.flatMap((r) => (r.kind === 'mount' ? [r.mount] : []));
  const volumes = requests.flatMap((r) => (r.kind === 'volume' ? [r.volume] : []));
  if (mounts.length) options.push(withMounts(mounts));
  if (volumes.length) options.push(withNamedVolumes(volumes));
  if (input.readOnly) options.push(withReadOnlyRootfs(true, input.readOnlyTmpfs ?? true));
  if (input.restartPolicy !== undefined && input.restartPolicy !== 'no') options.push(withRestartPolicy(input.restartPolicy, input.restartRetries));
  else if (input.restartRetries) throw fail('restart policy retries can only be specified with on-failure restart policy');
  if (input.logSizeMax !== undefined) options.push(withLogSizeMax(input.logSizeMax));
  return options;
}

/** podman's options for the anonymous volume of an image VOLUME (pkg/specgen/generate/storage.go). */
export const imageVolumeOptions: readonly string[] = ['rprivate', 'rw', 'nodev', 'exec'];

/**
 * The last step before a container is added (runtime.newContainer): each image VOLUME that no user
 * mount covers gets an anonymous volume (podman's image_volume_mode=anonymous), destinations are
 * checked once more for duplicates, and --rm with a restart policy is refused as podman refuses it.
 */
export function completeStorage(draft: ContainerConfigDraft): void {
  if (draft.autoRemove && draft.restartPolicy !== undefined && draft.restartPolicy !== 'no') {
    throw fail('the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"');
  }
  const taken = new Set([...(draft.mounts ?? []), ...(draft.namedVolumes ?? [])].map((m) => m.destination));
  for (const path of draft.imageVolumes ?? []) {
    let destination: string;
    try {
      destination = cleanDestination(path);
    } catch {
      continue; // an image VOLUME podman could not mount either ("/" or relative): skipped as podman skips it
    }
    if (taken.has(destination)) continue;
    taken.add(destination);
    draft.namedVolumes = [...(draft.namedVolumes ?? []), { name: generateId(), destination, options: [...imageVolumeOptions], anonymous: true }];
  }
  checkMountDestinations(draft);
}
