// Dockerfile-style changes applied to an image config (`podman import --change`, `commit --change`):
// buildah's ImportChanges set — CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER,
// VOLUME, WORKDIR. JSON-array forms are taken as is; the shell form of CMD/ENTRYPOINT becomes
// ["/bin/sh","-c",…] as in a Dockerfile. Anything else is refused with ErrInvalidArg.
import { PodbayError } from '../../../shared/errors.ts';

export type ConfigObject = Record<string, unknown>;

function bad(change: string, why: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `invalid change ${JSON.stringify(change.slice(0, 200))}: ${why}`);
}

function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // not JSON: the shell form
  }
  return undefined;
}

/** `K=V K2="v 2"` or the legacy `K V` form. */
function keyValues(rest: string, change: string): [string, string][] {
  if (!rest.includes('=')) {
    const space = rest.search(/\s/);
    if (space < 0) throw bad(change, 'needs KEY=VALUE');
    return [[rest.slice(0, space), rest.slice(space).trim()]];
  }
  const out: [string, string][] = [];
  const re = /([^\s=]+)=("((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))/g;
  let m: RegExpExecArray | null;
  let consumed = '';
  while ((m = re.exec(rest)) !== null) {
    out.push([m[1]!, m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? m[5] ?? '')]);
    consumed += m[0];
  }
  if (out.length === 0 || consumed.replace(/\s/g, '').length !== rest.replace(/\s/g, '').length) throw bad(change, 'needs KEY=VALUE pairs');
  return out;
}

/** Returns a new config object (`config` of the image config) with `changes` applied in order. */
export function applyConfigChanges(config: ConfigObject, changes: readonly string[]): ConfigObject {
  const out: ConfigObject = { ...config };
  for (const change of changes) {
    const trimmed = change.trim();
    const match = /^([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(trimmed);
    if (!match) throw bad(change, 'expected INSTRUCTION ARGUMENTS');
    const instruction = match[1]!.toUpperCase();
    const rest = (match[2] ?? '').trim();
    switch (instruction) {
      case 'CMD':
      case 'ENTRYPOINT': {
        const key = instruction === 'CMD' ? 'Cmd' : 'Entrypoint';
        out[key] = rest === '' ? null : (jsonArray(rest) ?? ['/bin/sh', '-c', rest]);
        break;
      }
      case 'ENV': {
        const env = Array.isArray(out.Env) ? [...(out.Env as string[])] : [];
        for (const [k, v] of keyValues(rest, change)) {
          const at = env.findIndex((e) => e.startsWith(`${k}=`));
          if (at >= 0) env[at] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
        }
        out.Env = env;
        break;
      }
      case 'LABEL': {
        const labels = { ...((out.Labels as Record<string, string> | null | undefined) ?? {}) };
        for (const [k, v] of keyValues(rest, change)) labels[k] = v;
        out.Labels = labels;
        break;
      }
      case 'EXPOSE': {
        const ports = { ...((out.ExposedPorts as Record<string, object> | undefined) ?? {}) };
        for (const p of rest.split(/\s+/).filter(Boolean)) {
          if (!/^\d{1,5}(?:-\d{1,5})?(?:\/(tcp|udp|sctp))?$/.test(p)) throw bad(change, `${p} is not PORT[/PROTOCOL]`);
          ports[p.includes('/') ? p : `${p}/tcp`] = {};
        }
        out.ExposedPorts = ports;
        break;
      }
      case 'VOLUME': {
        const volumes = { ...((out.Volumes as Record<string, object> | undefined) ?? {}) };
        for (const v of jsonArray(rest) ?? rest.split(/\s+/).filter(Boolean)) {
          if (!v.startsWith('/')) throw bad(change, `volume ${v} is not an absolute path`);
          volumes[v] = {};
        }
        out.Volumes = volumes;
        break;
      }
      case 'USER':
      case 'WORKDIR':
      case 'STOPSIGNAL': {
        if (rest === '') throw bad(change, `${instruction} needs a value`);
        const key = instruction === 'USER' ? 'User' : instruction === 'WORKDIR' ? 'WorkingDir' : 'StopSignal';
        if (instruction === 'WORKDIR' && !rest.startsWith('/')) throw bad(change, 'WORKDIR must be an absolute path');
        out[key] = rest;
        break;
      }
      case 'ONBUILD':
        if (rest === '') throw bad(change, 'ONBUILD needs an instruction');
        out.OnBuild = [...((out.OnBuild as string[] | undefined) ?? []), rest];
        break;
      default:
        throw bad(change, `${instruction} is not one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR`);
    }
  }
  return out;
}
