import { describe, expect, it } from 'vitest';
import { blobSink, segmentBytes } from '../../../renderer/src/transfers/save-in-browser.ts';

describe('blobSink', () => {
  it('gathers chunks into Blob segments and delivers the whole file, in order, typed by kind', async () => {
    const delivered: { blob: Blob; name: string }[] = [];
    const sink = blobSink({ name: 'etc.tar', kind: 'tar', size: null }, (blob, name) => delivered.push({ blob, name }));
    const big = new Uint8Array(segmentBytes).fill(7);
    sink.write(new TextEncoder().encode('head'));
    sink.write(big);
    sink.write(new TextEncoder().encode('tail'));
    expect(delivered).toEqual([]);
    sink.close();
    expect(delivered).toHaveLength(1);
    const { blob, name } = delivered[0]!;
    expect(name).toBe('etc.tar');
    expect(blob.type).toBe('application/x-tar');
    expect(blob.size).toBe(segmentBytes + 8);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('head');
    expect(new TextDecoder().decode(bytes.subarray(-4))).toBe('tail');
  });

  it('delivers nothing once aborted', () => {
    const delivered: Blob[] = [];
    const sink = blobSink({ name: 'a.bin', kind: 'file', size: 3 }, (blob) => delivered.push(blob));
    sink.write(new Uint8Array([1, 2, 3]));
    sink.abort();
    expect(delivered).toEqual([]);
  });
});
