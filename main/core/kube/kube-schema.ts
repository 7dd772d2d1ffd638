// The Kubernetes objects Podbay reads, as zod schemas: only the fields play kube acts on (or that are
// output-only, such as `status`). A field a schema does not name is stripped by zod, and the reader
// (kube-reader.ts) reports it as ignored by comparing the input with the parsed object — nothing
// unknown is dropped silently. Types are checked strictly: a wrong type is an error with its path.
import { z } from 'zod';

/** Kubernetes names (RFC 1123 labels and subdomains) are checked loosely: Podbay names are the rule that matters. */
const name = z.string().min(1).max(253);
const stringMap = z.record(z.string().min(1).max(317), z.string().max(65_536));
/** A quantity: `128Mi`, `0.5`, `500m` or a plain number. */
const quantity = z.union([z.string().min(1).max(64), z.number().finite().nonnegative()]);

export const kubeMetadataSchema = z.object({
  name,
  labels: stringMap.nullish(),
  /** Output-only in Kubernetes (podman writes `creationTimestamp: null`). */
  creationTimestamp: z.unknown().optional(),
});

const configMapKeyRef = z.object({ name, key: z.string().min(1).max(253), optional: z.boolean().nullish() });

const envVar = z.object({
  name: z.string().min(1).max(4096),
  value: z.string().max(1_048_576).nullish(),
  valueFrom: z.object({ configMapKeyRef }).nullish(),
});

const envFrom = z.object({
  prefix: z.string().max(253).nullish(),
  configMapRef: z.object({ name, optional: z.boolean().nullish() }),
});

const containerPort = z.object({
  containerPort: z.number().int().min(1).max(65_535),
  hostPort: z.number().int().min(0).max(65_535).nullish(),
  hostIP: z.string().min(1).max(64).nullish(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).nullish(),
  name: z.string().max(15).nullish(),
});

const volumeMount = z.object({
  name,
  mountPath: z.string().min(1).max(4096),
  readOnly: z.boolean().nullish(),
  subPath: z.string().max(4096).nullish(),
});

const resourceList = z.object({ memory: quantity.nullish(), cpu: quantity.nullish() });

export const kubeContainerSchema = z.object({
  name: z.string().min(1).max(253),
  image: z.string().min(1).max(1024),
  command: z.array(z.string().max(131_072)).max(4096).nullish(),
  args: z.array(z.string().max(131_072)).max(4096).nullish(),
  workingDir: z.string().max(4096).nullish(),
  env: z.array(envVar).max(4096).nullish(),
  envFrom: z.array(envFrom).max(256).nullish(),
  ports: z.array(containerPort).max(1024).nullish(),
  resources: z.object({ limits: resourceList.nullish() }).nullish(),
  volumeMounts: z.array(volumeMount).max(256).nullish(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).nullish(),
  stdin: z.boolean().nullish(),
  tty: z.boolean().nullish(),
});

export const kubeVolumeSchema = z.object({
  name,
  hostPath: z.object({
    path: z.string().min(1).max(4096),
    type: z.enum(['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice']).nullish(),
  }).nullish(),
  emptyDir: z.object({ medium: z.enum(['', 'Memory']).nullish(), sizeLimit: quantity.nullish() }).nullish(),
  persistentVolumeClaim: z.object({ claimName: name, readOnly: z.boolean().nullish() }).nullish(),
});

export const kubePodSpecSchema = z.object({
  containers: z.array(kubeContainerSchema).min(1).max(64),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).nullish(),
  hostname: z.string().min(1).max(253).nullish(),
  hostNetwork: z.boolean().nullish(),
  volumes: z.array(kubeVolumeSchema).max(256).nullish(),
});

export const kubePodSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata: kubeMetadataSchema,
  spec: kubePodSpecSchema,
  status: z.unknown().optional(),
});

export const kubeDeploymentSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: kubeMetadataSchema,
  spec: z.object({
    replicas: z.number().int().min(0).max(1_000_000).nullish(),
    selector: z.object({ matchLabels: stringMap.nullish() }).nullish(),
    template: z.object({
      metadata: kubeMetadataSchema.partial({ name: true }).nullish(),
      spec: kubePodSpecSchema,
    }),
  }),
  status: z.unknown().optional(),
});

export const kubeConfigMapSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata: kubeMetadataSchema,
  data: stringMap.nullish(),
});

export const kubePvcSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('PersistentVolumeClaim'),
  metadata: kubeMetadataSchema,
  /** Podbay's named volumes have no size or access modes: the spec is accepted and its fields reported. */
  spec: z.object({}).nullish(),
  status: z.unknown().optional(),
});

export type KubePod = z.output<typeof kubePodSchema>;
export type KubeDeployment = z.output<typeof kubeDeploymentSchema>;
export type KubeConfigMap = z.output<typeof kubeConfigMapSchema>;
export type KubePvc = z.output<typeof kubePvcSchema>;
export type KubePodSpec = z.output<typeof kubePodSpecSchema>;
export type KubeContainer = z.output<typeof kubeContainerSchema>;
export type KubeVolume = z.output<typeof kubeVolumeSchema>;
export type KubeObject = KubePod | KubeDeployment | KubeConfigMap | KubePvc;

/** The kinds play kube acts on, by `kind`; anything else is listed as ignored as a whole. */
export const kubeSchemas = {
  Pod: kubePodSchema,
  Deployment: kubeDeploymentSchema,
  ConfigMap: kubeConfigMapSchema,
  PersistentVolumeClaim: kubePvcSchema,
} as const;
