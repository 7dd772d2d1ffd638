// `exec` through a second conmon started with --exec, as libpod does (never `crun exec` alone:
// ../shared/reference/libpod-internals.md §3). The handshake orders things so no output is lost:
// start byte 1 → conmon creates the session's attach socket and says {"data": 0} on the attach pipe →
// we connect (and resize) → start byte 2 → the runtime runs `exec` → sync line 1 {"data": pid} →
// sync line 2 {"data": exit status} when the process ends (also written to `<session>/exit/<ctrID>`).
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PodbayError, hasCode } from '../../../shared/errors.ts';
import { attachContainer } from './attach.ts';
import type { AttachOptions, AttachSession } from './attach.ts';
import { ConmonProcess, conmonEnvironment } from './conmon.ts';
import type { ConmonLogLevel } from './conmon.ts';
import { readExitFile } from './exit-file.ts';
import type { OciRuntime } from './oci-runtime.ts';
import type { OciProcess, OciUser } from './spec.ts';

export interface ExecSessionOptions {
  runtime: OciRuntime;
  containerId: string;
  containerName: string;
  /** The container's bundle dir: the session lives in `<bundleDir>/<sessionId>/`. */
  bundleDir: string;
  /** The container's `process` from its config.json: the exec process starts as a copy of it. */
  baseProcess: OciProcess;
  command: string[];
  /** "K=V" entries that add to or override the container's environment. */
  env?: string[];
  cwd?: string;
  user?: OciUser;
  terminal?: boolean;
  /** Keep a stdin pipe for writes through the attach session (-i). */
  stdin?: boolean;
  /** Connect before the process starts; omit for a detached exec (its output is discarded, -l none). */
  attach?: Omit<AttachOptions, 'bundleDir' | 'signal'>;
  sessionId?: string;
  logLevel?: ConmonLogLevel;
  signal?: AbortSignal;
}

export interface ExecSession {
  sessionId: string;
  /** The exec process's pid in the host pid namespace. */
  pid: number;
  attach: AttachSession | null;
  /** The process's exit status (128+signal when killed). Never rejects for a non-zero exit. */
  exitCode: Promise<number>;
  /** Removes the session directory; call once `exitCode` has settled (libpod os.RemoveAll(execBundle)). */
  remove(): Promise<void>;
}

/** Builds the `--exec` argv (libpod sharedConmonArgs with -l none, then the exec flags). */
export function buildConmonExecArgs(options: {
  containerId: string;
  sessionId: string;
  containerName: string;
  runtimePath: string;
  sessionDir: string;
  processSpecPath: string;
  runtimeArgs: string[];
  terminal: boolean;
  stdin: boolean;
  logLevel: ConmonLogLevel;
}): string[] {
  const args = [
    '--api-version', '1',
    '-c', options.containerId,
    '-u', options.sessionId,
    '-r', options.runtimePath,
    '-b', options.sessionDir,
    '-p', join(options.sessionDir, 'exec_pid'),
    '-n', options.containerName,
    '--exit-dir', join(options.sessionDir, 'exit'),
    '--persist-dir', join(options.sessionDir, 'persist', options.containerId),
    '--full-attach',
  ];
  for (const flag of options.runtimeArgs) args.push('--runtime-arg', flag);
  args.push('-l', 'none', '--log-level', options.logLevel);
  // Unlike create, exec may have both: a pty and an open stdin.
  if (options.terminal) args.push('-t');
  if (options.stdin) args.push('-i');
  args.push('-e', '--exec-attach', '--exec-process-spec', options.processSpecPath);
  return args;
}

/** The exec process: a copy of the container's, with the command, env, cwd, user and tty of the exec. */
export function execProcessSpec(base: OciProcess, options: Pick<ExecSessionOptions, 'command' | 'env' | 'cwd' | 'user' | 'terminal'>): OciProcess {
  if (options.command.length === 0) throw new PodbayError('ErrInvalidArg', 'exec needs a command');
  const env = new Map(base.env.map((e) => [e.split('=', 1)[0] as string, e]));
  for (const entry of options.env ?? []) {
    const key = entry.split('=', 1)[0] as string;
    if (!key || !entry.includes('=')) throw new PodbayError('ErrInvalidArg', `invalid environment entry "${entry}": expected KEY=VALUE`);
    env.set(key, entry);
  }
  const process: OciProcess = structuredClone(base);
  process.args = [...options.command];
  process.env = [...env.values()];
  process.terminal = options.terminal ?? false;
  if (options.cwd) process.cwd = options.cwd;
  if (options.user) process.user = structuredClone(options.user);
  return process;
}

/**
 * Runs `command` in a running container. Rejects with ErrOCIRuntimeNotFound (exit 127) when the
 * command does not exist, ErrPermission (126) when it cannot be run, ErrOCIRuntime (125) otherwise —
 * `execExitCode` maps them as podman does. The caller holds no container lock while awaiting `exitCode`.
 */
export async function startExecSession(options: ExecSessionOptions): Promise<ExecSession> {
  const sessionId = options.sessionId ?? randomBytes(32).toString('hex');
  const sessionDir = join(options.bundleDir, sessionId);
  const { runtime } = options;
  await mkdir(join(sessionDir, 'exit'), { recursive: true, mode: 0o700 });
  await mkdir(join(sessionDir, 'persist', options.containerId), { recursive: true, mode: 0o750 });
  const processSpecPath = join(sessionDir, `exec-process-${randomBytes(6).toString('hex')}`);
  await writeFile(processSpecPath, JSON.stringify(execProcessSpec(options.baseProcess, options)), { mode: 0o644 });
  const remove = () => rm(sessionDir, { recursive: true, force: true });

  const conmon = ConmonProcess.spawn({
    conmonPath: runtime.options.conmonPath,
    args: buildConmonExecArgs({
      containerId: options.containerId,
      sessionId,
      containerName: options.containerName,
      runtimePath: runtime.path,
      sessionDir,
      processSpecPath,
      runtimeArgs: [...runtime.runtimeFlags(), '--log-format=json', `--log=${join(sessionDir, 'oci-log')}`],
      terminal: options.terminal ?? false,
      stdin: options.stdin ?? false,
      logLevel: options.logLevel ?? runtime.options.logLevel ?? 'warning',
    }),
    cwd: sessionDir,
    env: conmonEnvironment(process.env, runtime.options.conmonEnv),
    attachPipe: true,
    ...(options.signal ? { signal: options.signal } : {}),
  });

  let attach: AttachSession | null = null;
  let pid: number;
  try {
    conmon.writeStartByte();
    const ready = await conmon.readAttachReady(60_000, options.signal);
    if (ready.data < 0) throw new PodbayError('ErrOCIRuntime', ready.message ?? 'conmon could not prepare the exec session');
    if (options.attach) {
      attach = await attachContainer({ ...options.attach, bundleDir: sessionDir, ...(options.signal ? { signal: options.signal } : {}) });
    }
    conmon.writeStartByte();
    const started = await conmon.readSync(60_000, options.signal);
    if (started.data < 0) throw execStartError(started.message ?? '', options.command[0] ?? '');
    pid = started.data;
  } catch (error) {
    attach?.close();
    conmon.release();
    await remove();
    throw error;
  }

  const exitCode = (async () => {
    try {
      // No deadline: an exec may run for as long as the container does.
      const ended = await conmon.readSync(2_147_483_647, options.signal);
      return ended.data;
    } catch (error) {
      if (hasCode(error, 'ErrCanceled')) throw error;
      // The pipe closed without the second line: the exit file still has it.
      const status = await readExitFile(join(sessionDir, 'exit'), options.containerId);
      if (status) return status.exitCode;
      throw error;
    } finally {
      conmon.release();
    }
  })();
  return { sessionId, pid, attach, exitCode, remove };
}

/** libpod getOCIRuntimeError: the runtime's words decide the class, and so podman's exit code. */
function execStartError(message: string, command: string): PodbayError {
  const text = message.trim();
  if (/executable file not found|no such file or directory|not found in \$PATH/i.test(text)) {
    return new PodbayError('ErrOCIRuntimeNotFound', `${command}: executable file not found in $PATH or the container: ${text}`);
  }
  if (/permission denied/i.test(text)) return new PodbayError('ErrPermission', `${command}: permission denied: ${text}`);
  return new PodbayError('ErrOCIRuntime', `exec ${command}: ${text || 'the OCI runtime failed'}`);
}

/** podman's TranslateExecErrorToExitCode: 127 not found, 126 cannot invoke, 125 any other failure. */
export function execExitCode(error: unknown): number {
  if (hasCode(error, 'ErrOCIRuntimeNotFound')) return 127;
  if (hasCode(error, 'ErrPermission')) return 126;
  return 125;
}
