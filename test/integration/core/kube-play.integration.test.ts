// play kube through real conmon + crun: a Pod with two containers, a ConfigMap, a hostPath and an
// emptyDir, the containers talking over the pod's localhost and a published port answering from the
// host; --down, a second play refused, --replace, and a missing image or a failing start leaving
// nothing behind. generate kube of the played pod reads back as the same pod.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKube } from '../../../main/core/kube/kube-generate.ts';
import { downKube, playKube } from '../../../main/core/kube/kube-play.ts';
import { readKube } from '../../../main/core/kube/kube-reader.ts';
import { withOCIRuntime } from '../../../main/core/runtime-config.ts';
import type { Runtime } from '../../../main/core/runtime.ts';
import { rejectionCode } from '../../helpers/error-codes.ts';
import { openRuntime, removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { busyboxLayer, busyboxMissing, buildImage } from '../../helpers/image-builder.ts';
import { kubeManifestProblems } from '../../helpers/kube-api-schema.ts';
import { httpGet, networkHostProblems } from '../../helpers/network-host.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { addImage } from '../../helpers/stored-image.ts';

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? busyboxMissing() ?? null;
const netSkip = networkHostProblems().join('; ') || null;

describe.skipIf(skip !== null)(`play kube${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let runtime: Runtime;
  beforeEach(async () => {
    store = tempStore();
    runtime = openRuntime(store, [withOCIRuntime('crun')], { cliScript: null });
    await addImage(runtime, buildImage([busyboxLayer()], { oci: true }), ['localhost/busybox:latest']);
  }, 60_000);
  afterEach(async () => {
    try {
      for (const pod of runtime.pods()) await runtime.removePod(pod, true).catch(() => undefined);
      runtime.shutdown(true);
    } catch {
      // the test shut it down
    }
    await removeStoreDir(store.dir);
  });

  const twoContainers = (dir: string, network: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { GREETING: hello from the configmap }
---
apiVersion: v1
kind: Pod
metadata: { name: duo, labels: { app: duo } }
spec:
  restartPolicy: Never
  volumes:
    - { name: www, hostPath: { path: ${dir}/www, type: Directory } }
    - { name: out, hostPath: { path: ${dir}/out, type: DirectoryOrCreate } }
    - { name: shared, emptyDir: {} }
  containers:
    - name: web
      image: localhost/busybox:latest
      command: [sh, -c, 'echo "$GREETING" > /shared/greeting; exec httpd -f -p 8080 -h /www']
      env: [{ name: GREETING, valueFrom: { configMapKeyRef: { name: settings, key: GREETING } } }]
      ports: [${network === 'bridge' ? '{ containerPort: 8080, hostPort: 18431 }' : ''}]
      volumeMounts: [{ name: www, mountPath: /www, readOnly: true }, { name: shared, mountPath: /shared }]
    - name: client
      image: localhost/busybox:latest
      command: [sh, -c]
      args: ['until wget -qO /out/page http://localhost:8080/index.html; do sleep 0.2; done; cat /shared/greeting > /out/greeting; echo "$CFG_GREETING" > /out/env; exec sleep 1000']
      envFrom: [{ prefix: CFG_, configMapRef: { name: settings } }]
      securityContext: { privileged: false }
      volumeMounts: [{ name: out, mountPath: /out }, { name: shared, mountPath: /shared }]
`;

  const simple = (name: string, image = 'localhost/busybox:latest', command = "['sleep', '1000']") => `apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  restartPolicy: Never
  containers: [{ name: main, image: ${image}, command: ${command} }]
`;

  it.skipIf(netSkip !== null)(`plays two containers that talk over localhost, with a ConfigMap, hostPath, emptyDir and a published port${netSkip ? ` (skipped: ${netSkip})` : ''}`, async () => {
    mkdirSync(join(store.dir, 'www'));
    writeFileSync(join(store.dir, 'www', 'index.html'), 'served over localhost\n');
    const report = await playKube(runtime, twoContainers(store.dir, 'bridge'));
    expect(report.pods.map((p) => [p.name, p.containers.map((c) => c.name)])).toEqual([['duo', ['duo-web', 'duo-client']]]);
    expect(report.ignored).toEqual([{ path: 'Pod duo: spec.containers[1].securityContext', reason: 'field not supported' }]);
    const out = join(store.dir, 'out');
    await until(() => existsSync(join(out, 'env')) && readFileSync(join(out, 'env'), 'utf8') !== '');
    expect(readFileSync(join(out, 'page'), 'utf8')).toBe('served over localhost\n');
    expect(readFileSync(join(out, 'greeting'), 'utf8')).toBe('hello from the configmap\n');
    expect(readFileSync(join(out, 'env'), 'utf8')).toBe('hello from the configmap\n');
    expect(await httpGet(18431, '/index.html')).toBe('served over localhost\n');
    const pod = runtime.lookupPod('duo');
    expect(pod.status()).toBe('Running');
    expect(pod.labels()).toEqual({ app: 'duo' });

    // What generate kube writes of it reads back as the same pod, and is a well-formed Kubernetes Pod.
    const yaml = await generateKube(runtime, ['duo'], { service: true });
    expect(kubeManifestProblems(yaml)).toEqual([]);
    const [generated, service] = readKube(yaml).objects;
    expect(generated).toMatchObject({ kind: 'Pod', metadata: { name: 'duo', labels: { app: 'duo' } }, spec: { restartPolicy: 'Never' } });
    if (generated?.kind !== 'Pod') throw new Error('not a pod');
    expect(generated.spec.containers.map((c) => [c.name, c.image])).toEqual([['web', 'localhost/busybox:latest'], ['client', 'localhost/busybox:latest']]);
    expect(generated.spec.containers[0]?.ports).toEqual([{ containerPort: 8080, hostPort: 18431, protocol: 'TCP' }]);
    expect(generated.spec.containers[0]?.env).toEqual([{ name: 'GREETING', value: 'hello from the configmap' }]);
    expect(generated.spec.containers[1]?.command).toEqual(['sh', '-c']);
    const volumes = generated.spec.volumes ?? [];
    expect(volumes.filter((v) => v.emptyDir)).toHaveLength(1);
    expect(volumes.filter((v) => v.hostPath).map((v) => v.hostPath?.path).sort()).toEqual([join(store.dir, 'out'), join(store.dir, 'www')]);
    expect(service).toBeUndefined(); // Services are not read back: the reader lists them as ignored
    expect(readKube(yaml).ignored).toEqual([{ path: 'Service duo', reason: 'kind Service is not supported' }]);

    const down = await downKube(runtime, yaml);
    expect(down.pods.map((p) => p.name)).toEqual(['duo']);
    expect(runtime.pods()).toEqual([]);
    expect(runtime.containers()).toEqual([]);
    // The emptyDir went with the pod; nothing else was made.
    expect(runtime.listVolumes()).toEqual([]);
  });

  it('refuses the same YAML twice with ErrPodExists, replaces with replace, and takes it down', async () => {
    const first = await playKube(runtime, simple('again'), { network: ['none'] });
    expect(await rejectionCode(playKube(runtime, simple('again'), { network: ['none'] }))).toBe('ErrPodExists');
    expect(runtime.lookupPod('again').id()).toBe(first.pods[0]?.id);
    const second = await playKube(runtime, simple('again'), { network: ['none'], replace: true });
    expect(second.replaced).toEqual(['again']);
    expect(second.pods[0]?.id).not.toBe(first.pods[0]?.id);
    expect(runtime.pods().map((p) => p.id())).toEqual([second.pods[0]?.id]);
    expect(runtime.lookupContainer('again-main').status()).toBe('running');
    const down = await downKube(runtime, simple('again'));
    expect(down).toMatchObject({ pods: [{ name: 'again' }], missing: [] });
    expect(runtime.pods()).toEqual([]);
    expect(await rejectionCode(downKube(runtime, simple('again')))).toBe('ErrNoSuchPod');
  });

  it('refuses a missing image with a typed error and creates nothing', async () => {
    const yaml = `${simple('good')}---\n${simple('bad', '127.0.0.1:9/nosuch/image:1')}`;
    const code = await rejectionCode(playKube(runtime, yaml, { network: ['none'] }));
    expect(['ErrRegistryUnreachable', 'ErrNoSuchImage']).toContain(code);
    const notDir = `apiVersion: v1\nkind: Pod\nmetadata: { name: typed }\nspec:\n  volumes: [{ name: h, hostPath: { path: /etc/hostname, type: Directory } }]\n  containers: [{ name: c, image: localhost/busybox:latest, volumeMounts: [{ name: h, mountPath: /h }] }]\n`;
    expect(await rejectionCode(playKube(runtime, notDir, { network: ['none'] }))).toBe('ErrInvalidArg');
    const never = simple('never').replace('command:', 'imagePullPolicy: Never, command:').replace('localhost/busybox:latest', 'localhost/absent:1');
    expect(await rejectionCode(playKube(runtime, never, { network: ['none'] }))).toBe('ErrNoSuchImage');
    expect(runtime.pods()).toEqual([]);
    expect(runtime.containers()).toEqual([]);
  });

  it('removes every pod, volume and host path it made when a later pod fails to start', async () => {
    const made = join(store.dir, 'made', 'deep');
    const yaml = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: claimed }
---
apiVersion: v1
kind: Pod
metadata: { name: first }
spec:
  volumes: [{ name: c, persistentVolumeClaim: { claimName: claimed } }, { name: h, hostPath: { path: ${made}, type: DirectoryOrCreate } }]
  containers: [{ name: main, image: localhost/busybox:latest, command: [sleep, '1000'], volumeMounts: [{ name: c, mountPath: /c }, { name: h, mountPath: /h }] }]
---
${simple('second', 'localhost/busybox:latest', '[/no/such/binary]')}`;
    const code = await rejectionCode(playKube(runtime, yaml, { network: ['none'] }));
    expect(code).not.toBe('resolved');
    expect(runtime.pods()).toEqual([]);
    expect(runtime.containers()).toEqual([]);
    expect(runtime.listVolumes()).toEqual([]);
    expect(existsSync(join(store.dir, 'made'))).toBe(false);
  });

  it('plays a Deployment of one replica as <name>-pod and refuses more replicas', async () => {
    const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, labels: { app: api } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { restartPolicy: Never, containers: [{ name: srv, image: localhost/busybox:latest, command: [sleep, '1000'] }] }
`;
    expect(await rejectionCode(playKube(runtime, deployment(2), { network: ['none'] }))).toBe('ErrNotImplemented');
    const report = await playKube(runtime, deployment(1), { network: ['none'] });
    expect(report.pods.map((p) => [p.name, p.containers.map((c) => c.name)])).toEqual([['api-pod', ['api-pod-srv']]]);
    expect(runtime.lookupPod('api-pod').status()).toBe('Running');
  });
});
