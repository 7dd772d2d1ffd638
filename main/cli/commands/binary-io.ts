// Binary data on the CLI's own stdin and stdout (export and cp `-` stream tars), with backpressure:
// a slow reader of our stdout pauses the archive, never buffers it.
import { once } from 'node:events';
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandIO } from '../command.ts';

/** Writes `chunks` to process.stdout, waiting for `drain` whenever its buffer is full. */
export async function writeStdout(chunks: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<void> {
  for await (const chunk of chunks) {
    if (signal?.aborted) throw new PodbayError('ErrCanceled', 'writing to stdout: canceled', { cause: signal.reason });
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain', signal ? { signal } : {});
  }
}

/** process.stdin as chunks. */
export async function* readStdin(): AsyncGenerator<Buffer> {
  for await (const chunk of process.stdin as AsyncIterable<Buffer | string>) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/** podman's refusal to write an archive to a terminal. */
export function refuseTerminal(io: CommandIO, what: string): void {
  if (io.isTTY) throw new PodbayError('ErrInvalidArg', `refusing to ${what} to terminal. Use -o flag or redirect`);
}
