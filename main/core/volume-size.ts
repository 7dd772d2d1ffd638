// How much a volume holds, as podman system df -v reports volume sizes: the bytes of the files under
// its mountpoint, found by a walk that never follows a symlink (a link counts its own length) and
// counts a file with several hard links once. Asynchronous, so a large volume does not stall a
// serving process; entries that vanish while walked (a container deleting them) are skipped.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from './image/blob-store.ts';

const skipped = new Set(['ENOENT', 'ENOTDIR']);

/** Bytes under `dir` (0 when it does not exist). */
export async function treeDiskUsage(dir: string, signal?: AbortSignal): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (path: string): Promise<void> => {
    throwIfAborted(signal, 'measuring a volume');
    let names: string[];
    try {
      names = await readdir(path);
    } catch (error) {
      if (skipped.has((error as NodeJS.ErrnoException).code ?? '')) return;
      throw error;
    }
    for (const name of names) {
      const child = join(path, name);
      let st;
      try {
        st = await lstat(child);
      } catch (error) {
        if (skipped.has((error as NodeJS.ErrnoException).code ?? '')) continue;
        throw error;
      }
      if (st.isDirectory()) await walk(child);
      else if (st.isFile() || st.isSymbolicLink()) {
        if (st.nlink > 1) {
          const key = `${st.dev}:${st.ino}`;
          if (seen.has(key)) continue;
          seen.add(key);
        }
        total += st.size;
      }
    }
  };
  await walk(dir);
  return total;
}
