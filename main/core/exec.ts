// The one way the core runs other programs: argument arrays only (never a shell), a timeout, an
// AbortSignal and bounded output. Injected so unit tests can swap it (lazydocker's OSCommand).
// Built on node:child_process rather than execa, which the guide suggests: execa's module graph
// costs ~50 ms to load, more than everything else `podbay info` does, and we need none of its extras.
import type { spawn as Spawn } from 'node:child_process';

/** Loaded on the first run: `podbay images` and friends never spawn, and node:child_process (with node:net) costs ~4 ms to load. */
let spawnProcess: typeof Spawn | undefined;

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  input?: string;
  /** Output beyond this many bytes per stream is dropped (a runaway program cannot fill memory). */
  maxOutputBytes?: number;
}

export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/** Runs `file args…`; a non-zero exit is a result, not an exception. Spawn failures and timeouts reject. */
export const realExec: Exec = async (file, args, options = {}) => {
  spawnProcess ??= (await import('node:child_process')).spawn;
  const spawn = spawnProcess;
  return new Promise((resolve, reject) => {
    const limit = options.maxOutputBytes ?? 4 * 1024 * 1024;
    const child = spawn(file, [...args], {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      signal: options.signal,
      timeout: options.timeoutMs ?? 10_000,
      killSignal: 'SIGKILL',
    });
    const collect = (stream: NodeJS.ReadableStream | null) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream?.on('data', (chunk: Buffer) => {
        if (size >= limit) return;
        chunks.push(chunk.subarray(0, limit - size));
        size += chunk.length;
      });
      return () => Buffer.concat(chunks).toString('utf8').replace(/\n$/, '');
    };
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', (error) => reject(new Error(`running ${file}: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => {
      if (code === null) {
        reject(new Error(`running ${file}: killed by ${signal}${signal === 'SIGKILL' ? ' (timeout or cancel)' : ''}`));
        return;
      }
      resolve({ exitCode: code, stdout: stdout(), stderr: stderr() });
    });
  });
};
