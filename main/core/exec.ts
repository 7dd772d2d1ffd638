// The one way the core runs other programs: argument arrays only (never a shell), a timeout, and
// an AbortSignal. Injected so unit tests can swap it (lazydocker's OSCommand).
import { execa } from 'execa';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Exec = (file: string, args: readonly string[], options?: { signal?: AbortSignal; timeoutMs?: number; input?: string }) => Promise<ExecResult>;

/** Runs `file args…`; a non-zero exit is a result, not an exception. Spawn failures reject. */
export const realExec: Exec = async (file, args, options = {}) => {
  const result = await execa(file, [...args], {
    reject: false,
    timeout: options.timeoutMs ?? 10_000,
    cancelSignal: options.signal,
    input: options.input,
    stripFinalNewline: true,
    env: { LC_ALL: 'C' },
    extendEnv: true,
  });
  if (result.failed && result.exitCode === undefined) {
    throw new Error(result.shortMessage || `running ${file}`);
  }
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
};
