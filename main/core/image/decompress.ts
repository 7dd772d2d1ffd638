// Compressions a tarball may come in that no layer media type names, undone by Debian's own tools
// (xz-utils, bzip2, zstd) as c/image's archive.DecompressStream does for import: the program reads
// the compressed bytes on stdin and writes the tar on stdout, streamed both ways (never buffered
// whole), stopped by the AbortSignal or when the reader stops early. A missing program is a typed
// ErrNotImplemented naming its package; a non-zero exit (corrupt or truncated input) ErrInvalidArg.
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PodbayError } from '../../../shared/errors.ts';

export type ToolCompression = 'xz' | 'bzip2' | 'zstd';

/** The Debian program (and its package) that decompresses each format to stdout. */
export const decompressors: Record<ToolCompression, { program: string; args: readonly string[]; pkg: string }> = {
  xz: { program: 'xz', args: ['-dc'], pkg: 'xz-utils' },
  bzip2: { program: 'bzip2', args: ['-dc'], pkg: 'bzip2' },
  zstd: { program: 'zstd', args: ['-dcq'], pkg: 'zstd' },
};

export interface DecompressOptions {
  signal?: AbortSignal;
  /** The program's path instead of its name on PATH (tests, odd installs). */
  program?: string;
}

const stderrLimit = 4096;

/** The decompressed bytes of `source` (compressed with `compression`), through the program of `decompressors`. */
export async function* decompressWithTool(compression: ToolCompression, source: AsyncIterable<Uint8Array>, options: DecompressOptions = {}): AsyncGenerator<Buffer> {
  const tool = decompressors[compression];
  const program = options.program ?? tool.program;
  const { signal } = options;
  if (signal?.aborted) throw new PodbayError('ErrCanceled', `decompressing ${compression}: canceled`, { cause: signal.reason });
  const child = spawn(program, [...tool.args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...(signal ? { signal } : {}) });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, sig) => resolve({ code, signal: sig })));
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PodbayError('ErrNotImplemented', `decompressing a ${compression}-compressed tarball needs ${program}, which is missing: apt-get install ${tool.pkg}`, { cause: error });
    }
    if (signal?.aborted) throw new PodbayError('ErrCanceled', `decompressing ${compression}: canceled`, { cause: signal.reason });
    throw new PodbayError('ErrInternal', `running ${program}: ${(error as Error).message}`, { cause: error });
  }
  child.on('error', () => undefined); // an abort after the spawn: the close event says the rest
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < stderrLimit) stderr += chunk.toString('utf8').slice(0, stderrLimit - stderr.length);
  });
  // The program may stop reading (corrupt input): the EPIPE that follows is its exit status's to explain.
  let feedError: unknown = null;
  const feeding = pipeline(Readable.from(source), child.stdin).catch((error: unknown) => {
    feedError = error;
  });
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    finished = true;
  } finally {
    if (!finished) {
      child.kill('SIGKILL');
      child.stdin.destroy();
    }
  }
  await feeding;
  const exit = await closed;
  if (signal?.aborted) throw new PodbayError('ErrCanceled', `decompressing ${compression}: canceled`, { cause: signal.reason });
  const pipeClosed = (e: unknown) => ['EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED'].includes((e as NodeJS.ErrnoException | null)?.code ?? '');
  if (feedError !== null && !pipeClosed(feedError)) throw feedError;
  if (exit.code !== 0) {
    const why = stderr.trim().replace(/\s+/g, ' ') || (exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.code}`);
    throw new PodbayError('ErrInvalidArg', `the ${compression} stream is corrupt or truncated: ${why}`);
  }
}
