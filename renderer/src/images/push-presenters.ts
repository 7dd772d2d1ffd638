// What the Push dialog and the task tray say about a push, as pure functions over its task: the
// headline (bytes sent, speed, ETA, the digest the registry stored) and a failed push's advice.
import type { ErrorData } from '../../../shared/errors.ts';
import { describeError } from '../presenters/error-presenters.ts';
import { formatBytes } from '../presenters/format-bytes.ts';
import type { PushTask, Task, UploadTask } from '../tasks/task-list-model.ts';
import { pullEta, pullTotals } from './pull-progress.ts';
import { formatEta, formatSpeed, pullHeadline, shortDigest } from './pull-presenters.ts';
import type { PullHeadline, PullErrorView } from './pull-presenters.ts';

export function pushHeadline(task: PushTask): PullHeadline {
  const state = task.progress;
  const name = task.input.destination;
  const totals = pullTotals(state);
  switch (state.phase) {
    case 'starting':
    case 'resolving':
      return { title: `Pushing ${name}`, detail: 'Checking what the registry has…', tone: 'neutral', fraction: null };
    case 'downloading': {
      const parts = [`${formatBytes(totals.done)} of ${formatBytes(totals.total)} sent`];
      if (state.bytesPerSecond > 0) parts.push(formatSpeed(state.bytesPerSecond));
      const eta = pullEta(state);
      if (eta !== null && totals.remaining > 0) parts.push(`${formatEta(eta)} left`);
      if (totals.remaining === 0) parts.push('writing the manifest');
      return { title: `Pushing ${name}`, detail: parts.join(' · '), tone: 'neutral', fraction: totals.fraction };
    }
    case 'done': {
      const skipped = totals.layersSkipped > 0 ? ` (${totals.layersSkipped} already there)` : '';
      return {
        title: `Pushed ${name}`,
        detail: `${task.pushed ? `Digest ${shortDigest(task.pushed.manifestDigest)} · ` : ''}${totals.layersTotal} blob${totals.layersTotal === 1 ? '' : 's'}${skipped} · ${formatBytes(totals.total)}`,
        tone: 'ok',
        fraction: 1,
      };
    }
    case 'canceled':
      return { title: `Cancelled push of ${name}`, detail: 'The registry keeps no manifest for it; uploaded blobs stay unreferenced.', tone: 'warning', fraction: totals.fraction };
    case 'failed':
      return { title: `Could not push ${name}`, detail: state.error ? describePushError(state.error).title : 'The push failed.', tone: 'danger', fraction: totals.fraction };
  }
}

export function describePushError(error: ErrorData | unknown): PullErrorView {
  const view = describeError(error);
  const advice: string[] = [];
  let title = view.title;
  switch (view.code) {
    case 'ErrUnauthorized':
      title = 'The registry refused the push';
      advice.push('Log in as a user that may push here (Registries page), or give credentials for this push.');
      advice.push('Test the registry with this repository: it tells whether a push would be allowed.');
      break;
    case 'ErrRegistryUnreachable':
      title = 'The registry could not be reached';
      advice.push('Check the registry address and that it is running.');
      advice.push('For plain HTTP or a self-signed certificate, tick “Skip TLS verification” or add the registry with its CA.');
      break;
    case 'ErrInvalidArg':
      title = 'Not a valid destination';
      advice.push('A destination looks like registry.example.com:5000/team/app:1.0.');
      break;
    default:
      advice.push('Try again; if it keeps failing, test the registry on the Registries page.');
  }
  return { title, message: view.message, code: view.code, advice };
}

/** The destination a push dialog proposes: the registry chosen, the image's repository path and tag. */
export function defaultDestination(registry: string, imageName: string | null): { repository: string; tag: string } {
  if (!imageName) return { repository: '', tag: 'latest' };
  const at = imageName.indexOf('@');
  const name = at >= 0 ? imageName.slice(0, at) : imageName;
  const colon = name.lastIndexOf(':');
  const slash = name.lastIndexOf('/');
  const repoFull = colon > slash ? name.slice(0, colon) : name;
  const tag = colon > slash ? name.slice(colon + 1) : 'latest';
  const first = repoFull.indexOf('/');
  // Drop the image's own registry (docker.io/library/busybox → library/busybox); keep its path.
  const path = first >= 0 && /[.:]|^localhost$/.test(repoFull.slice(0, first)) ? repoFull.slice(first + 1) : repoFull;
  return { repository: registry && path.startsWith('library/') ? path.slice('library/'.length) : path, tag };
}

export function destinationOf(registry: string, repository: string, tag: string): string {
  return `${registry.trim()}/${repository.trim().replace(/^\/+|\/+$/g, '')}:${tag.trim() || 'latest'}`;
}

/** An upload for load/import: bytes sent, then the engine storing it, then what it stored. */
export function uploadHeadline(task: UploadTask): PullHeadline {
  const state = task.progress;
  const name = task.input.fileName;
  const totals = pullTotals(state);
  const verb = task.input.mode === 'load' ? 'Load' : 'Import';
  switch (state.phase) {
    case 'done': {
      const n = state.images.length;
      return {
        title: `${verb}ed ${name}`,
        detail: `${n === 1 ? `Image ${shortDigest(state.images[0]!.id)}` : `${n} images`} · ${formatBytes(totals.total)}`,
        tone: 'ok',
        fraction: 1,
      };
    }
    case 'canceled':
      return { title: `Cancelled upload of ${name}`, detail: 'Nothing of it was kept.', tone: 'warning', fraction: totals.fraction };
    case 'failed':
      return { title: `Could not ${verb.toLowerCase()} ${name}`, detail: state.error ? describeError(state.error).message : 'The upload failed.', tone: 'danger', fraction: totals.fraction };
    default: {
      if (task.storing) return { title: `${verb}ing ${name}`, detail: `Uploaded ${formatBytes(totals.total)}; ${task.input.mode === 'load' ? 'loading the images' : 'importing the layer'}…`, tone: 'neutral', fraction: 1 };
      const parts = [`${formatBytes(totals.done)} of ${formatBytes(totals.total)} uploaded`];
      if (state.bytesPerSecond > 0) parts.push(formatSpeed(state.bytesPerSecond));
      return { title: `Uploading ${name}`, detail: parts.join(' · '), tone: 'neutral', fraction: totals.fraction };
    }
  }
}

/** The tray's line for any task. */
export function taskHeadline(task: Task): PullHeadline {
  if (task.kind === 'pull') return pullHeadline(task.progress);
  return task.kind === 'push' ? pushHeadline(task) : uploadHeadline(task);
}

/** "pull of busybox", "push of reg/app:1", "upload of rootfs.tar": what Cancel names. */
export function taskWhat(task: Task): string {
  if (task.kind === 'pull') return `pull of ${task.input.reference}`;
  return task.kind === 'push' ? `push of ${task.input.destination}` : `upload of ${task.input.fileName}`;
}
