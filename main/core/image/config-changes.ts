// `--change` instructions, the one parser for commit and import (`applyChanges`): podman's
// handlers.DecodeChanges (accepting the documented `CMD=/bin/sh` form by turning the first `=` before
// any space into a space), then libimage's ImageConfigFromChanges (podman 4's parser: CMD,
// ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR), and the way libpod's
// Commit applies them to the new image's config: USER/ENTRYPOINT/CMD/WORKDIR/STOPSIGNAL replace, ENV
// replaces its key, EXPOSE, VOLUME, LABEL and ONBUILD add. Beyond libimage, as in a Dockerfile:
// `ENV A=1 B="b c"` and `LABEL a=1 b=2` set several pairs, `ENV KEY value` is the legacy form, and
// `EXPOSE 80 53/udp` several ports; paths of VOLUME and the WORKDIR reached must be absolute. Pure.
import { posix } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';
import { parseSignal } from '../container-config.ts';

export interface ConfigChanges {
  user?: string;
  exposedPorts: string[];
  env: string[];
  entrypoint?: string[];
  cmd?: string[];
  volumes: string[];
  workingDir?: string;
  labels: Record<string, string>;
  /** As a number (libimage writes the parsed signal's number). */
  stopSignal?: string;
  onBuild: string[];
}

/** podman's DecodeChanges: splits multi-line values, trims, and turns `KEY=VALUE` into `KEY VALUE`. */
export function decodeChanges(changes: readonly string[]): string[] {
  const out: string[] = [];
  for (const multi of changes) {
    for (const raw of multi.split('\n')) {
      const change = raw.trim();
      if (change === '') continue;
      const eq = change.indexOf('=');
      const space = change.search(/\s/);
      out.push(eq !== -1 && (space === -1 || eq < space) ? `${change.slice(0, eq)} ${change.slice(eq + 1)}` : change);
    }
  }
  return out;
}

function invalid(change: string, why: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `invalid change "${change}" - ${why}`);
}

function jsonArray(value: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((v) => typeof v === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** libimage ImageConfigFromChanges over already decoded changes; a bad one → ErrInvalidArg naming it. */
export function imageConfigFromChanges(changes: readonly string[]): ConfigChanges {
  const config: ConfigChanges = { exposedPorts: [], env: [], volumes: [], labels: {}, onBuild: [] };
  for (const change of changes) {
    let split = splitOnce(change, ' ');
    if (!split) {
      split = splitOnce(change, '=');
      if (!split) throw invalid(change, 'must be formatted as KEY VALUE');
    }
    const key = split[0].trim().toUpperCase();
    const value = split[1].trim();
    switch (key) {
      case 'USER':
        if (value === '') throw invalid(change, 'must provide a value to USER');
        config.user = value;
        break;
      case 'EXPOSE':
        if (value === '') throw invalid(change, 'EXPOSE must be given a port');
        for (const spec of value.split(/\s+/)) config.exposedPorts.push(exposedPort(change, spec));
        break;
      case 'ENV':
        for (const [name, entry] of envEntries(value)) {
          if (name === '') throw invalid(change, 'ENV must have at least one argument');
          config.env.push(`${name}=${entry}`);
        }
        break;
      case 'ENTRYPOINT':
        // A JSON array as is; anything else is a shell command line (an empty one clears it).
        config.entrypoint = jsonArray(value) ?? (value !== '' ? ['/bin/sh', '-c', value] : []);
        break;
      case 'CMD':
        config.cmd = jsonArray(value) ?? ['/bin/sh', '-c', ...(value !== '' ? [value] : [])];
        break;
      case 'VOLUME': {
        const paths = jsonArray(value) ?? value.split(' ');
        if (paths.length === 0) throw invalid(change, 'must provide at least one argument to VOLUME');
        for (const path of paths) {
          if (path === '') throw invalid(change, 'VOLUME paths must not be empty');
          if (!path.startsWith('/')) throw invalid(change, `VOLUME ${path} is not an absolute path`);
          config.volumes.push(path);
        }
        break;
      }
      case 'WORKDIR':
        if (value === '') throw invalid(change, 'must provide a non-empty WORKDIR');
        // Each WORKDIR is relative to the previous one, as in a Dockerfile; where they lead must be absolute.
        config.workingDir = config.workingDir === undefined ? value : posix.join(config.workingDir, value);
        if (!config.workingDir.startsWith('/')) throw invalid(change, 'WORKDIR must lead to an absolute path');
        break;
      case 'LABEL': {
        if (!value.includes('=')) throw invalid(change, 'LABEL must be formatted key=value');
        for (const [name, label] of pairs(value) ?? [firstEquals(value)]) {
          if (name === '') throw invalid(change, 'LABEL must have a non-empty key');
          config.labels[name] = label;
        }
        break;
      }
      case 'STOPSIGNAL':
        try {
          config.stopSignal = String(parseSignal(value));
        } catch (error) {
          throw new PodbayError('ErrInvalidArg', `invalid change "${change}" - STOPSIGNAL must be given a valid signal`, { cause: error });
        }
        break;
      case 'ONBUILD':
        if (value === '') throw invalid(change, 'ONBUILD must be given an argument');
        config.onBuild.push(value);
        break;
      default:
        throw invalid(change, `invalid instruction ${key}`);
    }
  }
  return config;
}

/** libimage's EXPOSE check of one PORT[/PROTO]. */
function exposedPort(change: string, spec: string): string {
  const parts = spec.split('/');
  if (parts.length > 2) throw invalid(change, 'EXPOSE port must be formatted as PORT[/PROTO]');
  const port = /^\d+$/.test(parts[0] ?? '') ? Number(parts[0]) : NaN;
  if (!Number.isInteger(port)) throw invalid(change, 'EXPOSE port must be an integer');
  if (port <= 0 || port > 65535) throw invalid(change, 'EXPOSE port must be a valid port number');
  const proto = (parts[1] ?? 'tcp').toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') throw invalid(change, 'EXPOSE protocol must be TCP or UDP');
  return `${port}/${proto}`;
}

/** `K=V K2="v 2"` as a Dockerfile reads it (quotes stripped from keys and values); null unless the whole text is pairs. */
function pairs(text: string): [string, string][] | null {
  const re = /\s*("(?:[^"\\]|\\.)*"|[^\s="]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/gy;
  const out: [string, string][] = [];
  let end = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push([unquote(m[1]!), unquoteValue(m[2]!)]);
    end = re.lastIndex;
  }
  return out.length > 0 && text.slice(end).trim() === '' ? out : null;
}

/** libimage's reading: the key before the first `=`, the rest its value (quotes stripped). */
function firstEquals(text: string): [string, string] {
  const eq = text.indexOf('=');
  return [unquote(text.slice(0, eq)), unquote(text.slice(eq + 1))];
}

/** ENV's forms: pairs, one `KEY=a value`, the legacy `KEY a value`, or a bare `KEY` (empty). */
function envEntries(value: string): [string, string][] {
  if (value.includes('=')) return pairs(value) ?? [firstEquals(value)];
  const space = value.search(/\s/);
  return [space === -1 ? [unquote(value), ''] : [unquote(value.slice(0, space)), value.slice(space).trim()]];
}

function unquoteValue(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1).replace(/\\(.)/g, '$1');
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1);
  return text;
}

function splitOnce(text: string, separator: string): [string, string] | null {
  const at = text.indexOf(separator);
  return at === -1 ? null : [text.slice(0, at), text.slice(at + 1)];
}

/** Sets `key=value` in an env list, replacing an earlier value of the same key (buildah SetEnv). */
export function setEnv(env: readonly string[], key: string, value: string): string[] {
  return [...env.filter((e) => e !== key && !e.startsWith(`${key}=`)), `${key}=${value}`];
}

/**
 * Applies `changes` to an image config's `config` object (Docker/OCI field names) in the order
 * libpod's Commit does, returning a new object.
 */
export function applyConfigChanges(config: Record<string, unknown>, changes: ConfigChanges): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  if (changes.user !== undefined) out.User = changes.user;
  if (changes.exposedPorts.length > 0) {
    out.ExposedPorts = { ...((out.ExposedPorts as Record<string, unknown> | undefined) ?? {}), ...Object.fromEntries(changes.exposedPorts.map((p) => [p, {}])) };
  }
  let env = Array.isArray(out.Env) ? (out.Env as string[]) : [];
  for (const entry of changes.env) {
    const eq = entry.indexOf('=');
    env = setEnv(env, entry.slice(0, eq), entry.slice(eq + 1));
  }
  if (changes.env.length > 0) out.Env = env;
  if (changes.entrypoint !== undefined) out.Entrypoint = changes.entrypoint;
  if (changes.cmd !== undefined) out.Cmd = changes.cmd;
  if (changes.volumes.length > 0) {
    out.Volumes = { ...((out.Volumes as Record<string, unknown> | undefined) ?? {}), ...Object.fromEntries(changes.volumes.map((v) => [v, {}])) };
  }
  if (changes.workingDir !== undefined) out.WorkingDir = changes.workingDir;
  if (Object.keys(changes.labels).length > 0) out.Labels = { ...((out.Labels as Record<string, string> | undefined) ?? {}), ...changes.labels };
  if (changes.stopSignal !== undefined) out.StopSignal = changes.stopSignal;
  if (changes.onBuild.length > 0) out.OnBuild = [...((out.OnBuild as string[] | undefined) ?? []), ...changes.onBuild];
  return out;
}

/**
 * `--change`s as given (each may hold several lines) applied to an image config's `config` object:
 * decoded, parsed (ErrInvalidArg naming a bad one; a blank change is one) and applied in order.
 */
export function applyChanges(config: Record<string, unknown>, changes: readonly string[]): Record<string, unknown> {
  for (const change of changes) if (change.trim() === '') throw invalid(change, 'must be formatted as KEY VALUE');
  return applyConfigChanges(config, imageConfigFromChanges(decodeChanges(changes)));
}
