// Faults of the programs the engine drives: conmon or the OCI runtime missing, crashing (SIGSEGV) or
// printing garbage; and the run root deleted under a running app. Each ends in a typed error with
// nothing half-created (the container stays as it was, nothing mounted, nothing left in the runtime:
// system check finds nothing), and the served app keeps answering — including starting new containers.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodbayError, errorCodes } from '../../../shared/errors.ts';
import type { ErrorCode } from '../../../shared/errors.ts';
import type { ContainerActionReport, ContainerCreateReport, ContainerListItem } from '../../../shared/types/containers.ts';
import type { SystemCheckReport } from '../../../shared/types/system-check.ts';
import { withName, withRootFSFromPath } from '../../../main/core/container-config.ts';
import { Runtime } from '../../../main/core/runtime.ts';
import { withConfigFiles, withConmonPath, withHostProbe, withMode, withOCIRuntime, withStorageConfig } from '../../../main/core/runtime-config.ts';
import type { RuntimeOption } from '../../../main/core/runtime-config.ts';
import { checkSystem } from '../../../main/core/system/system-check.ts';
import { fakeProbe } from '../../helpers/core-store.ts';
import { startServedHost } from '../../helpers/e2e-host.ts';
import type { ServedHost } from '../../helpers/e2e-host.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';
import { recordSoak } from '../../helpers/soak.ts';
import { connectWebHost } from '../../helpers/web-host-client.ts';
import type { WebHostClient } from '../../helpers/web-host-client.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');

/** Stand-ins for conmon and crun that fail in the ways real ones can. Shell scripts: test fakes only. */
const fakes: Record<string, string> = {
  'crun-segv': '#!/bin/sh\nkill -SEGV $$\n',
  'crun-garbage': '#!/bin/sh\nhead -c 3000 /dev/urandom\nhead -c 3000 /dev/urandom >&2\nexit 1\n',
  'crun-garbage-ok': '#!/bin/sh\nprintf "\\377\\376 not json {{{"\nexit 0\n',
  'conmon-segv': '#!/bin/sh\nkill -SEGV $$\n',
  'conmon-garbage': '#!/bin/sh\nhead -c 2000 /dev/urandom >&3\nexit 0\n',
  'conmon-silent': '#!/bin/sh\nexit 0\n',
  'conmon-json-lies': '#!/bin/sh\nprintf \'{"data": "not a pid"}\\n\' >&3\nexit 0\n',
};

describe.skipIf(skip !== null)(`faults of conmon, the OCI runtime and the run root${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let rootfs: string;
  let typed = 0;
  let cases = 0;
  const runtimes: Runtime[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-runtime-faults-'));
    rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    for (const [name, script] of Object.entries(fakes)) {
      writeFileSync(join(dir, name), script);
      chmodSync(join(dir, name), 0o755);
    }
  });
  afterAll(() => {
    recordSoak({ suite: 'conmon / OCI runtime faults, run root deleted', hostileInputs: cases, typedErrors: typed, crashes: 0 });
    for (const runtime of runtimes) runtime.shutdown(true);
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  function runtimeWith(name: string, options: RuntimeOption[]): Runtime {
    const store = join(dir, `store-${name}`);
    const runtime = Runtime.create([withMode('rootful'), withConfigFiles([]), withHostProbe(fakeProbe), withStorageConfig({ graphRoot: join(store, 'graph'), runRoot: join(store, 'run') }), ...options], { cliScript: null });
    runtimes.push(runtime);
    return runtime;
  }

  /** Starts a fresh container on `runtime`: must fail typed, leaving it configured and the store clean. */
  async function expectTypedStartFailure(runtime: Runtime, codes: ErrorCode[]): Promise<PodbayError> {
    cases++;
    const ctr = await runtime.newContainer({ process: { args: ['sleep', '1000'] } }, [withName(`victim-${cases}`), withRootFSFromPath(rootfs)]);
    let caught: unknown;
    try {
      await ctr.start();
    } catch (error) {
      caught = error;
    }
    expect(caught, 'the start must fail').toBeInstanceOf(PodbayError);
    const error = caught as PodbayError;
    expect(Object.hasOwn(errorCodes, error.code)).toBe(true);
    expect(codes, error.message).toContain(error.code);
    expect(error.message.length).toBeLessThan(5000);
    typed++;
    // Nothing of the attempt is kept: the container is as it was (with the error, once the runtime was found).
    const record = runtime.state().container(ctr.id());
    expect(record.state.status).toBe('configured');
    expect(record.state.pid).toBe(0);
    const report = await checkSystem(runtime);
    expect(report.issues).toEqual([]);
    return error;
  }

  it('refuses to start without the OCI runtime or without conmon, typed', async () => {
    await expectTypedStartFailure(runtimeWith('no-crun', [withOCIRuntime(join(dir, 'missing-crun'))]), ['ErrOCIRuntimeUnavailable']);
    await expectTypedStartFailure(runtimeWith('no-conmon', [withConmonPath(join(dir, 'missing-conmon'))]), ['ErrConmonNotFound']);
  });

  it('reports an OCI runtime that crashes or prints garbage, typed, and keeps nothing of the attempt', async () => {
    const segv = await expectTypedStartFailure(runtimeWith('crun-segv', [withOCIRuntime(join(dir, 'crun-segv'))]), ['ErrOCIRuntime']);
    expect(segv.message).toMatch(/conmon|create|signal|SIGSEGV/i);
    await expectTypedStartFailure(runtimeWith('crun-garbage', [withOCIRuntime(join(dir, 'crun-garbage'))]), ['ErrOCIRuntime']);
    await expectTypedStartFailure(runtimeWith('crun-garbage-ok', [withOCIRuntime(join(dir, 'crun-garbage-ok'))]), ['ErrOCIRuntime']);
  });

  it('reports a conmon that crashes, stays silent or lies on its sync pipe, typed', async () => {
    for (const fake of ['conmon-segv', 'conmon-garbage', 'conmon-silent', 'conmon-json-lies']) {
      await expectTypedStartFailure(runtimeWith(fake, [withConmonPath(join(dir, fake))]), ['ErrOCIRuntime']);
    }
  });

  describe('the run root deleted under a running app', () => {
    let host: ServedHost;
    let client: WebHostClient;
    const call = async <T>(path: string, input: unknown): Promise<T> => {
      const outcome = await client.call(path, input);
      if (!outcome.ok) throw new PodbayError(outcome.error.code, outcome.error.message);
      return outcome.value as T;
    };

    beforeAll(async () => {
      host = await startServedHost();
      client = await connectWebHost(host.origin, host.token);
    }, 60_000);
    afterAll(async () => {
      client?.close();
      await host?.stop();
    });

    it('answers every call typed or right, creates nothing half, and runs new containers again', async () => {
      const created = await call<ContainerCreateReport>('containers.create', { rootfs, command: ['sleep', '1000'], name: 'before', network: 'none', stopTimeout: 0, start: true });
      const running = (await call<ContainerListItem[]>('containers.list', { all: true })).find((c) => c.id === created.id);
      expect(running?.state).toBe('running');
      const pid = running?.pid ?? 0;
      expect(pid).toBeGreaterThan(0);

      rmSync(host.runRoot, { recursive: true, force: true });
      cases++;

      // The runtime lost its state, the process did not: stop still ends it (signalled under its conmon).
      const stoppedBefore = await call<ContainerActionReport[]>('containers.stop', { nameOrIds: ['before'], timeout: 0 });
      expect(stoppedBefore[0]?.error).toBeNull();
      expect(existsSync(`/proc/${pid}`)).toBe(false);

      // Every verb on the container that lost its run root: an answer, or a typed error.
      for (const [path, input] of [
        ['containers.list', { all: true }],
        ['containers.inspect', { nameOrId: 'before' }],
        ['containers.stop', { nameOrIds: ['before'], timeout: 0 }],
        ['containers.kill', { nameOrIds: ['before'] }],
        ['containers.start', { nameOrIds: ['before'] }],
        ['containers.remove', { nameOrIds: ['before'], force: true }],
        ['system.info', {}],
        ['system.check', { repair: true }],
      ] as const) {
        const outcome = await client.call(path, input);
        if (!outcome.ok) {
          expect(Object.hasOwn(errorCodes, outcome.error.code), `${path}: ${outcome.error.message}`).toBe(true);
          typed++;
        } else if (Array.isArray(outcome.value)) {
          for (const report of outcome.value as Partial<ContainerActionReport>[]) if (report?.error) expect(Object.hasOwn(errorCodes, report.error.code)).toBe(true);
        }
      }

      // The app still serves, and the engine works: a new container runs, stops and goes.
      const fresh = await call<ContainerCreateReport>('containers.create', { rootfs, command: ['sleep', '1000'], name: 'after', network: 'none', stopTimeout: 0, start: true });
      expect((await call<ContainerListItem[]>('containers.list', { all: true })).find((c) => c.id === fresh.id)?.state).toBe('running');
      expect(existsSync(join(host.runRoot, 'containers', fresh.id))).toBe(true);
      const stopped = await call<ContainerActionReport[]>('containers.stop', { nameOrIds: ['after'], timeout: 0 });
      expect(stopped[0]?.error).toBeNull();
      const removed = await call<ContainerActionReport[]>('containers.remove', { nameOrIds: ['after'], force: true });
      expect(removed.map((r) => r.error?.code ?? null)).toEqual([null]);
      expect(await call<ContainerListItem[]>('containers.list', { all: true })).toEqual([]);
      const report = await call<SystemCheckReport>('system.check', { repair: true });
      expect(report.issues.filter((i) => !i.repaired)).toEqual([]);
      expect((await call<SystemCheckReport>('system.check', {})).issues).toEqual([]);
    }, 120_000);
  });
});
