// The OCI runtime as libpod's ConmonOCIRuntime drives it (libpod/oci_conmon_common.go): create goes
// through conmon (conmon.ts), the other verbs are short direct calls `<runtime> --root=<dir> start|
// state|kill|pause|resume|delete <id>`. Nothing here holds container locks or touches the state
// database: callers (container.ts) lock, call one of these, then save.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PodbayError } from '../../../shared/errors.ts';
import type { CgroupInfo } from '../../../shared/types/system-info.ts';
import type { Exec } from '../exec.ts';
import { realExec } from '../exec.ts';
import { ociRuntimeUsability, readCgroupInfo } from '../system/cgroups.ts';
import { componentSpecs, findBinary } from '../system/components.ts';
import { buildConmonArgs, conmonEnvironment, spawnConmon } from './conmon.ts';
import type { ConmonLogLevel } from './conmon.ts';
import { readExitFile, waitForExitFile } from './exit-file.ts';
import type { ExitStatus } from './exit-file.ts';
import type { OciSpec, OciState } from './spec.ts';

export interface OciRuntimeOptions {
  /** "crun", "runc", or the basename of a runtime given by path. */
  name: string;
  path: string;
  conmonPath: string;
  /** The runtime's own state directory (`--root`); Podbay keeps its containers apart from podman's. */
  stateRoot: string;
  /** conmon writes `<exitDir>/<id>` when a container exits. */
  exitDir: string;
  /** Per-container `<persistRoot>/<id>/{exit,oom}`. */
  persistRoot: string;
  conmonEnv?: string[];
  logLevel?: ConmonLogLevel;
  exec?: Exec;
  /** Host cgroup layout, for explaining a runtime refusal; read from /sys/fs/cgroup when absent. */
  cgroups?: CgroupInfo;
}

/** Where one container's conmon files live (libpod: bundle = StaticDir, the rest in RunDir). */
export interface ContainerPaths {
  /** config.json, attach socket, ctl and winsz FIFOs. */
  bundleDir: string;
  /** pidfile, conmon.pid, oci-log. */
  runDir: string;
  logPath: string;
}

export interface CreateContainerOptions extends ContainerPaths {
  id: string;
  name: string;
  spec: OciSpec;
  /** Keep a stdin pipe open for attach (-i); ignored with a terminal (the pty carries stdin). */
  stdin?: boolean;
  logSizeMax?: number;
  /** Run by conmon when the container exits, e.g. `podbay container cleanup <id>`. */
  exitCommand?: { path: string; args: string[] };
  /** Return `exitWatch`: a socket whose peer conmon holds until it exits (conmon.ts holdPipe). */
  exitWatch?: boolean;
  signal?: AbortSignal;
}

export interface CreatedContainer {
  pid: number;
  conmonPid: number;
  /** With `exitWatch`: hangs up when conmon exits; the caller passes it on or destroys it. */
  exitWatch?: Socket;
}

const defaultKnownPaths = new Map(componentSpecs.filter((s) => s.role === 'oci-runtime').map((s) => [s.name as string, s.knownPaths]));

/**
 * `crun` (default), `runc`, or an absolute path. Throws ErrOCIRuntimeUnavailable when the binary is
 * missing and ErrConmonNotFound when conmon is. `conmonPaths` (containers.conf conmon_path) replaces
 * the default search.
 */
export async function findOciRuntime(nameOrPath = 'crun', conmonPaths?: readonly string[]): Promise<{ name: string; path: string; conmonPath: string }> {
  let path: string | null;
  if (isAbsolute(nameOrPath)) {
    path = await findBinary(basename(nameOrPath), [nameOrPath], '');
  } else {
    if (nameOrPath.includes('/')) throw new PodbayError('ErrInvalidArg', `OCI runtime "${nameOrPath}" must be a name or an absolute path`);
    path = await findBinary(nameOrPath, defaultKnownPaths.get(nameOrPath) ?? []);
  }
  if (!path) throw new PodbayError('ErrOCIRuntimeUnavailable', `OCI runtime ${nameOrPath} not found: install it (apt-get install ${basename(nameOrPath)}) or choose another with --runtime`);
  // An explicit list (containers.conf conmon_path) is searched alone; otherwise known paths, then $PATH.
  const conmonPath = conmonPaths
    ? await findBinary('conmon', conmonPaths, '')
    : await findBinary('conmon', componentSpecs.find((s) => s.name === 'conmon')?.knownPaths ?? []);
  if (!conmonPath) throw new PodbayError('ErrConmonNotFound', 'conmon not found: apt-get install conmon');
  return { name: basename(path), path, conmonPath };
}

export class OciRuntime {
  readonly name: string;
  readonly path: string;
  readonly options: OciRuntimeOptions;
  private readonly exec: Exec;

  constructor(options: OciRuntimeOptions) {
    this.options = options;
    this.name = options.name;
    this.path = options.path;
    this.exec = options.exec ?? realExec;
  }

  /** Global flags for every runtime call (libpod's runtimeFlags). */
  runtimeFlags(): string[] {
    return [`--root=${this.options.stateRoot}`];
  }

  persistDir(id: string): string {
    return join(this.options.persistRoot, id);
  }

  /**
   * Writes `<bundle>/config.json`, starts conmon, waits for the runtime's `create`. On success the
   * container is in the runtime's "created" state with its process waiting for `start`. On failure the
   * runtime's leftovers are deleted and ErrOCIRuntime says what the runtime said — for crun on a
   * hybrid cgroup host, why and what to do.
   */
  async createContainer(options: CreateContainerOptions): Promise<CreatedContainer> {
    const persistDir = this.persistDir(options.id);
    await Promise.all([
      mkdir(options.bundleDir, { recursive: true, mode: 0o700 }),
      mkdir(options.runDir, { recursive: true, mode: 0o700 }),
      mkdir(this.options.exitDir, { recursive: true, mode: 0o700 }),
      mkdir(this.options.stateRoot, { recursive: true, mode: 0o700 }),
    ]);
    await this.removeConmonFiles(options.id, options);
    await mkdir(persistDir, { recursive: true, mode: 0o750 });
    const configPath = join(options.bundleDir, 'config.json');
    await writeFile(`${configPath}.tmp`, JSON.stringify(options.spec, null, 2), { mode: 0o644 });
    await rename(`${configPath}.tmp`, configPath);

    const ociLog = join(options.runDir, 'oci-log');
    const args = buildConmonArgs({
      id: options.id,
      name: options.name,
      runtimePath: this.path,
      bundleDir: options.bundleDir,
      pidFile: join(options.runDir, 'pidfile'),
      conmonPidFile: join(options.runDir, 'conmon.pid'),
      exitDir: this.options.exitDir,
      persistDir,
      logPath: options.logPath,
      logLevel: this.options.logLevel ?? 'warning',
      ...(options.logSizeMax !== undefined ? { logSizeMax: options.logSizeMax } : {}),
      // JSON errors in a file, as libpod does when the level is not debug: crun/runc stderr is then clean.
      runtimeArgs: [...this.runtimeFlags(), '--log-format=json', `--log=${ociLog}`],
      terminal: options.spec.process.terminal,
      stdin: options.stdin ?? false,
      ...(options.exitCommand ? { exitCommand: options.exitCommand } : {}),
    });
    try {
      const { pid, hold } = await spawnConmon({
        conmonPath: this.options.conmonPath,
        args,
        cwd: options.bundleDir,
        env: conmonEnvironment(process.env, this.options.conmonEnv),
        ...(options.exitWatch ? { holdPipe: true } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const conmonPid = Number((await readFile(join(options.runDir, 'conmon.pid'), 'utf8').catch(() => '0')).trim()) || 0;
      return { pid, conmonPid, ...(hold ? { exitWatch: hold } : {}) };
    } catch (error) {
      const explained = await this.explainCreateFailure(error, ociLog);
      await this.deleteContainer(options.id, { force: true }).catch(() => undefined);
      throw explained;
    }
  }

  /** libpod reads the runtime's JSON log before conmon's relayed stderr; both are kept in the message. */
  private async explainCreateFailure(error: unknown, ociLog: string): Promise<unknown> {
    if (!(error instanceof PodbayError) || error.code !== 'ErrOCIRuntime') return error;
    const logged = await readOciLog(ociLog);
    // The runtime's JSON log and its stderr relayed by conmon usually say the same thing once each.
    const text = logged && !error.message.includes(logged) ? (error.message.includes('no logs from conmon') ? logged : `${logged}; ${error.message}`) : error.message;
    if (/hybrid mode not supported/i.test(text)) {
      const cgroups = this.options.cgroups ?? (await readCgroupInfo());
      const usability = ociRuntimeUsability('crun', cgroups);
      const why = usability.problem ?? 'crun refuses cgroup v1 hybrid mode while the cgroup2 tree has controllers';
      const advice = usability.fix;
      const fix = advice
        ? [advice.note, advice.command].filter(Boolean).join(': ') + (advice.alternative ? ` — ${advice.alternative}` : '')
        : 'as root, mount every controller listed in /sys/fs/cgroup/unified/cgroup.controllers as a v1 hierarchy — or choose runc (--runtime runc)';
      return new PodbayError('ErrOCIRuntime', `${this.name} cannot create containers on this host: ${why} (${this.name} said: ${text}). Fix: ${fix}`, { cause: error });
    }
    if (/executable file not found|no such file or directory/i.test(text) && /exec/i.test(text)) {
      return new PodbayError('ErrOCIRuntimeNotFound', `${this.name} create: ${text}`, { cause: error });
    }
    if (/permission denied|operation not permitted/i.test(text)) {
      return new PodbayError('ErrPermission', `${this.name} create: ${text}`, { cause: error });
    }
    return new PodbayError('ErrOCIRuntime', `${this.name} create: ${text}`, { cause: error });
  }

  /** libpod removeConmonFiles: stale sockets, FIFOs and exit files from an earlier run would confuse this one. */
  private async removeConmonFiles(id: string, paths: ContainerPaths): Promise<void> {
    await Promise.all([
      rm(join(paths.bundleDir, 'attach'), { force: true }),
      rm(join(paths.bundleDir, 'ctl'), { force: true }),
      rm(join(paths.bundleDir, 'winsz'), { force: true }),
      rm(join(paths.runDir, 'oci-log'), { force: true }),
      rm(join(this.options.exitDir, id), { force: true }),
      rm(this.persistDir(id), { recursive: true, force: true }),
    ]);
  }

  /** `<runtime> start <id>`: the created container's process runs its command. */
  async startContainer(id: string, signal?: AbortSignal): Promise<void> {
    await this.run(['start', id], `starting container ${id.slice(0, 12)}`, signal);
  }

  /** `<runtime> state <id>`; null when the runtime does not know the container. */
  async state(id: string, signal?: AbortSignal): Promise<OciState | null> {
    const result = await this.exec(this.path, [...this.runtimeFlags(), 'state', id], { ...(signal ? { signal } : {}), timeoutMs: 30_000 });
    if (result.exitCode !== 0) {
      if (isNotExist(result.stderr, id)) return null;
      throw new PodbayError('ErrOCIRuntime', `reading the state of container ${id.slice(0, 12)} from ${this.name}: ${cleanStderr(result.stderr)}`);
    }
    try {
      return JSON.parse(result.stdout) as OciState;
    } catch (error) {
      throw new PodbayError('ErrOCIRuntime', `${this.name} state printed something that is not JSON: ${result.stdout.slice(0, 200)}`, { cause: error });
    }
  }

  /**
   * `<runtime> kill [--all] <id> <signal>`. `all` signals every process (a container without its own pid
   * namespace). A container that already exited is ErrCtrStateInvalid.
   */
  async kill(id: string, signal: number, options: { all?: boolean; abort?: AbortSignal } = {}): Promise<void> {
    if (!Number.isInteger(signal) || signal < 1 || signal > 64) throw new PodbayError('ErrInvalidArg', `invalid signal ${signal}`);
    const args = ['kill', ...(options.all ? ['--all'] : []), id, String(signal)];
    const result = await this.exec(this.path, [...this.runtimeFlags(), ...args], { ...(options.abort ? { signal: options.abort } : {}), timeoutMs: 30_000 });
    if (result.exitCode !== 0) {
      const text = cleanStderr(result.stderr);
      if (isNotExist(text, id) || /not running|process already finished|no such process/i.test(text)) {
        throw new PodbayError('ErrCtrStateInvalid', `sending signal ${signal} to container ${id.slice(0, 12)}: it is not running (${text})`);
      }
      throw new PodbayError('ErrOCIRuntime', `sending signal ${signal} to container ${id.slice(0, 12)}: ${text}`);
    }
  }

  /**
   * libpod stopContainer: the stop signal, then poll the pid every 10 ms for `timeoutSeconds`, then
   * SIGKILL and wait up to 5 s. Timeout 0 sends SIGKILL at once. Holds no lock: callers release
   * theirs before calling (podman issue 8501). Resolves once the process is gone.
   */
  async stopContainer(id: string, pid: number, stopSignal: number, timeoutSeconds: number, abort?: AbortSignal, conmonPid = 0): Promise<void> {
    if (timeoutSeconds < 0) throw new PodbayError('ErrInvalidArg', `stop timeout ${timeoutSeconds} must not be negative`);
    if (timeoutSeconds > 0) {
      await this.signalProcess(id, pid, conmonPid, stopSignal, abort);
      if (await waitForPidGone(pid, timeoutSeconds * 1000, abort)) return;
    }
    await this.signalProcess(id, pid, conmonPid, 9, abort);
    if (!(await waitForPidGone(pid, 5000, abort))) {
      throw new PodbayError('ErrOCIRuntime', `container ${id.slice(0, 12)} (pid ${pid}) did not die within 5 s of SIGKILL`);
    }
  }

  /**
   * `kill` for stop. When the runtime no longer knows the container (its state went with a wiped run
   * root) but the process lives on under its conmon, it is signalled directly, as the runtime would:
   * only a process whose parent is that live conmon (conmon reaps the container's init), never a
   * recycled pid.
   */
  private async signalProcess(id: string, pid: number, conmonPid: number, signal: number, abort?: AbortSignal): Promise<void> {
    try {
      await this.kill(id, signal, abort ? { abort } : {});
    } catch (error) {
      ignoreNotRunning(error);
      if (conmonPid > 0 && pid > 0 && !this.hasState(id) && (await childOfConmon(pid, conmonPid))) {
        try {
          process.kill(pid, signal);
        } catch {
          // gone meanwhile
        }
      }
    }
  }

  async pauseContainer(id: string, signal?: AbortSignal): Promise<void> {
    await this.run(['pause', id], `pausing container ${id.slice(0, 12)}`, signal);
  }

  async resumeContainer(id: string, signal?: AbortSignal): Promise<void> {
    await this.run(['resume', id], `resuming container ${id.slice(0, 12)}`, signal);
  }

  /**
   * Whether the runtime keeps state for `id` (`<root>/<id>`, for crun and runc alike): a process
   * killed between `create` and saving the state leaves such a container behind.
   */
  hasState(id: string): boolean {
    return existsSync(join(this.options.stateRoot, id));
  }

  /** `<runtime> delete [--force] <id>`; a container the runtime does not know is already deleted. */
  async deleteContainer(id: string, options: { force?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    const result = await this.exec(this.path, [...this.runtimeFlags(), 'delete', ...(options.force ? ['--force'] : []), id], {
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: 30_000,
    });
    if (result.exitCode !== 0 && !isNotExist(result.stderr, id)) {
      throw new PodbayError('ErrOCIRuntime', `deleting container ${id.slice(0, 12)} from ${this.name}: ${cleanStderr(result.stderr)}`);
    }
  }

  /** The exit recorded by conmon, or null while the container has not exited. */
  exitStatus(id: string): Promise<ExitStatus | null> {
    return readExitFile(this.options.exitDir, id, this.persistDir(id));
  }

  waitForExit(id: string, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<ExitStatus>;
  /** With `settled`: null when the exit was recorded (and its file removed) by another cleaner. */
  waitForExit(id: string, options: { signal?: AbortSignal; timeoutMs?: number; settled: () => boolean }): Promise<ExitStatus | null>;
  waitForExit(id: string, options: { signal?: AbortSignal; timeoutMs?: number; settled?: () => boolean } = {}): Promise<ExitStatus | null> {
    return waitForExitFile(this.options.exitDir, id, { ...options, persistDir: this.persistDir(id) });
  }

  /** Removes the exit file and persist dir once the state database has recorded the exit. */
  async removeExitFiles(id: string): Promise<void> {
    await Promise.all([rm(join(this.options.exitDir, id), { force: true }), rm(this.persistDir(id), { recursive: true, force: true })]);
  }

  private async run(args: [string, string], doing: string, signal?: AbortSignal): Promise<void> {
    const id = args[1];
    const result = await this.exec(this.path, [...this.runtimeFlags(), ...args], { ...(signal ? { signal } : {}), timeoutMs: 30_000 });
    if (result.exitCode !== 0) {
      const text = cleanStderr(result.stderr);
      if (isNotExist(text, id)) throw new PodbayError('ErrCtrStateInvalid', `${doing}: ${this.name} does not know the container (${text})`);
      throw new PodbayError('ErrOCIRuntime', `${doing}: ${text || `${this.name} exited with ${result.exitCode}`}`);
    }
  }
}

function ignoreNotRunning(error: unknown): void {
  if (error instanceof PodbayError && error.code === 'ErrCtrStateInvalid') return;
  throw error;
}

/**
 * The runtime has no state for `id`. runc: "container does not exist"; crun names its own state files
 * ("error opening file `<root>/<id>/status`", "cannot open directory '<root>/<id>'"). Matching the id keeps
 * a missing *executable* ("…: No such file or directory") from reading as a missing container.
 */
function isNotExist(stderr: string, id: string): boolean {
  if (/container does not exist/i.test(stderr)) return true;
  return /No such file or directory/i.test(stderr) && (stderr.includes(`/${id}/status`) || stderr.includes(`/${id}'`));
}

/** runc prefixes its JSON-less errors with time="…" level=error msg="…". */
function cleanStderr(stderr: string): string {
  const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(stderr);
  return (msg?.[1] ?? stderr).trim().slice(0, 2000);
}

/** The runtime's `--log-format=json` errors: one {"level","msg"} object a line. */
async function readOciLog(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const messages: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      if (entry.msg && (entry.level === 'error' || entry.level === 'fatal')) messages.push(entry.msg);
    } catch {
      messages.push(line.trim());
    }
  }
  return messages.join('; ');
}

/** kill(pid, 0) until ESRCH: the pid is gone once conmon has reaped it. */
async function waitForPidGone(pid: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!pidAlive(pid)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(10, undefined, signal ? { signal } : {});
  }
}

export function pidAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** conmon's pid from `<runDir>/conmon.pid` (decimal, no newline), or 0 when the file is missing. */
export async function readConmonPid(runDir: string): Promise<number> {
  const text = await readFile(join(runDir, 'conmon.pid'), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

/** Whether `pid` is a child of the live conmon `conmonPid` (field 4 of /proc/<pid>/stat is the parent). */
async function childOfConmon(pid: number, conmonPid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return parent === conmonPid && (await conmonAlive(conmonPid));
  } catch {
    return false;
  }
}

/**
 * Whether `pid` is still a conmon (not a recycled pid): what a re-sync after Podbay restarts uses to
 * tell a container whose monitor died (mark it exited, as podman does for a missing exit file) from one
 * still supervised.
 */
export async function conmonAlive(pid: number, procRoot = '/proc'): Promise<boolean> {
  if (!(pid > 0)) return false;
  const comm = await readFile(join(procRoot, String(pid), 'comm'), 'utf8').catch(() => '');
  return comm.trim() === 'conmon';
}
