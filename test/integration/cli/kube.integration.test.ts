// generate kube and play kube as a user runs them (the built CLI, real conmon + crun), with podman as
// the oracle both ways: a pod Podbay generates plays in `podman play kube`, and the YAML `podman
// generate kube` writes plays in Podbay. podman runs on a throw-away --root/--runroot.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../../main/core/runtime.ts';
import { podbay } from '../../helpers/cli.ts';
import { removeStoreDir, storeOptions, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { busyboxLayer, busyboxMissing, buildImage } from '../../helpers/image-builder.ts';
import { kubeManifestProblems } from '../../helpers/kube-api-schema.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { registryMissing, startRegistry } from '../../helpers/registry-server.ts';
import { addImage } from '../../helpers/stored-image.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? busyboxMissing() ?? null;
const podmanMissing = spawnSync('podman', ['--version'], { stdio: 'ignore' }).error ? 'podman is missing (apt-get install podman)' : null;

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

describe.skipIf(skip !== null)(`podbay generate kube and play kube${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let globals: string[];
  const cli = (args: string[], input?: string) => podbay([...globals, ...args], { timeoutMs: 120_000, ...(input !== undefined ? { input } : {}) });
  const ok = (...args: string[]) => {
    const result = cli(args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    store = tempStore();
    globals = ['--root', store.graphRoot, '--runroot', store.runRoot];
    const runtime = Runtime.create(storeOptions(store), { cliScript: null });
    await addImage(runtime, buildImage([busyboxLayer()], { oci: true }), ['localhost/busybox:latest']);
    runtime.shutdown(true);
  }, 60_000);
  afterAll(async () => {
    const pods = cli(['pod', 'ps', '-q']).stdout.split('\n').filter(Boolean);
    if (pods.length) cli(['pod', 'rm', '-f', ...pods]);
    cli(['rm', '-f', '-t', '0', '-a']);
    await sleep(300);
    await removeStoreDir(store.dir);
  });

  const yaml = (name: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  restartPolicy: Never
  containers:
    - name: main
      image: localhost/busybox:latest
      command: [sleep, '1000']
      livenessProbe: { exec: { command: ['true'] } }
---
apiVersion: v1
kind: Secret
metadata: { name: hidden }
`;

  it('plays a file and stdin, prints podman\'s ids and warns of what it ignored, refuses a second play and takes it down', () => {
    const file = join(store.dir, 'cli.yaml');
    writeFileSync(file, yaml('cli'));
    const played = cli(['play', 'kube', '--network', 'none', file]);
    expect(played.code, played.stderr).toBe(0);
    expect(played.stdout).toMatch(/^Pod:\n[0-9a-f]{64}\nContainers:\n[0-9a-f]{64}\n\n$/);
    expect(played.stderr).toContain('Warning: Pod cli: spec.containers[0].livenessProbe: field not supported: ignored\n');
    expect(played.stderr).toContain('Warning: Secret hidden: kind Secret is not supported: ignored\n');
    expect(ok('ps', '--format', 'json')).toContain('cli-main');

    const again = cli(['play', 'kube', '--network', 'none', file]);
    expect(again.code).toBe(125);
    expect(again.stderr).toMatch(/^Error: pod cli already exists/);
    const replaced = cli(['play', 'kube', '--replace', '--network', 'none', '-'], yaml('cli'));
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).not.toBe(played.stdout);

    const down = cli(['play', 'kube', '--down', file]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/^Pods stopped:\n[0-9a-f]{64}\nPods removed:\n[0-9a-f]{64}\n$/);
    expect(ok('pod', 'ps', '-q')).toBe('');
    expect(cli(['play', 'kube', '--down', file]).code).toBe(125);
  });

  it.skipIf(registryMissing() !== undefined)(`pulls a missing image first, with podman's progress lines${registryMissing() ? ` (skipped: ${registryMissing()})` : ''}`, async () => {
    const registry = await startRegistry();
    try {
      const image = `${registry.host}/podbay/kube:1`;
      ok('push', '--tls-verify=false', 'localhost/busybox:latest', image);
      const played = cli(['play', 'kube', '--tls-verify=false', '--network', 'none', '-'], yaml('pulled').replace('localhost/busybox:latest', image));
      expect(played.code, played.stderr).toBe(0);
      expect(played.stderr).toContain(`Trying to pull ${image}...`);
      expect(played.stderr).toMatch(/Copying blob sha256:[0-9a-f]{64}/);
      expect(played.stderr).toContain('Writing manifest to image destination');
      expect(ok('ps', '--format', 'json')).toContain('pulled-main');
      expect(cli(['play', 'kube', '--down', '-'], yaml('pulled')).code).toBe(0);
    } finally {
      await registry.stop();
    }
  });

  it('refuses a hostile YAML with a one-line typed error and creates nothing', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...Array.from({ length: 9 }, (_, i) => `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(',')}]`), 'kind: Pod'].join('\n');
    const refused = cli(['play', 'kube', '-'], bomb);
    expect(refused.code).toBe(125);
    expect(refused.stderr).toMatch(/^Error: reading kube yaml: document 1: .*\n$/);
    const wrong = cli(['play', 'kube', '-'], 'apiVersion: v1\nkind: Pod\nmetadata: { name: w }\nspec: { containers: [{ name: c, image: 5 }] }\n');
    expect(wrong.stderr).toMatch(/^Error: reading kube yaml: Pod w: spec\.containers\[0\]\.image: /);
    expect(ok('pod', 'ps', '-q')).toBe('');
  });

  it('generates kube of a pod made by hand, to stdout and a file, valid for the Kubernetes API', () => {
    ok('pod', 'create', '--name', 'gen', '--network', 'none', '--label', 'team=a');
    mkdirSync(join(store.dir, 'gen-data'), { recursive: true });
    ok('create', '--pod', 'gen', '--name', 'gen-web', '-e', 'FOO=bar', '-m', '64m', '--cpus', '0.5', '-v', `${join(store.dir, 'gen-data')}:/data:ro`, '--tmpfs', '/scratch', '-v', 'gen-vol:/vol', '--restart', 'always', 'localhost/busybox:latest', 'httpd', '-f', '-p', '8080');
    const yamlText = ok('generate', 'kube', '--service', 'gen');
    expect(kubeManifestProblems(yamlText)).toEqual([]);
    expect(yamlText).toContain('name: gen\n');
    expect(yamlText).toContain('  restartPolicy: Always\n');
    expect(yamlText).toMatch(/- name: web\n\s+image: localhost\/busybox:latest\n\s+args:\n\s+- httpd\n\s+- -f\n\s+- -p\n\s+- "8080"\n/);
    expect(yamlText).toMatch(/env:\n\s+- name: FOO\n\s+value: bar\n/);
    expect(yamlText).toMatch(/limits:\n\s+memory: 64Mi\n\s+cpu: 500m\n/);
    expect(yamlText).toContain('claimName: gen-vol');
    expect(yamlText).toContain('medium: Memory');
    expect(yamlText).not.toContain('kind: Service'); // no ports: no Service
    const file = join(store.dir, 'gen.yaml');
    ok('generate', 'kube', '-f', file, 'gen');
    expect(readFileSync(file, 'utf8')).toBe(ok('generate', 'kube', 'gen'));
    // Containers outside pods go into one Pod named after the first, each with its own ports.
    ok('create', '--name', 'loose', '-p', '18432:80', 'localhost/busybox:latest', 'httpd', '-f', '-p', '80');
    const loose = ok('generate', 'kube', 'loose');
    expect(kubeManifestProblems(loose)).toEqual([]);
    expect(loose).toMatch(/metadata:\n\s+name: loose-pod\n/);
    expect(loose).toMatch(/- name: loose\n[\s\S]*ports:\n\s+- containerPort: 80\n\s+hostPort: 18432\n\s+protocol: TCP\n/);
    expect(cli(['generate', 'kube', 'gen-web']).stderr).toBe('Error: container gen-web is in a pod: generate the pod instead\n');
    ok('rm', '-f', 'loose');
    const missing = cli(['generate', 'kube', 'nosuch']);
    expect([missing.code, missing.stderr]).toEqual([125, 'Error: nosuch: no such pod or container\n']);
    ok('pod', 'rm', '-f', 'gen');
  });

  describe.skipIf(podmanMissing !== null)(`with podman as the oracle${podmanMissing ? ` (skipped: ${podmanMissing})` : ''}`, () => {
    let podmanDir: string;
    let podmanEnv: NodeJS.ProcessEnv;
    const podman = (args: string[]) =>
      spawnSync('podman', ['--root', join(podmanDir, 'root'), '--runroot', join(podmanDir, 'run'), '--storage-driver', 'overlay', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', ...args], { encoding: 'utf8', timeout: 120_000, env: podmanEnv });
    const podmanOk = (...args: string[]) => {
      const result = podman(args);
      expect(result.status, `podman ${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result.stdout;
    };

    beforeAll(() => {
      podmanDir = join(store.dir, 'podman');
      mkdirSync(podmanDir, { recursive: true });
      // As bench/podman-config.ts: rlimits the host allows (the infra container takes no --ulimit) and netavark.
      const conf = join(podmanDir, 'containers.conf');
      writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n\n[network]\nnetwork_backend = "netavark"\n');
      podmanEnv = { ...process.env, CONTAINERS_CONF: conf };
      const archive = join(podmanDir, 'busybox.tar');
      ok('save', '-o', archive, 'localhost/busybox:latest');
      podmanOk('load', '-i', archive);
    }, 120_000);
    afterAll(() => {
      podman(['pod', 'rm', '-a', '-f', '-t', '0']);
      podman(['rm', '-a', '-f', '-t', '0']);
      spawnSync('umount', ['-R', join(podmanDir, 'root', 'overlay')], { stdio: 'ignore' });
    });

    it('a pod Podbay generates plays in podman play kube', async () => {
      const data = join(store.dir, 'to-podman');
      mkdirSync(data, { recursive: true });
      writeFileSync(join(data, 'in.txt'), 'from the host\n');
      ok('pod', 'create', '--name', 'rt', '--network', 'none');
      ok('create', '--pod', 'rt', '--name', 'rt-app', '-e', 'GREETING=hi from podbay', '-v', `${data}:/data`, '--restart', 'no', 'localhost/busybox:latest', 'sh', '-c', 'cat /data/in.txt > /data/out.txt; echo "$GREETING" >> /data/out.txt; exec sleep 1000');
      const file = join(store.dir, 'rt.yaml');
      ok('generate', 'kube', '-f', file, 'rt');
      ok('pod', 'rm', '-f', 'rt');
      const played = podman(['play', 'kube', '--network', 'none', file]);
      expect(played.status, played.stderr).toBe(0);
      await until(() => existsSync(join(data, 'out.txt')) && readFileSync(join(data, 'out.txt'), 'utf8').split('\n').length > 2);
      expect(readFileSync(join(data, 'out.txt'), 'utf8')).toBe('from the host\nhi from podbay\n');
      const pod = JSON.parse(podmanOk('pod', 'inspect', 'rt')) as { Name: string; Containers: { Name: string; State: string }[] };
      expect(pod.Containers.filter((c) => c.Name === 'rt-app').map((c) => c.State)).toEqual(['running']);
      podmanOk('play', 'kube', '--down', file);
    });

    it('a YAML podman generate kube writes plays in Podbay', async () => {
      const data = join(store.dir, 'from-podman');
      mkdirSync(data, { recursive: true });
      podmanOk('pod', 'create', '--name', 'pm', '--network', 'none', '--label', 'origin=podman');
      podmanOk('create', '--pod', 'pm', '--name', 'pm-app', '-e', 'ORIGIN=podman', '-v', `${data}:/data`, 'localhost/busybox:latest', 'sh', '-c', 'echo "$ORIGIN" > /data/seen; exec sleep 1000');
      const generated = podmanOk('generate', 'kube', 'pm');
      podmanOk('pod', 'rm', '-f', '-t', '0', 'pm');
      const file = join(store.dir, 'pm.yaml');
      writeFileSync(file, generated);
      const played = cli(['play', 'kube', '--network', 'none', file]);
      expect(played.code, `${played.stderr}\n${generated}`).toBe(0);
      await until(() => existsSync(join(data, 'seen')) && readFileSync(join(data, 'seen'), 'utf8') !== '');
      expect(readFileSync(join(data, 'seen'), 'utf8')).toBe('podman\n');
      const pods = JSON.parse(ok('pod', 'ps', '--format', 'json')) as { Name: string; Status: string; Labels?: Record<string, string> }[];
      expect(pods.find((p) => p.Name === 'pm')?.Status).toBe('Running');
      expect(ok('ps', '--format', 'json')).toContain('pm-app');
      ok('play', 'kube', '--down', file);
    });
  });
});
