// The `podbay` CLI entry point. It shares the core with the GUI and the web host, in-process
// (daemonless, like podman); commands are loaded lazily so a cold start runs almost nothing.
// The build bundles this file as one CommonJS script that `bundle-loader.ts` compiles from V8's code
// cache and then calls `main()`.
import { PodbayError } from '../../shared/errors.ts';
import type { CommandIO } from './command.ts';
import { commandEntries } from './registry.ts';
import { exitEngineError, runCli } from './run-cli.ts';

export async function main(): Promise<void> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new PodbayError('ErrCanceled', `interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `podbay ps | head`: once the reader is gone, stop quietly as podman does (SIGPIPE) instead of
  // dying on an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  const io: CommandIO = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
  };
  try {
    process.exitCode = await runCli(process.argv.slice(2), io, controller.signal);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`Error: ${message}\n`);
    process.exitCode = error instanceof PodbayError && error.code === 'ErrCanceled' ? 130 : exitEngineError;
  }
}

/**
 * Evaluates every command module without running any: the build calls it before it writes the code
 * cache, so the cache holds the compiled module bodies (and the schemas they build) of every command.
 */
export async function loadEveryCommand(): Promise<void> {
  await Promise.all(commandEntries.map((entry) => entry.load()));
}
