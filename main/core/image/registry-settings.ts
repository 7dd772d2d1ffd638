// The Registries page's engine side: what the standard files say about each registry, and the
// writes that add one — an entry in Podbay's own registries.conf drop-in (so podman and skopeo see
// it too), a CA in certs.d/<host>/ca.crt, credentials in auth.json — each written to a temp file
// and renamed into place. Nothing here keeps state of its own: the files are the truth.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes, X509Certificate } from 'node:crypto';
import { dirname, join } from 'node:path';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { PodbayError } from '../../../shared/errors.ts';
import type { RegistryInfo } from '../../../shared/types/registries.ts';
import { defaultAuthFilePaths, listStoredLogins, lookupAuth, removeCredentials, storeCredentials } from './auth.ts';
import type { Credentials } from './auth.ts';
import { defaultRegistriesConfPaths, imageRegistriesConf, podbayDropInPath } from './registries-conf.ts';
import type { RegistriesConf } from './registries-conf.ts';
import { defaultCertsDirs } from './tls-fetch.ts';

/** Every file the registry settings read or write; tests point them all into a temp dir. */
export interface RegistryFiles {
  registriesConf: { main: string[]; dropInDirs: string[]; files?: string[] };
  /** Podbay's drop-in: the only registries.conf file Podbay writes. */
  podbayDropIn: string;
  /** Read in order; the first is the one written (containers-auth.json(5)). */
  authFiles: string[];
  /** certs.d directories, read in order. */
  certsDirs: string[];
  /** Where an added CA goes: `<dir>/<host>/ca.crt`. */
  certsWriteDir: string;
}

/** The files podman uses for this user (HOME, XDG_RUNTIME_DIR, REGISTRY_AUTH_FILE, CONTAINERS_REGISTRIES_CONF). */
export function defaultRegistryFiles(env: NodeJS.ProcessEnv = process.env): RegistryFiles {
  const home = env.HOME ?? '/root';
  const certsDirs = defaultCertsDirs(home);
  return {
    registriesConf: defaultRegistriesConfPaths(home, env.CONTAINERS_REGISTRIES_CONF),
    podbayDropIn: podbayDropInPath(home),
    authFiles: defaultAuthFilePaths(env),
    certsDirs,
    // The user's certs.d: c/image reads it first, for root as for everyone else.
    certsWriteDir: certsDirs[0]!,
  };
}

export type ImageRegistryConfig = { searchRegistries: readonly string[]; insecureRegistries: readonly string[] };

/** `host[:port]` as a registry is named in references and auth.json; anything else → ErrInvalidArg. */
export function checkRegistryHost(input: string): string {
  const host = input.trim().replace(/^(https?|docker):\/\//, '').replace(/\/+$/, '');
  const valid = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host);
  const port = /:(\d+)$/.exec(host)?.[1];
  if (!valid || host.length > 255 || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new PodbayError('ErrInvalidArg', `invalid registry ${JSON.stringify(input.slice(0, 300))}: use host[:port] without a path, e.g. registry.example.com or 127.0.0.1:5000`);
  }
  return host;
}

function writeAtomic(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, text, { mode });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new PodbayError('ErrPermission', `writing ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Validates PEM text as one or more X.509 certificates (ErrInvalidArg naming the fault). */
export function checkCaPem(pem: string): string {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new PodbayError('ErrInvalidArg', 'the CA is not a PEM certificate (-----BEGIN CERTIFICATE----- …)');
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new PodbayError('ErrInvalidArg', `certificate ${i + 1} of the CA does not parse: ${(error as Error).message}`, { cause: error });
    }
  }
  return `${blocks.join('\n')}\n`;
}

interface DropInDoc {
  doc: Record<string, unknown>;
  entries: Record<string, unknown>[];
}

function readDropIn(path: string): DropInDoc {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { doc: {}, entries: [] };
    throw new PodbayError('ErrPermission', `reading ${path}: ${(error as Error).message}`, { cause: error });
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new PodbayError('ErrInvalidArg', `parsing registries configuration ${path}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const entries = Array.isArray(doc.registry) ? (doc.registry as Record<string, unknown>[]) : [];
  return { doc, entries };
}

function writeDropIn(path: string, { doc, entries }: DropInDoc): void {
  const out = { ...doc, registry: entries };
  if (entries.length === 0) delete (out as Record<string, unknown>).registry;
  const header = '# Registries added in Podbay (Registries page). podman, skopeo and buildah read this file too.\n';
  writeAtomic(path, `${header}${stringifyToml(out)}\n`, 0o644);
}

function entryHost(entry: Record<string, unknown>): string | undefined {
  const value = entry.prefix ?? entry.location;
  return typeof value === 'string' ? value.replace(/\/+$/, '') : undefined;
}

function caFilesOf(host: string, dirs: string[]): string[] {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(join(dir, host));
    } catch {
      continue;
    }
    // The first directory that exists for the host wins, as tls-fetch's loadCertsD reads it.
    return names.filter((n) => n.endsWith('.crt')).sort().map((n) => join(dir, host, n));
  }
  return [];
}

/** Every registry the files mention, sorted: search registries first (in their order), then by host. */
export function listRegistries(files: RegistryFiles, image: ImageRegistryConfig): RegistryInfo[] {
  const conf = imageRegistriesConf(image, files.registriesConf);
  const managed = new Set(readDropIn(files.podbayDropIn).entries.map(entryHost).filter((h): h is string => h !== undefined));
  const byHost = new Map<string, RegistryInfo>();
  const info = (host: string): RegistryInfo => {
    let found = byHost.get(host);
    if (!found) {
      found = { host, search: false, insecure: false, blocked: false, location: null, managed: false, caFiles: [], login: null, sources: [] };
      byHost.set(host, found);
    }
    return found;
  };
  const searchOrder = conf.unqualifiedSearchRegistries.map((r) => r.split('/')[0]!);
  for (const host of searchOrder) {
    const r = info(host);
    r.search = true;
    r.sources.push('unqualified-search-registries');
  }
  for (const entry of conf.registries) {
    const r = info(entry.prefix);
    r.insecure ||= entry.insecure;
    r.blocked ||= entry.blocked;
    if (entry.location && entry.location !== entry.prefix) r.location = entry.location;
    if (managed.has(entry.prefix)) {
      r.managed = true;
      r.sources.push(files.podbayDropIn);
    } else {
      r.sources.push('registries.conf');
    }
  }
  for (const login of listStoredLogins(files.authFiles)) {
    const host = login.key.split('/')[0]!;
    const r = info(host);
    if (!r.login) r.login = { username: login.username, authFile: login.authFile };
    if (!r.sources.includes(login.authFile)) r.sources.push(login.authFile);
  }
  for (const r of byHost.values()) {
    if (!r.host.startsWith('*.')) r.caFiles = caFilesOf(r.host, files.certsDirs);
    r.sources = [...new Set(r.sources)];
  }
  return [...byHost.values()].sort((a, b) => {
    const ia = searchOrder.indexOf(a.host);
    const ib = searchOrder.indexOf(b.host);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
    return a.host.localeCompare(b.host);
  });
}

export function registryInfo(files: RegistryFiles, image: ImageRegistryConfig, host: string): RegistryInfo {
  return (
    listRegistries(files, image).find((r) => r.host === host) ?? {
      host,
      search: false,
      insecure: false,
      blocked: false,
      location: null,
      managed: false,
      caFiles: [],
      login: null,
      sources: [],
    }
  );
}

export interface AddRegistryInput {
  host: string;
  insecure: boolean;
  /** PEM, validated before anything is written. */
  ca?: string;
}

/**
 * Writes a registry into Podbay's drop-in (replacing an entry of the same host there) and its CA.
 * A host defined in another registries.conf file can still get a CA and credentials; its entry
 * there is left alone (the drop-in then overrides `insecure`, as a later file does in c/image).
 */
export function writeRegistry(files: RegistryFiles, input: AddRegistryInput): void {
  const host = checkRegistryHost(input.host);
  const ca = input.ca !== undefined ? checkCaPem(input.ca) : undefined;
  const dropIn = readDropIn(files.podbayDropIn);
  const entries = dropIn.entries.filter((e) => entryHost(e) !== host);
  entries.push({ prefix: host, location: host, insecure: input.insecure });
  if (ca !== undefined) writeAtomic(join(files.certsWriteDir, host, 'ca.crt'), ca, 0o644);
  writeDropIn(files.podbayDropIn, { doc: dropIn.doc, entries });
}

/** Removes a registry Podbay added (drop-in entry, and the ca.crt Podbay wrote); false when it had none. */
export function removeRegistry(files: RegistryFiles, hostInput: string): boolean {
  const host = checkRegistryHost(hostInput);
  const dropIn = readDropIn(files.podbayDropIn);
  const entries = dropIn.entries.filter((e) => entryHost(e) !== host);
  if (entries.length === dropIn.entries.length) {
    throw new PodbayError('ErrInvalidArg', `registry ${host} was not added in Podbay (${files.podbayDropIn}): edit the registries.conf file that defines it`);
  }
  writeDropIn(files.podbayDropIn, { doc: dropIn.doc, entries });
  const caDir = join(files.certsWriteDir, host);
  rmSync(join(caDir, 'ca.crt'), { force: true });
  try {
    rmdirSync(caDir);
  } catch {
    // other certificates of the user's stay
  }
  return true;
}

/** Stores credentials in the first auth file (the caller proved them first, as `podbay login`). */
export function saveLogin(files: RegistryFiles, host: string, credentials: Credentials): void {
  storeCredentials(checkRegistryHost(host), credentials, files.authFiles[0]);
}

export function removeLogin(files: RegistryFiles, host: string): boolean {
  return removeCredentials(checkRegistryHost(host), files.authFiles[0]);
}

/** The stored login for a host (any auth file), for tests that use the saved credentials. */
export function storedLogin(files: RegistryFiles, host: string): Credentials | undefined {
  return lookupAuth(host, '', files.authFiles)?.credentials;
}

/** registries.conf as these files and podbay.conf make it. */
export function registriesConfOf(files: RegistryFiles, image: ImageRegistryConfig): RegistriesConf {
  return imageRegistriesConf(image, files.registriesConf);
}
