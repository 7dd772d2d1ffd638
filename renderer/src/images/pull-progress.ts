// A pull as the UI shows it, folded from the `images.pull` stream's frames (STYLE.md's
// `pull-progress.ts`): per-layer bytes, phase and a smoothed speed, the overall total, throughput
// and ETA. Pure: the time of each frame is passed in, so tests replay streams without a clock.
import type { ErrorData } from '../../../shared/errors.ts';
import type { ImageListItem, ImagePullFrame, ImageResolution, LayerPhase } from '../../../shared/types/images.ts';

export type PullPhase = 'starting' | 'resolving' | 'downloading' | 'done' | 'failed' | 'canceled';

export interface LayerProgress {
  readonly digest: string;
  /** Compressed bytes, as the manifest declares. */
  readonly total: number;
  readonly done: number;
  readonly phase: LayerPhase;
  /** Smoothed bytes per second while downloading; 0 otherwise. */
  readonly bytesPerSecond: number;
  /** Time and byte count of the last sample the speed was computed from. */
  readonly sampledAt: number | null;
  readonly sampledDone: number;
  /** Times the download continued from an offset after a dropped connection. */
  readonly resumes: number;
}

export interface PullState {
  /** What the user typed. */
  readonly reference: string;
  readonly phase: PullPhase;
  readonly resolution: ImageResolution | null;
  /** The candidate being tried now (a short name may try several). */
  readonly trying: string | null;
  readonly manifestDigest: string | null;
  /** In manifest order; layers of a later manifest (all tags) are appended. */
  readonly layers: readonly LayerProgress[];
  /** Images stored so far (`image` frames). */
  readonly images: readonly ImageListItem[];
  readonly error: ErrorData | null;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** Overall download speed (bytes per second): the sum of the downloading layers' speeds. */
  readonly bytesPerSecond: number;
}

/** Time constant of the speed's exponential smoothing: a rate counts about half after 1.4 s. */
export const speedTimeConstantMs = 2000;

export function initialPull(reference: string, now: number): PullState {
  return {
    reference,
    phase: 'starting',
    resolution: null,
    trying: null,
    manifestDigest: null,
    layers: [],
    images: [],
    error: null,
    startedAt: now,
    finishedAt: null,
    bytesPerSecond: 0,
  };
}

/**
 * One smoothing step: the rate measured over `dt` ms blends into `previous` with a weight that
 * grows with `dt` (so irregular frame times weigh correctly). The first measurement is taken as is.
 */
export function smoothRate(previous: number, measured: number, dtMs: number, hasPrevious: boolean, tau = speedTimeConstantMs): number {
  if (!hasPrevious) return measured;
  const alpha = 1 - Math.exp(-dtMs / tau);
  return previous + alpha * (measured - previous);
}

const finishedPhases = new Set<PullPhase>(['done', 'failed', 'canceled']);

export function isFinished(state: PullState): boolean {
  return finishedPhases.has(state.phase);
}

/** Folds one frame of the stream into the state. Frames after the end are ignored. */
export function applyPullFrame(state: PullState, frame: ImagePullFrame, now: number): PullState {
  if (isFinished(state)) return state;
  switch (frame.type) {
    case 'resolved':
      return { ...state, resolution: frame.resolution, phase: state.phase === 'starting' ? 'resolving' : state.phase };
    case 'resolving':
      return { ...state, trying: frame.reference, phase: state.layers.length > 0 ? state.phase : 'resolving' };
    case 'manifest': {
      const known = new Set(state.layers.map((l) => l.digest));
      const added = frame.layers.filter((l) => !known.has(l.digest)).map((l) => newLayer(l.digest, l.size));
      return { ...state, trying: frame.reference, manifestDigest: frame.manifestDigest, layers: [...state.layers, ...added], phase: 'downloading' };
    }
    case 'layer-exists':
      return sampleOverall(
        withLayer(state, frame.digest, frame.size, (l) => ({ ...l, total: frame.size || l.total, done: frame.size || l.total, phase: 'exists', bytesPerSecond: 0 })),
        now,
      );
    case 'layer-bytes': {
      const next = withLayer(state, frame.digest, frame.total, (l) => layerBytes(l, frame.done, frame.total, now, frame.bytesPerSecond));
      return sampleOverall(next, now);
    }
    case 'layer-resumed':
      return sampleOverall(withLayer(state, frame.digest, 0, (l) => ({ ...l, done: frame.offset, sampledDone: frame.offset, sampledAt: now, resumes: l.resumes + 1, phase: 'downloading' })), now);
    case 'layer-verifying':
      return sampleOverall(
        withLayer(state, frame.digest, 0, (l) => ({ ...l, done: l.total, phase: 'verifying', bytesPerSecond: 0 })),
        now,
      );
    case 'layer-done':
      return sampleOverall(
        withLayer(state, frame.digest, frame.size, (l) => ({ ...l, total: frame.size || l.total, done: frame.size || l.total, phase: l.phase === 'exists' ? 'exists' : 'done', bytesPerSecond: 0 })),
        now,
      );
    case 'done':
      return state;
    case 'image':
      return { ...state, images: [...state.images.filter((i) => i.id !== frame.image.id), frame.image] };
    default:
      return state;
  }
}

/** The stream ended: the pull succeeded (every layer is complete). */
export function pullEnded(state: PullState, now: number): PullState {
  if (isFinished(state)) return state;
  const layers = state.layers.map((l) => (l.phase === 'exists' || l.phase === 'done' ? l : { ...l, done: l.total, phase: 'done' as const, bytesPerSecond: 0 }));
  return { ...state, layers, phase: 'done', finishedAt: now, bytesPerSecond: 0 };
}

/** The stream failed with the engine's error. */
export function pullFailed(state: PullState, error: ErrorData, now: number): PullState {
  if (isFinished(state)) return state;
  return { ...state, phase: 'failed', error, finishedAt: now, bytesPerSecond: 0, layers: stopLayers(state.layers) };
}

/** The user cancelled: the stream was closed (the engine aborts the pull and keeps nothing of it). */
export function pullCanceled(state: PullState, now: number): PullState {
  if (isFinished(state)) return state;
  return { ...state, phase: 'canceled', finishedAt: now, bytesPerSecond: 0, layers: stopLayers(state.layers) };
}

function stopLayers(layers: readonly LayerProgress[]): LayerProgress[] {
  return layers.map((l) => (l.bytesPerSecond === 0 ? l : { ...l, bytesPerSecond: 0 }));
}

function newLayer(digest: string, total: number): LayerProgress {
  return { digest, total, done: 0, phase: 'waiting', bytesPerSecond: 0, sampledAt: null, sampledDone: 0, resumes: 0 };
}

/** Updates the layer `digest` (adding it when a frame names a layer no manifest listed). */
function withLayer(state: PullState, digest: string, total: number, update: (layer: LayerProgress) => LayerProgress): PullState {
  const index = state.layers.findIndex((l) => l.digest === digest);
  if (index === -1) return { ...state, layers: [...state.layers, update(newLayer(digest, total))], phase: 'downloading' };
  const layers = [...state.layers];
  layers[index] = update(layers[index] as LayerProgress);
  return { ...state, layers, phase: 'downloading' };
}

function layerBytes(layer: LayerProgress, done: number, total: number, now: number, reported: number | undefined): LayerProgress {
  const base = { ...layer, done, total: total || layer.total, phase: 'downloading' as const };
  if (layer.sampledAt === null) {
    // First bytes: the engine's own average (since the layer started) is the best first estimate.
    return { ...base, sampledAt: now, sampledDone: done, bytesPerSecond: reported ?? 0 };
  }
  const dt = now - layer.sampledAt;
  if (dt <= 0) return base;
  const measured = Math.max(0, ((done - layer.sampledDone) * 1000) / dt);
  const hasPrevious = layer.bytesPerSecond > 0 || layer.sampledDone > 0;
  return { ...base, sampledAt: now, sampledDone: done, bytesPerSecond: smoothRate(layer.bytesPerSecond, measured, dt, hasPrevious) };
}

/** Bytes downloaded so far (layers that already existed count for nothing). */
export function downloadedBytes(layers: readonly LayerProgress[]): number {
  let sum = 0;
  for (const l of layers) if (l.phase !== 'exists') sum += l.done;
  return sum;
}

/**
 * The overall speed is the sum of the layers' own smoothed speeds: each layer's stream is measured
 * from its own byte deltas, so frames of parallel layers interleaving in any order do not bias it.
 */
function sampleOverall(state: PullState, _now: number): PullState {
  let sum = 0;
  for (const l of state.layers) if (l.phase === 'downloading') sum += l.bytesPerSecond;
  return sum === state.bytesPerSecond ? state : { ...state, bytesPerSecond: sum };
}

// ---------- selectors ----------

export interface PullTotals {
  /** Bytes complete (downloaded, or already in the store). */
  readonly done: number;
  readonly total: number;
  /** 0…1; 1 when the pull is done. Null until the manifest says how much there is. */
  readonly fraction: number | null;
  /** Bytes still to download. */
  readonly remaining: number;
  readonly layersDone: number;
  readonly layersTotal: number;
  readonly layersSkipped: number;
}

export function pullTotals(state: PullState): PullTotals {
  let done = 0;
  let total = 0;
  let layersDone = 0;
  let layersSkipped = 0;
  for (const l of state.layers) {
    total += l.total;
    const complete = l.phase === 'exists' || l.phase === 'done';
    done += complete ? l.total : Math.min(l.done, l.total);
    if (complete) layersDone++;
    if (l.phase === 'exists') layersSkipped++;
  }
  const fraction = state.phase === 'done' ? 1 : total > 0 ? done / total : null;
  return { done, total, fraction, remaining: Math.max(0, total - done), layersDone, layersTotal: state.layers.length, layersSkipped };
}

/** Seconds left at the smoothed speed, or null when it cannot be estimated (no speed, finished). */
export function pullEta(state: PullState): number | null {
  if (isFinished(state) || state.phase !== 'downloading') return null;
  const { remaining } = pullTotals(state);
  if (remaining === 0) return 0;
  if (state.bytesPerSecond <= 0) return null;
  return remaining / state.bytesPerSecond;
}

/** Seconds left for one layer at its own speed. */
export function layerEta(layer: LayerProgress): number | null {
  if (layer.phase !== 'downloading' || layer.bytesPerSecond <= 0) return null;
  return Math.max(0, layer.total - layer.done) / layer.bytesPerSecond;
}
