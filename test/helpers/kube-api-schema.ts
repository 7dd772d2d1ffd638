// The Kubernetes API's own rules for the objects generate kube writes, as `kubectl apply
// --dry-run=client --validate=strict` checks them from the OpenAPI schema (kubectl itself is not on
// the build machines): required fields, types, enums, RFC 1123 names where the API requires them,
// and no field the API does not know. Written from the API reference (core/v1 Pod, Service).
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

const label = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'an RFC 1123 label');
const strings = z.record(z.string(), z.string());
const int32 = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
const quantity = z.union([z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/), z.number()]);

const metadata = z.strictObject({
  name: z.string().min(1).max(253),
  namespace: z.string().optional(),
  labels: strings.optional(),
  annotations: strings.optional(),
  creationTimestamp: z.null().optional(),
});

const containerPort = z.strictObject({
  containerPort: int32.min(1).max(65_535),
  hostPort: int32.min(1).max(65_535).optional(),
  hostIP: z.string().optional(),
  name: z.string().max(15).optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
});

const container = z.strictObject({
  name: label,
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  env: z.array(z.strictObject({ name: z.string().min(1), value: z.string().optional() })).optional(),
  ports: z.array(containerPort).optional(),
  resources: z.strictObject({ limits: z.record(z.enum(['cpu', 'memory']), quantity).optional(), requests: z.record(z.string(), quantity).optional() }).optional(),
  volumeMounts: z.array(z.strictObject({ name: z.string().min(1), mountPath: z.string().min(1), readOnly: z.boolean().optional(), subPath: z.string().optional() })).optional(),
  stdin: z.boolean().optional(),
  tty: z.boolean().optional(),
  securityContext: z.record(z.string(), z.unknown()).optional(),
});

const volume = z.strictObject({
  name: label,
  hostPath: z.strictObject({ path: z.string().min(1), type: z.enum(['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice']).optional() }).optional(),
  emptyDir: z.strictObject({ medium: z.enum(['', 'Memory']).optional(), sizeLimit: quantity.optional() }).optional(),
  persistentVolumeClaim: z.strictObject({ claimName: z.string().min(1), readOnly: z.boolean().optional() }).optional(),
}).refine((v) => [v.hostPath, v.emptyDir, v.persistentVolumeClaim].filter(Boolean).length === 1, 'a volume has exactly one source');

const pod = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Pod'),
  metadata,
  spec: z.strictObject({
    containers: z.array(container).min(1),
    hostname: label.optional(),
    restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
    volumes: z.array(volume).optional(),
  }).refine((s) => s.containers.every((c) => (c.volumeMounts ?? []).every((m) => (s.volumes ?? []).some((v) => v.name === m.name))), 'every volumeMount names a volume of the pod'),
  status: z.object({}).optional(),
});

const service = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata,
  spec: z.strictObject({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
    selector: strings.optional(),
    ports: z.array(z.strictObject({ name: label.optional(), port: int32.min(1).max(65_535), targetPort: z.union([int32, z.string()]).optional(), protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(), nodePort: int32.min(30_000).max(32_767).optional() })).min(1),
  }),
  status: z.object({}).optional(),
});

/** What kubectl's client-side validation would refuse in `yaml`, one line per problem; [] when it accepts. */
export function kubeManifestProblems(yaml: string): string[] {
  const problems: string[] = [];
  for (const [i, doc] of parseAllDocuments(yaml).entries()) {
    if (doc.errors.length) {
      problems.push(`document ${i + 1}: ${doc.errors[0]?.message}`);
      continue;
    }
    const value = doc.toJS() as { kind?: unknown } | null;
    const schema = value?.kind === 'Pod' ? pod : value?.kind === 'Service' ? service : null;
    if (!schema) {
      problems.push(`document ${i + 1}: unexpected kind ${String(value?.kind)}`);
      continue;
    }
    const result = schema.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) problems.push(`document ${i + 1}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return problems;
}
