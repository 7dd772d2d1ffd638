import { describe, expect, it } from 'vitest';
import type { ImageListItem, ImagePullFrame } from '../../../shared/types/images.ts';
import {
  applyPullFrame,
  initialPull,
  layerEta,
  pullCanceled,
  pullEnded,
  pullEta,
  pullFailed,
  pullTotals,
  smoothRate,
} from '../../../renderer/src/images/pull-progress.ts';
import type { PullState } from '../../../renderer/src/images/pull-progress.ts';

const MiB = 1024 * 1024;
const a = `sha256:${'a'.repeat(64)}`;
const b = `sha256:${'b'.repeat(64)}`;
const c = `sha256:${'c'.repeat(64)}`;

function image(id: string): ImageListItem {
  return { id, digest: `sha256:${'d'.repeat(64)}`, repoTags: ['127.0.0.1:5000/podbay/busybox:latest'], repoDigests: [], created: '2024-01-01T00:00:00Z', size: 1, sharedSize: 0, labels: {}, storedAt: '2026-11-28T12:00:00.000Z', dangling: false };
}

/** Replays frames given as [ms, frame] pairs from t = 0. */
function replay(frames: [number, ImagePullFrame][], reference = 'busybox'): PullState {
  let state = initialPull(reference, 0);
  for (const [at, frame] of frames) state = applyPullFrame(state, frame, at);
  return state;
}

const start: [number, ImagePullFrame][] = [
  [1, { type: 'resolved', resolution: { input: 'busybox', origin: 'search', candidates: ['127.0.0.1:5000/library/busybox:latest'] } }],
  [2, { type: 'resolving', reference: '127.0.0.1:5000/library/busybox:latest' }],
  [10, { type: 'manifest', reference: '127.0.0.1:5000/library/busybox:latest', manifestDigest: `sha256:${'e'.repeat(64)}`, layers: [{ digest: a, size: 10 * MiB }, { digest: b, size: 30 * MiB }, { digest: c, size: 2 * MiB }] }],
];

describe('pull progress reducer', () => {
  it('goes from starting through resolving to downloading, with every layer waiting', () => {
    expect(initialPull(' busybox', 0).phase).toBe('starting');
    const resolving = replay(start.slice(0, 2));
    expect(resolving).toMatchObject({ phase: 'resolving', trying: '127.0.0.1:5000/library/busybox:latest' });
    expect(resolving.resolution?.origin).toBe('search');
    const state = replay(start);
    expect(state.phase).toBe('downloading');
    expect(state.layers.map((l) => [l.digest, l.phase, l.done, l.total])).toEqual([
      [a, 'waiting', 0, 10 * MiB],
      [b, 'waiting', 0, 30 * MiB],
      [c, 'waiting', 0, 2 * MiB],
    ]);
    expect(pullTotals(state)).toMatchObject({ done: 0, total: 42 * MiB, fraction: 0, layersTotal: 3, layersDone: 0 });
    expect(pullEta(state)).toBeNull();
  });

  it('tracks bytes per layer and counts layers already in the store as complete but not downloaded', () => {
    const state = replay([
      ...start,
      [20, { type: 'layer-exists', digest: c, size: 2 * MiB }],
      [100, { type: 'layer-bytes', digest: a, done: 1 * MiB, total: 10 * MiB, bytesPerSecond: 10 * MiB }],
      [200, { type: 'layer-bytes', digest: a, done: 2 * MiB, total: 10 * MiB }],
    ]);
    expect(state.layers[0]).toMatchObject({ phase: 'downloading', done: 2 * MiB });
    expect(state.layers[2]).toMatchObject({ phase: 'exists', done: 2 * MiB });
    expect(pullTotals(state)).toMatchObject({ done: 4 * MiB, total: 42 * MiB, layersDone: 1, layersSkipped: 1, remaining: 38 * MiB });
  });

  it('measures a layer speed from its byte deltas and smooths it', () => {
    const steady = replay([
      ...start,
      [1000, { type: 'layer-bytes', digest: a, done: 0, total: 10 * MiB, bytesPerSecond: 0 }],
      [1100, { type: 'layer-bytes', digest: a, done: 1 * MiB, total: 10 * MiB }],
      [1200, { type: 'layer-bytes', digest: a, done: 2 * MiB, total: 10 * MiB }],
    ]);
    // 1 MiB per 100 ms = 10 MiB/s, measured twice.
    expect(steady.layers[0]?.bytesPerSecond).toBeCloseTo(10 * MiB, -3);
    // A sudden stall does not drop the estimate to zero at once.
    const stalled = applyPullFrame(steady, { type: 'layer-bytes', digest: a, done: 2 * MiB, total: 10 * MiB }, 1300);
    const speed = stalled.layers[0]?.bytesPerSecond ?? 0;
    expect(speed).toBeLessThan(10 * MiB);
    expect(speed).toBeGreaterThan(8 * MiB);
    expect(layerEta(steady.layers[0]!)).toBeCloseTo(0.8, 1);
  });

  it('sums the layers into one overall speed and ETA', () => {
    const state = replay([
      ...start,
      [1000, { type: 'layer-bytes', digest: a, done: 0, total: 10 * MiB }],
      [1000, { type: 'layer-bytes', digest: b, done: 0, total: 30 * MiB }],
      [1500, { type: 'layer-bytes', digest: a, done: 2 * MiB, total: 10 * MiB }],
      [1500, { type: 'layer-bytes', digest: b, done: 3 * MiB, total: 30 * MiB }],
      [2000, { type: 'layer-bytes', digest: a, done: 4 * MiB, total: 10 * MiB }],
      [2000, { type: 'layer-bytes', digest: b, done: 6 * MiB, total: 30 * MiB }],
    ]);
    // 10 MiB overall in 1 s, whatever the frames' interleaving.
    expect(state.bytesPerSecond).toBeGreaterThan(8 * MiB);
    expect(state.bytesPerSecond).toBeLessThan(12 * MiB);
    const eta = pullEta(state);
    expect(eta).not.toBeNull();
    // 42 - 10 = 32 MiB left at ~10 MiB/s.
    expect(eta!).toBeGreaterThan(2.5);
    expect(eta!).toBeLessThan(4.1);
  });

  it('weighs a rate by the time it was measured over (exponential smoothing)', () => {
    expect(smoothRate(0, 100, 50, false)).toBe(100);
    expect(smoothRate(100, 0, 0, true)).toBe(100);
    const short = smoothRate(100, 0, 100, true);
    const long = smoothRate(100, 0, 4000, true);
    expect(short).toBeGreaterThan(long);
    expect(long).toBeLessThan(15);
  });

  it('continues from the offset after a resume and shows verifying, then done', () => {
    let state = replay([...start, [100, { type: 'layer-bytes', digest: a, done: 5 * MiB, total: 10 * MiB }]]);
    state = applyPullFrame(state, { type: 'layer-resumed', digest: a, offset: 4 * MiB }, 200);
    expect(state.layers[0]).toMatchObject({ done: 4 * MiB, resumes: 1, phase: 'downloading' });
    state = applyPullFrame(state, { type: 'layer-verifying', digest: a }, 300);
    expect(state.layers[0]).toMatchObject({ phase: 'verifying', done: 10 * MiB, bytesPerSecond: 0 });
    state = applyPullFrame(state, { type: 'layer-done', digest: a, size: 10 * MiB }, 400);
    expect(state.layers[0]?.phase).toBe('done');
  });

  it('records the images stored and completes every layer when the stream ends', () => {
    let state = replay([...start, [50, { type: 'layer-bytes', digest: a, done: 1, total: 10 * MiB }]]);
    state = applyPullFrame(state, { type: 'done', reference: 'x', imageId: 'f'.repeat(64) }, 60);
    state = applyPullFrame(state, { type: 'image', image: image('f'.repeat(64)) }, 61);
    state = applyPullFrame(state, { type: 'image', image: image('f'.repeat(64)) }, 62);
    expect(state.images).toHaveLength(1);
    state = pullEnded(state, 2000);
    expect(state).toMatchObject({ phase: 'done', finishedAt: 2000, bytesPerSecond: 0 });
    expect(state.layers.every((l) => l.phase === 'done' && l.done === l.total)).toBe(true);
    expect(pullTotals(state).fraction).toBe(1);
    expect(pullEta(state)).toBeNull();
  });

  it('keeps the error of a failed pull and ignores frames after the end', () => {
    const failed = pullFailed(replay(start), { code: 'ErrNoSuchImage', category: 'not-found', message: 'not found' }, 99);
    expect(failed).toMatchObject({ phase: 'failed', finishedAt: 99, error: { code: 'ErrNoSuchImage' } });
    expect(applyPullFrame(failed, { type: 'layer-bytes', digest: a, done: 5, total: 10 }, 100)).toBe(failed);
    expect(pullEnded(failed, 101)).toBe(failed);
  });

  it('stops the speeds of a cancelled pull', () => {
    const running = replay([...start, [100, { type: 'layer-bytes', digest: a, done: 1, total: 10 * MiB, bytesPerSecond: 999 }]]);
    const canceled = pullCanceled(running, 150);
    expect(canceled).toMatchObject({ phase: 'canceled', finishedAt: 150, bytesPerSecond: 0 });
    expect(canceled.layers.every((l) => l.bytesPerSecond === 0)).toBe(true);
  });

  it('appends the layers of a second manifest (all tags) and keeps the shared ones', () => {
    let state = replay(start);
    state = applyPullFrame(state, { type: 'manifest', reference: 'r:2', manifestDigest: 'x', layers: [{ digest: a, size: 10 * MiB }, { digest: `sha256:${'9'.repeat(64)}`, size: 1 }] }, 20);
    expect(state.layers.map((l) => l.digest)).toEqual([a, b, c, `sha256:${'9'.repeat(64)}`]);
  });
});
