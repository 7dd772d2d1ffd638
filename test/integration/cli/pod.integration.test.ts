// The pod commands of the built CLI, each its own process as a user runs them, with real conmon and
// crun: pod create, run --pod, pod pause/unpause, pod top, pod stats, pod logs (merged, prefixed,
// -c, --tail, -f ending with the pod), pod ps and pod inspect.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, podbay } from '../../helpers/cli.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';
import { releaseStoreNetworks } from '../../helpers/store-networks.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');

describe.skipIf(skip !== null)(`podbay pod commands${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let rootfs: string;
  let globals: string[];
  const cli = (...args: string[]) => podbay([...globals, ...args]);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-cli-pod-'));
    rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    globals = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--runtime', 'crun'];
  });
  afterAll(async () => {
    cli('pod', 'rm', '-f', '-a');
    await sleep(500); // exit commands of the last containers
    releaseStoreNetworks(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  });

  it('run --pod joins the pod; pause, unpause, top, stats, logs, ps and inspect show every member', async () => {
    const created = cli('pod', 'create', '--name', 'duo', '--network', 'none', '--label', 'team=a');
    expect(created.code).toBe(0);
    const podId = created.stdout.trim();
    // Both run in the same root directory: files in it order their lines one, two, three, four.
    const wait = (f: string) => `while [ ! -e /${f} ]; do sleep 0.02; done`;
    expect(cli('run', '-d', '--pod', 'duo', '--name', 'first', '--rootfs', rootfs, 'sh', '-c', `echo one; touch /s1; ${wait('s2')}; echo three; touch /s3; exec sleep 1001`).code).toBe(0);
    expect(cli('run', '-d', '--pod', 'duo', '--name', 'second', '--rootfs', rootfs, 'sh', '-c', `${wait('s1')}; echo two; touch /s2; ${wait('s3')}; echo four >&2; touch /s4; exec sleep 1002`).code).toBe(0);
    while (!existsSync(join(rootfs, 's4'))) await sleep(20);

    const ps = JSON.parse(cli('pod', 'ps', '--format', 'json').stdout) as { Id: string; Name: string; Status: string; Labels: Record<string, string>; Containers: { Names: string; Status: string }[] }[];
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ Id: podId, Name: 'duo', Status: 'Running', Labels: { team: 'a' } });
    expect(ps[0]?.Containers.map((c) => c.Names).sort()).toEqual([`${podId.slice(0, 12)}-infra`, 'first', 'second'].sort());
    const [inspect] = JSON.parse(cli('pod', 'inspect', 'duo').stdout) as { Name: string; State: string; NumContainers: number; SharedNamespaces: string[]; Containers: { Name: string; State: string }[] }[];
    expect(inspect).toMatchObject({ Name: 'duo', State: 'Running', NumContainers: 3 });
    expect(inspect?.SharedNamespaces.sort()).toEqual(['ipc', 'net', 'uts']);

    const top = cli('pod', 'top', 'duo');
    expect(top.code).toBe(0);
    expect(top.stdout.split('\n')[0]).toMatch(/^USER\s+PID\s+PPID\s+%CPU\s+ELAPSED\s+TTY\s+TIME\s+COMMAND$/);
    for (const cmd of ['/catatonit -P', 'sleep 1001', 'sleep 1002']) expect(top.stdout).toContain(cmd);

    const stats = cli('pod', 'stats', '--no-stream', 'duo');
    expect(stats.code).toBe(0);
    const rows = stats.stdout.trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(/\s+/)[2]).sort()).toEqual([`${podId.slice(0, 12)}-infra`, 'first', 'second'].sort());

    const logs = cli('pod', 'logs', 'duo');
    expect(logs).toMatchObject({ code: 0, stdout: 'first one\nsecond two\nfirst three\n', stderr: 'second four\n' });
    expect(cli('pod', 'logs', '-c', 'second', '--tail', '1', 'duo').stderr).toBe('second four\n');
    expect(cli('pod', 'logs', '-t', '-c', 'first', 'duo').stdout).toMatch(/^first \d{4}-\d{2}-\d{2}T\S+ one\n/);
    expect(cli('pod', 'logs', '-c', 'nobody', 'duo')).toMatchObject({ code: 125 });

    expect(cli('pod', 'pause', 'duo')).toMatchObject({ code: 0, stdout: `${podId}\n` });
    expect((JSON.parse(cli('pod', 'inspect', 'duo').stdout) as { State: string }[])[0]?.State).toBe('Paused');
    expect(cli('pod', 'top', 'duo').code).not.toBe(0);
    expect(cli('pod', 'unpause', 'duo')).toMatchObject({ code: 0, stdout: `${podId}\n` });
    expect((JSON.parse(cli('pod', 'inspect', 'duo').stdout) as { State: string }[])[0]?.State).toBe('Running');

    // Following ends once the pod's members stop.
    const follower = spawn(process.execPath, [cliPath, ...globals, 'pod', 'logs', '-f', 'duo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let followed = '';
    follower.stdout.on('data', (d: Buffer) => (followed += d.toString()));
    const exited = new Promise<number | null>((resolve) => follower.on('exit', resolve));
    while (!followed.includes('first three')) await sleep(50);
    expect(cli('pod', 'stop', '-t', '0', 'duo').code).toBe(0);
    expect(await exited).toBe(0);
    expect(followed).toBe('first one\nsecond two\nfirst three\n');
  });
});
