// system check over a real store (SQLite files, blob and layer dirs) damaged by hand in each of the
// ways a crash, a wiped run root or a stray process leaves it: each is reported, --repair repairs it
// and says so, and a second check finds nothing.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SystemCheckReport } from '../../../../shared/types/system-check.ts';
import { unresolvedIssues } from '../../../../shared/types/system-check.ts';
import { withName, withRootFSFromImage, withRootFSFromPath } from '../../../../main/core/container-config.ts';
import { digestOf } from '../../../../main/core/image/digest.ts';
import { withPodInfra, withPodName } from '../../../../main/core/pod-config.ts';
import { withVolumeName } from '../../../../main/core/volume-config.ts';
import type { Runtime } from '../../../../main/core/runtime.ts';
import { checkSystem } from '../../../../main/core/system/system-check.ts';
import { buildImage, installImage, layerFromMembers } from '../../../helpers/image-builder.ts';
import type { BuiltImage } from '../../../helpers/image-builder.ts';
import { openRuntime, sleepSpec, tempStore } from '../../../helpers/core-store.ts';
import type { TempStore } from '../../../helpers/core-store.ts';

const hex = (c: string) => c.repeat(64);
const kinds = (report: SystemCheckReport) => report.issues.map((i) => i.kind).sort();

/** A pid that is certainly not running (and so not a conmon): one past the kernel's maximum. */
const deadPid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim()) + 1;

describe('checkSystem', () => {
  let store: TempStore;
  let runtime: Runtime;
  let image: BuiltImage;
  let imageId: string;

  beforeEach(async () => {
    store = tempStore();
    image = buildImage([layerFromMembers([{ name: 'etc/', type: 'dir' }, { name: 'etc/hello', data: 'hello' }]), layerFromMembers([{ name: 'data', data: 'two' }])]);
    imageId = await installImage(store.graphRoot, image, 'localhost/check/one:latest');
    runtime = openRuntime(store, [], { cliScript: null });
  });
  afterEach(() => {
    runtime.shutdown(true);
    store.cleanup();
  });

  /** Runs check, then repair, then check again: the last must be clean. */
  async function repairs(expected: string[]): Promise<SystemCheckReport> {
    const found = await checkSystem(runtime);
    expect(kinds(found)).toEqual([...expected].sort());
    expect(found.issues.every((i) => i.repaired === undefined)).toBe(true);
    const repaired = await checkSystem(runtime, { repair: true });
    expect(kinds(repaired)).toEqual([...expected].sort());
    expect(unresolvedIssues(repaired)).toEqual([]);
    expect((await checkSystem(runtime)).issues).toEqual([]);
    return repaired;
  }

  it('finds nothing wrong with a sound store and counts what it examined', async () => {
    await runtime.newContainer(sleepSpec, [withName('plain'), withRootFSFromPath(store.rootfs)]);
    const report = await checkSystem(runtime);
    expect(report.issues).toEqual([]);
    expect(report.checked).toEqual({ containers: 1, pods: 0, images: 1, blobs: 4, layers: 2 });
    expect(report.skipped).toEqual([]);
  });

  it('deletes files of containers, pods and conmon exits that have no record', async () => {
    const keep = await runtime.newContainer(sleepSpec, [withName('keep'), withRootFSFromPath(store.rootfs)]);
    mkdirSync(join(store.graphRoot, 'containers', keep.id(), 'userdata'), { recursive: true });
    const orphans = [join(store.graphRoot, 'containers', hex('a'), 'userdata'), join(store.graphRoot, 'pods', hex('b'), 'userdata'), join(store.runRoot, 'containers', hex('c'))];
    for (const dir of orphans) mkdirSync(dir, { recursive: true });
    mkdirSync(join(store.runRoot, 'exits'), { recursive: true });
    writeFileSync(join(store.runRoot, 'exits', hex('d')), '0');
    mkdirSync(join(store.graphRoot, 'containers', 'not-an-id'));
    const report = await repairs(['orphan-files', 'orphan-files', 'orphan-files', 'orphan-files']);
    expect(report.issues.map((i) => i.repaired)).toEqual(['deleted', 'deleted', 'deleted', 'deleted']);
    for (const dir of orphans) expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(store.graphRoot, 'containers', keep.id(), 'userdata'))).toBe(true);
    expect(existsSync(join(store.graphRoot, 'containers', 'not-an-id'))).toBe(true);
  });

  it('marks a container whose conmon died without an exit as exited', async () => {
    const ctr = await runtime.newContainer(sleepSpec, [withName('orphaned'), withRootFSFromPath(store.rootfs)]);
    runtime.state().saveContainer(ctr.id(), { status: 'running', pid: deadPid, conmonPid: deadPid, exitCode: null, startedAt: new Date().toISOString(), finishedAt: null });
    const db = new Database(join(store.graphRoot, 'podbay.db'), { readonly: true });
    const stored = () => JSON.parse((db.prepare('SELECT state_json FROM containers WHERE id = ?').get(ctr.id()) as { state_json: string }).state_json) as { status: string };
    const report = await checkSystem(runtime);
    expect(kinds(report)).toEqual(['dead-monitor']);
    expect(report.issues[0]!.subject).toBe('orphaned');
    expect(stored().status).toBe('running'); // a check alone changes nothing
    await repairs(['dead-monitor']);
    expect(stored().status).toBe('exited');
    db.close();
  });

  it('releases locks and leases of processes that are gone', async () => {
    const ctr = await runtime.newContainer(sleepSpec, [withName('locked'), withRootFSFromPath(store.rootfs)]);
    runtime.state().insertLocks([ctr.id()], { token: 'dead-holder', pid: deadPid, startTime: '1', bootId: 'x' });
    const images = new Database(join(store.graphRoot, 'storage.db'));
    images.prepare("INSERT INTO leases (token, kind, pid, start_time, boot_id, acquired_at) VALUES ('dead-pull', 'pull', ?, '1', 'x', 0)").run(deadPid);
    images.close();
    const report = await repairs(['stale-lock', 'stale-lock']);
    expect(report.issues.find((i) => i.subject === 'locked')?.repaired).toBe('released');
    expect(runtime.state().allLocks()).toEqual([]);
  });

  it('collects half-written blobs, half-extracted layers and content no image uses', async () => {
    const stray = Buffer.from('a blob nobody records');
    writeFileSync(join(store.graphRoot, 'blobs', 'sha256', digestOf(stray).slice(7)), stray);
    writeFileSync(join(store.graphRoot, 'blobs', 'sha256', '.tmp-0123'), 'partial');
    mkdirSync(join(store.graphRoot, 'layers', '.tmp-4567', 'diff'), { recursive: true });
    mkdirSync(join(store.graphRoot, 'layers', hex('e'), 'diff'), { recursive: true });
    const report = await repairs(['garbage', 'garbage', 'garbage', 'garbage']);
    expect(report.issues.every((i) => i.repaired === 'deleted')).toBe(true);
    expect(report.checked.images).toBe(1);
    expect((await checkSystem(runtime)).checked).toMatchObject({ images: 1, blobs: 4, layers: 2 });
  });

  it('keeps a layer a container uses even when no image record names it', async () => {
    await runtime.newContainer(sleepSpec, [withName('on-image'), withRootFSFromImage('localhost/check/one:latest', true)]);
    const images = new Database(join(store.graphRoot, 'storage.db'));
    images.prepare('DELETE FROM images WHERE id = ?').run(imageId);
    images.close();
    const report = await checkSystem(runtime, { repair: true });
    const diffPaths = image.layers.map((l) => join(store.graphRoot, 'layers', l.diffId.slice(7)));
    expect(report.issues.filter((i) => i.kind === 'garbage').map((i) => i.subject)).not.toEqual(expect.arrayContaining(diffPaths));
    for (const path of diffPaths) expect(existsSync(path)).toBe(true);
  });

  it('recounts reference counts that do not match the images using them', async () => {
    const images = new Database(join(store.graphRoot, 'storage.db'));
    images.prepare('UPDATE blobs SET refcount = 7 WHERE digest = ?').run(image.configDigest);
    images.prepare('UPDATE layers SET refcount = 0 WHERE diff_id = ?').run(image.layers[0]!.diffId);
    const report = await repairs(['refcount', 'refcount']);
    expect(report.issues.map((i) => i.repaired).sort()).toEqual(['recounted (1)', 'recounted (1)']);
    expect(images.prepare('SELECT refcount FROM blobs WHERE digest = ?').get(image.configDigest)).toEqual({ refcount: 1 });
    images.close();
  });

  it('removes an image whose layer is gone, and one whose blob is corrupt (not in a quick check)', async () => {
    const other = buildImage([layerFromMembers([{ name: 'other', data: 'x' }])]);
    await installImage(store.graphRoot, other, 'localhost/check/other:latest');
    rmSync(join(store.graphRoot, 'layers', image.layers[1]!.diffId.slice(7)), { recursive: true });
    writeFileSync(join(store.graphRoot, 'blobs', 'sha256', other.layers[0]!.digest.slice(7)), 'flipped bits');
    expect(kinds(await checkSystem(runtime, { quick: true }))).toEqual(['damaged-image']);
    const report = await checkSystem(runtime, { repair: true });
    const damaged = report.issues.filter((i) => i.kind === 'damaged-image');
    expect(damaged.map((i) => i.subject).sort()).toEqual(['localhost/check/one:latest', 'localhost/check/other:latest']);
    expect(damaged.every((i) => i.repaired === 'image removed (pull or load it again)')).toBe(true);
    // What the removed images held is garbage, collected in the same run.
    expect(report.issues.filter((i) => i.kind === 'garbage').every((i) => i.repaired === 'deleted')).toBe(true);
    expect(unresolvedIssues(report)).toEqual([]);
    const after = await checkSystem(runtime);
    expect(after.issues).toEqual([]);
    expect(after.checked).toMatchObject({ images: 0, blobs: 0, layers: 0 });
  });

  it('removes a container whose image layers are missing only with force', async () => {
    await runtime.newContainer(sleepSpec, [withName('broken'), withRootFSFromImage('localhost/check/one:latest', true)]);
    rmSync(join(store.graphRoot, 'layers', image.layers[0]!.diffId.slice(7)), { recursive: true });
    const plain = await checkSystem(runtime, { repair: true });
    const missing = plain.issues.find((i) => i.kind === 'missing-files');
    expect(missing).toMatchObject({ subject: 'broken', repairable: false });
    expect(missing?.repaired).toBeUndefined();
    expect(runtime.containers().map((c) => c.name())).toEqual(['broken']);
    const forced = await checkSystem(runtime, { repair: true, force: true });
    expect(forced.issues.find((i) => i.kind === 'missing-files')?.repaired).toBe('container removed');
    expect(runtime.containers()).toEqual([]);
    expect(unresolvedIssues(await checkSystem(runtime))).toEqual([]);
  });

  it('recreates the root directory of a pod infra container', async () => {
    const pod = await runtime.newPod([withPodName('web'), withPodInfra(true)]);
    const infra = runtime.getContainer(pod.infraContainerId() as string);
    const rootfs = infra.view().rootfs as string;
    rmSync(rootfs, { recursive: true });
    await repairs(['missing-files']);
    expect(existsSync(join(rootfs, 'proc'))).toBe(true);
  });

  it('recreates the directory of a volume whose record outlived it, and deletes one whose record is gone', async () => {
    await runtime.newVolume([withVolumeName('data')]);
    rmSync(join(store.graphRoot, 'volumes', 'data'), { recursive: true });
    mkdirSync(join(store.graphRoot, 'volumes', 'leftover', '_data'), { recursive: true });
    writeFileSync(join(store.graphRoot, 'volumes', 'leftover', '_data', 'file'), 'x');
    const report = await repairs(['missing-files', 'orphan-files']);
    expect(report.issues.map((i) => i.repaired).sort()).toEqual(['deleted', 'recreated (empty)']);
    expect(existsSync(join(store.graphRoot, 'volumes', 'data', '_data'))).toBe(true);
    expect(existsSync(join(store.graphRoot, 'volumes', 'leftover'))).toBe(false);
  });

  it('reports a damaged database without touching it', async () => {
    const images = new Database(join(store.graphRoot, 'storage.db'));
    images.pragma('foreign_keys = OFF');
    images.prepare("INSERT INTO image_names (name, image_id, added_at) VALUES ('localhost/ghost:latest', ?, 0)").run(hex('f'));
    images.close();
    const report = await checkSystem(runtime, { repair: true });
    expect(report.issues).toEqual([expect.objectContaining({ kind: 'database', repairable: false })]);
    expect(report.issues[0]!.problem).toMatch(/image_names .*refers to a missing row of images/);
    expect(unresolvedIssues(report)).toHaveLength(1);
  });
});
