// The console procedures through the in-memory transport (the same connection code as a window or a
// WebSocket), against a real busybox container run by conmon + crun: attach to a tty `sh`, type into it,
// resize it, exec a shell beside it, and the session rules — owned by the connection, sizes and input
// checked, cancel detaches (attach) or ends the process (exec).
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import type { ConsoleFrame } from '../../../shared/types/console.ts';
import type { ContainerInspect } from '../../../shared/types/containers.ts';
import type { StreamFrame } from '../../../shared/wire.ts';
import { createAppContext } from '../../../main/app-context.ts';
import { createAppRouter } from '../../../main/app-router.ts';
import { createInMemoryPair } from '../../../main/ipc/in-memory-transport.ts';
import type { InMemoryPair } from '../../../main/ipc/in-memory-transport.ts';
import type { Router } from '../../../main/ipc/router.ts';
import { removeStoreDir, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { makeBusyboxRootfs } from '../../helpers/oci-rootfs.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun');

/** A console stream seen from the client: its frames, the text so far, and waits on both. */
interface Console {
  readonly frames: ConsoleFrame[];
  readonly ended: Promise<StreamFrame<unknown>>;
  text(): string;
  sessionId(): Promise<string>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  cancel(): void;
}

function openConsole(pair: InMemoryPair, path: 'console.attach' | 'console.exec', input: unknown): Console {
  const frames: ConsoleFrame[] = [];
  let resolveEnd: (frame: StreamFrame<unknown>) => void = () => undefined;
  const ended = new Promise<StreamFrame<unknown>>((resolve) => (resolveEnd = resolve));
  const id = pair.client.stream(path, input, (frame) => {
    if (frame.type === 'data') frames.push(frame.value as ConsoleFrame);
    else resolveEnd(frame);
  });
  const text = () => frames.map((f) => (f.type === 'output' ? f.data : '')).join('');
  const until = async <T>(probe: () => T | null | undefined, what: string, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far: ${JSON.stringify(text())}`);
      await Promise.race([sleep(20), ended]);
      const last = await Promise.race([ended, sleep(0, null)]);
      if (last && last.type === 'error') throw new Error(`stream failed: ${JSON.stringify(last.error)}`);
    }
  };
  return {
    frames,
    ended,
    text,
    sessionId: () => until(() => frames.find((f) => f.type === 'session')?.sessionId, 'the session frame'),
    waitFor: (pattern, timeoutMs) => until(() => pattern.exec(text()), String(pattern), timeoutMs),
    cancel: () => pair.client.cancel(id),
  };
}

describe.skipIf(skip !== null)(`console procedures${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: TempStore;
  let router: Router;
  const pairs: InMemoryPair[] = [];
  const controller = new AbortController();
  const call = <T>(path: string, input: unknown) => router.call(path, input, controller.signal) as Promise<T>;
  const pair = () => {
    const created = createInMemoryPair(router);
    pairs.push(created);
    return created;
  };

  beforeEach(async () => {
    store = tempStore();
    makeBusyboxRootfs(store.rootfs);
    router = createAppRouter(createAppContext({ root: store.graphRoot, runRoot: store.runRoot, runtime: 'crun' }));
    await call('containers.create', { rootfs: store.rootfs, name: 'con', command: ['sh'], terminal: true, stdin: true, start: true });
  });
  afterEach(async () => {
    for (const p of pairs.splice(0)) p.close();
    const list = await call<{ id: string }[]>('containers.list', {}).catch(() => []);
    if (list.length) await call('containers.remove', { nameOrIds: list.map((c) => c.id), force: true, timeout: 0 });
    await removeStoreDir(store.dir);
  });

  it('attaches to a tty shell with the initial size, takes typing and resizes; cancel detaches and the container keeps running', async () => {
    const a = pair();
    const con = openConsole(a, 'console.attach', { nameOrId: 'con', size: { rows: 33, cols: 101 } });
    const sessionId = await con.sessionId();
    expect(con.frames[0]).toEqual({ type: 'session', sessionId, tty: true, stdin: true });

    await a.client.call('console.input', { sessionId, data: 'stty size\r' });
    await con.waitFor(/33 101/);
    await a.client.call('console.input', { sessionId, data: 'echo hello-$((6*7))\r' });
    await con.waitFor(/hello-42/);
    // A paste arrives as one input: several lines, run in order.
    await a.client.call('console.input', { sessionId, data: 'echo pasted-1\recho pasted-$((1+1))\r' });
    await con.waitFor(/pasted-2/);

    await a.client.call('console.resize', { sessionId, rows: 41, cols: 120 });
    await a.client.call('console.input', { sessionId, data: 'stty size\r' });
    await con.waitFor(/41 120/);

    con.cancel();
    await sleep(200);
    expect(a.connection.openStreams).toBe(0);
    await expect(a.client.call('console.input', { sessionId, data: 'x' })).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrNoSuchExecSession'));
    expect((await call<ContainerInspect>('containers.inspect', { nameOrId: 'con' })).state).toBe('running');

    // Attaching again replays the log's last lines before live output.
    const again = openConsole(a, 'console.attach', { nameOrId: 'con', logs: 50 });
    await again.waitFor(/hello-42/);
    const second = await again.sessionId();
    await a.client.call('console.input', { sessionId: second, data: 'exit 7\r' });
    expect(await again.ended).toEqual({ type: 'end' });
    expect(again.frames.at(-1)).toEqual({ type: 'exit', exitCode: 7 });
  });

  it('ends an attach with the exit code of the run it watched, even when a restart already runs the next one', async () => {
    const a = pair();
    const con = openConsole(a, 'console.attach', { nameOrId: 'con' });
    const sessionId = await con.sessionId();
    await a.client.call('console.input', { sessionId, data: 'echo before-restart\r' });
    await con.waitFor(/before-restart\r\n/);
    // sh as PID 1 ignores SIGTERM: the restart's stop ends in SIGKILL (137), then the next run starts at
    // once — before the stream has asked for the code (the race that once produced "[ended]").
    await call('containers.restart', { nameOrIds: ['con'], timeout: 0 });
    expect(await con.ended).toEqual({ type: 'end' });
    expect(con.frames.at(-1)).toEqual({ type: 'exit', exitCode: 137 });
    expect((await call<ContainerInspect>('containers.inspect', { nameOrId: 'con' })).state).toBe('running');
  });

  it('refuses another connection’s session, bad sizes and oversized input', async () => {
    const a = pair();
    const b = pair();
    const con = openConsole(a, 'console.attach', { nameOrId: 'con' });
    const sessionId = await con.sessionId();
    const refused = (promise: Promise<unknown>, code: Parameters<typeof hasCode>[1]) => expect(promise).rejects.toSatisfy((e: unknown) => hasCode(e, code));

    await refused(b.client.call('console.input', { sessionId, data: 'echo no\r' }), 'ErrNoSuchExecSession');
    await refused(b.client.call('console.resize', { sessionId, rows: 10, cols: 10 }), 'ErrNoSuchExecSession');
    await refused(a.client.call('console.input', { sessionId: 'nosuch', data: 'x' }), 'ErrNoSuchExecSession');
    await refused(a.client.call('console.resize', { sessionId, rows: 0, cols: 80 }), 'ErrInvalidArg');
    await refused(a.client.call('console.resize', { sessionId, rows: 24, cols: 1001 }), 'ErrInvalidArg');
    await refused(a.client.call('console.resize', { sessionId, rows: 2.5, cols: 80 }), 'ErrInvalidArg');
    await refused(a.client.call('console.input', { sessionId, data: 'x'.repeat(64 * 1024 + 1) }), 'ErrInvalidArg');
    await refused(a.client.call('console.input', { sessionId, data: '' }), 'ErrInvalidArg');
    // A session stays its owner's after the refusals.
    await a.client.call('console.input', { sessionId, data: 'echo still-$((2*3))\r' });
    await con.waitFor(/still-6/);

    // Closing the connection (the window went away) ends its sessions.
    a.close();
    await sleep(200);
    await refused(b.client.call('console.input', { sessionId, data: 'x' }), 'ErrNoSuchExecSession');
    expect((await call<ContainerInspect>('containers.inspect', { nameOrId: 'con' })).state).toBe('running');

    // Not running → a typed error before any frame.
    await call('containers.create', { rootfs: store.rootfs, name: 'idle', command: ['sh'] });
    const idle = openConsole(b, 'console.attach', { nameOrId: 'idle' });
    const end = await idle.ended;
    expect(end).toMatchObject({ type: 'error', error: { code: 'ErrCtrStateInvalid' } });
  });

  it('execs a tty shell inside with the initial size and its exit code; cancelling an exec ends its process', async () => {
    const a = pair();
    const shell = openConsole(a, 'console.exec', { nameOrId: 'con', command: ['/bin/sh'], tty: true, size: { rows: 27, cols: 91 } });
    const sessionId = await shell.sessionId();
    await a.client.call('console.input', { sessionId, data: 'stty size; ls /bin | wc -l\r' });
    const [, count] = await shell.waitFor(/27 91\r\n\s*(\d+)\r\n/);
    expect(Number(count)).toBeGreaterThan(100);
    await a.client.call('console.input', { sessionId, data: 'exit 3\r' });
    expect(await shell.ended).toEqual({ type: 'end' });
    expect(shell.frames.at(-1)).toEqual({ type: 'exit', exitCode: 3 });

    const sleeper = openConsole(a, 'console.exec', { nameOrId: 'con', command: ['sleep', '4242'], tty: true });
    await sleeper.sessionId();
    const ps = async () => {
      const out = openConsole(a, 'console.exec', { nameOrId: 'con', command: ['ps', '-o', 'args'], tty: false });
      await out.ended;
      return out.text();
    };
    expect(await ps()).toContain('sleep 4242');
    sleeper.cancel();
    await sleep(1500);
    expect(await ps()).not.toContain('sleep 4242');
    expect((await call<ContainerInspect>('containers.inspect', { nameOrId: 'con' })).state).toBe('running');

    const missing = openConsole(a, 'console.exec', { nameOrId: 'con', command: ['/no/such'], tty: false });
    expect(await missing.ended).toMatchObject({ type: 'error', error: { code: 'ErrOCIRuntimeNotFound' } });
  });
});
