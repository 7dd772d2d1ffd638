// Image references as podman and containers/image understand them (the distribution `reference`
// grammar): `[domain[:port]/]path[:tag][@digest]`. Parsing is strict and every refusal is an
// ErrInvalidArg naming what is wrong, because a reference is user input that ends up in URLs and
// in the store's tag table.
import { PodbayError } from '../../../shared/errors.ts';
import { parseDigest } from './digest.ts';
import type { Digest } from './digest.ts';

export const dockerHubDomain = 'docker.io';
/** Docker Hub's API endpoint: `docker.io` is only a name (c/image `dockerRegistry`). */
export const dockerHubApiHost = 'registry-1.docker.io';
export const defaultTag = 'latest';
/** The distribution grammar limits the whole name (domain + path) to 255 characters. */
export const maxNameLength = 255;
/** Whole-input bound so a hostile string cannot make the regexes work on megabytes. */
const maxInputLength = 4096;

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainRe = new RegExp(`^(?:${domainComponent}(?:\\.${domainComponent})*|${ipv6})(?::[0-9]+)?$`);
const pathComponentRe = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagRe = /^[\w][\w.-]{0,127}$/;
const hex64Re = /^[a-f0-9]{64}$/;

/** A parsed reference. `domain` and `path` are normalized (docker.io/library/…). */
export interface ImageReference {
  domain: string;
  /** Repository path inside the registry, e.g. `library/busybox`. */
  path: string;
  tag?: string;
  digest?: Digest;
}

/** A reference as typed, before short-name resolution: `domain` is absent for short names. */
export interface UserReference {
  domain?: string;
  path: string;
  tag?: string;
  digest?: Digest;
}

function invalid(input: string, why: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `invalid reference format ${JSON.stringify(input.slice(0, 300))}: ${why}`);
}

/**
 * Splits `name[:tag][@digest]` and checks each part, without deciding the domain. The tag colon
 * is the last `:` after the last `/` (a port's colon always precedes a `/`).
 */
function splitParts(input: string): { name: string; tag?: string; digest?: Digest } {
  if (input.length === 0) throw invalid(input, 'empty reference');
  if (input.length > maxInputLength) throw invalid(input, `longer than ${maxInputLength} characters`);
  let name = input;
  let digest: Digest | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    const digestText = name.slice(at + 1);
    name = name.slice(0, at);
    try {
      digest = parseDigest(digestText);
    } catch (error) {
      throw new PodbayError('ErrInvalidArg', `invalid reference format ${JSON.stringify(input.slice(0, 300))}: bad digest`, { cause: error });
    }
  }
  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!tagRe.test(tag)) throw invalid(input, `tag ${JSON.stringify(tag.slice(0, 200))} must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  }
  if (name.length === 0) throw invalid(input, 'missing repository name');
  return { name, tag, digest };
}

/**
 * True when the first component names a registry: it has a dot or a port, or is `localhost`
 * (distribution `splitDockerDomain`, which c/image's short-name logic follows). Anything else
 * (`busybox`, `library/busybox`) is a short name to be resolved through registries.conf.
 */
function looksLikeDomain(first: string): boolean {
  return first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[');
}

function checkPath(input: string, path: string): void {
  if (path.length === 0) throw invalid(input, 'missing repository name');
  for (const component of path.split('/')) {
    if (!pathComponentRe.test(component)) {
      if (component.toLowerCase() !== component && pathComponentRe.test(component.toLowerCase())) {
        throw invalid(input, 'repository name must be lowercase');
      }
      throw invalid(input, `repository component ${JSON.stringify(component.slice(0, 200))} is not [a-z0-9] separated by . _ __ or -`);
    }
  }
}

/** Parses what a user typed, keeping short names short (no docker.io defaulting). */
export function parseUserReference(input: string): UserReference {
  const { name, tag, digest } = splitParts(input);
  if (hex64Re.test(name)) throw invalid(input, 'cannot specify 64-byte hexadecimal strings as a repository name');
  const slash = name.indexOf('/');
  let domain: string | undefined;
  let path = name;
  if (slash >= 0 && looksLikeDomain(name.slice(0, slash))) {
    domain = name.slice(0, slash);
    path = name.slice(slash + 1);
    if (!domainRe.test(domain)) throw invalid(input, `registry ${JSON.stringify(domain.slice(0, 200))} is not a host name with an optional port`);
  }
  checkPath(input, path);
  if (name.length > maxNameLength) throw invalid(input, `repository name longer than ${maxNameLength} characters`);
  return { domain, path, tag, digest };
}

/** Normalizes a qualified domain/path pair the Docker way. */
function normalizeDockerHub(domain: string, path: string): { domain: string; path: string } {
  const d = domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? dockerHubDomain : domain;
  return { domain: d, path: d === dockerHubDomain && !path.includes('/') ? `library/${path}` : path };
}

/**
 * Parses a fully qualified reference, or applies Docker's default (`docker.io/library/…`) to a short
 * name — as `reference.ParseNormalizedNamed`. Podman itself resolves short names through
 * registries.conf instead: use `resolveShortName` (registries-conf.ts) for user input to pulls.
 */
export function parseNormalizedReference(input: string): ImageReference {
  const user = parseUserReference(input);
  const { domain, path } = normalizeDockerHub(user.domain ?? dockerHubDomain, user.path);
  if (`${domain}/${path}`.length > maxNameLength) throw invalid(input, `repository name longer than ${maxNameLength} characters`);
  return { domain, path, tag: user.tag, digest: user.digest };
}

/** Qualifies a short reference with a registry (a search registry or an alias target's domain). */
export function qualify(user: UserReference, domain: string): ImageReference {
  const n = normalizeDockerHub(domain, user.path);
  if (`${n.domain}/${n.path}`.length > maxNameLength) {
    throw new PodbayError('ErrInvalidArg', `invalid reference format: ${n.domain}/${n.path} is longer than ${maxNameLength} characters`);
  }
  return { ...n, tag: user.tag, digest: user.digest };
}

export function isShortName(user: UserReference): boolean {
  return user.domain === undefined;
}

/** `domain/path` — the repository name as stored and shown. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** Adds `:latest` when neither tag nor digest is present (podman `TagNameOnly`). */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: defaultTag } : ref;
}

/** The canonical string: `domain/path[:tag][@digest]`. Round-trips through parseNormalizedReference. */
export function formatReference(ref: ImageReference): string {
  return `${repositoryName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/**
 * What the manifest request names: the digest when present (a digest pins content), else the tag.
 * The tag is kept for the store's records either way.
 */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? defaultTag;
}

/** `localhost/…` images only ever exist locally: podman never contacts a registry for them. */
export function isLocalOnly(ref: ImageReference): boolean {
  return ref.domain === 'localhost';
}

/** The host:port to contact for a domain (Docker Hub's API lives elsewhere). */
export function registryHost(domain: string): string {
  return domain === dockerHubDomain ? dockerHubApiHost : domain;
}
