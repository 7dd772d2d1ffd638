import { describe, expect, it } from 'vitest';
import { coalesceProgress } from '../../../../main/core/image/progress.ts';
import type { PullProgressEvent } from '../../../../main/core/image/progress.ts';
import type { Digest } from '../../../../main/core/image/digest.ts';

const digest = `sha256:${'a'.repeat(64)}` as Digest;

describe('coalesceProgress', () => {
  it('passes about ten byte updates a second per layer, always the last one, and keeps order', () => {
    let now = 0;
    const out: PullProgressEvent[] = [];
    const sink = coalesceProgress<PullProgressEvent>((e) => out.push(e), { now: () => now });
    for (let i = 1; i <= 1000; i++) {
      now = i; // 1000 updates over one second
      sink({ type: 'layer-bytes', digest, done: i, total: 1000 });
    }
    const bytes = out.filter((e) => e.type === 'layer-bytes');
    expect(bytes.length).toBeGreaterThanOrEqual(10);
    expect(bytes.length).toBeLessThanOrEqual(12);
    expect(bytes.at(-1)).toMatchObject({ done: 1000 });
    sink({ type: 'layer-bytes', digest, done: 1, total: 2 });
    sink({ type: 'layer-bytes', digest, done: 1, total: 2 }); // held back
    now += 1;
    sink({ type: 'layer-done', digest, size: 2 });
    expect(out.slice(-2).map((e) => e.type)).toEqual(['layer-bytes', 'layer-done']);
  });
});
