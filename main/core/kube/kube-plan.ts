// The objects of a Kubernetes YAML (kube-reader.ts) → what play kube creates: per Pod or Deployment a
// pod (podman's names: the pod is metadata.name, a Deployment's `<name>-pod`, each container
// `<pod>-<container>`) with its containers' create options. Pure: nothing is created here, so a bad
// reference (a missing ConfigMap key, a mount of an undeclared volume) fails before anything exists.
import { posix } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';
import type { ContainerCreateOptions, ContainerMountSpec, PullPolicy } from '../../../shared/types/containers.ts';
import type { KubeIgnored } from '../../../shared/types/kube.ts';
import type { PodCreateOptions } from '../../../shared/types/pods.ts';
import type { NamedVolumeRequest } from '../container-mounts.ts';
import { cleanSubPath } from '../container-mounts.ts';
import { generateId, validateName } from '../names.ts';
import { validateVolumeName } from '../volume-config.ts';
import { cpuCores, memoryBytes } from './kube-quantity.ts';
import type { KubeDocuments } from './kube-reader.ts';
import type { KubeConfigMap, KubeContainer, KubePodSpec, KubeVolume } from './kube-schema.ts';

export interface KubeContainerPlan {
  /** Without `pod`: play kube adds it once the pod exists. */
  create: ContainerCreateOptions;
  /** emptyDir volumes: anonymous named volumes the pod's containers share (removed with the pod by play kube). */
  emptyDirs: NamedVolumeRequest[];
}

export interface KubeHostPath {
  path: string;
  /** DirectoryOrCreate / FileOrCreate make the path when it is missing. */
  create: 'directory' | 'file' | null;
  /** What must be there (Kubernetes hostPath.type): checked before anything is created; '' checks nothing. */
  type: string;
}

export interface KubePodPlan {
  /** Where it came from, for messages: `Pod web`, `Deployment api`. */
  source: string;
  pod: PodCreateOptions & { name: string };
  containers: KubeContainerPlan[];
  hostPaths: KubeHostPath[];
}

export interface KubePlan {
  pods: KubePodPlan[];
  /** Named volumes the YAML claims (PersistentVolumeClaim objects and the pods' claims). */
  claims: string[];
  ignored: KubeIgnored[];
}

export interface KubePlanOptions {
  /** podman play kube --network: the pods' network instead of the default bridge. */
  network?: string[] | undefined;
}

function invalid(where: string, message: string): PodbayError {
  return new PodbayError('ErrInvalidArg', `${where}: ${message}`);
}

const restartPolicies = { Always: 'always', OnFailure: 'on-failure', Never: 'no' } as const;
const pullPolicies: Record<string, PullPolicy> = { Always: 'always', IfNotPresent: 'missing', Never: 'never' };

/** The container's environment: envFrom first, then env (which wins, as in Kubernetes). */
function containerEnv(ctr: KubeContainer, where: string, configMaps: ReadonlyMap<string, KubeConfigMap>): string[] {
  const env = new Map<string, string>();
  (ctr.envFrom ?? []).forEach((source, i) => {
    const ref = source.configMapRef;
    const map = configMaps.get(ref.name);
    if (!map) {
      if (ref.optional) return;
      throw invalid(`${where}.envFrom[${i}].configMapRef`, `ConfigMap "${ref.name}" is not in the YAML`);
    }
    for (const [key, value] of Object.entries(map.data ?? {})) env.set(`${source.prefix ?? ''}${key}`, value);
  });
  (ctr.env ?? []).forEach((entry, i) => {
    const ref = entry.valueFrom?.configMapKeyRef;
    if (!ref) {
      env.set(entry.name, entry.value ?? '');
      return;
    }
    const value = configMaps.get(ref.name)?.data?.[ref.key];
    if (value === undefined) {
      if (ref.optional) return;
      throw invalid(`${where}.env[${i}].valueFrom.configMapKeyRef`, configMaps.has(ref.name) ? `ConfigMap "${ref.name}" has no key "${ref.key}"` : `ConfigMap "${ref.name}" is not in the YAML`);
    }
    env.set(entry.name, value);
  });
  for (const key of env.keys()) if (key === '' || key.includes('=')) throw invalid(`${where}.env`, `invalid variable name "${key}"`);
  return [...env].map(([k, v]) => `${k}=${v}`);
}

function publishSpecs(ctr: KubeContainer): string[] {
  return (ctr.ports ?? []).flatMap((p) => {
    if (!p.hostPort) return [];
    const ip = p.hostIP ? (p.hostIP.includes(':') ? `[${p.hostIP}]:` : `${p.hostIP}:`) : '';
    return [`${ip}${p.hostPort}:${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`];
  });
}

type VolumeSource =
  | { kind: 'bind'; path: string }
  | { kind: 'tmpfs' }
  | { kind: 'emptyDir'; volume: string }
  | { kind: 'claim'; claim: string; readOnly: boolean }
  | { kind: 'unsupported' };

function volumeSources(spec: KubePodSpec, where: string, plan: KubePodPlan, ignored: KubeIgnored[], claims: Set<string>): Map<string, VolumeSource> {
  const sources = new Map<string, VolumeSource>();
  (spec.volumes ?? []).forEach((volume: KubeVolume, i) => {
    const at = `${where}.volumes[${i}]`;
    if (sources.has(volume.name)) throw invalid(at, `volume "${volume.name}" is declared twice`);
    const kinds = [volume.hostPath, volume.emptyDir, volume.persistentVolumeClaim].filter((v) => v !== null && v !== undefined);
    if (kinds.length > 1) throw invalid(at, 'a volume has exactly one source');
    if (volume.hostPath) {
      const path = volume.hostPath.path;
      if (!posix.isAbsolute(path) || path.includes('\0')) throw invalid(`${at}.hostPath.path`, `"${path}" is not an absolute path`);
      const type = volume.hostPath.type ?? '';
      const clean = posix.normalize(path);
      plan.hostPaths.push({ path: clean, create: type === 'DirectoryOrCreate' ? 'directory' : type === 'FileOrCreate' ? 'file' : null, type });
      sources.set(volume.name, { kind: 'bind', path: clean });
    } else if (volume.emptyDir) {
      if (volume.emptyDir.sizeLimit !== null && volume.emptyDir.sizeLimit !== undefined) ignored.push({ path: `${at}.emptyDir.sizeLimit`, reason: 'emptyDir size limits are not enforced' });
      sources.set(volume.name, volume.emptyDir.medium === 'Memory' ? { kind: 'tmpfs' } : { kind: 'emptyDir', volume: generateId() });
    } else if (volume.persistentVolumeClaim) {
      const claim = volume.persistentVolumeClaim.claimName;
      try {
        validateVolumeName(claim);
      } catch (error) {
        throw invalid(`${at}.persistentVolumeClaim.claimName`, error instanceof Error ? error.message : 'invalid volume name');
      }
      claims.add(claim);
      sources.set(volume.name, { kind: 'claim', claim, readOnly: volume.persistentVolumeClaim.readOnly === true });
    } else {
      ignored.push({ path: at, reason: `volume "${volume.name}": only hostPath, emptyDir and persistentVolumeClaim are supported` });
      sources.set(volume.name, { kind: 'unsupported' });
    }
  });
  return sources;
}

function containerPlan(ctr: KubeContainer, where: string, podName: string, spec: KubePodSpec, sources: Map<string, VolumeSource>, configMaps: ReadonlyMap<string, KubeConfigMap>, ignored: KubeIgnored[]): KubeContainerPlan {
  const name = `${podName}-${ctr.name}`;
  try {
    validateName(name, 'container');
  } catch (error) {
    throw invalid(`${where}.name`, error instanceof Error ? error.message : 'invalid name');
  }
  const limits = ctr.resources?.limits;
  const mounts: ContainerMountSpec[] = [];
  const emptyDirs: NamedVolumeRequest[] = [];
  (ctr.volumeMounts ?? []).forEach((mount, i) => {
    const at = `${where}.volumeMounts[${i}]`;
    const source = sources.get(mount.name);
    if (!source) throw invalid(at, `volume "${mount.name}" is not declared in spec.volumes`);
    const readOnly = mount.readOnly === true;
    const subPath = mount.subPath ? cleanSubPath(mount.subPath) : '';
    switch (source.kind) {
      case 'bind':
        mounts.push({ type: 'bind', source: subPath ? posix.join(source.path, subPath) : source.path, destination: mount.mountPath, readOnly });
        break;
      case 'tmpfs':
        if (subPath) throw invalid(`${at}.subPath`, 'a memory emptyDir has no sub paths');
        mounts.push({ type: 'tmpfs', destination: mount.mountPath, readOnly });
        break;
      case 'emptyDir':
        emptyDirs.push({ name: source.volume, destination: mount.mountPath, options: readOnly ? ['ro'] : [], anonymous: true, ...(subPath ? { subPath } : {}) });
        break;
      case 'claim':
        mounts.push({ type: 'volume', source: source.claim, destination: mount.mountPath, readOnly: readOnly || source.readOnly, ...(subPath ? { subPath } : {}) });
        break;
      default:
        ignored.push({ path: at, reason: `volume "${mount.name}" is not supported` });
    }
  });
  const create: ContainerCreateOptions = {
    name,
    image: ctr.image,
    command: ctr.args ?? [],
    ...(ctr.command ? { entrypoint: ctr.command.length ? ctr.command : [''] } : {}),
    env: containerEnv(ctr, where, configMaps),
    ...(ctr.workingDir ? { workdir: ctr.workingDir } : {}),
    ...(ctr.tty ? { terminal: true } : {}),
    ...(ctr.stdin ? { stdin: true } : {}),
    ...(limits?.memory !== null && limits?.memory !== undefined ? { memoryBytes: memoryBytes(limits.memory, `${where}.resources.limits.memory`) } : {}),
    ...(limits?.cpu !== null && limits?.cpu !== undefined ? { cpus: cpuCores(limits.cpu, `${where}.resources.limits.cpu`) } : {}),
    restartPolicy: restartPolicies[spec.restartPolicy ?? 'Always'],
    pull: pullPolicies[ctr.imagePullPolicy ?? 'IfNotPresent'] ?? 'missing',
    ...(mounts.length ? { mounts } : {}),
  };
  return { create, emptyDirs };
}

function podPlan(source: string, podName: string, labels: Record<string, string>, spec: KubePodSpec, specPath: string, configMaps: ReadonlyMap<string, KubeConfigMap>, options: KubePlanOptions, ignored: KubeIgnored[], claims: Set<string>): KubePodPlan {
  const where = `${source}: ${specPath}`;
  try {
    validateName(podName, 'pod');
  } catch (error) {
    throw invalid(`${source}: metadata.name`, error instanceof Error ? error.message : 'invalid name');
  }
  const publish = spec.containers.flatMap(publishSpecs);
  const network = spec.hostNetwork ? ['host'] : options.network;
  const plan: KubePodPlan = {
    source,
    pod: {
      name: podName,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(spec.hostname ? { hostname: spec.hostname } : {}),
      ...(publish.length ? { publish } : {}),
      ...(network?.length ? { network } : {}),
    },
    containers: [],
    hostPaths: [],
  };
  const sources = volumeSources(spec, where, plan, ignored, claims);
  const names = new Set<string>();
  spec.containers.forEach((ctr, i) => {
    if (names.has(ctr.name)) throw invalid(`${where}.containers[${i}].name`, `container "${ctr.name}" appears twice`);
    names.add(ctr.name);
    plan.containers.push(containerPlan(ctr, `${where}.containers[${i}]`, podName, spec, sources, configMaps, ignored));
  });
  return plan;
}

/** The pods, claims and ignored entries of the documents. No Pod or Deployment → ErrInvalidArg. */
export function planKube(documents: KubeDocuments, options: KubePlanOptions = {}): KubePlan {
  const ignored = [...documents.ignored];
  const configMaps = new Map<string, KubeConfigMap>();
  const claims = new Set<string>();
  for (const object of documents.objects) {
    if (object.kind === 'ConfigMap') {
      if (configMaps.has(object.metadata.name)) throw invalid(`ConfigMap ${object.metadata.name}`, 'declared twice');
      configMaps.set(object.metadata.name, object);
    }
  }
  const pods: KubePodPlan[] = [];
  for (const object of documents.objects) {
    if (object.kind === 'Pod') {
      pods.push(podPlan(`Pod ${object.metadata.name}`, object.metadata.name, object.metadata.labels ?? {}, object.spec, 'spec', configMaps, options, ignored, claims));
    } else if (object.kind === 'Deployment') {
      const source = `Deployment ${object.metadata.name}`;
      const replicas = object.spec.replicas ?? 1;
      if (replicas !== 1) throw new PodbayError('ErrNotImplemented', `${source}: spec.replicas: ${replicas} replicas asked for: Podbay runs a Deployment as exactly one pod (replicas: 1)`);
      const labels = object.spec.template.metadata?.labels ?? object.metadata.labels ?? {};
      pods.push(podPlan(source, `${object.metadata.name}-pod`, labels, object.spec.template.spec, 'spec.template.spec', configMaps, options, ignored, claims));
    } else if (object.kind === 'PersistentVolumeClaim') {
      try {
        validateVolumeName(object.metadata.name);
      } catch (error) {
        throw invalid(`PersistentVolumeClaim ${object.metadata.name}: metadata.name`, error instanceof Error ? error.message : 'invalid volume name');
      }
      claims.add(object.metadata.name);
    }
  }
  if (pods.length === 0) throw new PodbayError('ErrInvalidArg', 'reading kube yaml: no Pod or Deployment to play');
  const seen = new Set<string>();
  for (const plan of pods) {
    if (seen.has(plan.pod.name)) throw invalid(plan.source, `a second pod named "${plan.pod.name}"`);
    seen.add(plan.pod.name);
  }
  return { pods, claims: [...claims], ignored };
}
