// Crash anywhere and lose nothing: every multi-step operation of the CLI SIGKILLed at its kill points
// (test/helpers/crash-harness.ts), each followed by system check --repair, a clean second check, a
// data-loss check against what was complete before the kill, and a repeat of the operation. `npm test`
// tries a spread of points per operation; `npm run test:soak` tries every one (hundreds).
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage } from '../../../main/core/image/push.ts';
import { parseNormalizedReference } from '../../../main/core/image/reference.ts';
import { discardStore, mustCli, runCrashScenario, storeIn } from '../../helpers/crash-harness.ts';
import type { CrashReport, CrashScenario, CrashStore } from '../../helpers/crash-harness.ts';
import { busyboxLayer, busyboxMissing, buildImage, installImage, layerFromMembers, storeImage } from '../../helpers/image-builder.ts';
import type { BuiltLayer } from '../../helpers/image-builder.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import type { RegistryServer } from '../../helpers/registry-server.ts';
import { recordSoak, scale, soak } from '../../helpers/soak.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? registryMissing() ?? busyboxMissing() ?? null;

/** A layer of `files` small files in a few directories: many extraction steps, little data. */
function manyFiles(tag: string, files: number): BuiltLayer {
  const dirs = ['a/', 'a/b/', 'c/'];
  return layerFromMembers([
    ...dirs.map((name) => ({ name: `${tag}/${name}`, type: 'dir' as const })),
    ...Array.from({ length: files }, (_, i) => ({ name: `${tag}/${dirs[i % dirs.length]}f${i}`, data: `${tag} file ${i}\n`.repeat(i + 1) })),
  ]);
}

const names = (facts: { containers: Map<string, string> }) => [...facts.containers.keys()];

describe.skipIf(skip !== null)(`crash consistency${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let work: string;
  let baseline: CrashStore;
  let registry: RegistryServer;
  let archive: string;
  let rootfsTarball: string;
  let filesToCommit: string;
  const reports: CrashReport[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'podbay-crash-work-'));
    registry = await startRegistry();
    const source = join(work, 'source');
    const pulled = buildImage([manyFiles('one', 24), manyFiles('two', 24), manyFiles('three', 12)]);
    await storeImage(source, pulled);
    await pushImage(parseNormalizedReference(`${registry.host}/crash/img:1`), { graphRoot: source, manifestDigest: pulled.manifestDigest, tlsVerify: false });

    // What every copy starts from: images, a container and a pod that a kill must never take away.
    baseline = storeIn(join(work, 'baseline'));
    await installImage(baseline.root, buildImage([busyboxLayer()]), 'localhost/busybox:latest');
    await installImage(baseline.root, buildImage([manyFiles('spare', 10)]), 'localhost/crash/spare:latest');
    mustCli(baseline, ['create', '--network', 'none', '--name', 'keeper', 'localhost/busybox', 'sleep', '1000']);
    mustCli(baseline, ['pod', 'create', '--name', 'pkeep']);
    mustCli(baseline, ['create', '--network', 'none', '--pod', 'pkeep', '--name', 'pmember', 'localhost/busybox', 'sleep', '1000']);

    // An archive of an image the baseline does not have, for load.
    const other = storeIn(join(work, 'other'));
    await installImage(other.root, buildImage([manyFiles('loaded', 30), manyFiles('loaded2', 20)]), 'localhost/crash/loadme:latest');
    archive = join(work, 'loadme.tar');
    rootfsTarball = join(work, 'rootfs.tar.gz');
    writeFileSync(rootfsTarball, manyFiles('imported', 30).blob);
    mustCli(other, ['save', '--format', 'oci-archive', '-o', archive, 'localhost/crash/loadme:latest']);
    // A directory a commit finds in the container's writable layer (copied in by `cp`).
    filesToCommit = join(work, 'committed');
    mkdirSync(join(filesToCommit, 'sub'), { recursive: true });
    for (let i = 0; i < 16; i++) writeFileSync(join(filesToCommit, i % 2 ? 'sub' : '', `c${i}`), `commit file ${i}\n`.repeat(i + 1));
    await discardStore(other);
  }, 180_000);

  afterAll(async () => {
    const points = reports.reduce((n, r) => n + r.tried, 0);
    const repairs = reports.reduce((n, r) => n + Object.values(r.repairs).reduce((a, b) => a + b, 0), 0);
    const kinds = new Map<string, number>();
    for (const r of reports) for (const [k, v] of Object.entries(r.repairs)) kinds.set(k, (kinds.get(k) ?? 0) + v);
    recordSoak({
      suite: 'crash consistency (SIGKILL at every kill point)',
      killPoints: points,
      repairs,
      dataLost: reports.reduce((n, r) => n + r.dataLost.length, 0),
      crashes: reports.reduce((n, r) => n + r.failures.length, 0),
      notes: `${reports.map((r) => `${r.scenario} ${r.tried}/${r.points.length}`).join(', ')}; repaired: ${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing'}`,
    });
    await registry?.stop();
    if (baseline) await discardStore(storeIn(work));
  });

  const scenarios: (CrashScenario & { fast: number })[] = [
    {
      name: 'pull',
      fast: 5,
      operation: () => ['pull', '--tls-verify=false', `${registry.host}/crash/img:1`],
      verify: (_s, facts) => {
        if (![...facts.images.values()].some((n) => n.includes(`${registry.host}/crash/img:1`))) throw new Error('the pulled image is not listed');
      },
    },
    {
      name: 'load',
      fast: 4,
      operation: () => ['load', '-i', archive],
      verify: (_s, facts) => {
        if (![...facts.images.values()].some((n) => n.includes('localhost/crash/loadme:latest'))) throw new Error('the loaded image is not listed');
      },
    },
    {
      name: 'import',
      fast: 2,
      operation: () => ['import', rootfsTarball, 'localhost/crash/imported:1'],
      verify: (_s, facts) => {
        if (![...facts.images.values()].some((n) => n.includes('localhost/crash/imported:1'))) throw new Error('the imported image is not listed');
      },
    },
    {
      name: 'commit',
      fast: 3,
      setup: () => [['create', '--network', 'none', '--name', 'changer', 'localhost/busybox', 'true'], ['cp', filesToCommit, 'changer:/committed']],
      operation: () => ['commit', '-q', 'changer', 'localhost/crash/committed:1'],
      verify: (s, facts) => {
        if (![...facts.images.values()].some((n) => n.includes('localhost/crash/committed:1'))) throw new Error('the committed image is not listed');
        const listing = mustCli(s, ['run', '--rm', '--network', 'none', 'localhost/crash/committed:1', 'cat', '/committed/sub/c15']);
        if (!listing.includes('commit file 15')) throw new Error(`the committed file is not in the image: ${listing}`);
      },
    },
    {
      name: 'save',
      fast: 1,
      operation: (s) => ['save', '--format', 'docker-archive', '-o', join(s.dir, 'out.tar'), 'localhost/busybox'],
      verify: (s) => {
        if (!(statSync(join(s.dir, 'out.tar')).size > 1024)) throw new Error('the archive is empty');
      },
    },
    {
      name: 'push',
      fast: 2,
      operation: (s) => ['push', '--tls-verify=false', 'localhost/crash/spare', `${registry.host}/crash/pushed-${s.dir.slice(-6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}:1`],
      verify: () => undefined,
    },
    {
      name: 'create',
      fast: 2,
      operation: () => ['create', '--network', 'none', '--name', 'fresh', 'localhost/busybox', 'sleep', '1000'],
      // Killed after the commit, the container exists: creating it again is refused by name, which is its end state.
      repeatOk: (r) => r.code === 0 || /already in use/.test(r.stderr),
      verify: (_s, facts) => {
        if (!facts.containers.has('fresh')) throw new Error('container fresh does not exist');
      },
    },
    {
      name: 'run',
      fast: 3,
      operation: () => ['run', '-d', '--network', 'none', '--name', 'runner', 'localhost/busybox', 'sleep', '1000'],
      repeat: (_s, facts) => (facts.containers.has('runner') ? ['start', 'runner'] : ['run', '-d', '--network', 'none', '--name', 'runner', 'localhost/busybox', 'sleep', '1000']),
      verify: (s) => {
        const ps = JSON.parse(mustCli(s, ['ps', '--format', 'json'])) as { Names: string[]; State: string }[];
        if (!ps.some((c) => c.Names.includes('runner') && c.State === 'running')) throw new Error('runner is not running');
      },
    },
    {
      name: 'rm -f (running)',
      fast: 2,
      setup: () => [['run', '-d', '--network', 'none', '--name', 'victim', 'localhost/busybox', 'sleep', '1000']],
      operation: () => ['rm', '-f', '-t', '0', 'victim'],
      repeatOk: (r) => r.code === 0 || (r.code === 1 && /no container/.test(r.stderr)),
      removes: (kind, name) => kind === 'container' && name === 'victim',
      verify: (_s, facts) => {
        if (facts.containers.has('victim')) throw new Error('victim is still there');
      },
    },
    {
      name: 'pod rm -f (running)',
      fast: 2,
      setup: () => [['pod', 'create', '--name', 'doomed'], ['create', '--network', 'none', '--stop-timeout', '0', '--pod', 'doomed', '--name', 'd1', 'localhost/busybox', 'sleep', '1000'], ['pod', 'start', 'doomed']],
      operation: () => ['pod', 'rm', '-f', 'doomed'],
      repeatOk: (r) => r.code === 0 || (r.code === 1 && /no pod/.test(r.stderr)),
      removes: (kind, name) => (kind === 'pod' && name === 'doomed') || (kind === 'container' && (name === 'd1' || name.endsWith('-infra'))),
      verify: (_s, facts) => {
        if (facts.pods.has('doomed') || facts.containers.has('d1')) throw new Error('the pod or its member is still there');
        const infra = names(facts).filter((n) => n.endsWith('-infra'));
        if (infra.length !== 1) throw new Error(`infra containers left: ${infra.join(', ')} (only pkeep's should be)`);
      },
    },
    {
      name: 'rmi',
      fast: 2,
      operation: () => ['rmi', 'localhost/crash/spare'],
      repeatOk: (r) => r.code === 0 || (r.code === 1 && /image not known/.test(r.stderr)),
      removes: (kind, name) => kind === 'image' && name === 'localhost/crash/spare:latest',
      verify: (_s, facts) => {
        if ([...facts.images.values()].some((n) => n.includes('localhost/crash/spare:latest'))) throw new Error('the image is still there');
      },
    },
    {
      name: 'tag',
      fast: 1,
      operation: () => ['tag', 'localhost/busybox', 'localhost/retagged:1'],
      verify: (_s, facts) => {
        if (![...facts.images.values()].some((n) => n.includes('localhost/retagged:1'))) throw new Error('the new name is not there');
      },
    },
    {
      name: 'volume create',
      fast: 1,
      operation: () => ['volume', 'create', 'fresh-volume'],
      repeatOk: (r) => r.code === 0 || /already exists/.test(r.stderr),
      verify: (_s, facts) => {
        if (!facts.volumes.has('fresh-volume')) throw new Error('volume fresh-volume does not exist');
      },
    },
    {
      name: 'volume rm',
      fast: 1,
      setup: () => [['volume', 'create', 'doomed-volume']],
      operation: () => ['volume', 'rm', 'doomed-volume'],
      repeatOk: (r) => r.code === 0 || /no such volume/.test(r.stderr),
      removes: (kind, name) => kind === 'volume' && name === 'doomed-volume',
      verify: (_s, facts) => {
        if (facts.volumes.has('doomed-volume')) throw new Error('the volume is still there');
      },
    },
    {
      name: 'create -v (a new named volume)',
      fast: 1,
      operation: () => ['create', '--network', 'none', '-v', 'made-with:/data', '--name', 'with-volume', 'localhost/busybox', 'sleep', '1000'],
      repeatOk: (r) => r.code === 0 || /already in use/.test(r.stderr),
      verify: (_s, facts) => {
        if (!facts.containers.has('with-volume') || !facts.volumes.has('made-with')) throw new Error('the container or its volume does not exist');
      },
    },
    {
      name: 'pod create',
      fast: 1,
      operation: () => ['pod', 'create', '--name', 'newpod'],
      repeatOk: (r) => r.code === 0 || /already in use/.test(r.stderr),
      verify: (_s, facts) => {
        if (!facts.pods.has('newpod')) throw new Error('pod newpod does not exist');
      },
    },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.name}: recovers from a SIGKILL at ${soak ? 'every kill point' : `${scenario.fast} of its kill points`}`, async () => {
      const report = await runCrashScenario(baseline, scenario, soak ? 'all' : scenario.fast);
      reports.push(report);
      expect(report.points.length, 'the operation passes kill points').toBeGreaterThan(0);
      expect(report.failures).toEqual([]);
      expect(report.dataLost).toEqual([]);
      expect(report.reached).toBe(report.tried);
    }, scale(240_000, 3_600_000));
  }

  it('tries at least 200 kill points in the full run (counted from the traces)', () => {
    const total = reports.reduce((n, r) => n + r.points.length, 0);
    expect(reports).toHaveLength(scenarios.length);
    expect(total).toBeGreaterThanOrEqual(200);
    if (soak) expect(reports.reduce((n, r) => n + r.tried, 0)).toBe(total);
    else expect(reports.reduce((n, r) => n + r.tried, 0)).toBeGreaterThanOrEqual(20);
  });
});
