import { describe, expect, it } from 'vitest';
import { Transfers, rechunk } from '../../../../main/ipc/handlers/transfers.ts';
import { hasCode } from '../../../../shared/errors.ts';

async function collect(source: AsyncIterable<Buffer>): Promise<number[]> {
  const out: number[] = [];
  for await (const b of source) out.push(b.length);
  return out;
}

async function* pieces(...sizes: number[]): AsyncGenerator<Buffer> {
  for (const s of sizes) yield Buffer.alloc(s, 1);
}

describe('rechunk', () => {
  it('regroups small and large pieces into full chunks, the last one shorter', async () => {
    expect(await collect(rechunk(pieces(3, 3, 3, 20, 1), 8))).toEqual([8, 8, 8, 6]);
    expect(await collect(rechunk(pieces(), 8))).toEqual([]);
  });
});

describe('Transfers', () => {
  it('lets a download run only the window ahead of acknowledgements', async () => {
    const transfers = new Transfers();
    const owner = {};
    const d = transfers.openDownload(owner);
    const signal = new AbortController().signal;
    await d.maySend(7, signal); // 8 chunks (0…7) may be out with nothing acknowledged
    let released = false;
    const waiting = d.maySend(8, signal).then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    transfers.download(d.id, owner).ack(0);
    await waiting;
    expect(released).toBe(true);
    expect(() => transfers.download(d.id, {})).toThrow();
    // An acknowledgement that arrives after the download ended is harmless, for its owner only.
    transfers.close(d.id);
    expect(() => transfers.download(d.id, owner).ack(9)).not.toThrow();
    expect(() => transfers.download(d.id, {})).toThrow();
  });

  it('aborts a waiting download when its stream is cancelled', async () => {
    const d = new Transfers().openDownload(undefined);
    const controller = new AbortController();
    const waiting = d.maySend(20, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy((e: unknown) => hasCode(e, 'ErrCanceled'));
  });

  it('resolves an upload\'s write only once its chunk was consumed, and fails pending writes on error', async () => {
    const transfers = new Transfers();
    const u = transfers.openUpload(undefined);
    let written = false;
    const write = u.write(Buffer.from('abc')).then(() => (written = true));
    await Promise.resolve();
    expect(written).toBe(false);
    const reader = u.chunks(new AbortController().signal);
    expect((await reader.next()).value?.toString()).toBe('abc');
    await write;
    expect(written).toBe(true);
    u.end();
    expect((await reader.next()).done).toBe(true);
    const v = transfers.openUpload(undefined);
    const pending = v.write(Buffer.from('x'));
    v.fail(new Error('extract failed'));
    await expect(pending).rejects.toThrow('extract failed');
    await expect(v.write(Buffer.from('y'))).rejects.toThrow('extract failed');
  });
});
