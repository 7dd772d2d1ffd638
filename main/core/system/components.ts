// Finds the helper programs podman relies on and reads their versions. Search paths follow
// containers.conf's defaults (conmon_path, helper_binaries_dir), then $PATH.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { ComponentInfo, ComponentName, ComponentRole } from '../../../shared/types/system-info.ts';
import type { Exec } from '../exec.ts';

interface ComponentSpec {
  name: ComponentName;
  role: ComponentRole;
  package: string;
  /** Looked at before $PATH, as containers.conf's helper dirs are. */
  knownPaths: string[];
  versionArgs: string[];
}

export const componentSpecs: readonly ComponentSpec[] = [
  { name: 'crun', role: 'oci-runtime', package: 'crun', knownPaths: ['/usr/bin/crun', '/usr/local/bin/crun'], versionArgs: ['--version'] },
  { name: 'runc', role: 'oci-runtime', package: 'runc', knownPaths: ['/usr/sbin/runc', '/usr/bin/runc', '/usr/local/sbin/runc'], versionArgs: ['--version'] },
  { name: 'conmon', role: 'monitor', package: 'conmon', knownPaths: ['/usr/libexec/podman/conmon', '/usr/bin/conmon', '/usr/local/bin/conmon'], versionArgs: ['--version'] },
  { name: 'catatonit', role: 'init', package: 'catatonit', knownPaths: ['/usr/libexec/podman/catatonit', '/usr/bin/catatonit'], versionArgs: ['--version'] },
  { name: 'netavark', role: 'network', package: 'netavark', knownPaths: ['/usr/lib/podman/netavark', '/usr/libexec/podman/netavark'], versionArgs: ['--version'] },
  { name: 'aardvark-dns', role: 'dns', package: 'aardvark-dns', knownPaths: ['/usr/lib/podman/aardvark-dns', '/usr/libexec/podman/aardvark-dns'], versionArgs: ['--version'] },
];

/** First executable among the known paths, then $PATH; null when none. */
export async function findBinary(name: string, knownPaths: readonly string[], envPath = process.env.PATH ?? ''): Promise<string | null> {
  const candidates = [...knownPaths, ...envPath.split(delimiter).filter(Boolean).map((dir) => join(dir, name))];
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: try the next place
    }
  }
  return null;
}

/** "crun version 1.8.1" → "1.8.1"; "tini version 0.1.7_catatonit" → "0.1.7"; "netavark 1.4.0" → "1.4.0". */
export function parseVersion(output: string): string | null {
  const firstLine = output.split('\n', 1)[0] ?? '';
  const match = /(\d+\.\d+(?:\.\d+)?(?:[-+~][0-9A-Za-z.+~-]+)?)/.exec(firstLine);
  return match?.[1] ?? null;
}

export async function probeComponent(spec: ComponentSpec, exec: Exec): Promise<ComponentInfo> {
  const base = { name: spec.name, role: spec.role, package: spec.package };
  const path = await findBinary(spec.name, spec.knownPaths);
  if (!path) {
    return {
      ...base,
      path: null,
      version: null,
      status: 'missing',
      problem: `${spec.name} was not found in ${spec.knownPaths[0]} or on $PATH`,
      fix: { note: null, command: `apt-get install -y ${spec.package}`, alternative: null },
    };
  }
  try {
    const result = await exec(path, spec.versionArgs, { timeoutMs: 5_000 });
    const version = parseVersion(`${result.stdout}\n${result.stderr}`.trim());
    if (result.exitCode !== 0 || !version) {
      return {
        ...base,
        path,
        version,
        status: 'unusable',
        problem: `${path} ${spec.versionArgs.join(' ')} exited with ${result.exitCode}: ${firstLine(result.stderr || result.stdout)}`,
        fix: { note: null, command: `apt-get install -y --reinstall ${spec.package}`, alternative: null },
      };
    }
    return { ...base, path, version, status: 'ok', problem: null, fix: null };
  } catch (error) {
    return {
      ...base,
      path,
      version: null,
      status: 'unusable',
      problem: `${path} could not be run: ${error instanceof Error ? error.message : String(error)}`,
      fix: { note: null, command: `apt-get install -y --reinstall ${spec.package}`, alternative: null },
    };
  }
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').slice(0, 200) || 'no output';
}
