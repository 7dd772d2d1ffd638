// Real conmon + runc/crun: what a user would see of a container's lifecycle — its output in the
// k8s-file log, its exit code in conmon's exit file, its signals, its survival after the process that
// started it exits, its limits, and nothing left in the runtime's state after delete.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { readLog } from '../../../../main/core/oci/k8s-file-log.ts';
import type { LogLine } from '../../../../main/core/oci/k8s-file-log.ts';
import { OciRuntime, conmonAlive, pidAlive, readConmonPid } from '../../../../main/core/oci/oci-runtime.ts';
import { bundleOciCreateChild } from '../../../helpers/oci-child-bundle.ts';
import { crunRefusalReason, makeOciTestEnv, ociSkipReason } from '../../../helpers/oci-env.ts';
import type { OciTestEnv } from '../../../helpers/oci-env.ts';

async function logText(path: string): Promise<string> {
  const lines: LogLine[] = [];
  for await (const line of readLog(path)) lines.push(line);
  return lines.map((l) => `${l.text}${l.full ? '\n' : ''}`).join('');
}

for (const runtimeName of ['runc', 'crun'] as const) {
  const skip = ociSkipReason(runtimeName);
  const refusal = crunRefusalReason(runtimeName);
  const hybridRefusal = refusal !== null;

  describe.skipIf(skip !== null)(`OCI runtime ${runtimeName} through conmon${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let env: OciTestEnv;
    beforeEach(async () => {
      env = await makeOciTestEnv(runtimeName);
    });
    afterEach(async () => {
      await env.cleanup();
    });

    async function run(args: string[], extra: Parameters<OciTestEnv['spec']>[2] = {}) {
      const id = env.newId();
      const paths = env.paths(id);
      const spec = await env.spec(id, args, extra);
      const created = await env.runtime.createContainer({ id, name: `t-${id.slice(0, 6)}`, spec, ...paths });
      await env.runtime.startContainer(id);
      return { id, paths, created };
    }

    // Only crun has the check (runc never refuses); on a host whose cgroup2 tree is empty this case
    // skips and the crun cases below run instead.
    if (runtimeName === 'crun') {
      it.skipIf(!hybridRefusal)('refuses with a typed ErrOCIRuntime that says why and what to do (crun on a hybrid host with cgroup2 controllers)', async () => {
        const id = env.newId();
        const spec = await env.spec(id, ['busybox', 'true']);
        const error = await env.runtime.createContainer({ id, name: 'hybrid', spec, ...env.paths(id) }).catch((e: unknown) => e);
        expect(hasCode(error, 'ErrOCIRuntime')).toBe(true);
        expect(String((error as Error).message)).toMatch(/hybrid/);
        expect(String((error as Error).message)).toMatch(/mount -t cgroup -o \w+ cgroup|--runtime runc/);
        expect(await env.runtime.state(id)).toBeNull();
      });
    }

    describe.skipIf(hybridRefusal)(`${runtimeName} can run containers here${refusal ? ` (skipped: ${refusal}; the ErrOCIRuntime test above covers it)` : ''}`, () => {
      it('writes "hello" to the k8s-file log and exit code 0 to the exit file', async () => {
        const { id, paths, created } = await run(['busybox', 'echo', 'hello']);
        expect(created.pid).toBeGreaterThan(0);
        expect(created.conmonPid).toBeGreaterThan(0);
        const status = await env.runtime.waitForExit(id, { timeoutMs: 10_000 });
        expect(status.exitCode).toBe(0);
        expect(status.oomKilled).toBe(false);
        expect(await logText(paths.logPath)).toBe('hello\n');
        expect(readFileSync(paths.logPath, 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d stdout F hello\n$/);
      });

      it('reports exit code 3 for sh -c "exit 3"', async () => {
        const { id } = await run(['sh', '-c', 'exit 3']);
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(3);
      });

      it('sends SIGTERM to sleep 100 behind catatonit (--init): exit 143', async () => {
        const init = ['/usr/libexec/podman/catatonit', '/usr/bin/catatonit'].find((p) => existsSync(p));
        if (!init) throw new Error('catatonit is missing: apt-get install catatonit');
        const { id } = await run(['sleep', '100'], { initPath: init });
        expect((await env.runtime.state(id))?.status).toBe('running');
        await env.runtime.kill(id, 15);
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(143);
      });

      it('stops a process that ignores SIGTERM (pid 1 without a handler) with SIGKILL after the timeout: exit 137', async () => {
        const { id, created } = await run(['sleep', '100']);
        const started = Date.now();
        await env.runtime.stopContainer(id, created.pid, 15, 1);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(137);
      });

      it('keeps the container running after the Node process that created it exits', async () => {
        const id = env.newId();
        const paths = env.paths(id);
        const spec = await env.spec(id, ['sleep', '100']);
        const script = await bundleOciCreateChild(env.dir);
        const child = spawnSync(process.execPath, [script, JSON.stringify({ runtime: env.runtime.options, create: { id, name: 'survivor', spec, ...paths } })], {
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect(child.stderr).toBe('');
        expect(child.status).toBe(0);
        const { pid, conmonPid } = JSON.parse(child.stdout) as { pid: number; conmonPid: number };
        expect(pidAlive(conmonPid)).toBe(true);
        expect(await readConmonPid(paths.runDir)).toBe(conmonPid);
        expect(await conmonAlive(conmonPid)).toBe(true);
        const state = await env.runtime.state(id);
        expect(state?.status).toBe('running');
        expect(state?.pid).toBe(pid);
        await env.runtime.kill(id, 9);
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(137);
      });

      it('clamps NOFILE to the caller\'s hard limit (podman\'s 1048576 would fail here)', async () => {
        const hostHard = Number(/Max open files\s+\S+\s+(\S+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]);
        const { id, paths } = await run(['sh', '-c', 'ulimit -Hn; ulimit -Sn']);
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(0);
        const [hard, soft] = (await logText(paths.logPath)).trim().split('\n').map(Number);
        expect(hard).toBe(Math.min(1048576, hostHard));
        expect(soft).toBe(hard);
        if (hostHard === 20000) expect(hard).toBe(20000);
      });

      it('runs as a user resolved through the rootfs /etc/passwd and /etc/group', async () => {
        const { id, paths } = await run(['sh', '-c', 'id; echo $HOME'], { userName: 'app' });
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(0);
        expect(await logText(paths.logPath)).toBe('uid=1000(app) gid=1000(app) groups=10(wheel),1000(app)\n/home/app\n');
      });

      it('gives a terminal with -t, sets the hostname, env and bind-mounted /etc files', async () => {
        const { id, paths } = await run(['sh', '-c', 'tty; hostname; echo $HOSTNAME $container $TERM; cat /etc/hostname; grep -c nameserver /etc/resolv.conf'], { terminal: true });
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(0);
        const out = (await logText(paths.logPath)).replace(/\r/g, '').trim().split('\n');
        expect(out).toEqual(['/dev/pts/0', id.slice(0, 12), `${id.slice(0, 12)} podman xterm`, id.slice(0, 12), '1']);
      });

      it('confines the process with podman\'s default seccomp profile and capabilities', async () => {
        const { id, paths } = await run(['sh', '-c', 'grep -E "^(Seccomp|CapEff|NoNewPrivs):" /proc/self/status; cat /proc/sys/net/ipv4/ping_group_range']);
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(0);
        const out = await logText(paths.logPath);
        if (existsSync('/usr/share/containers/seccomp.json')) expect(out).toMatch(/^Seccomp:\s+2$/m);
        // The 11 default capabilities: chown dac_override fowner fsetid kill setgid setuid setpcap net_bind_service sys_chroot setfcap.
        expect(out).toMatch(/^CapEff:\s+00000000800405fb$/m);
        expect(out).toMatch(/^0\s+0$/m);
      });

      it('applies the pids and memory limits through the cgroupfs path', async () => {
        const { id } = await run(['sleep', '100'], { pidsLimit: 77, memoryLimitBytes: 64 * 1024 * 1024 });
        const v1 = `/sys/fs/cgroup/pids/podbay_parent/podbay-${id}/pids.max`;
        const v2 = `/sys/fs/cgroup/podbay_parent/podbay-${id}/pids.max`;
        const pidsMax = readFileSync(existsSync(v1) ? v1 : v2, 'utf8').trim();
        expect(pidsMax).toBe('77');
        const memV1 = `/sys/fs/cgroup/memory/podbay_parent/podbay-${id}/memory.limit_in_bytes`;
        const memV2 = `/sys/fs/cgroup/podbay_parent/podbay-${id}/memory.max`;
        expect(Number(readFileSync(existsSync(memV1) ? memV1 : memV2, 'utf8').trim())).toBe(64 * 1024 * 1024);
        await env.runtime.kill(id, 9);
        await env.runtime.waitForExit(id, { timeoutMs: 10_000 });
      });

      it('records an OOM kill: exit 137 and the oom flag from conmon\'s persist dir', async () => {
        const { id } = await run(['sh', '-c', 'x=$(head -c 200000000 /dev/zero | tr "\\0" a); echo survived'], { memoryLimitBytes: 16 * 1024 * 1024 });
        const status = await env.runtime.waitForExit(id, { timeoutMs: 20_000 });
        expect(status.exitCode).toBe(137);
        expect(status.oomKilled).toBe(true);
      });

      it('pauses and resumes (freezer)', async () => {
        const { id } = await run(['sleep', '100']);
        await env.runtime.pauseContainer(id);
        expect((await env.runtime.state(id))?.status).toBe('paused');
        await env.runtime.resumeContainer(id);
        expect((await env.runtime.state(id))?.status).toBe('running');
        await env.runtime.kill(id, 9);
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(137);
      });

      it('follows the log while the container writes, and stops after it exits', async () => {
        const { id, paths } = await run(['sh', '-c', 'for i in 1 2 3; do echo line$i; sleep 0.2; done; printf tail']);
        let exited = false;
        void env.runtime.waitForExit(id, { timeoutMs: 10_000 }).then(() => (exited = true));
        const seen: string[] = [];
        for await (const line of readLog(paths.logPath, { follow: true, isDone: () => exited, pollMs: 50, signal: AbortSignal.timeout(10_000) })) {
          seen.push(`${line.text}${line.full ? '' : '…'}`);
        }
        expect(seen).toEqual(['line1', 'line2', 'line3', 'tail…']);
      });

      it('keeps the log under --log-size-max by truncating it, and the reader still sees the last lines', async () => {
        const id = env.newId();
        const paths = env.paths(id);
        const spec = await env.spec(id, ['sh', '-c', 'i=0; while [ $i -lt 300 ]; do echo "line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); done']);
        await env.runtime.createContainer({ id, name: 'rotate', spec, logSizeMax: 4096, ...paths });
        await env.runtime.startContainer(id);
        expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(0);
        expect(statSync(paths.logPath).size).toBeLessThanOrEqual(4096);
        const text = await logText(paths.logPath);
        expect(text).toContain('line 299 ');
        expect(text).not.toContain('line 0 ');
      });

      it('leaves nothing in the runtime state after delete', async () => {
        const { id } = await run(['busybox', 'true']);
        await env.runtime.waitForExit(id, { timeoutMs: 10_000 });
        expect((await env.runtime.state(id))?.status).toBe('stopped');
        await env.runtime.deleteContainer(id);
        expect(await env.runtime.state(id)).toBeNull();
        expect(readdirSync(env.runtime.options.stateRoot).filter((e) => e.includes(id))).toEqual([]);
        await env.runtime.removeExitFiles(id);
        expect(existsSync(join(env.runtime.options.exitDir, id))).toBe(false);
      });

      it('makes a missing command ErrOCIRuntimeNotFound at create, and deletes what the runtime created', async () => {
        const id = env.newId();
        const spec = await env.spec(id, ['/no/such/binary']);
        const error = await env.runtime.createContainer({ id, name: 'missing', spec, ...env.paths(id) }).catch((e: unknown) => e);
        expect(hasCode(error, 'ErrOCIRuntimeNotFound')).toBe(true);
        expect((error as Error).message).toContain('/no/such/binary');
        expect((error as Error).message.split('/no/such/binary').length).toBeLessThanOrEqual(3);
        expect(await env.runtime.state(id)).toBeNull();
      });
    });
  });
}

describe.skipIf(ociSkipReason('runc') !== null)('OCI runtime errors relayed by conmon', () => {
  it('turns crun\'s hybrid-mode refusal into ErrOCIRuntime naming the cause and the fix', async () => {
    const env = await makeOciTestEnv('runc');
    try {
      // A stand-in runtime that fails `create` exactly as crun 1.8 does on a hybrid host.
      const fake = join(env.dir, 'crun');
      writeFileSync(fake, '#!/bin/sh\necho "cgroups in hybrid mode not supported, drop all controllers from cgroupv2" >&2\nexit 1\n');
      chmodSync(fake, 0o755);
      const runtime = new OciRuntime({
        ...env.runtime.options,
        name: 'crun',
        path: fake,
        cgroups: { version: 'v1', mode: 'hybrid', unifiedControllers: ['hugetlb'], manager: 'cgroupfs' },
      });
      const id = env.newId();
      const spec = await env.spec(id, ['busybox', 'true']);
      const error = await runtime.createContainer({ id, name: 'hybrid', spec, ...env.paths(id) }).catch((e: unknown) => e);
      expect(hasCode(error, 'ErrOCIRuntime')).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('cgroups in hybrid mode not supported');
      expect(message).toContain('mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb');
      expect(message).toContain('--runtime runc');
    } finally {
      await env.cleanup();
    }
  });

  it('reports a conmon that cannot start the runtime at all', async () => {
    const env = await makeOciTestEnv('runc');
    try {
      const runtime = new OciRuntime({ ...env.runtime.options, path: join(env.dir, 'no-such-runtime') });
      const id = env.newId();
      const spec = await env.spec(id, ['busybox', 'true']);
      const error = await runtime.createContainer({ id, name: 'nort', spec, ...env.paths(id) }).catch((e: unknown) => e);
      expect(hasCode(error, 'ErrOCIRuntime')).toBe(true);
    } finally {
      await env.cleanup();
    }
  });
});

describe.skipIf(ociSkipReason('runc') !== null)('host tools used by the tests', () => {
  it('has a busybox whose applet list builds the rootfs', () => {
    expect(execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' })).toMatch(/\becho\b/);
  });
});
