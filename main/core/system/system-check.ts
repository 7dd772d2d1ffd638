// `podbay system check [--repair] [--quick] [--force]` (libpod's SystemCheck over containers/storage's
// Check and Repair): whether the store is whole after whatever happened to it — a SIGKILL between two
// steps of a pull, a power cut, a run root wiped under a running app — and, with `repair`, making it
// whole again, saying what was done.
//
// What is examined, in order (a repair of one step leaves nothing for the next to trip on):
//  1. the SQLite files (podbay.db, storage.db): SQLite's integrity checks — never repaired here;
//  2. containers: conmons that died without an exit (marked exited), containers the OCI runtime still
//     has though the store says they do not run (deleted from the runtime), root filesystems mounted
//     while not running (unmounted), records whose files are gone (an infra root is recreated; with
//     `force`, containers on damaged images are removed), files and dirs with no record (deleted);
//  3. locks and leases of processes that are gone (deleted);
//  4. images: a blob or layer missing, or — without `quick` — a blob not matching its digest (the
//     image is removed: it cannot be used or pushed), reference counts (recounted), and content
//     nothing references: interrupted pulls' blobs, layers and temp files (collected).
//
// Concurrency: other processes may work on the store meanwhile. A container under another process's
// live lease is being acted on and is left alone; the orphan scan reads the directories inside one
// write transaction, which serialises it against a pod's creation (its infra root is made inside the
// transaction that records it); garbage is judged only while no pull is live (ImageStore leases).
import { createReadStream, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PodbayError, toErrorData } from '../../../shared/errors.ts';
import type { SystemCheckIssue, SystemCheckReport } from '../../../shared/types/system-check.ts';
import { observeRuntime, removeContainerFilesSync, removeExitFilesSync, syncRecords } from '../container-internal.ts';
import { isMounted, removeRootfs, rootfsPaths, unmountRootfs } from '../container-rootfs.ts';
import { hasMonitor } from '../container-state.ts';
import { Hasher, digestAlgorithm } from '../image/digest.ts';
import type { Digest } from '../image/digest.ts';
import { ImageStore } from '../image/image-store.ts';
import type { ImageRecord } from '../image/image-store.ts';
import { currentProcessIdentity, holderAlive } from '../lock/lock-manager.ts';
import { makeInfraRootfs, removePodFilesSync } from '../pod-infra.ts';
import { removeContainers } from '../runtime-batch.ts';
import { deleteVolumeDir, ensureVolumeDirs } from '../runtime-volume.ts';
import { volumeDir, volumeMountPoint } from '../volume.ts';
import type { Runtime } from '../runtime.ts';
import { lockedObjectId } from '../state/state.ts';
import type { ContainerRecord } from '../state/state.ts';

export interface SystemCheckOptions {
  /** Repair what can be repaired (default: only report). */
  repair?: boolean;
  /** Skip the slow parts: full SQLite integrity checks and re-hashing every blob. */
  quick?: boolean;
  /** With `repair`, also remove containers whose image content is damaged or missing (podman --force). */
  force?: boolean;
  signal?: AbortSignal;
}

const idPattern = /^[a-f0-9]{64}$/;
const volumeNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** A line of text for the report from anything thrown. */
function reason(error: unknown): string {
  return toErrorData(error).message;
}

function shortId(id: string): string {
  return id.slice(0, 12);
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** sha256 (or sha512) of a file, streamed. */
async function fileDigest(path: string, algorithm: 'sha256' | 'sha512', signal?: AbortSignal): Promise<Digest> {
  const hasher = new Hasher(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, ...(signal ? { signal } : {}) })) hasher.update(chunk as Buffer);
  return hasher.digest();
}

class Checker {
  readonly issues: SystemCheckIssue[] = [];
  readonly skipped: string[] = [];
  private readonly self = currentProcessIdentity();

  constructor(
    private readonly runtime: Runtime,
    private readonly options: SystemCheckOptions,
  ) {}

  private get repair(): boolean {
    return this.options.repair === true;
  }

  private add(issue: SystemCheckIssue): SystemCheckIssue {
    this.issues.push(issue);
    return issue;
  }

  /** Runs `fix` when repairing, recording what it did (or why it could not) on the issue. */
  private async fix(issue: SystemCheckIssue, fix: () => Promise<string> | string): Promise<void> {
    if (!this.repair || !issue.repairable) return;
    try {
      issue.repaired = await fix();
    } catch (error) {
      issue.problem = `${issue.problem} (repair failed: ${reason(error)})`;
    }
  }

  /**
   * Objects a live holder leases — another process, or another request of this one (a web host serves
   * many): something is acting on them right now. The check itself holds no lease.
   */
  private leasedByOthers(): Set<string> {
    const ids = new Set<string>();
    for (const lock of this.runtime.state().allLocks()) {
      if (holderAlive(lock, this.self)) ids.add(lockedObjectId(lock.objectId));
    }
    return ids;
  }

  databases(images: ImageStore): void {
    const state = this.runtime.state();
    for (const [file, problems] of [
      [state.path, state.integrityProblems(this.options.quick === true)],
      [images.path, images.integrityProblems(this.options.quick === true)],
    ] as const) {
      for (const problem of problems.slice(0, 20)) {
        this.add({ kind: 'database', subject: file, problem: `SQLite reports: ${problem}`, repairable: false });
      }
    }
  }

  async containers(records: ContainerRecord[], images: ImageStore): Promise<ContainerRecord[]> {
    const leased = this.leasedByOthers();
    const monitored = records.filter((r) => hasMonitor(r.state.status) && !leased.has(r.config.id));
    // 1. Monitors that died without an exit file: nothing will ever record how the run ended.
    const dead = monitored.filter((r) => {
      const observed = observeRuntime(r, this.runtime);
      return observed !== null && observed.exitCode === -1 && observed.error;
    });
    for (const record of dead) {
      const issue = this.add({
        kind: 'dead-monitor',
        subject: record.config.name,
        problem: `container ${record.config.name} (${shortId(record.config.id)}) is ${record.state.status} in the store, but its conmon (pid ${record.state.conmonPid ?? 0}) is gone and recorded no exit`,
        repairable: true,
      });
      await this.fix(issue, () => 'marked exited (exit code -1)');
    }
    // The repair proper: one sync records every exit conmon wrote and every monitor that died.
    if (this.repair && monitored.length > 0) syncRecords(this.runtime, monitored);
    let current = this.repair ? this.runtime.state().allContainers() : records;
    const byId = new Map(current.map((r) => [r.config.id, r]));

    // 2. The OCI runtime still holds a container the store says is not running (a start killed after
    //    `<runtime> create`, a removal killed before `<runtime> delete`).
    const { runRoot, graphRoot } = this.runtime.settings().storage;
    for (const runtimeName of entries(join(runRoot, 'runtime'))) {
      for (const id of entries(join(runRoot, 'runtime', runtimeName))) {
        if (!idPattern.test(id) || leased.has(id)) continue;
        const record = byId.get(id);
        if (record && hasMonitor(record.state.status)) continue;
        const issue = this.add({
          kind: 'orphan-runtime',
          subject: record?.config.name ?? shortId(id),
          problem: record
            ? `${runtimeName} still has container ${record.config.name} (${shortId(id)}), which the store says is ${record.state.status}`
            : `${runtimeName} still has container ${shortId(id)}, which is not in the store`,
          repairable: true,
        });
        await this.fix(issue, async () => {
          const oci = await this.runtime.ociRuntime(record?.config.ociRuntime ?? runtimeName);
          await oci.deleteContainer(id, { force: true });
          return `deleted from ${runtimeName}`;
        });
      }
    }

    // 3. Root filesystems mounted while their container does not run.
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    for (const id of entries(join(graphRoot, 'containers'))) {
      const record = byId.get(id);
      // A mount without a record is an orphan's: step 5 unmounts it before deleting its files.
      if (!record || leased.has(id) || hasMonitor(record.state.status)) continue;
      if (!isMounted(rootfsPaths(graphRoot, id).merged, mountinfo)) continue;
      const issue = this.add({
        kind: 'leaked-mount',
        subject: record.config.name,
        problem: `the root filesystem of container ${record.config.name} (${shortId(id)}) is still mounted though it is ${record.state.status}`,
        repairable: true,
      });
      await this.fix(issue, async () => {
        await unmountRootfs(graphRoot, id);
        return 'unmounted';
      });
    }

    // 4. Records whose files are gone.
    for (const record of current) {
      const { config } = record;
      if (config.isInfra && config.rootfs && !existsSync(config.rootfs)) {
        const issue = this.add({ kind: 'missing-files', subject: config.name, problem: `the root directory of infra container ${config.name} is missing (${config.rootfs})`, repairable: true });
        await this.fix(issue, () => {
          makeInfraRootfs(config.rootfs as string);
          return 'recreated';
        });
      }
      const layers = config.rootfsImage?.layers ?? [];
      const missing = layers.filter((diffId) => !images.layers.has(diffId as Digest));
      if (missing.length > 0) {
        const issue = this.add({
          kind: 'missing-files',
          subject: config.name,
          problem: `container ${config.name} uses ${missing.length} layer${missing.length === 1 ? '' : 's'} of image ${config.rootfsImage?.name ?? ''} that ${missing.length === 1 ? 'is' : 'are'} missing: it cannot start${this.options.force ? '' : ' (repair with force removes it)'}`,
          repairable: this.options.force === true,
        });
        await this.fix(issue, async () => {
          const [report] = await removeContainers(this.runtime, [config.id], true, this.options.signal);
          if (report?.error) throw new PodbayError('ErrInternal', report.error.message);
          return 'container removed';
        });
      }
    }
    for (const pod of this.runtime.state().allPods()) {
      const infra = pod.state.infraContainerId;
      if (infra && !byId.has(infra)) {
        this.add({ kind: 'missing-files', subject: pod.config.name, problem: `pod ${pod.config.name} names infra container ${shortId(infra)}, which is not in the store: remove the pod`, repairable: false });
      }
    }
    if (this.repair) current = this.runtime.state().allContainers();

    // Volumes whose directory is gone (killed between the record and its directory): made again, empty.
    for (const volume of this.runtime.state().allVolumes()) {
      if (existsSync(volumeMountPoint(graphRoot, volume.config.name))) continue;
      const issue = this.add({ kind: 'missing-files', subject: volume.config.name, problem: `the directory of volume ${volume.config.name} is missing`, repairable: true });
      await this.fix(issue, () => {
        ensureVolumeDirs(graphRoot, volume.config);
        return 'recreated (empty)';
      });
    }

    // 5. Files with no record, read inside one write transaction (see the header).
    const state = this.runtime.state();
    const orphans = state.writeTransaction(() => {
      const found: { kind: 'container' | 'pod' | 'run' | 'exit' | 'volume'; id: string; path: string }[] = [];
      // A volume's record is written before its directory and deleted before it: a directory alone is a removal's leftover.
      for (const name of entries(join(graphRoot, 'volumes'))) if (volumeNamePattern.test(name) && !state.hasVolume(name)) found.push({ kind: 'volume', id: name, path: volumeDir(graphRoot, name) });
      for (const id of entries(join(graphRoot, 'containers'))) if (idPattern.test(id) && !state.hasContainer(id)) found.push({ kind: 'container', id, path: join(graphRoot, 'containers', id) });
      for (const id of entries(join(graphRoot, 'pods'))) if (idPattern.test(id) && !state.hasPod(id)) found.push({ kind: 'pod', id, path: join(graphRoot, 'pods', id) });
      for (const id of entries(join(runRoot, 'containers'))) if (idPattern.test(id) && !state.hasContainer(id)) found.push({ kind: 'run', id, path: join(runRoot, 'containers', id) });
      for (const dir of ['exits', 'persist']) {
        for (const id of entries(join(runRoot, dir))) if (idPattern.test(id) && !state.hasContainer(id)) found.push({ kind: 'exit', id, path: join(runRoot, dir, id) });
      }
      return found;
    });
    for (const orphan of orphans) {
      if (leased.has(orphan.id)) continue;
      const what = { container: 'container files', pod: 'pod files', run: 'container run files', exit: 'conmon exit files', volume: 'the directory of removed volume' }[orphan.kind];
      if (orphan.kind === 'volume') {
        const issue = this.add({ kind: 'orphan-files', subject: orphan.path, problem: `${what} ${orphan.id}, which is not in the store`, repairable: true });
        await this.fix(issue, () => {
          deleteVolumeDir(graphRoot, orphan.id);
          return 'deleted';
        });
        continue;
      }
      const mounted = orphan.kind === 'container' && isMounted(rootfsPaths(graphRoot, orphan.id).merged);
      const issue = this.add({ kind: 'orphan-files', subject: orphan.path, problem: `${what} of ${shortId(orphan.id)}, which is not in the store${mounted ? ' (its root filesystem still mounted)' : ''}`, repairable: true });
      await this.fix(issue, async () => {
        if (orphan.kind === 'container') {
          await removeRootfs(graphRoot, orphan.id);
          removeContainerFilesSync(this.runtime, orphan.id);
        } else if (orphan.kind === 'pod') removePodFilesSync(graphRoot, orphan.id);
        else if (orphan.kind === 'exit') removeExitFilesSync(this.runtime, orphan.id);
        else rmSync(orphan.path, { recursive: true, force: true });
        return 'deleted';
      });
    }
    return current;
  }

  async locks(): Promise<void> {
    const state = this.runtime.state();
    for (const lock of state.allLocks()) {
      if (holderAlive(lock, this.self)) continue;
      const object = lockedObjectId(lock.objectId);
      const record = state.hasContainer(object) ? state.container(object).config.name : state.hasPod(object) ? state.pod(object).config.name : shortId(object);
      const issue = this.add({ kind: 'stale-lock', subject: record, problem: `a lock on ${record} is held by process ${lock.pid}, which is gone`, repairable: true });
      await this.fix(issue, () => {
        state.deleteLocks(lock.token, [lock.objectId]);
        return 'released';
      });
    }
  }

  async images(store: ImageStore, containers: readonly ContainerRecord[]): Promise<number> {
    const images = store.list();
    // Blobs and layers each image needs; a blob shared by several images is examined once.
    const blobUsers = new Map<Digest, string[]>();
    const note = (digest: Digest | null, image: ImageRecord) => {
      if (!digest) return;
      const users = blobUsers.get(digest);
      if (users) users.push(image.id);
      else blobUsers.set(digest, [image.id]);
    };
    for (const image of images) {
      note(image.manifestDigest, image);
      note(image.configDigest, image);
      note(image.listDigest, image);
      for (const layer of image.layers) note(layer.blobDigest, image);
    }
    const damaged = new Map<string, string[]>();
    const damage = (id: string, why: string) => {
      const list = damaged.get(id);
      if (list) list.push(why);
      else damaged.set(id, [why]);
    };
    for (const [digest, users] of blobUsers) {
      this.options.signal?.throwIfAborted();
      const path = store.blobs.path(digest);
      let problem: string | null = null;
      if (!existsSync(path)) problem = `blob ${digest} is missing`;
      else if (!this.options.quick) {
        const actual = await fileDigest(path, digestAlgorithm(digest), this.options.signal);
        if (actual !== digest) problem = `blob ${digest} does not match its digest (it hashes to ${actual})`;
      }
      if (problem) for (const id of users) damage(id, problem);
    }
    for (const image of images) {
      for (const layer of image.layers) if (!store.layers.has(layer.diffId)) damage(image.id, `layer ${layer.diffId} is missing`);
    }
    for (const [id, problems] of damaged) {
      const image = images.find((i) => i.id === id);
      const name = image?.names[0] ?? shortId(id);
      const issue = this.add({ kind: 'damaged-image', subject: name, problem: `image ${name} (${shortId(id)}) is damaged: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` and ${problems.length - 3} more` : ''}`, repairable: true });
      await this.fix(issue, () => {
        store.removeDamaged([id]);
        return 'image removed (pull or load it again)';
      });
    }

    for (const problem of store.refcountProblems({ repair: this.repair })) {
      const what = problem.kind === 'blob' ? `blob ${problem.key}` : `layer ${problem.key}`;
      const issue = this.add({
        kind: 'refcount',
        subject: problem.key,
        problem: problem.actual === 0 ? `${what} is recorded but no image uses it` : `${what} is counted as used by ${problem.stored} image(s), but ${problem.actual} use it`,
        repairable: true,
      });
      if (this.repair) issue.repaired = problem.actual === 0 ? 'record removed' : `recounted (${problem.actual})`;
    }

    const leases = store.leaseCounts();
    if (leases.dead > 0) {
      const issue = this.add({ kind: 'stale-lock', subject: store.path, problem: `${leases.dead} pull or collection lease${leases.dead === 1 ? '' : 's'} of processes that are gone (an interrupted pull)`, repairable: true });
      if (this.repair) issue.repaired = 'released';
    }
    if (leases.live > 0) {
      this.skipped.push('unreferenced image content: a pull, load or collection is running in another process');
      return images.length;
    }
    // Layers containers still mount are never garbage, whatever the image records say.
    const keepLayers = new Set(containers.flatMap((c) => c.config.rootfsImage?.layers ?? []));
    const referencedBlobs = new Set(this.repair ? store.list().flatMap(imageBlobs) : blobUsers.keys());
    const referencedLayers = new Set((this.repair ? store.list() : images).flatMap((i) => i.layers.map((l) => l.diffId as string)));
    const garbage: { path: string; what: string }[] = [];
    for (const blob of await store.blobs.list()) if (!referencedBlobs.has(blob.digest)) garbage.push({ path: store.blobs.path(blob.digest), what: `blob ${blob.digest} (${blob.size} bytes) that no image uses` });
    for (const diffId of store.layers.list()) if (!referencedLayers.has(diffId) && !keepLayers.has(diffId)) garbage.push({ path: store.layers.layerPath(diffId), what: `layer ${diffId} that no image uses` });
    for (const temp of store.blobs.listTemp()) garbage.push({ path: temp.path, what: `a half-written blob (${temp.size} bytes) of an interrupted download` });
    for (const dir of store.layers.listTemp()) garbage.push({ path: dir, what: 'a half-extracted layer of an interrupted pull' });
    const found = garbage.map((g) => this.add({ kind: 'garbage', subject: g.path, problem: g.what, repairable: true }));
    if (this.repair && (found.length > 0 || leases.dead > 0)) {
      const report = await store.collectGarbage({ keepLayers });
      if (report.skipped) {
        for (const issue of found) issue.problem = `${issue.problem} (not collected: a pull started meanwhile)`;
      } else {
        for (const issue of found) if (!existsSync(issue.subject)) issue.repaired = 'deleted';
      }
    }
    return images.length;
  }
}

function imageBlobs(image: ImageRecord): string[] {
  return [image.manifestDigest, image.configDigest, ...(image.listDigest ? [image.listDigest] : []), ...image.layers.map((l) => l.blobDigest)];
}

/**
 * Checks (and with `repair` repairs) the runtime's store. Throws only when the store cannot be read
 * at all; everything found is an issue of the report.
 */
export async function checkSystem(runtime: Runtime, options: SystemCheckOptions = {}): Promise<SystemCheckReport> {
  const checker = new Checker(runtime, options);
  // A connection of its own, not the runtime's image runtime: opening that collects an interrupted
  // pull's garbage on the way, which would hide from the report what the check is there to find.
  const images = ImageStore.open(runtime.settings().storage.graphRoot);
  try {
    checker.databases(images);
    const containers = await checker.containers(runtime.state().allContainers(), images);
    await checker.locks();
    const imageCount = await checker.images(images, containers);
    return {
      repair: options.repair === true,
      quick: options.quick === true,
      checked: {
        containers: containers.length,
        pods: runtime.state().allPods().length,
        images: imageCount,
        blobs: (await images.blobs.list()).length,
        layers: images.layers.list().length,
      },
      issues: checker.issues,
      skipped: checker.skipped,
    };
  } finally {
    images.close();
  }
}
