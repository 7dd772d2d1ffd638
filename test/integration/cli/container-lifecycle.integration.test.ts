// The lifecycle commands of the built CLI, each its own process as a user runs them, with real conmon
// and crun (runc by --runtime): podman's output and exit codes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podbay } from '../../helpers/cli.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';
import { releaseStoreNetworks } from '../../helpers/store-networks.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? ociSkipReason('runc');

describe.skipIf(skip !== null)(`podbay container lifecycle commands${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let rootfs: string;
  let globals: string[];
  const cli = (...args: string[]) => podbay([...globals, ...args]);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-cli-life-'));
    rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    globals = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')];
  });
  afterAll(async () => {
    cli('rm', '-f', '-t', '0', '-a');
    await sleep(500); // exit commands of the last containers
    releaseStoreNetworks(dir); // the default bridge network's namespaces, bridge and rules
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  });

  it('run --rm prints the output, exits with the container exit code and leaves nothing behind', () => {
    const result = cli('run', '--rm', '--network', 'none', '--rootfs', rootfs, 'sh', '-c', 'echo hi; echo oops >&2; exit 3');
    expect(result).toMatchObject({ code: 3, stdout: 'hi\n', stderr: 'oops\n' });
    expect(cli('ps', '-a', '-q').stdout).toBe('');
  });

  it('run of a command that does not exist exits 127 (podman), and --runtime runc runs containers too', () => {
    const missing = cli('run', '--rm', '--rootfs', rootfs, '/no/such/binary');
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/^Error: .*(no such file|not found)/im);
    const runc = podbay([...globals, '--runtime', 'runc', 'run', '--rm', '--rootfs', rootfs, 'sh', '-c', 'exit 6']);
    expect(runc.code).toBe(6);
  });

  it('run -d, ps, exec, logs, pause/unpause, stop, start, kill, wait, restart and rm -f', async () => {
    const run = cli('run', '-d', '--name', 'web', '-e', 'GREETING=hello', '--init', '--memory', '64m', '--cpus', '0.5', '--pids-limit', '50', '--rootfs', rootfs, 'sh', '-c', 'echo "$GREETING"; exec sleep 100');
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(cli('ps').stdout).toMatch(/Up .* web\n$/);

    const inspect = JSON.parse(cli('container', 'inspect', 'web').stdout) as { State: { Status: string; Pid: number; ConmonPid: number }; OCIRuntime: string; HostConfig: { Memory: number; PidsLimit: number; Init: boolean } }[];
    expect(inspect[0]?.State.Status).toBe('running');
    expect(inspect[0]?.State.Pid).toBeGreaterThan(0);
    expect(inspect[0]?.OCIRuntime).toBe('crun');
    expect(inspect[0]?.HostConfig).toMatchObject({ Memory: 64 * 1024 * 1024, PidsLimit: 50, Init: true });

    expect(cli('exec', '-e', 'X=42', 'web', 'sh', '-c', 'echo "$X $GREETING"; exit 2')).toMatchObject({ code: 2, stdout: '42 hello\n' });
    expect(cli('exec', 'web', 'cat', '/sys/fs/cgroup/pids/pids.max').stdout.trim()).toMatch(/^(50|)$/);
    expect(cli('exec', 'web', '/no/such/binary').code).toBe(127);
    await sleep(100);
    expect(cli('logs', 'web')).toMatchObject({ code: 0, stdout: 'hello\n' });
    expect(cli('logs', '-t', 'web').stdout).toMatch(/^\d{4}-\d\d-\d\dT\S+ hello\n$/);

    expect(cli('pause', 'web')).toMatchObject({ code: 0, stdout: 'web\n' });
    expect(cli('ps', '-a').stdout).toMatch(/Paused .* web\n$/);
    expect(cli('unpause', 'web').code).toBe(0);

    expect(cli('stop', '-t', '5', 'web')).toMatchObject({ code: 0, stdout: 'web\n' });
    expect(cli('ps', '-a').stdout).toMatch(/Exited \(143\) .* web\n$/); // catatonit forwards SIGTERM
    expect(cli('wait', 'web')).toMatchObject({ code: 0, stdout: '143\n' });

    expect(cli('start', 'web')).toMatchObject({ code: 0, stdout: 'web\n' });
    expect(cli('kill', '-s', 'KILL', 'web').code).toBe(0);
    expect(cli('wait', 'web').stdout).toBe('137\n');
    expect(cli('kill', 'web')).toMatchObject({ code: 125, stderr: expect.stringMatching(/not running/) });

    expect(cli('restart', 'web').code).toBe(0);
    expect(cli('ps', '--format', 'json').stdout).toContain('"running"');
    expect(cli('rm', 'web').code).toBe(2); // running: needs -f
    expect(cli('rm', '-f', '-t', '0', 'web')).toMatchObject({ code: 0, stdout: 'web\n' });
    expect(cli('ps', '-a', '-q').stdout).toBe('');

    const events = cli('events', '--since', '1h', '--stream=false', '--format', 'json', '--filter', `container=${id}`);
    expect(events.code).toBe(0);
    const actions = events.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { Status: string }).Status);
    expect(actions).toEqual(expect.arrayContaining(['create', 'start', 'exec', 'pause', 'unpause', 'stop', 'died', 'kill', 'restart', 'cleanup', 'remove']));
  });

  it('a container started by one process is seen running by the next, and as exited after it ends', async () => {
    const id = cli('run', '-d', '--rootfs', rootfs, 'sh', '-c', 'sleep 1; exit 9').stdout.trim();
    expect(cli('ps', '--no-trunc', '-q').stdout).toContain(id);
    await sleep(1_500);
    expect(cli('ps', '-a', '--format', 'json', '--filter', `id=${id}`).stdout).toMatch(/"ExitCode": ?9/);
    expect(cli('wait', id).stdout).toBe('9\n');
    expect(cli('rm', id).code).toBe(0);
  });
});
