// exec through conmon --exec with real conmon + runc/crun: exit codes, env/user/cwd, a missing binary,
// and the output of an attached exec arriving whole (the handshake connects before the process runs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { loadSeqpacketFactory } from '../../../../main/core/oci/attach.ts';
import type { SeqpacketFactory } from '../../../../main/core/oci/attach.ts';
import { execExitCode, startExecSession } from '../../../../main/core/oci/exec-session.ts';
import type { OciSpec } from '../../../../main/core/oci/spec.ts';
import { crunRefusalReason, makeOciTestEnv, ociSkipReason } from '../../../helpers/oci-env.ts';
import type { OciTestEnv } from '../../../helpers/oci-env.ts';

const moduleName = process.env.PODBAY_NODE_UNIX_SOCKET ?? 'node-unix-socket';
const factory: SeqpacketFactory | null = await loadSeqpacketFactory(moduleName).catch(() => null);

for (const runtimeName of ['runc', 'crun'] as const) {
  const skip = ociSkipReason(runtimeName) ?? crunRefusalReason(runtimeName);
  describe.skipIf(skip !== null)(`exec through conmon --exec with ${runtimeName}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let env: OciTestEnv;
    let id: string;
    let spec: OciSpec;
    beforeEach(async () => {
      env = await makeOciTestEnv(runtimeName);
      id = env.newId();
      spec = await env.spec(id, ['sleep', '100']);
      await env.runtime.createContainer({ id, name: `exec-${id.slice(0, 6)}`, spec, ...env.paths(id) });
      await env.runtime.startContainer(id);
    });
    afterEach(async () => {
      await env.cleanup();
    });

    function session(command: string[], extra: Partial<Parameters<typeof startExecSession>[0]> = {}) {
      return startExecSession({ runtime: env.runtime, containerId: id, containerName: 'c', bundleDir: env.paths(id).bundleDir, baseProcess: spec.process, command, ...extra });
    }

    it('returns the exit code of the command, and removes the session', async () => {
      const exec = await session(['sh', '-c', 'exit 42']);
      expect(exec.pid).toBeGreaterThan(0);
      expect(await exec.exitCode).toBe(42);
      expect(readFileSync(join(env.paths(id).bundleDir, exec.sessionId, 'exit', id), 'utf8')).toBe('42');
      await exec.remove();
      expect((await env.runtime.state(id))?.status).toBe('running');
    });

    it('makes a missing binary ErrOCIRuntimeNotFound, exit 127 as podman', async () => {
      const error = await session(['/no/such/tool']).catch((e: unknown) => e);
      expect(hasCode(error, 'ErrOCIRuntimeNotFound')).toBe(true);
      expect(execExitCode(error)).toBe(127);
    });

    it.skipIf(!factory)(`streams the output of an attached exec with its env, user and cwd${factory ? '' : ' (skipped: node-unix-socket missing)'}`, async () => {
      let out = '';
      const exec = await session(['sh', '-c', 'echo $GREETING; id -u; pwd; echo err >&2'], {
        env: ['GREETING=hi'],
        user: { uid: 1000, gid: 1000 },
        cwd: '/tmp',
        attach: { onFrame: (f) => (out += `${f.stream}:${f.data.toString()}`), socketFactory: factory as SeqpacketFactory },
      });
      expect(await exec.exitCode).toBe(0);
      expect(await exec.attach?.done).toBe('exited');
      expect(out.replace(/stdout:/g, '')).toContain('hi\n1000\n/tmp\n');
      expect(out).toContain('stderr:err\n');
      await exec.remove();
    });

    it.skipIf(!factory)(`runs an interactive exec on a pty${factory ? '' : ' (skipped: node-unix-socket missing)'}`, async () => {
      let out = '';
      const exec = await session(['sh'], {
        terminal: true,
        stdin: true,
        attach: { onFrame: (f) => (out += f.data.toString()), initialSize: { rows: 20, cols: 60 }, socketFactory: factory as SeqpacketFactory },
      });
      exec.attach?.write(Buffer.from('stty size; exit 5\n'));
      expect(await exec.exitCode).toBe(5);
      expect(out).toContain('20 60');
      await exec.remove();
    });
  });
}
