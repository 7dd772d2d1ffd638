// registries.conf (v2 TOML) as containers/image reads it (containers-registries.conf(5)): search
// registries for short names, short-name aliases, and per-registry `insecure` / `blocked`, matched
// by longest prefix. Mirrors are parsed but not yet used for pulls.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { PodbayError, hasCode } from '../../../shared/errors.ts';
import { formatReference, parseUserReference, qualify, repositoryName } from './reference.ts';
import type { ImageReference, UserReference } from './reference.ts';

export type ShortNameMode = 'enforcing' | 'permissive' | 'disabled';

export interface RegistryEntry {
  /** What references must start with to use this entry (defaults to `location`); may be `*.domain`. */
  prefix: string;
  /** Where to pull from: `prefix` of a matching reference is replaced by this. */
  location: string;
  /** Plain HTTP and unverified TLS allowed. */
  insecure: boolean;
  /** Pulls from here are refused. */
  blocked: boolean;
  mirrors: { location: string; insecure: boolean }[];
}

export interface RegistriesConf {
  unqualifiedSearchRegistries: string[];
  shortNameMode: ShortNameMode;
  registries: RegistryEntry[];
  /** Short name (`fedora`, `ns/app`) → fully qualified repository without tag or digest. */
  aliases: Map<string, string>;
}

export function emptyRegistriesConf(): RegistriesConf {
  return { unqualifiedSearchRegistries: [], shortNameMode: 'permissive', registries: [], aliases: new Map() };
}

/**
 * Podbay's own drop-in, where registries added on the Registries page go. It sits in the user
 * drop-in directory that c/image always reads (containers-registries.conf.d(5)), so podman and
 * skopeo see the same registries.
 */
export function podbayDropInPath(home = process.env.HOME ?? '/root'): string {
  return join(home, '.config/containers/registries.conf.d/50-podbay.conf');
}

/**
 * Default locations, system first so the user's files override (as c/image). CONTAINERS_REGISTRIES_CONF
 * names one file to use instead of all of them, drop-ins included, as podman honours it: the test suite
 * points it at a file with no search registries so no short name can ever leave loopback. Podbay's own
 * drop-in (`files`) is read even then: it only ever holds [[registry]] entries added by the user.
 */
export function defaultRegistriesConfPaths(home = process.env.HOME ?? '/root', override = process.env.CONTAINERS_REGISTRIES_CONF): { main: string[]; dropInDirs: string[]; files?: string[] } {
  if (override) return { main: [override], dropInDirs: [], files: [podbayDropInPath(home)] };
  return {
    main: [join(home, '.config/containers/registries.conf'), '/etc/containers/registries.conf'],
    dropInDirs: ['/etc/containers/registries.conf.d', join(home, '.config/containers/registries.conf.d')],
  };
}

function bad(source: string, why: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `parsing registries configuration ${source}: ${why}`);
}

function asString(value: unknown, source: string, what: string): string {
  if (typeof value !== 'string') throw bad(source, `${what} must be a string`);
  return value;
}

function asBool(value: unknown, source: string, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw bad(source, `${what} must be true or false`);
  return value;
}

/** A registry host with optional port and optional namespace path, or a `*.domain` wildcard prefix. */
function checkLocation(value: string, source: string, what: string, allowWildcard: boolean): string {
  const v = value.replace(/\/+$/, '');
  if (v.length === 0) throw bad(source, `${what} is empty`);
  if (allowWildcard && v.startsWith('*.')) {
    if (!/^\*\.[a-zA-Z0-9.-]+$/.test(v)) throw bad(source, `${what} ${JSON.stringify(v)}: a wildcard prefix is *.domain only`);
    return v;
  }
  if (/[@\s]/.test(v) || v.includes('://')) throw bad(source, `${what} ${JSON.stringify(v)} must be host[:port][/path], without a scheme`);
  try {
    // A location must parse as `domain/path`; append a dummy repo when it is a bare host.
    const ref = parseUserReference(v.includes('/') ? v : `${v}/x`);
    if (ref.tag !== undefined || ref.digest !== undefined) throw new Error('has a tag or digest');
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `parsing registries configuration ${source}: ${what} ${JSON.stringify(v)} is not a registry location`, { cause: error });
  }
  return v;
}

/** Parses one file's text and merges it over `base` (drop-ins replace keys they set, as c/image). */
export function parseRegistriesConf(text: string, source = 'registries.conf', base: RegistriesConf = emptyRegistriesConf()): RegistriesConf {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `parsing registries configuration ${source}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if ('registries' in doc && !Array.isArray(doc.registries)) {
    throw bad(source, 'the v1 format ([registries.search] …) is not supported; use unqualified-search-registries and [[registry]]');
  }
  const conf: RegistriesConf = {
    unqualifiedSearchRegistries: base.unqualifiedSearchRegistries,
    shortNameMode: base.shortNameMode,
    registries: [...base.registries],
    aliases: new Map(base.aliases),
  };
  const search = doc['unqualified-search-registries'];
  if (search !== undefined) {
    if (!Array.isArray(search)) throw bad(source, 'unqualified-search-registries must be an array of strings');
    conf.unqualifiedSearchRegistries = search.map((s, i) => checkLocation(asString(s, source, `unqualified-search-registries[${i}]`), source, `unqualified-search-registries[${i}]`, false));
  }
  const mode = doc['short-name-mode'];
  if (mode !== undefined) {
    if (mode !== 'enforcing' && mode !== 'permissive' && mode !== 'disabled') {
      throw bad(source, 'short-name-mode must be "enforcing", "permissive" or "disabled"');
    }
    conf.shortNameMode = mode;
  }
  const registries = doc.registry;
  if (registries !== undefined) {
    if (!Array.isArray(registries)) throw bad(source, '[[registry]] must be an array of tables');
    for (const [i, raw] of registries.entries()) {
      if (typeof raw !== 'object' || raw === null) throw bad(source, `[[registry]] #${i + 1} must be a table`);
      const r = raw as Record<string, unknown>;
      const what = `[[registry]] #${i + 1}`;
      const location = r.location === undefined ? '' : checkLocation(asString(r.location, source, `${what} location`), source, `${what} location`, false);
      const prefix = r.prefix === undefined ? location : checkLocation(asString(r.prefix, source, `${what} prefix`), source, `${what} prefix`, true);
      if (prefix === '') throw bad(source, `${what} needs a location or a prefix`);
      if (location === '' && !prefix.startsWith('*.') && !asBool(r.blocked, source, `${what} blocked`)) throw bad(source, `${what} needs a location unless blocked or a wildcard prefix`);
      const mirrors: RegistryEntry['mirrors'] = [];
      if (r.mirror !== undefined) {
        if (!Array.isArray(r.mirror)) throw bad(source, `${what} mirror must be an array of tables`);
        for (const [j, m] of r.mirror.entries()) {
          const mm = m as Record<string, unknown>;
          mirrors.push({
            location: checkLocation(asString(mm?.location, source, `${what} mirror #${j + 1} location`), source, `${what} mirror #${j + 1} location`, false),
            insecure: asBool(mm?.insecure, source, `${what} mirror #${j + 1} insecure`),
          });
        }
      }
      const entry: RegistryEntry = {
        prefix,
        location,
        insecure: asBool(r.insecure, source, `${what} insecure`),
        blocked: asBool(r.blocked, source, `${what} blocked`),
        mirrors,
      };
      // A later file's entry for the same prefix replaces the earlier one (c/image merges by prefix).
      const existing = conf.registries.findIndex((e) => e.prefix === prefix);
      if (existing >= 0) conf.registries[existing] = entry;
      else conf.registries.push(entry);
    }
  }
  const aliases = doc.aliases;
  if (aliases !== undefined) {
    if (typeof aliases !== 'object' || aliases === null || Array.isArray(aliases)) throw bad(source, '[aliases] must be a table');
    for (const [name, value] of Object.entries(aliases)) {
      const target = asString(value, source, `alias ${JSON.stringify(name)}`);
      if (target === '') {
        conf.aliases.delete(name);
        continue;
      }
      let short: UserReference;
      try {
        short = parseUserReference(name);
      } catch (error) {
        throw new PodbayError('ErrInvalidArg', `parsing registries configuration ${source}: alias ${JSON.stringify(name)} is not a valid short name`, { cause: error });
      }
      if (short.domain !== undefined || short.tag !== undefined || short.digest !== undefined) {
        throw bad(source, `alias ${JSON.stringify(name)} must be a short name without registry, tag or digest`);
      }
      let full: UserReference;
      try {
        full = parseUserReference(target);
      } catch (error) {
        throw new PodbayError('ErrInvalidArg', `parsing registries configuration ${source}: alias ${JSON.stringify(name)} value is not a valid reference`, { cause: error });
      }
      if (full.domain === undefined || full.tag !== undefined || full.digest !== undefined) {
        throw bad(source, `alias ${JSON.stringify(name)} must name a fully qualified repository without tag or digest`);
      }
      conf.aliases.set(name, target);
    }
  }
  return conf;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PodbayError('ErrInvalidArg', `reading registries configuration ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Loads the first existing main file, then each drop-in `*.conf` in lexical order. */
export function loadRegistriesConf(paths: { main: string[]; dropInDirs: string[]; files?: string[] } = defaultRegistriesConfPaths()): RegistriesConf {
  let conf = emptyRegistriesConf();
  for (const path of paths.main) {
    const text = readIfExists(path);
    if (text !== undefined) {
      conf = parseRegistriesConf(text, path, conf);
      break;
    }
  }
  for (const dir of paths.dropInDirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.conf')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const text = readIfExists(join(dir, name));
      if (text !== undefined) conf = parseRegistriesConf(text, join(dir, name), conf);
    }
  }
  for (const file of paths.files ?? []) {
    const text = readIfExists(file);
    if (text !== undefined) conf = parseRegistriesConf(text, file, conf);
  }
  return conf;
}

/** True when `name` (domain/path) starts with `prefix` at a component boundary. */
function prefixMatches(prefix: string, name: string): boolean {
  if (prefix.startsWith('*.')) {
    const host = name.split('/')[0]!.replace(/:\d+$/, '');
    return host.endsWith(prefix.slice(1)) && host.length > prefix.length - 1;
  }
  if (!name.startsWith(prefix)) return false;
  const next = name[prefix.length];
  return next === undefined || next === '/' || next === ':' || next === '@';
}

/** The entry whose prefix is the longest match for `ref` (a wildcard counts as shorter than any exact prefix). */
export function findRegistry(conf: RegistriesConf, ref: ImageReference): RegistryEntry | undefined {
  const name = formatReference(ref);
  let best: RegistryEntry | undefined;
  let bestLength = -1;
  for (const entry of conf.registries) {
    if (!prefixMatches(entry.prefix, name)) continue;
    const length = entry.prefix.startsWith('*.') ? 0 : entry.prefix.length;
    if (length > bestLength) {
      best = entry;
      bestLength = length;
    }
  }
  return best;
}

/**
 * Where to pull `ref` from: the entry's location replaces its prefix. Refuses blocked registries.
 * Returns the rewritten reference and whether it may use plain HTTP / unverified TLS.
 */
export function pullSource(conf: RegistriesConf, ref: ImageReference): { ref: ImageReference; insecure: boolean } {
  const entry = findRegistry(conf, ref);
  if (!entry) return { ref, insecure: false };
  if (entry.blocked) {
    throw new PodbayError('ErrInvalidArg', `registry ${ref.domain} is blocked in registries.conf (prefix ${entry.prefix})`);
  }
  if (entry.prefix.startsWith('*.') || entry.location === entry.prefix) return { ref, insecure: entry.insecure };
  const rewritten = `${entry.location}${repositoryName(ref).slice(entry.prefix.length)}`;
  const slash = rewritten.indexOf('/');
  return {
    ref: { domain: rewritten.slice(0, slash), path: rewritten.slice(slash + 1), tag: ref.tag, digest: ref.digest },
    insecure: entry.insecure,
  };
}

/** True when `host` (host[:port]) is marked insecure by some entry whose prefix is that host. */
export function isInsecureRegistry(conf: RegistriesConf, host: string): boolean {
  return findRegistry(conf, { domain: host, path: 'x' })?.insecure ?? false;
}

export interface ShortNameResolution {
  /** Candidates to try in order. */
  candidates: ImageReference[];
  origin: 'qualified' | 'alias' | 'search';
  mode: ShortNameMode;
}

/**
 * Resolves user input the podman way: qualified names are used as is; a short name uses its alias
 * when one matches, else each unqualified-search registry in order. With several search registries,
 * `enforcing` mode refuses when the caller cannot ask the user (`interactive` false), because
 * trying them in turn lets a squatter on an earlier registry win (containers/shortnames).
 */
export function resolveShortName(conf: RegistriesConf, input: string, options: { interactive?: boolean } = {}): ShortNameResolution {
  const user = parseUserReference(input);
  if (user.domain !== undefined) {
    return { candidates: [qualify(user, user.domain)], origin: 'qualified', mode: conf.shortNameMode };
  }
  const alias = conf.aliases.get(user.path);
  if (alias !== undefined) {
    const target = parseUserReference(alias);
    return {
      candidates: [qualify({ path: target.path, tag: user.tag, digest: user.digest }, target.domain!)],
      origin: 'alias',
      mode: conf.shortNameMode,
    };
  }
  if (conf.unqualifiedSearchRegistries.length === 0) {
    throw new PodbayError('ErrInvalidArg', `short-name ${JSON.stringify(input)} did not resolve to an alias and no unqualified-search registries are defined in registries.conf`);
  }
  if (conf.shortNameMode === 'enforcing' && conf.unqualifiedSearchRegistries.length > 1 && !options.interactive) {
    throw new PodbayError('ErrInvalidArg', `short-name ${JSON.stringify(input)} is ambiguous (short-name-mode is "enforcing" and there are ${conf.unqualifiedSearchRegistries.length} search registries): use a fully qualified name or add an alias`);
  }
  const candidates = conf.unqualifiedSearchRegistries.map((registry) => {
    const slash = registry.indexOf('/');
    // A search registry may carry a namespace (`quay.io/ns`): it prefixes the path.
    return slash < 0
      ? qualify(user, registry)
      : qualify({ ...user, path: `${registry.slice(slash + 1)}/${user.path}` }, registry.slice(0, slash));
  });
  return { candidates, origin: 'search', mode: conf.shortNameMode };
}

/**
 * registries.conf as podman reads it, with podbay.conf's `[registries]` on top: its search list when
 * it differs from the built-in default (or registries.conf has none), and its insecure registries.
 */
export function imageRegistriesConf(image: { searchRegistries: readonly string[]; insecureRegistries: readonly string[] }, paths: { main: string[]; dropInDirs: string[]; files?: string[] } = defaultRegistriesConfPaths()): RegistriesConf {
  let conf: RegistriesConf;
  try {
    conf = loadRegistriesConf(paths);
  } catch (error) {
    if (hasCode(error, 'ErrInvalidArg')) throw error;
    conf = emptyRegistriesConf();
  }
  const builtIn = image.searchRegistries.length === 1 && image.searchRegistries[0] === 'docker.io';
  if (conf.unqualifiedSearchRegistries.length === 0 || !builtIn) conf.unqualifiedSearchRegistries = [...image.searchRegistries];
  for (const host of image.insecureRegistries) {
    if (!isInsecureRegistry(conf, host)) conf.registries.push({ prefix: host, location: host, insecure: true, blocked: false, mirrors: [] });
  }
  return conf;
}
