// Signature policy (containers-policy.json(5)) as c/image's signature/policy_config.go parses it and
// policy_eval.go applies it: a default requirement list, per-transport scope lists (`docker` scopes
// are host[:port][/namespace…][/repo][:tag|@digest] or `*.domain`; archive transports use paths),
// most specific scope first. Every requirement of the chosen list must accept. Podbay verifies no
// signatures: `signedBy` and `sigstoreSigned` (and `signedBaseLayer`) refuse the image with
// ErrNotImplemented — an image a policy wants signed is never accepted unverified.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';

export type PolicyRequirement =
  | { type: 'insecureAcceptAnything' }
  | { type: 'reject' }
  | { type: 'signedBy' | 'sigstoreSigned' | 'signedBaseLayer'; raw: Record<string, unknown> };

export interface SignaturePolicy {
  source: string;
  default: PolicyRequirement[];
  /** transport → scope ("" = the transport's default) → requirements. */
  transports: Map<string, Map<string, PolicyRequirement[]>>;
}

/** The transports podman knows; a policy naming another one is refused, as c/image does. */
const knownTransports = new Set(['docker', 'atomic', 'containers-storage', 'dir', 'docker-archive', 'docker-daemon', 'oci', 'oci-archive', 'sif', 'tarball']);

function bad(source: string, why: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `invalid signature policy ${source}: ${why}`);
}

function parseRequirements(value: unknown, source: string, where: string): PolicyRequirement[] {
  if (!Array.isArray(value)) throw bad(source, `${where} must be an array of requirements`);
  if (value.length === 0) throw bad(source, `${where} is empty: give at least one requirement (an empty list would mean "accept")`);
  return value.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad(source, `${where}[${i}] must be an object`);
    const r = raw as Record<string, unknown>;
    switch (r.type) {
      case 'insecureAcceptAnything':
      case 'reject':
        if (Object.keys(r).length !== 1) throw bad(source, `${where}[${i}] (${r.type}) takes no other fields`);
        return { type: r.type };
      case 'signedBy':
      case 'sigstoreSigned':
      case 'signedBaseLayer':
        return { type: r.type, raw: r };
      default:
        throw bad(source, `${where}[${i}] has unknown requirement type ${JSON.stringify(r.type)}`);
    }
  });
}

export function parseSignaturePolicy(text: string, source = 'policy.json'): SignaturePolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `invalid signature policy ${source}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad(source, 'not a JSON object');
  const d = doc as Record<string, unknown>;
  for (const key of Object.keys(d)) if (key !== 'default' && key !== 'transports') throw bad(source, `unknown field ${JSON.stringify(key)}`);
  if (d.default === undefined) throw bad(source, '"default" is missing');
  const policy: SignaturePolicy = { source, default: parseRequirements(d.default, source, 'default'), transports: new Map() };
  if (d.transports !== undefined) {
    if (typeof d.transports !== 'object' || d.transports === null || Array.isArray(d.transports)) throw bad(source, '"transports" must be an object');
    for (const [transport, scopes] of Object.entries(d.transports as Record<string, unknown>)) {
      if (!knownTransports.has(transport)) throw bad(source, `unknown transport ${JSON.stringify(transport)}`);
      if (typeof scopes !== 'object' || scopes === null || Array.isArray(scopes)) throw bad(source, `transports.${transport} must be an object of scopes`);
      const map = new Map<string, PolicyRequirement[]>();
      for (const [scope, reqs] of Object.entries(scopes as Record<string, unknown>)) {
        if (transport === 'docker' && scope !== '' && (/[\s]/.test(scope) || scope.includes('://'))) throw bad(source, `transports.docker scope ${JSON.stringify(scope)} is not host[:port][/path]`);
        map.set(scope, parseRequirements(reqs, source, `transports.${transport}[${JSON.stringify(scope)}]`));
      }
      policy.transports.set(transport, map);
    }
  }
  return policy;
}

/** Accepts everything: what a missing default policy file means here (see loadSignaturePolicy). */
export function acceptAnythingPolicy(source = '(built-in)'): SignaturePolicy {
  return { source, default: [{ type: 'insecureAcceptAnything' }], transports: new Map() };
}

/**
 * The policy file: an explicit path must exist (ErrInvalidArg otherwise, as `--signature-policy`).
 * The default path is `$HOME/.config/containers/policy.json` when present, else `defaultPath`
 * (/etc/containers/policy.json), as c/image. Where no default file exists at all Podbay accepts
 * anything (podman refuses every pull then; Podbay's policy support must not make a machine without
 * containers-common unusable). Explicit paths never fall back.
 */
export function loadSignaturePolicy(options: { path?: string; explicit?: boolean; home?: string } = {}): SignaturePolicy {
  const home = options.home ?? process.env.HOME ?? '/root';
  let path = options.path ?? '/etc/containers/policy.json';
  if (!options.explicit) {
    const user = join(home, '.config/containers/policy.json');
    if (existsSync(user)) path = user;
    else if (!existsSync(path)) return acceptAnythingPolicy(`${path} (missing: accepting anything)`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `reading signature policy ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (text.length > 4 * 1024 * 1024) throw bad(path, 'larger than 4 MiB');
  return parseSignaturePolicy(text, path);
}

/**
 * Scopes to try for a docker reference, most specific first (c/image docker `PolicyConfigurationNamespaces`):
 * `host/ns/repo:tag` (or `@digest`), `host/ns/repo`, `host/ns`, `host`, then `*.sub.domain`, `*.domain`.
 */
export function dockerScopes(ref: { domain: string; path: string; tag?: string; digest?: string }): string[] {
  const repo = `${ref.domain}/${ref.path}`;
  const out: string[] = [];
  if (ref.digest) out.push(`${repo}@${ref.digest}`);
  else if (ref.tag) out.push(`${repo}:${ref.tag}`);
  const parts = repo.split('/');
  for (let n = parts.length; n >= 1; n--) out.push(parts.slice(0, n).join('/'));
  const host = ref.domain.replace(/:\d+$/, '');
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(host) && !host.startsWith('[')) {
    const labels = host.split('.');
    for (let i = 1; i < labels.length; i++) out.push(`*.${labels.slice(i).join('.')}`);
  }
  return out;
}

/** Scopes for a file transport (docker-archive, oci-archive, dir): the absolute path, then each parent directory. */
export function pathScopes(path: string): string[] {
  const abs = resolve(path);
  const out = [abs];
  for (let dir = dirname(abs); ; dir = dirname(dir)) {
    out.push(dir);
    if (dir === '/') break;
  }
  return out;
}

/** The requirement list that applies: the first matching scope of the transport, its "" default, then the global default. */
export function requirementsFor(policy: SignaturePolicy, transport: string, scopes: readonly string[]): { scope: string; requirements: PolicyRequirement[] } {
  const transportScopes = policy.transports.get(transport);
  if (transportScopes) {
    for (const scope of scopes) {
      const found = transportScopes.get(scope);
      if (found) return { scope: `${transport}:${scope}`, requirements: found };
    }
    const fallback = transportScopes.get('');
    if (fallback) return { scope: `${transport} default`, requirements: fallback };
  }
  return { scope: 'default', requirements: policy.default };
}

/**
 * Throws unless the policy accepts `what` (an image about to be copied from `transport`): reject →
 * ErrPermission; a signature requirement → ErrNotImplemented (never accepted without verification).
 */
export function enforcePolicy(policy: SignaturePolicy, transport: string, scopes: readonly string[], what: string): void {
  const { scope, requirements } = requirementsFor(policy, transport, scopes);
  for (const r of requirements) {
    if (r.type === 'reject') throw new PodbayError('ErrPermission', `source image rejected: ${what} is rejected by the signature policy (${policy.source}, scope ${scope})`);
    if (r.type !== 'insecureAcceptAnything') {
      throw new PodbayError(
        'ErrNotImplemented',
        `source image rejected: the signature policy (${policy.source}, scope ${scope}) requires a "${r.type}" signature for ${what}, and Podbay does not verify signatures yet: the image is refused, not accepted unverified`,
      );
    }
  }
}

/** The policy for a docker reference about to be pulled. */
export function enforceDockerPolicy(policy: SignaturePolicy, ref: { domain: string; path: string; tag?: string; digest?: string }): void {
  enforcePolicy(policy, 'docker', dockerScopes(ref), `${ref.domain}/${ref.path}${ref.digest ? `@${ref.digest}` : ref.tag ? `:${ref.tag}` : ''}`);
}
