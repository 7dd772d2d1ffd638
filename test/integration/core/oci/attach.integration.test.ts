// Attach through conmon's SOCK_SEQPACKET socket with real conmon + runc: stdin in, stdout and stderr
// frames out, a pty resized through the ctl FIFO, and the detach keys.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachContainer, loadSeqpacketFactory } from '../../../../main/core/oci/attach.ts';
import type { AttachFrame, SeqpacketFactory } from '../../../../main/core/oci/attach.ts';
import { makeOciTestEnv, ociSkipReason } from '../../../helpers/oci-env.ts';
import type { OciTestEnv } from '../../../helpers/oci-env.ts';

// The addon is not a project dependency yet: PODBAY_NODE_UNIX_SOCKET may name its entry file
// (e.g. a scratch install's node_modules/node-unix-socket/js/index.js).
const moduleName = process.env.PODBAY_NODE_UNIX_SOCKET ?? 'node-unix-socket';
const factory: SeqpacketFactory | null = await loadSeqpacketFactory(moduleName).catch(() => null);
const skip = ociSkipReason('runc') ?? (factory ? null : `${moduleName} is not installed (npm install node-unix-socket) — attach needs its SOCK_SEQPACKET sockets`);

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for attach output');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(skip !== null)(`attach through conmon${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let env: OciTestEnv;
  beforeEach(async () => {
    env = await makeOciTestEnv('runc');
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('sends stdin and receives stdout and stderr as separate frames', async () => {
    const id = env.newId();
    const paths = env.paths(id);
    const spec = await env.spec(id, ['sh', '-c', 'read line; echo got:$line; echo oops >&2; cat']);
    await env.runtime.createContainer({ id, name: 'attach-pipe', spec, stdin: true, ...paths });
    const frames: AttachFrame[] = [];
    const session = await attachContainer({ bundleDir: paths.bundleDir, onFrame: (f) => frames.push(f), socketFactory: factory as SeqpacketFactory });
    await env.runtime.startContainer(id);
    session.write(Buffer.from('hello\n'));
    await until(() => frames.some((f) => f.stream === 'stderr'));
    // 40 KiB through cat: more than one conmon read, so it must arrive whole across chunks.
    const big = Buffer.alloc(40 * 1024, 'x');
    session.write(big);
    session.closeStdin();
    expect(await session.done).toBe('exited');
    const stdout = Buffer.concat(frames.filter((f) => f.stream === 'stdout').map((f) => f.data)).toString();
    const stderr = Buffer.concat(frames.filter((f) => f.stream === 'stderr').map((f) => f.data)).toString();
    expect(stdout).toBe(`got:hello\n${big.toString()}`);
    expect(stderr).toBe('oops\n');
    expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(0);
  });

  it('drives a shell on a pty, resizes it through the ctl FIFO, and detaches with ctrl-p ctrl-q', async () => {
    const id = env.newId();
    const paths = env.paths(id);
    const spec = await env.spec(id, ['sh'], { terminal: true });
    await env.runtime.createContainer({ id, name: 'attach-tty', spec, ...paths });
    await env.runtime.startContainer(id);
    let output = '';
    const session = await attachContainer({
      bundleDir: paths.bundleDir,
      onFrame: (f) => (output += f.data.toString()),
      initialSize: { rows: 30, cols: 100 },
      socketFactory: factory as SeqpacketFactory,
    });
    session.write(Buffer.from('stty size\n'));
    await until(() => output.includes('30 100'));
    await session.resize(41, 132);
    session.write(Buffer.from('stty size\n'));
    await until(() => output.includes('41 132'));
    session.write(Buffer.from([0x10]));
    session.write(Buffer.from([0x11]));
    expect(await session.done).toBe('detached');
    expect((await env.runtime.state(id))?.status).toBe('running');

    // A second viewer attaches to the same shell and ends it.
    let second = '';
    const again = await attachContainer({ bundleDir: paths.bundleDir, onFrame: (f) => (second += f.data.toString()), socketFactory: factory as SeqpacketFactory });
    again.write(Buffer.from('echo still-$((40+2)); exit 7\n'));
    expect(await again.done).toBe('exited');
    expect(second).toContain('still-42');
    expect((await env.runtime.waitForExit(id, { timeoutMs: 10_000 })).exitCode).toBe(7);
  });

  it('refuses to attach to a container whose conmon is gone', async () => {
    const id = env.newId();
    const paths = env.paths(id);
    const spec = await env.spec(id, ['true']);
    await env.runtime.createContainer({ id, name: 'gone', spec, ...paths });
    await env.runtime.startContainer(id);
    await env.runtime.waitForExit(id, { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 200));
    const error = await attachContainer({ bundleDir: paths.bundleDir, onFrame: () => undefined, socketFactory: factory as SeqpacketFactory }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toBe('ErrCtrStateInvalid');
  });
});
