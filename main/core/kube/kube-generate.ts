// podman generate kube: pods and containers of the store as a Kubernetes `Pod` manifest (and a
// `Service` with `service`). Fields are written as podman writes them: the image's own entrypoint,
// cmd, env and workdir are left out (the image brings them), the entrypoint becomes `command` and
// the cmd `args`; binds are hostPath volumes, tmpfs mounts memory emptyDirs, anonymous volumes
// emptyDirs and named volumes persistentVolumeClaims. A pod's published ports (on its infra
// container) go to its first container.
import { statSync } from 'node:fs';
import { stringify } from 'yaml';
import { PodbayError, hasCode } from '../../../shared/errors.ts';
import type { ContainerConfig } from '../container-config.ts';
import type { Container } from '../container.ts';
import type { PortMapping } from '../network/port-mappings.ts';
import { defaultPath } from '../oci/spec-generator.ts';
import { Pod } from '../pod.ts';
import type { Runtime } from '../runtime.ts';
import { formatCpu, formatMemory } from './kube-quantity.ts';
import { dnsLabel, uniqueLabel } from './kube-names.ts';

export interface GenerateKubeOptions {
  /** Also a Service (type NodePort) selecting the pod by its `app` label (podman --service). */
  service?: boolean | undefined;
}

interface ImageDefaults {
  entrypoint: string[];
  cmd: string[];
  env: Set<string>;
  workdir: string;
}

type Json = Record<string, unknown>;

const restartPolicies: Record<string, string> = { no: 'Never', 'on-failure': 'OnFailure', always: 'Always', 'unless-stopped': 'Always' };

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

async function imageDefaults(runtime: Runtime, config: ContainerConfig): Promise<ImageDefaults> {
  const id = config.rootfsImage?.id ?? config.rootfsImage?.name ?? '';
  const images = await runtime.images();
  let image: Record<string, unknown> = {};
  try {
    image = images.inspect(id).config;
  } catch (error) {
    if (!hasCode(error, 'ErrNoSuchImage')) throw error;
  }
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    entrypoint: list(image.Entrypoint),
    cmd: list(image.Cmd),
    env: new Set([...list(image.Env), `PATH=${defaultPath}`, 'container=podman']),
    workdir: typeof image.WorkingDir === 'string' && image.WorkingDir ? image.WorkingDir : '/',
  };
}

function kubePorts(mappings: readonly PortMapping[]): Json[] {
  return mappings.flatMap((m) =>
    Array.from({ length: Math.max(1, m.range) }, (_, i) => ({
      containerPort: m.container_port + i,
      ...(m.host_port ? { hostPort: m.host_port + i } : {}),
      ...(m.host_ip ? { hostIP: m.host_ip } : {}),
      protocol: m.protocol.toUpperCase(),
    })),
  );
}

/** The pod's volumes, shared by its containers: one per bind source, named volume and tmpfs mount. */
class VolumeTable {
  readonly volumes: Json[] = [];
  private readonly byKey = new Map<string, string>();
  private readonly taken = new Set<string>();

  name(key: string, base: string, source: Json): string {
    const known = this.byKey.get(key);
    if (known) return known;
    const name = uniqueLabel(dnsLabel(base, 'volume'), this.taken);
    this.byKey.set(key, name);
    this.volumes.push({ name, ...source });
    return name;
  }
}

function hostPathType(path: string): string {
  try {
    return statSync(path).isDirectory() ? 'Directory' : 'File';
  } catch {
    return 'DirectoryOrCreate';
  }
}

function volumeMounts(config: ContainerConfig, table: VolumeTable): Json[] {
  const mounts: Json[] = [];
  const readOnly = (options: readonly string[]) => (options.includes('ro') ? { readOnly: true } : {});
  let tmpfs = 0;
  for (const m of config.mounts ?? []) {
    if (m.type === 'bind') {
      const source = m.source ?? '/';
      const name = table.name(`bind ${source}`, `${source.replace(/^\/+/, '') || 'root'}-host`, { hostPath: { path: source, type: hostPathType(source) } });
      mounts.push({ name, mountPath: m.destination, ...readOnly(m.options) });
    } else {
      const name = table.name(`tmpfs ${config.id} ${tmpfs++}`, 'tmpfs', { emptyDir: { medium: 'Memory' } });
      mounts.push({ name, mountPath: m.destination, ...readOnly(m.options) });
    }
  }
  for (const v of config.namedVolumes ?? []) {
    const name = v.anonymous
      ? table.name(`volume ${v.name}`, 'empty-dir', { emptyDir: {} })
      : table.name(`volume ${v.name}`, `${v.name}-pvc`, { persistentVolumeClaim: { claimName: v.name } });
    mounts.push({ name, mountPath: v.destination, ...readOnly(v.options), ...(v.subPath ? { subPath: v.subPath } : {}) });
  }
  return mounts;
}

async function kubeContainer(runtime: Runtime, ctr: Container, podName: string | null, ports: readonly PortMapping[], table: VolumeTable, taken: Set<string>): Promise<Json> {
  const config = ctr.configuration();
  if (!config.rootfsImage) throw new PodbayError('ErrInvalidArg', `container ${config.name} runs a rootfs directory, not an image: Kubernetes needs an image`);
  const image = await imageDefaults(runtime, config);
  const entrypoint = config.entrypoint ?? [];
  const cmd = config.command ?? config.spec.process.args;
  const process: Json = {};
  if (!same(entrypoint, image.entrypoint)) {
    // An entrypoint of our own: Kubernetes then runs `args` only as given, so the cmd goes too.
    if (entrypoint.length) process.command = [...entrypoint];
    if (cmd.length) process[entrypoint.length ? 'args' : 'command'] = [...cmd];
  } else if (!same(cmd, image.cmd)) {
    process.args = [...cmd];
  }
  const env = (config.spec.process.env ?? []).filter((e) => !image.env.has(e)).map((e) => {
    const eq = e.indexOf('=');
    return { name: e.slice(0, eq), value: e.slice(eq + 1) };
  });
  const cwd = config.spec.process.cwd;
  const limits: Json = {};
  if (config.resources?.memoryBytes) limits.memory = formatMemory(config.resources.memoryBytes);
  if (config.resources?.cpus) limits.cpu = formatCpu(config.resources.cpus);
  const mounts = volumeMounts(config, table);
  const short = podName && config.name.startsWith(`${podName}-`) ? config.name.slice(podName.length + 1) : config.name;
  return {
    name: uniqueLabel(dnsLabel(short, 'container'), taken),
    image: config.rootfsImage.name,
    ...process,
    ...(cwd && cwd !== image.workdir ? { workingDir: cwd } : {}),
    ...(env.length ? { env } : {}),
    ...(ports.length ? { ports: kubePorts(ports) } : {}),
    ...(Object.keys(limits).length ? { resources: { limits } } : {}),
    ...(mounts.length ? { volumeMounts: mounts } : {}),
    ...(config.stdin ? { stdin: true } : {}),
    ...(config.spec.process.terminal ? { tty: true } : {}),
  };
}

interface PodSource {
  name: string;
  labels: Record<string, string>;
  hostname: string | null;
  members: Container[];
  /** Published on the infra container (a pod) and given to the first member; none for loose containers. */
  podPorts: PortMapping[];
  pod: boolean;
}

async function podManifest(runtime: Runtime, source: PodSource): Promise<{ pod: Json; ports: Json[] }> {
  const table = new VolumeTable();
  const taken = new Set<string>();
  const containers: Json[] = [];
  for (const [i, ctr] of source.members.entries()) {
    const ports = source.pod ? (i === 0 ? source.podPorts : []) : (ctr.configuration().portMappings ?? []);
    containers.push(await kubeContainer(runtime, ctr, source.pod ? source.name : null, ports, table, taken));
  }
  const policy = source.members[0]?.configuration().restartPolicy ?? 'no';
  const app = dnsLabel(source.name, 'pod');
  const pod: Json = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: source.name, labels: { app, ...source.labels } },
    spec: {
      // Kubernetes takes an RFC 1123 label here; Podbay hostnames may have dots and capitals.
      ...(source.hostname ? { hostname: dnsLabel(source.hostname, 'host') } : {}),
      restartPolicy: restartPolicies[policy] ?? 'Never',
      containers,
      ...(table.volumes.length ? { volumes: table.volumes } : {}),
    },
  };
  const ports = containers.flatMap((c) => (Array.isArray(c.ports) ? (c.ports as Json[]) : []));
  return { pod, ports };
}

function serviceManifest(name: string, ports: Json[]): Json {
  const taken = new Set<string>();
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { app: dnsLabel(name, 'pod') } },
    spec: {
      type: 'NodePort',
      selector: { app: dnsLabel(name, 'pod') },
      ports: ports.map((p) => {
        const port = p.containerPort as number;
        const protocol = p.protocol as string;
        return { name: uniqueLabel(`${port}-${protocol.toLowerCase()}`, taken), port, targetPort: port, protocol };
      }),
    },
  };
}

function lookup(runtime: Runtime, nameOrId: string): Pod | Container {
  try {
    return runtime.lookupContainer(nameOrId);
  } catch (error) {
    if (!hasCode(error, 'ErrNoSuchCtr')) throw error;
  }
  try {
    return runtime.lookupPod(nameOrId);
  } catch (error) {
    if (!hasCode(error, 'ErrNoSuchPod')) throw error;
    throw new PodbayError('ErrNoSuchCtr', `${nameOrId}: no such pod or container`, { cause: error });
  }
}

/**
 * The YAML of `nameOrIds`: a Pod per pod named, and one Pod (`<first container>-pod`) holding the
 * containers named outside pods. A pod member or infra container named on its own → ErrInvalidArg.
 */
export async function generateKube(runtime: Runtime, nameOrIds: readonly string[], options: GenerateKubeOptions = {}): Promise<string> {
  if (nameOrIds.length === 0) throw new PodbayError('ErrInvalidArg', 'generate kube needs a pod or a container');
  const sources: PodSource[] = [];
  const loose: Container[] = [];
  for (const nameOrId of nameOrIds) {
    const found = lookup(runtime, nameOrId);
    if (found instanceof Pod) {
      const pod = found;
      const all = pod.getContainers().sort((a, b) => a.configuration().createdAt.localeCompare(b.configuration().createdAt));
      const infra = all.find((c) => c.configuration().isInfra);
      const members = all.filter((c) => !c.configuration().isInfra);
      if (members.length === 0) throw new PodbayError('ErrInvalidArg', `pod ${pod.name()} has no containers to generate`);
      if (!sources.some((s) => s.pod && s.name === pod.name())) {
        sources.push({ name: pod.name(), labels: pod.labels(), hostname: pod.hostname(), members, podPorts: infra?.configuration().portMappings ?? [], pod: true });
      }
    } else {
      const ctr = found;
      const config = ctr.configuration();
      if (config.pod) throw new PodbayError('ErrInvalidArg', `container ${config.name} is in a pod: generate the pod instead`);
      if (!loose.some((c) => c.id() === ctr.id())) loose.push(ctr);
    }
  }
  if (loose.length) {
    const first = loose[0] as Container;
    sources.push({ name: `${first.name()}-pod`, labels: {}, hostname: first.configuration().spec.hostname ?? null, members: loose, podPorts: [], pod: false });
  }
  const docs: Json[] = [];
  for (const source of sources) {
    const { pod, ports } = await podManifest(runtime, source);
    docs.push(pod);
    if (options.service && ports.length) docs.push(serviceManifest(source.name, ports));
  }
  const header = '# Generated by Podbay: save it and apply it with `kubectl apply -f FILE` or play it with `podbay play kube FILE`.\n';
  return header + docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
