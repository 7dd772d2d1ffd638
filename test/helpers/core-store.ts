// Typed factories for core tests: a temporary store directory, a runtime on it that reads no config
// file of the host, and a rootfs directory to create containers from.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runtime } from '../../main/core/runtime.ts';
import type { RuntimeDeps } from '../../main/core/runtime.ts';
import { withConfigFiles, withHostProbe, withMode, withStorageConfig } from '../../main/core/runtime-config.ts';
import type { HostProbe, RuntimeOption } from '../../main/core/runtime-config.ts';
import type { ContainerSpec } from '../../main/core/container-config.ts';

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
  return { dir, graphRoot, runRoot, rootfs, eventsLog: join(runRoot, 'events', 'events.log'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A host with overlay, without systemd, where every path is executable. */
export const fakeProbe: HostProbe = { overlaySupported: () => true, systemdBooted: () => false, isExecutable: () => true };

export function storeOptions(store: TempStore): RuntimeOption[] {
  return [withMode('rootful'), withConfigFiles([]), withHostProbe(fakeProbe), withStorageConfig({ graphRoot: store.graphRoot, runRoot: store.runRoot })];
}

export function openRuntime(store: TempStore, options: RuntimeOption[] = [], deps: RuntimeDeps = {}): Runtime {
  return Runtime.create([...storeOptions(store), ...options], deps);
}

export const sleepSpec: ContainerSpec = { process: { args: ['sleep', 'infinity'] } };
