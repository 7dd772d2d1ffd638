import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { BlobStore } from '../../../../main/core/image/blob-store.ts';
import { digestOf, parseDigest } from '../../../../main/core/image/digest.ts';
import type { Digest } from '../../../../main/core/image/digest.ts';
import { makeTempStore } from '../../../helpers/temp-store.ts';
import type { TempStore } from '../../../helpers/temp-store.ts';

async function* pieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('BlobStore', () => {
  let tmp: TempStore;
  let store: BlobStore;
  beforeEach(() => {
    tmp = makeTempStore('podbay-blobs-');
    store = new BlobStore(tmp.root);
  });
  afterEach(() => tmp.cleanup());

  it('stores a streamed blob under blobs/sha256/<hex> and streams it back', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a);
    const digest = digestOf(data);
    const info = await store.put(pieces(data, 65536), { digest, size: data.length });
    expect(info).toEqual({ digest, size: data.length });
    expect(readFileSync(`${tmp.root}/blobs/sha256/${digest.slice(7)}`).equals(data)).toBe(true);
    const back: Buffer[] = [];
    for await (const c of store.read(digest)) back.push(c as Buffer);
    expect(Buffer.concat(back).equals(data)).toBe(true);
    expect(await store.list()).toEqual([info]);
    expect(store.listTemp()).toEqual([]);
  });

  it('refuses a digest mismatch and leaves nothing behind', async () => {
    const wrong = digestOf('something else');
    let caught: unknown;
    try {
      await store.put(pieces(Buffer.from('hello'), 2), { digest: wrong });
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
    expect(readdirSync(`${tmp.root}/blobs/sha256`)).toEqual([]);
    expect(await store.has(wrong)).toBe(false);
  });

  it('refuses a body longer or shorter than the expected size, leaving nothing', async () => {
    const data = Buffer.from('0123456789');
    for (const size of [5, 20]) {
      let caught: unknown;
      try {
        await store.put(pieces(data, 3), { digest: digestOf(data), size });
      } catch (error) {
        caught = error;
      }
      expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
    }
    expect(readdirSync(`${tmp.root}/blobs/sha256`)).toEqual([]);
  });

  it('removes the temp file when the source fails mid-stream', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('abc');
      throw new Error('connection reset');
    }
    await expect(store.put(failing())).rejects.toThrow(/connection reset/);
    expect(readdirSync(`${tmp.root}/blobs/sha256`)).toEqual([]);
  });

  it('reports temp files an interrupted write left behind (crash before commit)', async () => {
    const writer = await store.createWriter();
    await writer.write(Buffer.from('partial'));
    await writer.flush();
    expect(store.listTemp().map((t) => t.size)).toEqual([7]);
    expect(await store.list()).toEqual([]);
    await writer.abort();
    expect(store.listTemp()).toEqual([]);
  });

  it('never forms a path from an invalid digest', () => {
    let caught: unknown;
    try {
      store.path('sha256:../../../etc/passwd' as Digest);
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  });

  it('names a blob by its content when no digest is expected, and caps whole reads', async () => {
    const info = await store.putBytes(Buffer.from('{"a":1}'));
    expect(info.digest).toBe(parseDigest(`sha256:${createHash('sha256').update('{"a":1}').digest('hex')}`));
    expect((await store.readBytes(info.digest)).toString()).toBe('{"a":1}');
    let caught: unknown;
    try {
      await store.readBytes(info.digest, 3);
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  });
});

describe('garbage from interrupted writes', () => {
  it('removes only temp files older than the grace period', async () => {
    const tmp = makeTempStore('podbay-gc-');
    try {
      const store = new BlobStore(tmp.root);
      const writer = await store.createWriter();
      await writer.write(Buffer.from('partial'));
      expect(store.removeTemp(60_000)).toEqual([]);
      expect(store.removeTemp(60_000, Date.now() + 120_000)).toHaveLength(1);
      expect(store.listTemp()).toEqual([]);
      await writer.abort();
    } finally {
      tmp.cleanup();
    }
  });
});
