// Typed factories for core tests: a temporary store directory, a runtime on it that reads no config
// file of the host, and a rootfs directory to create containers from.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runtime } from '../../main/core/runtime.ts';
import type { RuntimeDeps } from '../../main/core/runtime.ts';
import { withConfigFiles, withHostProbe, withMode, withStorageConfig } from '../../main/core/runtime-config.ts';
import type { HostProbe, RuntimeOption } from '../../main/core/runtime-config.ts';
import type { ContainerSpec } from '../../main/core/container-config.ts';
import { afterEach, beforeEach } from 'vitest';
import { withOCIRuntime } from '../../main/core/runtime-config.ts';
import { makeBusyboxRootfs } from './oci-rootfs.ts';
import { releaseStoreNetworks } from './store-networks.ts';

export interface TempStore {
  dir: string;
  graphRoot: string;
  runRoot: string;
  rootfs: string;
  eventsLog: string;
  cleanup(): void;
}

export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-core-'));
  const graphRoot = join(dir, 'graph');
  const runRoot = join(dir, 'run');
  const rootfs = join(dir, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  const cleanup = () => {
    releaseStoreNetworks(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, graphRoot, runRoot, rootfs, eventsLog: join(runRoot, 'events', 'events.log'), cleanup };
}

/** A host with overlay, without systemd, where every path is executable. */
export const fakeProbe: HostProbe = { overlaySupported: () => true, systemdBooted: () => false, isExecutable: () => true };

/** No config file of the host — only the test run's override (the default network of test stores, vitest.config.ts). */
export function storeOptions(store: TempStore): RuntimeOption[] {
  const override = process.env.PODBAY_CONF_OVERRIDE;
  return [withMode('rootful'), withConfigFiles(override ? [override] : []), withHostProbe(fakeProbe), withStorageConfig({ graphRoot: store.graphRoot, runRoot: store.runRoot })];
}

export function openRuntime(store: TempStore, options: RuntimeOption[] = [], deps: RuntimeDeps = {}): Runtime {
  return Runtime.create([...storeOptions(store), ...options], deps);
}

export const sleepSpec: ContainerSpec = { process: { args: ['sleep', 'infinity'] } };

/** Whether an exit command (`podbay … container cleanup`, run by conmon) still works on the store in `dir`. */
export function exitCommandsRunning(dir: string): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/run\0container\0cleanup`)) return true;
    } catch {
      // exited meanwhile
    }
  }
  return false;
}

/**
 * Deletes a test store once no exit command writes under it any more: conmon runs `container cleanup`
 * as its own process after a container exits, and one still writing (the SQLite WAL, the events log)
 * while the tree is deleted makes rmdir fail with ENOTEMPTY.
 */
export async function removeStoreDir(dir: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (exitCommandsRunning(dir) && Date.now() < deadline) await sleep(20);
  releaseStoreNetworks(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
}

export interface CrunStoreFixture {
  readonly store: TempStore;
  /** Replaceable: a test that shuts it down opens another for the teardown. */
  runtime: Runtime;
  reopen(): Runtime;
}

/**
 * For a describe block: before each test a fresh store with a busybox rootfs and a crun runtime on it
 * that has no exit command (cliScript: null: nothing of Podbay runs at an exit unless the test makes
 * it); after each, every container removed, the runtime shut down and the store deleted.
 */
export function useCrunStore(): CrunStoreFixture {
  const open = (store: TempStore) => openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
  let current: { store: TempStore; runtime: Runtime } | null = null;
  const fixture: CrunStoreFixture = {
    get store() {
      return (current as { store: TempStore }).store;
    },
    get runtime() {
      return (current as { runtime: Runtime }).runtime;
    },
    set runtime(runtime: Runtime) {
      (current as { runtime: Runtime }).runtime = runtime;
    },
    reopen() {
      fixture.runtime = open(fixture.store);
      return fixture.runtime;
    },
  };
  beforeEach(() => {
    const store = tempStore();
    makeBusyboxRootfs(store.rootfs);
    current = { store, runtime: open(store) };
  });
  afterEach(async () => {
    const { store, runtime } = current as { store: TempStore; runtime: Runtime };
    try {
      await runtime.removeContainers(runtime.containers(), true, { timeout: 0 });
      runtime.shutdown(true);
    } catch {
      // the test shut it down
    }
    await removeStoreDir(store.dir);
    current = null;
  });
  return fixture;
}
