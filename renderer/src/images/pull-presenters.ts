// What the Pull dialog and the task tray say about a pull, as pure functions: byte counts, speed,
// ETA, the phase of each layer, where a short name resolves, and an error with what to try next.
// Branches on error codes and categories, never on message text (STYLE.md).
import type { ErrorData } from '../../../shared/errors.ts';
import type { ImageResolution, LayerPhase } from '../../../shared/types/images.ts';
import { describeError } from '../presenters/error-presenters.ts';
import { formatBytes } from '../presenters/format-bytes.ts';
import type { Tone } from '../presenters/system-presenters.ts';
import { isFinished, pullEta, pullTotals } from './pull-progress.ts';
import type { LayerProgress, PullState } from './pull-progress.ts';

/** 1536 → "1.5 KiB/s"; 0 or unknown → "—". */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds as a countdown: "4 s", "1 min 05 s", "2 h 03 min"; null → "—". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** "12.3 MiB / 25 MiB". */
export function bytesOf(done: number, total: number): string {
  return `${formatBytes(done)} / ${formatBytes(total)}`;
}

/** "sha256:0123456789abcdef…" → "0123456789ab" (the 12 hex characters podman prints). */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

export function percent(fraction: number | null): string {
  if (fraction === null) return '';
  return `${Math.floor(Math.min(1, Math.max(0, fraction)) * 100)} %`;
}

const layerPhaseLabels: Record<LayerPhase, string> = {
  waiting: 'Waiting',
  downloading: 'Downloading',
  verifying: 'Verifying',
  exists: 'Already present',
  done: 'Complete',
};

export function layerPhaseLabel(layer: LayerProgress): string {
  if (layer.phase === 'downloading' && layer.resumes > 0) return 'Resumed';
  return layerPhaseLabels[layer.phase];
}

export function layerTone(phase: LayerPhase): Tone {
  return phase === 'done' || phase === 'exists' ? 'ok' : 'neutral';
}

export interface PullHeadline {
  /** "Pulling 127.0.0.1:5000/podbay/busybox:latest", "Pulled …", "Pull failed", "Pull cancelled". */
  readonly title: string;
  /** "3.2 MiB of 50 MiB · 12 MiB/s · 4 s left", "2 of 3 layers", … */
  readonly detail: string;
  readonly tone: Tone;
  readonly fraction: number | null;
}

/** What is being pulled: the reference tried (a short name resolved), else what was typed. */
export function pullName(state: PullState): string {
  return state.trying ?? state.resolution?.candidates[0] ?? state.reference;
}

/** One line for the dialog's header and the task tray. */
export function pullHeadline(state: PullState): PullHeadline {
  const name = pullName(state);
  const totals = pullTotals(state);
  switch (state.phase) {
    case 'starting':
    case 'resolving':
      return { title: `Pulling ${name}`, detail: state.trying ? 'Reading the manifest…' : 'Resolving the name…', tone: 'neutral', fraction: null };
    case 'downloading': {
      const parts = [`${formatBytes(totals.done)} of ${formatBytes(totals.total)}`];
      if (state.bytesPerSecond > 0) parts.push(formatSpeed(state.bytesPerSecond));
      const eta = pullEta(state);
      if (eta !== null && totals.remaining > 0) parts.push(`${formatEta(eta)} left`);
      if (totals.remaining === 0) parts.push('storing');
      return { title: `Pulling ${name}`, detail: parts.join(' · '), tone: 'neutral', fraction: totals.fraction };
    }
    case 'done': {
      const image = state.images[0];
      const took = state.finishedAt !== null ? formatEta((state.finishedAt - state.startedAt) / 1000) : '—';
      const skipped = totals.layersSkipped > 0 ? ` (${totals.layersSkipped} already present)` : '';
      return {
        title: `Pulled ${name}`,
        detail: `${image ? `Image ${shortDigest(image.id)} · ` : ''}${totals.layersTotal} layer${totals.layersTotal === 1 ? '' : 's'}${skipped} · ${formatBytes(totals.total)} in ${took}`,
        tone: 'ok',
        fraction: 1,
      };
    }
    case 'canceled':
      return { title: `Cancelled pull of ${name}`, detail: 'Nothing of it was kept.', tone: 'warning', fraction: totals.fraction };
    case 'failed':
      return { title: `Could not pull ${name}`, detail: state.error ? describePullError(state.error, state.reference).title : 'The pull failed.', tone: 'danger', fraction: totals.fraction };
  }
}

/** "busybox" resolves to …: one line for the dialog as the user types. */
export function resolutionHint(resolution: ImageResolution): { text: string; candidates: readonly string[] } {
  const [first] = resolution.candidates;
  if (resolution.candidates.length === 0) return { text: 'No registry to look in: use a full name (registry/repository:tag).', candidates: [] };
  switch (resolution.origin) {
    case 'qualified':
      return { text: `Pulls ${first} as written.`, candidates: resolution.candidates };
    case 'alias':
      return { text: `Short-name alias for ${first}.`, candidates: resolution.candidates };
    case 'search':
      return {
        text: resolution.candidates.length === 1 ? `Short name: resolves to ${first}.` : `Short name: tries ${resolution.candidates.length} registries in order, starting with ${first}.`,
        candidates: resolution.candidates,
      };
  }
}

export interface PullErrorView {
  readonly title: string;
  readonly message: string;
  readonly code: string | null;
  /** What the user can try, most likely first. */
  readonly advice: readonly string[];
}

/** An error that ended a pull: what happened, in the engine's words, and what to try. */
export function describePullError(error: ErrorData | unknown, reference: string): PullErrorView {
  const view = describeError(error);
  const advice: string[] = [];
  let title = view.title;
  switch (view.code) {
    case 'ErrNoSuchImage':
      title = 'No such image';
      advice.push(`Check the spelling of “${reference}” and its tag (":latest" is added when none is given).`);
      advice.push('Use the full name with its registry (registry.example.com/team/app:1.0) if the short name resolves elsewhere.');
      break;
    case 'ErrUnauthorized':
      title = 'The registry refused access';
      advice.push('Log in to the registry first (podbay login REGISTRY) — the image may be private.');
      advice.push('Check that the repository name is right: registries answer "denied" for names that do not exist, too.');
      break;
    case 'ErrInvalidArg':
      title = 'Not a valid image reference, or a broken image';
      advice.push('A reference looks like busybox, busybox:1.36, or registry.example.com:5000/team/app@sha256:….');
      break;
    case 'ErrCanceled':
      advice.push('The connection to the engine dropped or the pull was interrupted: pull again.');
      break;
    case 'ErrNotImplemented':
      advice.push('This image uses a format Podbay cannot pull yet.');
      break;
    case 'ErrRegistryUnreachable':
      title = 'The registry could not be reached';
      advice.push('Check the registry address and port, and that it is running (the Registries page tests it).');
      advice.push('If the registry serves plain HTTP or a self-signed certificate, tick “Skip TLS verification” and pull again, or add it as insecure (or with its CA) on the Registries page.');
      break;
    default:
      title = 'The registry could not be reached, or the transfer failed';
      advice.push('Check the registry address and your network connection.');
      advice.push('If the registry serves plain HTTP or a self-signed certificate, tick “Skip TLS verification” and pull again (or mark it insecure in registries.conf).');
      break;
  }
  return { title, message: view.message, code: view.code, advice };
}

/** The tray's summary of what is running: "2 pulls · 43 %", "1 push · 10 %", "3 transfers · 50 %". */
export function trayLabel(running: readonly PullState[], kinds: readonly ('pull' | 'push' | 'upload')[] = running.map(() => 'pull')): string {
  if (running.length === 0) return 'No tasks running';
  let done = 0;
  let total = 0;
  for (const state of running) {
    const t = pullTotals(state);
    done += t.done;
    total += t.total;
  }
  const kind = kinds.every((k) => k === 'pull') ? 'pull' : kinds.every((k) => k === 'push') ? 'push' : kinds.every((k) => k === 'upload') ? 'upload' : 'transfer';
  const plural = kind === 'push' ? 'pushes' : `${kind}s`;
  const what = running.length === 1 ? `1 ${kind}` : `${running.length} ${plural}`;
  return total > 0 ? `${what} · ${percent(done / total)}` : what;
}

export function pullStatusTone(state: PullState): Tone {
  if (!isFinished(state)) return 'neutral';
  return state.phase === 'done' ? 'ok' : state.phase === 'canceled' ? 'warning' : 'danger';
}
