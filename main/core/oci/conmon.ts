// Starts conmon for a container exactly as libpod's createOCIContainer does
// (../shared/reference/libpod-internals.md §1.2–1.4): the argument list, the sync pipe on fd 3 and the
// start pipe on fd 4, one start byte, then one JSON line `{"data": pid}` or
// `{"data": -1, "message": "<runtime stderr>"}` on the sync pipe. conmon daemonizes (fork, the parent
// exits), so the container and its monitor outlive the Node process that started them.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Socket } from 'node:net';
import { PodbayError } from '../../../shared/errors.ts';

export type ConmonLogLevel = 'error' | 'fatal' | 'panic' | 'warn' | 'warning' | 'info' | 'debug' | 'trace';

export interface ConmonCreateArgs {
  /** Container id: conmon's -c and -u (for a container, cuuid = cid as libpod does). */
  id: string;
  name: string;
  runtimePath: string;
  bundleDir: string;
  /** The runtime writes the container's pid here (-p). */
  pidFile: string;
  conmonPidFile: string;
  exitDir: string;
  persistDir: string;
  /** k8s-file log path. */
  logPath: string;
  logLevel?: ConmonLogLevel;
  logSizeMax?: number;
  /** Global runtime flags, each one argv entry (e.g. "--root=/run/podbay/crun"), placed before `create`. */
  runtimeArgs?: string[];
  /** -t: the runtime gives conmon a pty; otherwise -i keeps a stdin pipe when `stdin`. */
  terminal?: boolean;
  stdin?: boolean;
  /** Ignored by conmon with --full-attach; passed only when set. */
  socketDirPath?: string;
  /** Run by conmon after the container exits (execv: the path must be absolute). */
  exitCommand?: { path: string; args: string[] };
  /** With the systemd cgroup manager (conmon -s, --systemd-cgroup). */
  systemdCgroup?: boolean;
  /** Seconds after which conmon kills the container (exit code -1). */
  timeoutSeconds?: number;
}

/** The argv after the conmon path, in libpod's order (sharedConmonArgs + createOCIContainer). */
export function buildConmonArgs(options: ConmonCreateArgs): string[] {
  if (options.exitCommand && !options.exitCommand.path.startsWith('/')) {
    throw new PodbayError('ErrInvalidArg', `exit command "${options.exitCommand.path}" must be an absolute path: conmon runs it with execv`);
  }
  const args = [
    '--api-version', '1',
    '-c', options.id,
    '-u', options.id,
    '-r', options.runtimePath,
    '-b', options.bundleDir,
    '-p', options.pidFile,
    '-n', options.name,
    '--exit-dir', options.exitDir,
    '--persist-dir', options.persistDir,
    '--full-attach',
  ];
  if (options.socketDirPath) args.push('--socket-dir-path', options.socketDirPath);
  for (const flag of options.runtimeArgs ?? []) args.push('--runtime-arg', flag);
  if (options.systemdCgroup) args.push('-s');
  args.push('-l', `k8s-file:${options.logPath}`, '--log-level', options.logLevel ?? 'warning');
  if (options.logSizeMax !== undefined && options.logSizeMax > 0) args.push('--log-size-max', String(options.logSizeMax));
  if (options.terminal) args.push('-t');
  else if (options.stdin) args.push('-i');
  if (options.timeoutSeconds !== undefined && options.timeoutSeconds > 0) args.push(`--timeout=${options.timeoutSeconds}`);
  args.push('--conmon-pidfile', options.conmonPidFile);
  if (options.exitCommand) {
    args.push('--exit-command', options.exitCommand.path);
    for (const arg of options.exitCommand.args) args.push('--exit-command-arg', arg);
  }
  return args;
}

/** One decoded sync-pipe line (conmon parent_pipe_fd.c, with --api-version). */
export interface SyncMessage {
  data: number;
  message?: string;
}

export function parseSyncMessage(line: string): SyncMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new PodbayError('ErrOCIRuntime', `conmon wrote an unreadable sync message: ${JSON.stringify(line.slice(0, 200))}`, { cause: error });
  }
  const record = value as { data?: unknown; message?: unknown };
  if (typeof record?.data !== 'number' || !Number.isInteger(record.data)) {
    throw new PodbayError('ErrOCIRuntime', `conmon sync message has no integer "data": ${JSON.stringify(line.slice(0, 200))}`);
  }
  return typeof record.message === 'string' ? { data: record.data, message: record.message } : { data: record.data };
}

/**
 * Environment variables conmon must not inherit (libpod configureConmonEnv; Electron's own; the crash
 * harness's kill switch, meant for the command that started the container, not its exit command).
 */
const droppedEnv = /^(NOTIFY_SOCKET|DBUS_SESSION_BUS_ADDRESS|LISTEN_FDS|LISTEN_PID|LISTEN_FDNAMES|ELECTRON_.*|NODE_OPTIONS|_OCI_.*|PODBAY_KILL_AT|PODBAY_CRASH_TRACE)$/;

export function conmonEnvironment(parent: NodeJS.ProcessEnv, extra: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value !== undefined && !droppedEnv.test(key)) env[key] = value;
  }
  for (const entry of extra) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  env._OCI_SYNCPIPE = '3';
  env._OCI_STARTPIPE = '4';
  return env;
}

export interface ConmonResult {
  /** The container's pid as the runtime reported it. */
  pid: number;
  /** With `holdPipe`: our end of the socket pair conmon keeps open (at fd 5) for as long as it lives. */
  hold?: Socket;
}

export interface SpawnConmonOptions {
  conmonPath: string;
  args: string[];
  /** conmon writes ./oom relative to its cwd: the bundle dir keeps it out of the way. */
  cwd: string;
  env: Record<string, string>;
  signal?: AbortSignal;
  /** libpod's ContainerCreateTimeout is 240 s. */
  timeoutMs?: number;
  /**
   * Give conmon one more socket pair end (fd 5, create only) that it holds until it exits: a helper
   * handed our end (slirp4netns's exit fd) then sees it hang up when the container is gone.
   */
  holdPipe?: boolean;
}

/**
 * Spawns conmon, sends the start byte and resolves with the container pid from the sync pipe.
 * A runtime failure rejects with ErrOCIRuntime carrying the runtime's own message. The caller removes
 * the runtime's leftovers (`delete --force`) on failure, as libpod does.
 */
export async function spawnConmon(options: SpawnConmonOptions): Promise<ConmonResult> {
  const conmon = ConmonProcess.spawn(options);
  try {
    conmon.writeStartByte();
    const message = await conmon.readSync(options.timeoutMs ?? 240_000, options.signal);
    if (message.data < 0) throw new PodbayError('ErrOCIRuntime', message.message?.trim() || `the OCI runtime failed with status ${message.data}`);
    const hold = conmon.takeHold();
    return { pid: message.data, ...(hold ? { hold } : {}) };
  } finally {
    conmon.release();
  }
}

/** Newline-delimited JSON from one of conmon's pipes, read as it arrives. */
class LineReader {
  private buffer = '';
  private readonly lines: string[] = [];
  private ended = false;
  private waiter: (() => void) | null = null;

  constructor(stream: Readable) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, newline));
        this.buffer = this.buffer.slice(newline + 1);
      }
      this.wake();
    });
    const end = () => {
      this.ended = true;
      this.wake();
    };
    stream.on('end', end);
    stream.on('error', end);
    stream.on('close', end);
  }

  private wake() {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** The next line, or null at EOF. */
  async next(): Promise<string | null> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }
}

/**
 * One conmon process and our ends of its pipes: fd 3 sync (read), fd 4 start (write) and, for exec,
 * fd 5 attach (read). conmon daemonizes, so `child` is only the intermediate process: its 'exit'
 * (never 'close') tells that conmon itself gave up before reporting.
 */
export class ConmonProcess {
  private readonly child: ChildProcess;
  private readonly sync: LineReader;
  private readonly attach: LineReader | null;
  private readonly start: Writable;
  private readonly stderr: Buffer[] = [];
  private readonly pipes: (Readable | Writable)[];
  private hold: Socket | null;
  private spawnError: Error | null = null;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(child: ChildProcess, withAttachPipe: boolean) {
    this.child = child;
    const syncStream = child.stdio[3] as Readable;
    this.start = child.stdio[4] as Writable;
    const stdio = child.stdio as unknown as (Readable | Writable | null)[];
    const attachStream = withAttachPipe ? (stdio[5] as Readable) : null;
    this.hold = !withAttachPipe && stdio[5] ? (stdio[5] as Socket) : null;
    this.sync = new LineReader(syncStream);
    this.attach = attachStream ? new LineReader(attachStream) : null;
    this.pipes = [syncStream, this.start, ...(attachStream ? [attachStream] : []), ...(child.stderr ? [child.stderr] : [])];
    child.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.reduce((n, b) => n + b.length, 0) < 64 * 1024) this.stderr.push(chunk);
    });
    this.start.on('error', () => {
      // conmon died before reading the start byte: reading the sync pipe reports it.
    });
    child.on('error', (error) => (this.spawnError = error));
    child.on('exit', (code, signal) => (this.exited = { code, signal }));
  }

  static spawn(options: SpawnConmonOptions & { attachPipe?: boolean }): ConmonProcess {
    if (options.signal?.aborted) throw new PodbayError('ErrCanceled', 'starting conmon was canceled');
    const child = spawn(options.conmonPath, options.args, {
      cwd: options.cwd,
      env: options.attachPipe ? { ...options.env, _OCI_ATTACHPIPE: '5' } : options.env,
      // setsid: a Ctrl-C in the terminal that ran us must not reach conmon (podman uses Setpgid).
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe', ...(options.attachPipe || options.holdPipe ? ['pipe' as const] : [])],
    });
    return new ConmonProcess(child, options.attachPipe ?? false);
  }

  /** Each byte releases one wait in conmon: before it forks (cgroup placement), and for exec before the runtime runs. */
  writeStartByte(): void {
    this.start.write(Buffer.from([0]));
  }

  readSync(timeoutMs: number, signal?: AbortSignal): Promise<SyncMessage> {
    return this.readFrom(this.sync, 'sync', timeoutMs, signal);
  }

  readAttachReady(timeoutMs: number, signal?: AbortSignal): Promise<SyncMessage> {
    if (!this.attach) throw new PodbayError('ErrInternal', 'conmon was started without an attach pipe');
    return this.readFrom(this.attach, 'attach', timeoutMs, signal);
  }

  private async readFrom(reader: LineReader, pipe: string, timeoutMs: number, signal?: AbortSignal): Promise<SyncMessage> {
    if (signal?.aborted) {
      this.kill();
      throw new PodbayError('ErrCanceled', `waiting for conmon's ${pipe} pipe was canceled`);
    }
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new PodbayError('ErrOCIRuntime', `conmon did not answer on its ${pipe} pipe within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      onAbort = () => {
        this.kill();
        reject(new PodbayError('ErrCanceled', `waiting for conmon's ${pipe} pipe was canceled`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const line = await Promise.race([reader.next(), stop]);
      if (line !== null) return parseSyncMessage(line);
      throw await this.eofError();
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** EOF with no line: conmon itself failed (bad option, missing runtime) or the runtime printed nothing. */
  private async eofError(): Promise<PodbayError> {
    if (this.spawnError) {
      return new PodbayError('ErrConmonNotFound', `running conmon: ${this.spawnError.message}`, { cause: this.spawnError });
    }
    // stderr may still be in flight when the pipe ends: give the intermediate process a moment to exit.
    for (let i = 0; i < 50 && !this.exited && !this.spawnError; i++) await new Promise((r) => setTimeout(r, 10));
    if (this.spawnError) return new PodbayError('ErrConmonNotFound', `running conmon: ${(this.spawnError as Error).message}`, { cause: this.spawnError });
    const output = Buffer.concat(this.stderr).toString('utf8').trim();
    const exited = this.exited as { code: number | null; signal: NodeJS.Signals | null } | null;
    const how = !exited ? 'closed its pipes' : exited.code !== null ? `exited with ${exited.code}` : `was killed by ${exited.signal}`;
    return new PodbayError('ErrOCIRuntime', output ? `conmon ${how}: ${output}` : `container create failed (no logs from conmon; conmon ${how})`);
  }

  private kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** The hold pipe's end, now the caller's to pass on and close; null when there is none or it was taken. */
  takeHold(): Socket | null {
    const hold = this.hold;
    this.hold = null;
    return hold;
  }

  /** Closes our pipe ends (a hold pipe not taken too); the daemonized conmon keeps its own until the container exits. */
  release(): void {
    for (const pipe of this.pipes) pipe.destroy();
    this.hold?.destroy();
    this.hold = null;
    this.child.unref();
  }
}
