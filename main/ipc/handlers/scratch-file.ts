// Scratch files for transfers that need a whole file on disk (an archive to save or load): one
// private directory per use under `<runRoot>/transfers/`, removed when the work ends, whatever
// happens. The run root is a tmpfs for rootful podbay and cleared at boot, so nothing outlives a crash
// for long.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Runs `work` with the path of a file that does not exist yet, in a directory only this process can read. */
export async function withScratchFile<T>(runRoot: string, work: (path: string) => Promise<T>): Promise<T> {
  const base = join(runRoot, 'transfers');
  await mkdir(base, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(base, 'scratch-'));
  try {
    return await work(join(dir, 'data'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `data` to a new file at `path` (mode 0600); returns the bytes written. */
export async function writeChunks(data: AsyncIterable<Uint8Array>, path: string, signal?: AbortSignal): Promise<number> {
  let bytes = 0;
  async function* counted() {
    for await (const chunk of data) {
      bytes += chunk.length;
      yield chunk;
    }
  }
  await pipeline(Readable.from(counted()), createWriteStream(path, { flags: 'wx', mode: 0o600 }), signal ? { signal } : {});
  return bytes;
}
