// The volume commands and the storage flags of the built CLI, each its own process as a user runs
// them, with real conmon + crun: podman's output, JSON field names and exit codes.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podbay } from '../../helpers/cli.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');

describe.skipIf(skip !== null)(`podbay volume commands and -v/--mount/--tmpfs/--read-only/--restart${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let rootfs: string;
  let globals: string[];
  const cli = (...args: string[]) => podbay([...globals, ...args]);
  const volumeNames = () => cli('volume', 'ls', '-q').stdout.split('\n').filter(Boolean);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-cli-vol-'));
    rootfs = makeBusyboxRootfs(join(dir, 'rootfs'));
    globals = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')];
  });
  afterAll(async () => {
    cli('rm', '-f', '-t', '0', '-a');
    await sleep(500); // exit commands of the last containers
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  });

  it('volume create, ls, inspect and exists', () => {
    expect(cli('volume', 'create', '--label', 'app=db', '--opt', 'uid=1000', 'dbdata')).toMatchObject({ code: 0, stdout: 'dbdata\n' });
    expect(cli('volume', 'create', 'dbdata')).toMatchObject({ code: 125, stderr: 'Error: volume with name dbdata already exists: volume already exists\n' });
    expect(cli('volume', 'create', '--ignore', 'dbdata')).toMatchObject({ code: 0, stdout: 'dbdata\n' });
    const drawn = cli('volume', 'create').stdout.trim();
    expect(drawn).toMatch(/^[0-9a-f]{64}$/);
    expect(cli('volume', 'create', '--opt', 'colour=blue', 'bad')).toMatchObject({ code: 125, stderr: expect.stringMatching(/^Error: invalid mount option colour for driver 'local'/) });

    expect(cli('volume', 'ls').stdout).toBe(`DRIVER      VOLUME NAME\nlocal       dbdata\nlocal       ${drawn}\n`);
    expect(cli('volume', 'ls', '-q', '--filter', 'label=app=db').stdout).toBe('dbdata\n');
    const [json] = JSON.parse(cli('volume', 'ls', '--format', 'json', '--filter', 'name=^db').stdout) as Record<string, unknown>[];
    expect(json).toMatchObject({ Name: 'dbdata', Driver: 'local', Mountpoint: join(dir, 'root', 'volumes', 'dbdata', '_data'), Labels: { app: 'db' }, Options: { uid: '1000' }, Scope: 'local' });
    const inspected = JSON.parse(cli('volume', 'inspect', 'dbd').stdout) as Record<string, unknown>[];
    expect(inspected).toEqual([json]);
    expect(cli('volume', 'inspect', 'nope')).toMatchObject({ code: 125, stdout: '[]\n', stderr: 'Error: no volume with name "nope" found: no such volume\n' });

    expect(cli('volume', 'exists', 'dbdata')).toMatchObject({ code: 0, stdout: '' });
    expect(cli('volume', 'exists', 'nope')).toMatchObject({ code: 1, stdout: '' });
    expect(cli('volume', 'rm', drawn)).toMatchObject({ code: 0, stdout: `${drawn}\n` });
  });

  it('run -v NAME:DST keeps data for the next container; volume rm refuses a used volume (exit 2) and -f removes its users', () => {
    expect(cli('run', '--name', 'writer', '-v', 'shared:/data', '--rootfs', rootfs, 'sh', '-c', 'echo hello > /data/greeting')).toMatchObject({ code: 0 });
    expect(cli('run', '--rm', '--mount', 'type=volume,src=shared,dst=/in,ro', '--rootfs', rootfs, 'sh', '-c', 'cat /in/greeting; touch /in/x 2>/dev/null || echo read-only')).toMatchObject({ code: 0, stdout: 'hello\nread-only\n' });
    expect(JSON.parse(cli('volume', 'inspect', 'shared').stdout)[0].UsedBy).toEqual(['writer']);

    expect(cli('volume', 'rm', 'shared')).toMatchObject({ code: 2, stderr: expect.stringContaining('volume shared is being used by the following container(s): writer') });
    expect(cli('volume', 'rm', 'nope', 'shared')).toMatchObject({ code: 2 });
    expect(cli('volume', 'rm', 'nope')).toMatchObject({ code: 1, stderr: 'Error: no volume with name "nope" found: no such volume\n' });
    expect(cli('volume', 'rm', '-f', 'shared')).toMatchObject({ code: 0, stdout: 'shared\n' });
    expect(cli('ps', '-a', '-q').stdout).toBe('');
  });

  it('anonymous volumes go with `rm -v` and `run --rm`; prune removes what no container uses', async () => {
    expect(cli('run', '--rm', '-v', '/scratch', '--rootfs', rootfs, 'sh', '-c', 'echo x > /scratch/f')).toMatchObject({ code: 0 });
    await sleep(200);
    expect(volumeNames().filter((n) => /^[0-9a-f]{64}$/.test(n))).toEqual([]);

    expect(cli('create', '--name', 'keeper', '-v', '/anon', '-v', 'named:/named', '--rootfs', rootfs, 'true').code).toBe(0);
    expect(volumeNames()).toHaveLength(3); // dbdata, named and the anonymous one
    expect(cli('rm', '-v', 'keeper')).toMatchObject({ code: 0, stdout: 'keeper\n' });
    expect(volumeNames().sort()).toEqual(['dbdata', 'named']);

    expect(cli('volume', 'prune', '-f', '--filter', 'label!=app')).toMatchObject({ code: 0, stdout: 'named\n' });
    expect(volumeNames()).toEqual(['dbdata']);
  });

  it('-v with a host path that does not exist fails as podman does; binds, tmpfs and --read-only reach the container', () => {
    expect(cli('run', '--rm', '-v', '/no/such/place:/x', '--rootfs', rootfs, 'true')).toMatchObject({ code: 125, stderr: 'Error: statfs /no/such/place: no such file or directory\n' });
    expect(cli('run', '--rm', '-v', '/etc:/x', '-v', 'v:/x', '--rootfs', rootfs, 'true')).toMatchObject({ code: 125, stderr: 'Error: /x: duplicate mount destination\n' });
    writeFileSync(join(dir, 'marker'), '');
    const mk = cli('run', '--rm', '-v', `${dir}:/host:ro`, '--tmpfs', '/t:size=2m', '--read-only', '--rootfs', rootfs, 'sh', '-c', 'ls /host/marker; grep " /t " /proc/mounts | cut -d" " -f1; touch /etc/nope 2>/dev/null || echo ro-root; touch /host/nope 2>/dev/null || echo ro-bind; touch /tmp/ok && echo tmp-ok');
    expect(mk).toMatchObject({ code: 0, stdout: '/host/marker\ntmpfs\nro-root\nro-bind\ntmp-ok\n' });
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });

  it('--restart and --log-opt are recorded; --rm with a restart policy is refused', () => {
    expect(cli('create', '--name', 'policy', '--restart', 'on-failure:3', '--log-opt', 'max-size=1m', '--rootfs', rootfs, 'true').code).toBe(0);
    const [inspect] = JSON.parse(cli('container', 'inspect', 'policy').stdout) as { HostConfig: { RestartPolicy: unknown; LogConfig: { Size: string } }; RestartCount: number }[];
    expect(inspect?.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(inspect?.HostConfig.LogConfig.Size).toBe('1000000');
    expect(inspect?.RestartCount).toBe(0);
    expect(cli('run', '--rm', '--restart', 'always', '--rootfs', rootfs, 'true')).toMatchObject({ code: 125, stderr: 'Error: the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"\n' });
    expect(cli('run', '--rm', '--restart', 'sometimes', '--rootfs', rootfs, 'true').code).toBe(125);
  });
});
