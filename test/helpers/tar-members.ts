// Reads a tar (a buffer or a stream of chunks) into its members, bodies as latin1 strings, with the
// project's own reader: what a test checks an export, a cp or a commit produced with.
import { readTar } from '../../main/core/image/tar-reader.ts';
import type { TarEntry } from '../../main/core/image/tar-reader.ts';
import { once } from './image-tar.ts';

export interface TarMemberRead {
  entry: TarEntry;
  data: string;
}

/** Members in archive order. */
export async function tarMembers(source: Buffer | AsyncIterable<Buffer>): Promise<TarMemberRead[]> {
  const out: TarMemberRead[] = [];
  for await (const { entry, body } of readTar(Buffer.isBuffer(source) ? once(source) : source)) {
    let data = '';
    for await (const chunk of body) data += chunk.toString('latin1');
    out.push({ entry, data });
  }
  return out;
}

/** Member name → its body. */
export async function tarContents(source: Buffer | AsyncIterable<Buffer>): Promise<Map<string, string>> {
  return new Map((await tarMembers(source)).map((m) => [m.entry.name, m.data]));
}
