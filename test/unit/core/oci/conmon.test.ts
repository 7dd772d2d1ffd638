import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { buildConmonArgs, conmonEnvironment, parseSyncMessage, spawnConmon } from '../../../../main/core/oci/conmon.ts';
import type { ConmonCreateArgs } from '../../../../main/core/oci/conmon.ts';

const base: ConmonCreateArgs = {
  id: 'c0ffee',
  name: 'web',
  runtimePath: '/usr/bin/crun',
  bundleDir: '/var/lib/podbay/containers/c0ffee/userdata',
  pidFile: '/run/podbay/containers/c0ffee/pidfile',
  conmonPidFile: '/run/podbay/containers/c0ffee/conmon.pid',
  exitDir: '/run/podbay/exits',
  persistDir: '/run/podbay/persist/c0ffee',
  logPath: '/var/lib/podbay/containers/c0ffee/userdata/ctr.log',
};

describe('buildConmonArgs', () => {
  it('emits libpod\'s argument list in libpod\'s order', () => {
    expect(buildConmonArgs({ ...base, runtimeArgs: ['--root=/run/podbay/crun'], exitCommand: { path: '/usr/bin/podbay', args: ['container', 'cleanup', 'c0ffee'] } })).toEqual([
      '--api-version', '1', '-c', 'c0ffee', '-u', 'c0ffee', '-r', '/usr/bin/crun', '-b', base.bundleDir, '-p', base.pidFile, '-n', 'web',
      '--exit-dir', '/run/podbay/exits', '--persist-dir', '/run/podbay/persist/c0ffee', '--full-attach',
      '--runtime-arg', '--root=/run/podbay/crun',
      '-l', `k8s-file:${base.logPath}`, '--log-level', 'warning',
      '--conmon-pidfile', base.conmonPidFile,
      '--exit-command', '/usr/bin/podbay', '--exit-command-arg', 'container', '--exit-command-arg', 'cleanup', '--exit-command-arg', 'c0ffee',
    ]);
  });

  it('passes -t for a terminal, else -i for stdin, never both', () => {
    expect(buildConmonArgs({ ...base, terminal: true, stdin: true })).toContain('-t');
    expect(buildConmonArgs({ ...base, terminal: true, stdin: true })).not.toContain('-i');
    expect(buildConmonArgs({ ...base, stdin: true })).toContain('-i');
    expect(buildConmonArgs(base).some((a) => a === '-i' || a === '-t')).toBe(false);
  });

  it('adds the log size limit, timeout, socket dir and systemd cgroup flag only when asked', () => {
    const args = buildConmonArgs({ ...base, logSizeMax: 1024, timeoutSeconds: 5, socketDirPath: '/run/podbay/socket', systemdCgroup: true, logLevel: 'debug' });
    expect(args).toEqual(expect.arrayContaining(['--log-size-max', '1024', '--timeout=5', '--socket-dir-path', '/run/podbay/socket', '-s', 'debug']));
    expect(buildConmonArgs(base)).not.toContain('--exit-command');
  });

  it('refuses a relative exit command: conmon execv()s it', () => {
    expect(() => buildConmonArgs({ ...base, exitCommand: { path: 'podbay', args: [] } })).toThrowError(expect.objectContaining({ code: 'ErrInvalidArg' }));
  });
});

describe('parseSyncMessage', () => {
  it('reads a pid and a failure with its message', () => {
    expect(parseSyncMessage('{"data": 4242}')).toEqual({ data: 4242 });
    expect(parseSyncMessage('{"data": -1, "message": "crun: \\"x\\"\\n"}')).toEqual({ data: -1, message: 'crun: "x"\n' });
  });

  it('rejects garbage as ErrOCIRuntime', () => {
    for (const line of ['nope', '{"pid": 1}', '{"data": 1.5}']) {
      let error: unknown;
      try {
        parseSyncMessage(line);
      } catch (e) {
        error = e;
      }
      expect(hasCode(error, 'ErrOCIRuntime')).toBe(true);
    }
  });
});

describe('conmonEnvironment', () => {
  it('drops NOTIFY_SOCKET, D-Bus and Electron variables, adds conmon_env_vars and the pipe numbers', () => {
    const env = conmonEnvironment({ PATH: '/bin', NOTIFY_SOCKET: '/x', DBUS_SESSION_BUS_ADDRESS: 'y', ELECTRON_RUN_AS_NODE: '1', HOME: '/root' }, ['PATH=/usr/sbin:/usr/bin']);
    expect(env).toEqual({ PATH: '/usr/sbin:/usr/bin', HOME: '/root', _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' });
  });
});

describe('spawnConmon with a stand-in conmon', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-conmon-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fakeConmon(body: string): string {
    const path = join(dir, 'conmon');
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it('waits for the start byte, then reads the pid while a daemonized child still holds the sync pipe', async () => {
    // Like conmon: block on the start pipe, fork a long-lived child that keeps fd 3, report, exit.
    const conmonPath = fakeConmon(`head -c1 <&4 >/dev/null || exit 9
(sleep 5) 3>&3 &
printf '{"data": 4242}\\n' >&3
exit 0`);
    const started = Date.now();
    expect(await spawnConmon({ conmonPath, args: [], cwd: dir, env: conmonEnvironment(process.env) })).toEqual({ pid: 4242 });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('rejects with the runtime\'s message from {"data": -1}', async () => {
    const conmonPath = fakeConmon(`head -c1 <&4 >/dev/null
printf '{"data": -1, "message": "executable file not found in $PATH"}\\n' >&3
exit 1`);
    await expect(spawnConmon({ conmonPath, args: [], cwd: dir, env: conmonEnvironment(process.env) })).rejects.toMatchObject({
      code: 'ErrOCIRuntime',
      message: 'executable file not found in $PATH',
    });
  });

  it('reports conmon\'s own stderr when the sync pipe closes without a message', async () => {
    const conmonPath = fakeConmon('echo "[conmon:e]: Runtime path /nope is not valid" >&2\nexit 1');
    const error = await spawnConmon({ conmonPath, args: [], cwd: dir, env: conmonEnvironment(process.env) }).catch((e: unknown) => e);
    expect(hasCode(error, 'ErrOCIRuntime')).toBe(true);
    expect((error as Error).message).toContain('Runtime path /nope is not valid');
  });

  it('is ErrConmonNotFound when conmon cannot be executed', async () => {
    await expect(spawnConmon({ conmonPath: join(dir, 'missing'), args: [], cwd: dir, env: {} })).rejects.toMatchObject({ code: 'ErrConmonNotFound' });
  });

  it('stops waiting on abort and after the timeout', async () => {
    const conmonPath = fakeConmon('head -c1 <&4 >/dev/null\nsleep 5');
    const controller = new AbortController();
    const pending = spawnConmon({ conmonPath, args: [], cwd: dir, env: conmonEnvironment(process.env), signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ErrCanceled' });
    await expect(spawnConmon({ conmonPath, args: [], cwd: dir, env: conmonEnvironment(process.env), timeoutMs: 100 })).rejects.toMatchObject({ code: 'ErrOCIRuntime' });
  });
});
