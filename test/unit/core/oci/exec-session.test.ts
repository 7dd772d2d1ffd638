import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PodbayError } from '../../../../shared/errors.ts';
import { ConmonProcess, conmonEnvironment } from '../../../../main/core/oci/conmon.ts';
import { buildConmonExecArgs, execExitCode, execProcessSpec } from '../../../../main/core/oci/exec-session.ts';
import type { OciProcess } from '../../../../main/core/oci/spec.ts';

const base: OciProcess = {
  terminal: false,
  user: { uid: 0, gid: 0, umask: 0o022 },
  args: ['sleep', '100'],
  env: ['PATH=/bin', 'HOME=/root', 'HOSTNAME=abc'],
  cwd: '/',
  capabilities: { bounding: ['CAP_KILL'], effective: ['CAP_KILL'], inheritable: [], permitted: ['CAP_KILL'], ambient: [] },
  rlimits: [{ type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 }],
};

describe('buildConmonExecArgs', () => {
  it('emits libpod\'s exec argv: session as -u, files in the session dir, -l none, -e --exec-attach', () => {
    expect(buildConmonExecArgs({
      containerId: 'ctr', sessionId: 'sess', containerName: 'web', runtimePath: '/usr/bin/crun', sessionDir: '/b/sess',
      processSpecPath: '/b/sess/exec-process-1', runtimeArgs: ['--root=/r'], terminal: true, stdin: true, logLevel: 'warning',
    })).toEqual([
      '--api-version', '1', '-c', 'ctr', '-u', 'sess', '-r', '/usr/bin/crun', '-b', '/b/sess', '-p', '/b/sess/exec_pid', '-n', 'web',
      '--exit-dir', '/b/sess/exit', '--persist-dir', '/b/sess/persist/ctr', '--full-attach', '--runtime-arg', '--root=/r',
      '-l', 'none', '--log-level', 'warning', '-t', '-i', '-e', '--exec-attach', '--exec-process-spec', '/b/sess/exec-process-1',
    ]);
  });
});

describe('execProcessSpec', () => {
  it('copies the container\'s process with the exec command, env overrides, cwd, user and tty', () => {
    const spec = execProcessSpec(base, { command: ['sh'], env: ['HOME=/tmp', 'X=1'], cwd: '/srv', user: { uid: 5, gid: 6 }, terminal: true });
    expect(spec).toEqual({ ...base, args: ['sh'], env: ['PATH=/bin', 'HOME=/tmp', 'HOSTNAME=abc', 'X=1'], cwd: '/srv', user: { uid: 5, gid: 6 }, terminal: true });
    expect(base.args).toEqual(['sleep', '100']);
  });

  it('rejects an empty command and a malformed env entry', () => {
    expect(() => execProcessSpec(base, { command: [] })).toThrowError(expect.objectContaining({ code: 'ErrInvalidArg' }));
    expect(() => execProcessSpec(base, { command: ['sh'], env: ['NOEQUALS'] })).toThrowError(expect.objectContaining({ code: 'ErrInvalidArg' }));
  });
});

describe('execExitCode', () => {
  it('maps errors to podman\'s exec exit codes', () => {
    expect(execExitCode(new PodbayError('ErrOCIRuntimeNotFound', 'x'))).toBe(127);
    expect(execExitCode(new PodbayError('ErrPermission', 'x'))).toBe(126);
    expect(execExitCode(new PodbayError('ErrOCIRuntime', 'x'))).toBe(125);
    expect(execExitCode(new Error('x'))).toBe(125);
  });
});

describe('ConmonProcess exec handshake with a stand-in conmon', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-exec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the attach pipe after start byte 1, the pid after start byte 2, then the exit status', async () => {
    const conmonPath = join(dir, 'conmon');
    writeFileSync(conmonPath, `#!/bin/sh
head -c1 <&4 >/dev/null
printf '{"data": 0}\\n' >&5
head -c1 <&4 >/dev/null
printf '{"data": 777}\\n' >&3
sleep 0.1
printf '{"data": 3}\\n' >&3
`);
    chmodSync(conmonPath, 0o755);
    const conmon = ConmonProcess.spawn({ conmonPath, args: [], cwd: dir, env: conmonEnvironment(process.env), attachPipe: true });
    try {
      conmon.writeStartByte();
      expect(await conmon.readAttachReady(5000)).toEqual({ data: 0 });
      conmon.writeStartByte();
      expect(await conmon.readSync(5000)).toEqual({ data: 777 });
      expect(await conmon.readSync(5000)).toEqual({ data: 3 });
    } finally {
      conmon.release();
    }
  });

  it('is ErrCanceled when aborted before it starts', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => ConmonProcess.spawn({ conmonPath: '/bin/true', args: [], cwd: dir, env: {}, signal: controller.signal })).toThrowError(expect.objectContaining({ code: 'ErrCanceled' }));
  });
});
