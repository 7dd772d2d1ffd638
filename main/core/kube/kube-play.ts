// podman play kube: the pods a Kubernetes YAML describes, created and started (kube-plan.ts has the
// mapping), and `--down`. Atomic: images are pulled before anything is created, and a failure at any
// later step removes every pod, volume and host path this play made. A pod name already in use is
// ErrPodExists unless `replace`, which removes that pod only once the images are in.
import { existsSync, mkdirSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';
import type { ImagePullFrame } from '../../../shared/types/images.ts';
import type { KubeDownReport, KubePlayReport, KubePlayedPod } from '../../../shared/types/kube.ts';
import { createContainer, pullForCreate } from '../container-create.ts';
import { withNamedVolumes } from '../container-mounts.ts';
import type { Pod } from '../pod.ts';
import { createPod } from '../pod-create.ts';
import type { Runtime } from '../runtime.ts';
import { withVolumeName } from '../volume-config.ts';
import type { KubePlan, KubePodPlan } from './kube-plan.ts';
import { planKube } from './kube-plan.ts';
import { readKube } from './kube-reader.ts';

export interface KubePlayOptions {
  /** Remove pods of the same names first (podman --replace). */
  replace?: boolean | undefined;
  /** The pods' network (podman --network), instead of the default bridge. */
  network?: string[] | undefined;
  signal?: AbortSignal | undefined;
  /** false: plain HTTP or unverified TLS allowed for the pulls (podman --tls-verify=false). */
  tlsVerify?: boolean | undefined;
  /** Progress of the pulls the images need, per image. */
  onPullFrame?: ((image: string, frame: ImagePullFrame) => void) | undefined;
}

function podNamed(runtime: Runtime, name: string): Pod | null {
  return runtime.pods().find((p) => p.name() === name) ?? null;
}

/** Stops and removes a pod with its containers, then the emptyDir volumes none but they used. */
async function removeKubePod(runtime: Runtime, pod: Pod, signal?: AbortSignal): Promise<void> {
  const anonymous = new Set(pod.getContainers().flatMap((c) => (c.configuration().namedVolumes ?? []).filter((v) => v.anonymous).map((v) => v.name)));
  await runtime.removePod(pod, true, signal ? { signal } : {});
  const state = runtime.state();
  for (const name of anonymous) {
    if (state.hasVolume(name) && state.volumeUsers(name).length === 0) await runtime.removeVolume(runtime.getVolume(name), false).catch(() => undefined);
  }
}

/** Pulls each image as its container's policy says, before anything is created. */
async function pullImages(runtime: Runtime, plan: KubePlan, options: KubePlayOptions): Promise<void> {
  const done = new Set<string>();
  for (const ctr of plan.pods.flatMap((p) => p.containers)) {
    const key = `${ctr.create.pull ?? 'missing'} ${ctr.create.image ?? ''}`;
    if (done.has(key)) continue;
    done.add(key);
    const image = ctr.create.image ?? '';
    const onPullFrame = options.onPullFrame;
    const input = options.tlsVerify === false ? { ...ctr.create, tlsVerify: false } : ctr.create;
    await pullForCreate(runtime, input, onPullFrame ? { onPullFrame: (frame) => onPullFrame(image, frame) } : {}, options.signal);
    if (ctr.create.pull === 'never') (await runtime.images()).store.lookupImageId(image);
  }
}

const hostPathChecks: Record<string, { test: (stats: Stats) => boolean; what: string }> = {
  Directory: { test: (s) => s.isDirectory(), what: 'a directory' },
  DirectoryOrCreate: { test: (s) => s.isDirectory(), what: 'a directory' },
  File: { test: (s) => s.isFile(), what: 'a file' },
  FileOrCreate: { test: (s) => s.isFile(), what: 'a file' },
  Socket: { test: (s) => s.isSocket(), what: 'a socket' },
  CharDevice: { test: (s) => s.isCharacterDevice(), what: 'a character device' },
  BlockDevice: { test: (s) => s.isBlockDevice(), what: 'a block device' },
};

/** As the kubelet checks hostPath.type: a path that must exist (or is there already) is of that kind → else ErrInvalidArg. */
function checkHostPaths(plan: KubePlan): void {
  for (const pod of plan.pods) {
    for (const hostPath of pod.hostPaths) {
      const check = hostPathChecks[hostPath.type];
      if (!check) continue;
      let stats: Stats | null = null;
      try {
        stats = statSync(hostPath.path);
      } catch {
        if (hostPath.create) continue;
      }
      if (!stats || !check.test(stats)) throw new PodbayError('ErrInvalidArg', `${pod.source}: hostPath ${hostPath.path} is not ${check.what} (type ${hostPath.type})`);
    }
  }
}

/** What a play made, so a failure can take it all away again. */
interface Made {
  pods: Pod[];
  volumes: string[];
  paths: { path: string; kind: 'directory' | 'file' }[];
}

/** Creates a missing DirectoryOrCreate / FileOrCreate path, recording what it made (deepest first) for a rollback. */
function makeHostPath(path: string, kind: 'directory' | 'file', made: Made): void {
  if (existsSync(path)) return;
  const missingDirs: string[] = [];
  for (let dir = kind === 'directory' ? path : dirname(path); !existsSync(dir); dir = dirname(dir)) missingDirs.push(dir);
  mkdirSync(kind === 'directory' ? path : dirname(path), { recursive: true });
  if (kind === 'file') {
    writeFileSync(path, '', { flag: 'wx' });
    made.paths.push({ path, kind: 'file' });
  }
  made.paths.push(...missingDirs.map((dir) => ({ path: dir, kind: 'directory' as const })));
}

async function rollback(runtime: Runtime, made: Made): Promise<void> {
  for (const pod of made.pods.reverse()) await removeKubePod(runtime, pod).catch(() => undefined);
  for (const name of made.volumes) {
    const state = runtime.state();
    if (state.hasVolume(name) && state.volumeUsers(name).length === 0) await runtime.removeVolume(runtime.getVolume(name), false).catch(() => undefined);
  }
  for (const { path, kind } of made.paths) {
    try {
      if (kind === 'file' && statSync(path).size === 0) unlinkSync(path);
      else if (kind === 'directory') rmdirSync(path);
    } catch {
      // not empty any more, or gone: left as it is
    }
  }
}

async function playPod(runtime: Runtime, plan: KubePodPlan, made: Made, signal?: AbortSignal): Promise<KubePlayedPod> {
  const pod = await createPod(runtime, plan.pod);
  made.pods.push(pod);
  const containers: KubePlayedPod['containers'] = [];
  for (const ctr of plan.containers) {
    const extra = ctr.emptyDirs.length ? [withNamedVolumes(ctr.emptyDirs)] : [];
    // Pulled already (pullImages): the name resolves in the store.
    const created = await createContainer(runtime, { ...ctr.create, pod: pod.id(), pull: 'never' }, extra, signal ? { signal } : {});
    containers.push({ name: created.name(), id: created.id() });
  }
  const errors = await pod.start(signal ? { signal } : {});
  const [failedId, error] = [...errors][0] ?? [];
  if (error) {
    const name = containers.find((c) => c.id === failedId)?.name ?? failedId;
    throw new PodbayError(error.code, `starting container ${name} of pod ${plan.pod.name}: ${error.message}`, { cause: error });
  }
  return { name: pod.name(), id: pod.id(), containers };
}

/** Plays `yaml` (kube-reader.ts limits apply): every pod created and started, or none. */
export async function playKube(runtime: Runtime, yaml: string, options: KubePlayOptions = {}): Promise<KubePlayReport> {
  const plan = planKube(readKube(yaml), { network: options.network });
  const existing = plan.pods.map((p) => podNamed(runtime, p.pod.name)).filter((p): p is Pod => p !== null);
  if (existing.length && !options.replace) {
    throw new PodbayError('ErrPodExists', `pod ${existing.map((p) => p.name()).join(', ')} already exists: play with replace (--replace) or take it down first (--down)`);
  }
  checkHostPaths(plan);
  await pullImages(runtime, plan, options);
  for (const pod of existing) await removeKubePod(runtime, pod, options.signal);
  const made: Made = { pods: [], volumes: [], paths: [] };
  try {
    for (const claim of plan.claims) {
      if (runtime.hasVolume(claim)) continue;
      await runtime.newVolume([withVolumeName(claim)]);
      made.volumes.push(claim);
    }
    for (const hostPath of plan.pods.flatMap((p) => p.hostPaths)) if (hostPath.create) makeHostPath(hostPath.path, hostPath.create, made);
    const pods: KubePlayedPod[] = [];
    for (const podPlan of plan.pods) {
      options.signal?.throwIfAborted();
      pods.push(await playPod(runtime, podPlan, made, options.signal));
    }
    return { pods, volumes: [...made.volumes], replaced: existing.map((p) => p.name()), ignored: plan.ignored };
  } catch (error) {
    await rollback(runtime, made);
    throw error;
  }
}

/** podman play kube --down: stops and removes the pods the YAML names (and their emptyDir volumes). */
export async function downKube(runtime: Runtime, yaml: string, options: { signal?: AbortSignal | undefined } = {}): Promise<KubeDownReport> {
  const plan = planKube(readKube(yaml));
  const report: KubeDownReport = { pods: [], missing: [], ignored: plan.ignored };
  for (const podPlan of plan.pods) {
    const pod = podNamed(runtime, podPlan.pod.name);
    if (!pod) {
      report.missing.push(podPlan.pod.name);
      continue;
    }
    await removeKubePod(runtime, pod, options.signal);
    report.pods.push({ name: pod.name(), id: pod.id() });
  }
  if (report.pods.length === 0) throw new PodbayError('ErrNoSuchPod', `no pod of the YAML exists: ${report.missing.join(', ')}`);
  return report;
}
