import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import {
  resolveRuntimeConfig,
  withCgroupManager,
  withConfigFiles,
  withConmonEnv,
  withConmonPath,
  withDefaultTransport,
  withHostProbe,
  withInsecureRegistries,
  withMode,
  withOCIRuntime,
  withPidsLimit,
  withSearchRegistries,
  withSELinux,
  withSignaturePolicy,
  withStorageConfig,
} from '../../../main/core/runtime-config.ts';
import type { HostProbe, RuntimeDraft, RuntimeOption } from '../../../main/core/runtime-config.ts';
import { fakeProbe, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';

function resolve(options: RuntimeOption[], probe: HostProbe = fakeProbe) {
  const target: RuntimeDraft = { finalized: false, draft: { mode: null, configFiles: [], probe, overrides: {}, busyTimeoutMs: null } };
  for (const option of [withMode('rootful'), ...options]) option(target);
  return resolveRuntimeConfig(target.draft);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('runtime configuration', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  it('has podman-like rootful defaults', () => {
    const config = resolve([]);
    expect(config.storage).toEqual({ graphRoot: '/var/lib/podbay', runRoot: '/run/podbay', driver: 'overlay' });
    expect(config.image.defaultTransport).toBe('docker://');
    expect(config.engine.ociRuntime).toBe('crun');
    expect(config.engine.ociRuntimePath).toBe('/usr/bin/crun');
    expect(config.engine.cgroupManager).toBe('cgroupfs');
    expect(config.engine.eventsLogFile).toBe('/run/podbay/events/events.log');
    expect(config.containers).toEqual({ selinux: false, pidsLimit: 2048, logSizeMax: -1 });
  });

  it('falls back to vfs without overlay and picks systemd only where PID 1 is systemd', () => {
    const config = resolve([], { ...fakeProbe, overlaySupported: () => false, systemdBooted: () => true });
    expect(config.storage.driver).toBe('vfs');
    expect(config.engine.cgroupManager).toBe('systemd');
    expect(codeOf(() => resolve([withStorageConfig({ driver: 'overlay' })], { ...fakeProbe, overlaySupported: () => false }))).toBe('ErrInvalidArg');
    expect(codeOf(() => resolve([withCgroupManager('systemd')]))).toBe('ErrInvalidArg');
  });

  it('selects runc by name or a runtime by path, and reports a missing binary as null', () => {
    const only = (path: string): HostProbe => ({ ...fakeProbe, isExecutable: (p) => p === path });
    expect(resolve([withOCIRuntime('runc')], only('/usr/sbin/runc')).engine.ociRuntimePath).toBe('/usr/sbin/runc');
    expect(resolve([withOCIRuntime('/opt/rt/crun')], only('/opt/rt/crun')).engine.ociRuntimePath).toBe('/opt/rt/crun');
    expect(resolve([], only('/nothing')).engine.ociRuntimePath).toBeNull();
    expect(codeOf(() => resolve([withOCIRuntime('kata')]))).toBe('ErrInvalidArg');
  });

  it('applies call options over config files over defaults', () => {
    const system = join(store.dir, 'system.conf');
    const user = join(store.dir, 'user.conf');
    writeFileSync(system, '[containers]\npids_limit = 100\nlabel = true\n[engine]\nruntime = "runc"\n[registries]\nsearch = ["quay.io"]\n');
    writeFileSync(user, '[containers]\npids_limit = 200\nlog_size_max = 4096\n[engine.runtimes]\nyouki = ["/usr/bin/youki"]\n[storage]\ndriver = "vfs"\n');
    const config = resolve([withConfigFiles([system, user, join(store.dir, 'absent.conf')]), withPidsLimit(300), withOCIRuntime('youki')]);
    expect(config.containers).toEqual({ selinux: true, pidsLimit: 300, logSizeMax: 4096 });
    expect(config.image.searchRegistries).toEqual(['quay.io']);
    expect(config.engine.ociRuntime).toBe('youki');
    expect(config.engine.ociRuntimes.crun).toBeDefined();
    expect(config.storage.driver).toBe('vfs');
  });

  it('sets every option of RuntimeConfig', () => {
    const config = resolve([
      withStorageConfig({ graphRoot: store.graphRoot, runRoot: store.runRoot, driver: 'vfs' }),
      withDefaultTransport('oci-archive:'),
      withInsecureRegistries(['localhost:5000']),
      withSearchRegistries(['registry.example.com/team']),
      withSignaturePolicy('/etc/podbay/policy.json'),
      withConmonPath('/opt/conmon'),
      withConmonEnv(['PATH=/bin', 'FOO=bar']),
      withSELinux(true),
      withPidsLimit(-1),
    ]);
    expect(config.storage).toEqual({ graphRoot: store.graphRoot, runRoot: store.runRoot, driver: 'vfs' });
    expect(config.engine.eventsLogFile).toBe(join(store.runRoot, 'events', 'events.log'));
    expect(config.image).toEqual({ defaultTransport: 'oci-archive:', insecureRegistries: ['localhost:5000'], searchRegistries: ['registry.example.com/team'], signaturePolicyPath: '/etc/podbay/policy.json' });
    expect(config.engine.conmon).toBe('/opt/conmon');
    expect(config.engine.conmonEnv).toEqual(['PATH=/bin', 'FOO=bar']);
    expect(config.containers).toEqual({ selinux: true, pidsLimit: -1, logSizeMax: -1 });
  });

  it.each([
    ['a relative graph root', withStorageConfig({ graphRoot: 'relative' })],
    ['an unknown transport', withDefaultTransport('ftp://')],
    ['a bad registry', withInsecureRegistries(['not a host'])],
    ['a relative conmon path', withConmonPath('conmon')],
    ['a conmon env entry without =', withConmonEnv(['PATH'])],
    ['a pids limit below -1', withPidsLimit(-5)],
    ['a fractional pids limit', withPidsLimit(1.5)],
  ])('rejects %s with ErrInvalidArg', (_what, option) => {
    expect(codeOf(() => resolve([option]))).toBe('ErrInvalidArg');
  });

  it.each([
    ['an unknown section', '[network]\nx = 1\n'],
    ['an unknown key', '[engine]\nruntme = "crun"\n'],
    ['a value of the wrong type', '[containers]\npids_limit = "many"\n'],
    ['invalid TOML', '[engine\n'],
  ])('rejects a config file with %s, naming the file', (_what, text) => {
    mkdirSync(store.dir, { recursive: true });
    const file = join(store.dir, 'bad.conf');
    writeFileSync(file, text);
    let error: unknown;
    try {
      resolve([withConfigFiles([file])]);
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect(String(error)).toContain(file);
  });

  it('throws ErrRuntimeFinalized for an option on a finalized draft', () => {
    const target: RuntimeDraft = { finalized: true, draft: { mode: null, configFiles: [], probe: null, overrides: {}, busyTimeoutMs: null } };
    expect(codeOf(() => withPidsLimit(5)(target))).toBe('ErrRuntimeFinalized');
    expect(codeOf(() => withHostProbe(fakeProbe)(target))).toBe('ErrRuntimeFinalized');
  });
});
