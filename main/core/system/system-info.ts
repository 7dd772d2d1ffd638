// Assembles `system.info`: everything is read off this machine on each call (the probes run in
// parallel, ~10 ms), so the System page never shows a stale answer after the user fixes something.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { arch, cpus, hostname, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { SystemInfo } from '../../../shared/types/system-info.ts';
import type { Exec } from '../exec.ts';
import type { RuntimePaths } from '../runtime-paths.ts';
import { podbayVersion } from '../version.ts';
import { readCgroupInfo, ociRuntimeUsability } from './cgroups.ts';
import { componentSpecs, probeComponent } from './components.ts';
import { readRlimits } from './rlimits.ts';
import { hostIdentity } from '../rootless/host-identity.ts';
import { readRootlessInfo } from '../rootless/rootless-probe.ts';

export interface SystemInfoOptions {
  paths: RuntimePaths;
  exec: Exec;
  /** The OCI runtime chosen by config or --runtime. */
  defaultRuntime?: string;
}

export async function readSystemInfo({ paths, exec, defaultRuntime = 'crun' }: SystemInfoOptions): Promise<SystemInfo> {
  const cgroupsRead = readCgroupInfo();
  const [components, cgroups, rlimits, os, rootless] = await Promise.all([
    Promise.all(componentSpecs.map((spec) => probeComponent(spec, exec))),
    cgroupsRead,
    readRlimits(),
    readOsName(),
    paths.mode === 'rootless' ? cgroupsRead.then((cgroups) => readRootlessInfo({ exec, cgroups })) : null,
  ]);

  // A runtime that is present but cannot run containers on this host is "unusable", with the fix.
  for (const component of components) {
    if (component.role !== 'oci-runtime' || component.status !== 'ok') continue;
    const usability = ociRuntimeUsability(component.name, cgroups);
    if (!usability.usable) Object.assign(component, { status: 'unusable', problem: usability.problem, fix: usability.fix });
  }
  const runtime = components.find((c) => c.name === defaultRuntime || c.path === defaultRuntime);
  const ociRuntime = runtime
    ? { default: runtime.name, usable: runtime.status === 'ok', problem: runtime.problem, fix: runtime.fix }
    : { default: defaultRuntime, usable: false, problem: `OCI runtime ${defaultRuntime} is not known`, fix: { note: 'choose crun or runc with --runtime', command: null, alternative: null } };

  return {
    podbay: {
      version: podbayVersion,
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      pid: process.pid,
      mode: paths.mode,
      uid: hostIdentity().uid,
    },
    host: { kernel: release(), os, arch: arch(), hostname: hostname(), cpus: cpus().length, memTotal: totalmem(), cgroups, rlimits },
    components,
    ociRuntime,
    store: {
      graphRoot: paths.graphRoot,
      runRoot: paths.runRoot,
      graphRootExists: existsSync(paths.graphRoot),
      runRootExists: existsSync(paths.runRoot),
      databasePath: join(paths.graphRoot, 'podbay.db'),
      configFiles: paths.configFiles.filter((file) => existsSync(file)),
    },
    rootless,
  };
}

async function readOsName(): Promise<string> {
  try {
    const text = await readFile('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}
