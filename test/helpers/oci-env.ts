// Drives real conmon + crun/runc from integration tests: a throw-away runtime root, exit dir, bundle and
// busybox rootfs per test, and the reason a host cannot run them (so a test skips by name, never passes).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OciRuntime, findOciRuntime } from '../../main/core/oci/oci-runtime.ts';
import type { ContainerPaths } from '../../main/core/oci/oci-runtime.ts';
import { mergeImageConfig } from '../../main/core/oci/spec-generator.ts';
import type { SpecGeneratorOptions } from '../../main/core/oci/spec-generator.ts';
import { prepareSpec } from '../../main/core/oci/prepare-spec.ts';
import type { OciSpec } from '../../main/core/oci/spec.ts';
import { hostBusybox, makeBusyboxRootfs } from './oci-rootfs.ts';

/** Why this host cannot run the OCI integration tests, or null when it can. */
export function ociSkipReason(runtime: 'crun' | 'runc'): string | null {
  if (process.geteuid?.() !== 0) return 'OCI integration tests need root (rootful conmon + runtime)';
  const binaries = { crun: '/usr/bin/crun', runc: '/usr/sbin/runc', conmon: '/usr/bin/conmon', busybox: hostBusybox };
  for (const [name, path] of Object.entries(binaries)) {
    if ((name === runtime || name === 'conmon' || name === 'busybox') && !existsSync(path)) return `${name} missing at ${path}`;
  }
  return null;
}

/**
 * crun 1.8 refuses every container on a cgroup v1 hybrid host whose cgroup2 tree still lists controllers
 * (runc does not). Suites that need a working crun skip by this reason; one test asserts the typed error.
 */
export function crunRefusalReason(runtime: 'crun' | 'runc'): string | null {
  if (runtime !== 'crun') return null;
  let controllers: string;
  try {
    controllers = readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8').trim();
  } catch {
    return null;
  }
  return controllers ? `crun refuses cgroup v1 hybrid mode while /sys/fs/cgroup/unified lists controllers (${controllers})` : null;
}

export interface OciTestEnv {
  dir: string;
  runtime: OciRuntime;
  rootfs: string;
  newId(): string;
  paths(id: string): ContainerPaths;
  spec(id: string, args: string[], extra?: Partial<SpecGeneratorOptions> & { userName?: string }): Promise<OciSpec>;
  cleanup(): Promise<void>;
}

export async function makeOciTestEnv(runtimeName: 'crun' | 'runc'): Promise<OciTestEnv> {
  const dir = mkdtempSync(join(tmpdir(), `podbay-oci-${runtimeName}-`));
  const found = await findOciRuntime(runtimeName);
  const runtime = new OciRuntime({
    ...found,
    stateRoot: join(dir, 'runtime-root'),
    exitDir: join(dir, 'exits'),
    persistRoot: join(dir, 'persist'),
  });
  const rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
  const created: string[] = [];
  const env: OciTestEnv = {
    dir,
    runtime,
    rootfs,
    newId: () => {
      const id = randomBytes(32).toString('hex');
      created.push(id);
      return id;
    },
    paths: (id) => ({
      bundleDir: join(dir, 'containers', id, 'userdata'),
      runDir: join(dir, 'run', id),
      logPath: join(dir, 'containers', id, 'userdata', 'ctr.log'),
    }),
    spec: async (id, args, { userName, ...extra } = {}) => {
      const merged = mergeImageConfig(null, { command: args, ...(userName !== undefined ? { user: userName } : {}) });
      return prepareSpec({
        id,
        name: `test-${id.slice(0, 8)}`,
        rootfs,
        userdataDir: env.paths(id).bundleDir,
        process: merged,
        files: { hostResolvConf: 'nameserver 10.0.0.1\n' },
        pidsLimit: 2048,
        stopSignal: merged.stopSignal,
        ...extra,
      });
    },
    cleanup: async () => {
      for (const id of created) await runtime.deleteContainer(id, { force: true }).catch(() => undefined);
      // A killed container's conmon writes its exit file moments later: let it land before removing the dir.
      await Promise.all(created.map((id) => runtime.waitForExit(id, { timeoutMs: 1000 }).catch(() => undefined)));
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
  return env;
}
