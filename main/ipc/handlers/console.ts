// The console procedures: interactive attach and exec sessions over the one bridge. A stream opens a
// session and announces its id in its first frame; `console.input` and `console.resize` name that id.
// Sessions live here, in main, keyed by id and owned by the connection whose stream opened them (the
// router's ctx.connection): another connection's calls are refused as if the id did not exist. The
// stream's signal (the client cancelled, the window went away) ends the session: attach detaches and
// leaves the container running (podman attach's detach), exec ends the process it started (podman's
// exec session stop: SIGHUP as a closed terminal would, then SIGKILL).
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Handlers, HandlerContext } from '../../../shared/contract/define.ts';
import type { consoleProcedures } from '../../../shared/contract/console.ts';
import { PodbayError } from '../../../shared/errors.ts';
import type { ConsoleFrame, ConsoleSize } from '../../../shared/types/console.ts';
import type { AttachFrame, AttachSession } from '../../core/oci/attach.ts';
import { runtimeFor } from './runtime.ts';
import type { RuntimeDeps } from './runtime.ts';

interface ConsoleSession {
  readonly id: string;
  /** ctx.connection of the stream that opened it (undefined when the router was called directly). */
  readonly owner: object | undefined;
  readonly tty: boolean;
  readonly stdin: boolean;
  readonly attach: AttachSession;
}

/** The sessions open in this process, by id. */
export class ConsoleSessions {
  readonly #sessions = new Map<string, ConsoleSession>();

  add(session: ConsoleSession): void {
    this.#sessions.set(session.id, session);
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The session `id` if `connection` owns it; ErrNoSuchExecSession otherwise (unknown, ended or another connection's). */
  owned(id: string, connection: object | undefined): ConsoleSession {
    const session = this.#sessions.get(id);
    if (!session || session.owner !== connection) throw new PodbayError('ErrNoSuchExecSession', `no console session ${id.slice(0, 16)} on this connection`);
    return session;
  }
}

/**
 * Output frames queued between conmon's socket and the consumer. Consecutive output of one stream is
 * merged while the consumer is behind, so a chatty process costs few frames, never one per message.
 */
class FrameQueue {
  readonly #frames: ConsoleFrame[] = [];
  #wake: (() => void) | null = null;
  #closed = false;

  push(frame: ConsoleFrame): void {
    if (this.#closed) return;
    const last = this.#frames[this.#frames.length - 1];
    if (frame.type === 'output' && last?.type === 'output' && last.stream === frame.stream && last.data.length < 256 * 1024) last.data += frame.data;
    else this.#frames.push(frame);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *drain(): AsyncGenerator<ConsoleFrame> {
    for (;;) {
      while (this.#frames.length > 0) yield this.#frames.shift() as ConsoleFrame;
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
  }
}

/** Turns conmon's byte frames into text frames, one streaming UTF-8 decoder per stream. */
function outputDecoder(queue: FrameQueue): (frame: AttachFrame) => void {
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  return (frame) => {
    const data = decoders[frame.stream].write(frame.data);
    if (data) queue.push({ type: 'output', stream: frame.stream, data });
  };
}

const newSessionId = () => randomBytes(16).toString('hex');

export function createConsoleHandlers(deps: RuntimeDeps, sessions = new ConsoleSessions()) {
  return {
    'console.attach': (input, ctx) => attachStream(deps, sessions, input, ctx),
    'console.exec': (input, ctx) => execStream(deps, sessions, input, ctx),
    'console.input': async (input, ctx) => {
      const session = sessions.owned(input.sessionId, ctx.connection);
      if (!session.stdin) throw new PodbayError('ErrCtrStateInvalid', 'the container was created without an open stdin (-i): input cannot reach it');
      session.attach.write(Buffer.from(input.data, 'utf8'));
      return {};
    },
    'console.resize': async (input, ctx) => {
      const session = sessions.owned(input.sessionId, ctx.connection);
      if (session.tty) await session.attach.resize(input.rows, input.cols);
      return {};
    },
  } satisfies Handlers<typeof consoleProcedures>;
}

async function* attachStream(
  deps: RuntimeDeps,
  sessions: ConsoleSessions,
  input: { nameOrId: string; size?: ConsoleSize | undefined; logs: number },
  ctx: HandlerContext,
): AsyncGenerator<ConsoleFrame> {
  const { signal } = ctx;
  const ctr = runtimeFor(deps).lookupContainer(input.nameOrId);
  const config = ctr.view();
  const tty = config.spec.process.terminal === true;
  const stdin = config.stdin === true;
  const live = new FrameQueue();
  // Detach keys off: the session ends when the client cancels; ctrl-p must reach the shell.
  const attach = await ctr.attach({ onFrame: outputDecoder(live), detachKeys: '', signal, ...(tty && input.size ? { initialSize: input.size } : {}) });
  const session: ConsoleSession = { id: newSessionId(), owner: ctx.connection, tty, stdin, attach };
  sessions.add(session);
  try {
    yield { type: 'session', sessionId: session.id, tty, stdin };
    if (input.logs > 0) {
      // History first, from the log (the socket only carries what comes after the connection). Best
      // effort: a log that cannot be read (rotated, no k8s-file) leaves the live output alone.
      const history = await readHistory(() => ctr.logs({ tail: input.logs, signal }));
      if (history) yield { type: 'output', stream: 'stdout', data: history };
    }
    void attach.done.then(() => live.close());
    yield* live.drain();
    if ((await attach.done) === 'exited' && !signal.aborted) {
      // The code of the run this session watched, even if a restart already runs the next one.
      yield { type: 'exit', exitCode: await attach.exitCode({ signal }).catch(() => null) };
    }
  } finally {
    sessions.delete(session.id);
    attach.close();
  }
}

async function* execStream(
  deps: RuntimeDeps,
  sessions: ConsoleSessions,
  input: { nameOrId: string; command: string[]; tty: boolean; env?: string[] | undefined; user?: string | undefined; workdir?: string | undefined; size?: ConsoleSize | undefined },
  ctx: HandlerContext,
): AsyncGenerator<ConsoleFrame> {
  const { signal } = ctx;
  const ctr = runtimeFor(deps).lookupContainer(input.nameOrId);
  const live = new FrameQueue();
  const exec = await ctr.exec({
    command: input.command,
    terminal: input.tty,
    stdin: true,
    signal,
    ...(input.env ? { env: input.env } : {}),
    ...(input.user ? { user: input.user } : {}),
    ...(input.workdir ? { cwd: input.workdir } : {}),
    attach: { onFrame: outputDecoder(live), detachKeys: '', ...(input.tty && input.size ? { initialSize: input.size } : {}) },
  });
  const attach = exec.attach as AttachSession;
  const session: ConsoleSession = { id: exec.sessionId, owner: ctx.connection, tty: input.tty, stdin: true, attach };
  sessions.add(session);
  let exitCode: number | null | undefined;
  let ended = false;
  exec.exitCode.then(
    (code) => {
      exitCode = code;
      ended = true;
      // Output conmon relayed just before the exit may still be on the socket (as `podbay exec` waits).
      void Promise.race([attach.done, sleep(500)]).then(() => live.close());
    },
    () => {
      exitCode = null;
      live.close();
    },
  );
  void attach.done.then(() => {
    // The socket closed without an exit (conmon gone): end unless the exit code follows shortly.
    void sleep(2_000).then(() => live.close());
  });
  try {
    yield { type: 'session', sessionId: session.id, tty: input.tty, stdin: true };
    yield* live.drain();
    if (!signal.aborted) yield { type: 'exit', exitCode: exitCode ?? (await exitCodeOf(() => exec.exitCode, 2_000)) };
  } finally {
    sessions.delete(session.id);
    attach.close();
    if (!ended) await endProcess(exec.pid);
    await exec.remove().catch(() => undefined);
  }
}

/** The log's last lines as the terminal showed them: full lines end in "\n", a partial one does not. */
async function readHistory(lines: () => AsyncIterable<{ text: string; full: boolean }>): Promise<string> {
  let history = '';
  try {
    for await (const line of lines()) history += line.full ? `${line.text}\n` : line.text;
  } catch {
    return '';
  }
  return history;
}

/** Resolves `read()`, or null when it fails or takes longer than `timeoutMs`. */
async function exitCodeOf(read: () => Promise<number>, timeoutMs: number): Promise<number | null> {
  return Promise.race([read().catch(() => null), sleep(timeoutMs, null)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGHUP (a terminal closing), then SIGKILL if it is still there after a second. */
async function endProcess(pid: number): Promise<void> {
  if (pid <= 0 || !alive(pid)) return;
  try {
    process.kill(pid, 'SIGHUP');
  } catch {
    return;
  }
  for (let i = 0; i < 20 && alive(pid); i++) await sleep(50);
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  for (let i = 0; i < 20 && alive(pid); i++) await sleep(50);
}
