import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Exec, ExecResult } from '../../../../main/core/exec.ts';
import { OciRuntime, conmonAlive, findOciRuntime, pidAlive, readConmonPid } from '../../../../main/core/oci/oci-runtime.ts';

interface Call {
  file: string;
  args: readonly string[];
}

function fakeExec(reply: (args: readonly string[]) => Partial<ExecResult>): { exec: Exec; calls: Call[] } {
  const calls: Call[] = [];
  const exec: Exec = async (file, args) => {
    calls.push({ file, args });
    return { exitCode: 0, stdout: '', stderr: '', ...reply(args) };
  };
  return { exec, calls };
}

function runtime(exec: Exec): OciRuntime {
  return new OciRuntime({ name: 'crun', path: '/usr/bin/crun', conmonPath: '/usr/bin/conmon', stateRoot: '/run/podbay/crun', exitDir: '/run/podbay/exits', persistRoot: '/run/podbay/persist', exec });
}

describe('OciRuntime direct calls', () => {
  it('passes --root before the verb, as libpod passes runtime flags', async () => {
    const { exec, calls } = fakeExec(() => ({}));
    const rt = runtime(exec);
    await rt.startContainer('abc');
    await rt.kill('abc', 15);
    await rt.kill('abc', 9, { all: true });
    await rt.pauseContainer('abc');
    await rt.resumeContainer('abc');
    await rt.deleteContainer('abc', { force: true });
    expect(calls.map((c) => c.args.join(' '))).toEqual([
      '--root=/run/podbay/crun start abc',
      '--root=/run/podbay/crun kill abc 15',
      '--root=/run/podbay/crun kill --all abc 9',
      '--root=/run/podbay/crun pause abc',
      '--root=/run/podbay/crun resume abc',
      '--root=/run/podbay/crun delete --force abc',
    ]);
    expect(calls.every((c) => c.file === '/usr/bin/crun')).toBe(true);
  });

  it('parses state JSON, and null when the runtime does not know the container (crun and runc wording)', async () => {
    const state = { ociVersion: '1.0.0', id: 'abc', status: 'running', pid: 42, bundle: '/b' };
    expect(await runtime(fakeExec(() => ({ stdout: JSON.stringify(state) })).exec).state('abc')).toEqual(state);
    const crunMissing = fakeExec(() => ({ exitCode: 1, stderr: 'error opening file `/run/podbay/crun/abc/status`: No such file or directory' }));
    expect(await runtime(crunMissing.exec).state('abc')).toBeNull();
    const runcMissing = fakeExec(() => ({ exitCode: 1, stderr: 'time="2026-01-01T00:00:00Z" level=error msg="container does not exist"' }));
    expect(await runtime(runcMissing.exec).state('abc')).toBeNull();
    await expect(runtime(fakeExec(() => ({ exitCode: 1, stderr: 'boom' })).exec).state('abc')).rejects.toMatchObject({ code: 'ErrOCIRuntime' });
  });

  it('makes a kill of an exited container ErrCtrStateInvalid and an invalid signal ErrInvalidArg', async () => {
    const gone = fakeExec(() => ({ exitCode: 1, stderr: 'container not running' }));
    await expect(runtime(gone.exec).kill('abc', 15)).rejects.toMatchObject({ code: 'ErrCtrStateInvalid' });
    await expect(runtime(gone.exec).kill('abc', 0)).rejects.toMatchObject({ code: 'ErrInvalidArg' });
    await expect(runtime(gone.exec).kill('abc', 65)).rejects.toMatchObject({ code: 'ErrInvalidArg' });
    await expect(runtime(fakeExec(() => ({ exitCode: 1, stderr: 'permission denied' })).exec).kill('abc', 15)).rejects.toMatchObject({ code: 'ErrOCIRuntime' });
  });

  it('does not mistake a missing executable for a missing container', async () => {
    const missingExe = fakeExec(() => ({ exitCode: 1, stderr: 'executable file `/no/such` not found: No such file or directory' }));
    await expect(runtime(missingExe.exec).startContainer('abc')).rejects.toMatchObject({ code: 'ErrOCIRuntime' });
    const gone = fakeExec(() => ({ exitCode: 1, stderr: "cannot open directory '/run/podbay/crun/abc': No such file or directory" }));
    await expect(runtime(gone.exec).startContainer('abc')).rejects.toMatchObject({ code: 'ErrCtrStateInvalid' });
  });

  it('treats deleting an unknown container as done, and other delete failures as ErrOCIRuntime', async () => {
    await expect(runtime(fakeExec(() => ({ exitCode: 1, stderr: 'container does not exist' })).exec).deleteContainer('abc')).resolves.toBeUndefined();
    await expect(runtime(fakeExec(() => ({ exitCode: 1, stderr: 'container is running' })).exec).deleteContainer('abc')).rejects.toMatchObject({ code: 'ErrOCIRuntime' });
  });

  it('stop with timeout 0 sends SIGKILL at once; a negative timeout is ErrInvalidArg', async () => {
    const { exec, calls } = fakeExec(() => ({}));
    await runtime(exec).stopContainer('abc', 0, 15, 0);
    expect(calls.map((c) => c.args.slice(1).join(' '))).toEqual(['kill abc 9']);
    await expect(runtime(exec).stopContainer('abc', 0, 15, -1)).rejects.toMatchObject({ code: 'ErrInvalidArg' });
  });

  it('stop sends the stop signal first and no SIGKILL when the process is already gone', async () => {
    const { exec, calls } = fakeExec(() => ({}));
    // pid 0 is never alive: the stop signal "worked" at once.
    await runtime(exec).stopContainer('abc', 0, 2, 10);
    expect(calls.map((c) => c.args.slice(1).join(' '))).toEqual(['kill abc 2']);
  });
});

describe('pidAlive', () => {
  it('knows this process is alive and pid 0 is not a container', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(0)).toBe(false);
  });
});

describe('findOciRuntime', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-findrt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts an absolute path and names the runtime after it', async () => {
    const path = join(dir, 'my-runc');
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    const conmon = join(dir, 'conmon');
    writeFileSync(conmon, '#!/bin/sh\n');
    chmodSync(conmon, 0o755);
    expect(await findOciRuntime(path, [conmon])).toEqual({ name: 'my-runc', path, conmonPath: conmon });
  });

  it('is ErrOCIRuntimeUnavailable for a missing runtime, ErrInvalidArg for a relative path, ErrConmonNotFound without conmon', async () => {
    await expect(findOciRuntime(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ErrOCIRuntimeUnavailable' });
    await expect(findOciRuntime('bin/crun')).rejects.toMatchObject({ code: 'ErrInvalidArg' });
    const path = join(dir, 'rt');
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o755);
    await expect(findOciRuntime(path, [join(dir, 'no-conmon')])).rejects.toMatchObject({ code: 'ErrConmonNotFound' });
  });
});

describe('readConmonPid / conmonAlive', () => {
  it('reads the pid file and tells a live conmon from a recycled pid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-conmonpid-'));
    try {
      expect(await readConmonPid(dir)).toBe(0);
      writeFileSync(join(dir, 'conmon.pid'), '4242');
      expect(await readConmonPid(dir)).toBe(4242);
      mkdirSync(join(dir, 'proc', '4242'), { recursive: true });
      writeFileSync(join(dir, 'proc', '4242', 'comm'), 'conmon\n');
      mkdirSync(join(dir, 'proc', '4243'), { recursive: true });
      writeFileSync(join(dir, 'proc', '4243', 'comm'), 'bash\n');
      expect(await conmonAlive(4242, join(dir, 'proc'))).toBe(true);
      expect(await conmonAlive(4243, join(dir, 'proc'))).toBe(false);
      expect(await conmonAlive(0, join(dir, 'proc'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
