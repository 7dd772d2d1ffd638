// What play kube would create from a YAML, without creating it: podman's names, env from
// ConfigMaps, ports on the pod, volumes by kind, restart and pull policies, and typed refusals.
import { describe, expect, it } from 'vitest';
import { planKube } from '../../../../main/core/kube/kube-plan.ts';
import { readKube } from '../../../../main/core/kube/kube-reader.ts';
import { cpuCores, formatCpu, formatMemory, memoryBytes } from '../../../../main/core/kube/kube-quantity.ts';
import { thrownCode } from '../../../helpers/error-codes.ts';

const yaml = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { GREETING: hello, MODE: fast }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec: { accessModes: [ReadWriteOnce] }
---
apiVersion: v1
kind: Pod
metadata: { name: app, labels: { tier: web } }
spec:
  hostname: apphost
  restartPolicy: OnFailure
  volumes:
    - { name: host, hostPath: { path: /srv/app, type: DirectoryOrCreate } }
    - { name: scratch, emptyDir: {} }
    - { name: fast, emptyDir: { medium: Memory } }
    - { name: store, persistentVolumeClaim: { claimName: data } }
    - { name: cfg, configMap: { name: settings } }
  containers:
    - name: web
      image: busybox
      command: [httpd]
      args: [-f, -p, "80"]
      imagePullPolicy: Never
      env:
        - { name: A, value: "1" }
        - { name: GREETING, valueFrom: { configMapKeyRef: { name: settings, key: GREETING } } }
      envFrom: [{ configMapRef: { name: settings }, prefix: CFG_ }]
      ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 5353, protocol: UDP, hostIP: 127.0.0.1 }, { containerPort: 9000 }]
      resources: { limits: { memory: 64Mi, cpu: 500m } }
      volumeMounts:
        - { name: host, mountPath: /www, readOnly: true }
        - { name: scratch, mountPath: /scratch }
        - { name: fast, mountPath: /fast }
        - { name: store, mountPath: /data, subPath: sub }
        - { name: cfg, mountPath: /cfg }
    - name: side
      image: busybox
      volumeMounts: [{ name: scratch, mountPath: /shared }]
`;

describe('planKube', () => {
  const plan = planKube(readKube(yaml));
  const [pod] = plan.pods;

  it('names the pod metadata.name and each container <pod>-<container>, with the pod options', () => {
    expect(pod?.pod).toEqual({ name: 'app', labels: { tier: 'web' }, hostname: 'apphost', publish: ['8080:80/tcp', '127.0.0.1:5353:53/udp'] });
    expect(pod?.containers.map((c) => c.create.name)).toEqual(['app-web', 'app-side']);
  });

  it('maps command to the entrypoint and args to the command, env from values and ConfigMaps', () => {
    const web = pod?.containers[0]?.create;
    expect(web).toMatchObject({ image: 'busybox', entrypoint: ['httpd'], command: ['-f', '-p', '80'], pull: 'never', restartPolicy: 'on-failure', memoryBytes: 64 * 1024 * 1024, cpus: 0.5 });
    expect(web?.env).toEqual(['CFG_GREETING=hello', 'CFG_MODE=fast', 'A=1', 'GREETING=hello']);
    expect(pod?.containers[1]?.create).toMatchObject({ command: [], pull: 'missing', restartPolicy: 'on-failure' });
    expect(pod?.containers[1]?.create.entrypoint).toBeUndefined();
  });

  it('maps hostPath to binds, emptyDir to a volume the containers share, Memory to tmpfs, claims to named volumes', () => {
    const [web, side] = pod?.containers ?? [];
    expect(web?.create.mounts).toEqual([
      { type: 'bind', source: '/srv/app', destination: '/www', readOnly: true },
      { type: 'tmpfs', destination: '/fast', readOnly: false },
      { type: 'volume', source: 'data', destination: '/data', readOnly: false, subPath: 'sub' },
    ]);
    expect(web?.emptyDirs).toHaveLength(1);
    expect(side?.emptyDirs[0]?.name).toBe(web?.emptyDirs[0]?.name);
    expect(side?.emptyDirs[0]).toMatchObject({ destination: '/shared', anonymous: true });
    expect(pod?.hostPaths).toEqual([{ path: '/srv/app', create: 'directory', type: 'DirectoryOrCreate' }]);
    expect(plan.claims).toEqual(['data']);
  });

  it('lists the configMap volume, its mount and the claim spec as ignored', () => {
    expect(plan.ignored.map((i) => i.path)).toEqual([
      'PersistentVolumeClaim data: spec.accessModes',
      'Pod app: spec.volumes[4].configMap',
      'Pod app: spec.volumes[4]',
      'Pod app: spec.containers[0].volumeMounts[4]',
    ]);
  });

  it('names a Deployment pod <name>-pod and refuses more than one replica', () => {
    const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: c, image: busybox }] }
`;
    const planned = planKube(readKube(deployment(1)));
    expect(planned.pods[0]?.pod).toMatchObject({ name: 'api-pod', labels: { app: 'api' } });
    expect(planned.pods[0]?.containers[0]?.create.name).toBe('api-pod-c');
    expect(thrownCode(() => planKube(readKube(deployment(3))))).toBe('ErrNotImplemented');
  });

  it('refuses missing ConfigMaps and keys, undeclared volumes, bad names and quantities with ErrInvalidArg', () => {
    const base = (container: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n${extra}  containers:\n    - ${container}\n`;
    expect(thrownCode(() => planKube(readKube(base('{ name: c, image: i, env: [{ name: X, valueFrom: { configMapKeyRef: { name: nope, key: k } } }] }'))))).toBe('ErrInvalidArg');
    expect(planKube(readKube(base('{ name: c, image: i, env: [{ name: X, valueFrom: { configMapKeyRef: { name: nope, key: k, optional: true } } }] }'))).pods[0]?.containers[0]?.create.env).toEqual([]);
    expect(thrownCode(() => planKube(readKube(base('{ name: c, image: i, volumeMounts: [{ name: v, mountPath: /v }] }'))))).toBe('ErrInvalidArg');
    expect(thrownCode(() => planKube(readKube(base('{ name: "c/../x", image: i }'))))).toBe('ErrInvalidArg');
    expect(thrownCode(() => planKube(readKube(base('{ name: c, image: i, resources: { limits: { memory: lots } } }'))))).toBe('ErrInvalidArg');
    expect(thrownCode(() => planKube(readKube(base('{ name: c, image: i }', '  volumes: [{ name: h, hostPath: { path: relative } }]\n'))))).toBe('ErrInvalidArg');
    expect(thrownCode(() => planKube(readKube('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: only }\n')))).toBe('ErrInvalidArg');
    expect(thrownCode(() => planKube(readKube(`${base('{ name: c, image: i }')}---\n${base('{ name: d, image: i }')}`)))).toBe('ErrInvalidArg');
  });

  it('publishes on the network the caller names, or the host for hostNetwork', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: i }] }\n';
    expect(planKube(readKube(text), { network: ['back'] }).pods[0]?.pod.network).toEqual(['back']);
    expect(planKube(readKube(text.replace('spec: {', 'spec: { hostNetwork: true,'))).pods[0]?.pod.network).toEqual(['host']);
  });
});

describe('Kubernetes quantities', () => {
  it('reads memory and CPU as Kubernetes writes them and writes them back', () => {
    expect(memoryBytes('64Mi', 'm')).toBe(67_108_864);
    expect(memoryBytes('1G', 'm')).toBe(1e9);
    expect(memoryBytes('1e3', 'm')).toBe(1000);
    expect(memoryBytes(4096, 'm')).toBe(4096);
    expect(cpuCores('250m', 'c')).toBe(0.25);
    expect(cpuCores('2', 'c')).toBe(2);
    expect(formatMemory(67_108_864)).toBe('64Mi');
    expect(formatMemory(1000)).toBe('1000');
    expect(formatCpu(0.5)).toBe('500m');
    expect(formatCpu(2)).toBe('2');
    expect(thrownCode(() => memoryBytes('12 parsecs', 'm'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => memoryBytes('9e999', 'm'))).toBe('ErrInvalidArg');
  });
});
