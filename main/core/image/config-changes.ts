// `--change` instructions for commit (and import): podman's handlers.DecodeChanges (accepting the
// documented `CMD=/bin/sh` form by turning the first `=` before any space into a space), then
// libimage's ImageConfigFromChanges (podman 4's parser: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
// ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR), and the way libpod's Commit applies them to the new
// image's config: USER/ENTRYPOINT/CMD/WORKDIR/STOPSIGNAL replace, ENV replaces its key, EXPOSE,
// VOLUME, LABEL and ONBUILD add. Pure.
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
      case 'EXPOSE': {
        const parts = value.split('/');
        if (parts.length > 2) throw invalid(change, 'EXPOSE port must be formatted as PORT[/PROTO]');
        const port = /^\d+$/.test(parts[0] ?? '') ? Number(parts[0]) : NaN;
        if (!Number.isInteger(port)) throw invalid(change, 'EXPOSE port must be an integer');
        if (port <= 0 || port > 65535) throw invalid(change, 'EXPOSE port must be a valid port number');
        const proto = (parts[1] ?? 'tcp').toLowerCase();
        if (proto !== 'tcp' && proto !== 'udp') throw invalid(change, 'EXPOSE protocol must be TCP or UDP');
        config.exposedPorts.push(`${port}/${proto}`);
        break;
      }
      case 'ENV': {
        const eq = value.indexOf('=');
        const name = unquote(eq === -1 ? value : value.slice(0, eq));
        if (name === '') throw invalid(change, 'ENV must have at least one argument');
        config.env.push(`${name}=${eq === -1 ? '' : unquote(value.slice(eq + 1))}`);
        break;
      }
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
          config.volumes.push(path);
        }
        break;
      }
      case 'WORKDIR':
        if (value === '') throw invalid(change, 'must provide a non-empty WORKDIR');
        // Each WORKDIR is relative to the previous one, as in a Dockerfile.
        config.workingDir = config.workingDir === undefined ? value : posix.join(config.workingDir, value);
        break;
      case 'LABEL': {
        const eq = value.indexOf('=');
        if (eq === -1) throw invalid(change, 'LABEL must be formatted key=value');
        const name = unquote(value.slice(0, eq));
        if (name === '') throw invalid(change, 'LABEL must have a non-empty key');
        config.labels[name] = unquote(value.slice(eq + 1));
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
