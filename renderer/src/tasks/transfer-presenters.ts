// What the task tray, the Files tab and the archive dialogs say about a file on its way between the
// user and the engine (an upload to load, import or copy in; a download of a save, an export or a
// copy out), and the tray's line for any task. Pure functions over the task.
import { describeError } from '../presenters/error-presenters.ts';
import { formatBytes } from '../presenters/format-bytes.ts';
import { pullTotals } from '../images/pull-progress.ts';
import { formatSpeed, pullHeadline, shortDigest } from '../images/pull-presenters.ts';
import type { PullHeadline } from '../images/pull-presenters.ts';
import { pushHeadline } from '../images/push-presenters.ts';
import { downloadWhat } from './task-list-model.ts';
import type { DownloadTask, ProgressTask, UploadTask } from './task-list-model.ts';

const uploadVerbs = { load: ['Load', 'Loaded', 'loading the images'], import: ['Import', 'Imported', 'importing the layer'], copy: ['Upload', 'Uploaded', 'writing it into the container'] } as const;

/** An upload: bytes sent, then the engine storing it, then what it stored. */
export function uploadHeadline(task: UploadTask): PullHeadline {
  const state = task.progress;
  const input = task.input;
  const name = input.fileName;
  const totals = pullTotals(state);
  const [verb, done, storing] = input.mode === 'copy' && input.as === 'tar' ? (['Extract', 'Extracted', 'extracting it into the container'] as const) : uploadVerbs[input.mode];
  switch (state.phase) {
    case 'done': {
      if (input.mode === 'copy') {
        const into = `${input.path} of ${input.containerName}`;
        const detail = input.as === 'tar' ? `${task.copied?.entries ?? 0} entries into ${into}` : `${formatBytes(task.copied?.bytes ?? totals.total)} into ${into}`;
        return { title: `${done} ${name}`, detail, tone: 'ok', fraction: 1 };
      }
      const n = state.images.length;
      return {
        title: `${done} ${name}`,
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
      if (task.storing) return { title: `${verb}ing ${name}`, detail: `Uploaded ${formatBytes(totals.total)}; ${storing}…`, tone: 'neutral', fraction: 1 };
      const parts = [`${formatBytes(totals.done)} of ${formatBytes(totals.total)} uploaded`];
      if (state.bytesPerSecond > 0) parts.push(formatSpeed(state.bytesPerSecond));
      return { title: `Uploading ${name}`, detail: parts.join(' · '), tone: 'neutral', fraction: totals.fraction };
    }
  }
}

/** A download: bytes received (of the size, when the engine knows it), then the file handed to the browser. */
export function downloadHeadline(task: DownloadTask): PullHeadline {
  const state = task.progress;
  const name = task.file?.name ?? downloadWhat(task.input);
  const received = state.layers[0]?.done ?? 0;
  const size = task.file?.size ?? null;
  const saved = task.input.mode === 'save' ? 'Saved' : 'Downloaded';
  switch (state.phase) {
    case 'done':
      return { title: `${saved} ${name}`, detail: formatBytes(size ?? received), tone: 'ok', fraction: 1 };
    case 'canceled':
      return { title: `Cancelled download of ${name}`, detail: 'Nothing was saved.', tone: 'warning', fraction: null };
    case 'failed':
      return { title: `Could not download ${name}`, detail: state.error ? describeError(state.error).message : 'The download failed.', tone: 'danger', fraction: null };
    default: {
      if (!task.file) return { title: `Preparing ${name}`, detail: task.input.mode === 'save' ? 'Writing the archive…' : 'Starting…', tone: 'neutral', fraction: null };
      const parts = [size !== null ? `${formatBytes(received)} of ${formatBytes(size)}` : `${formatBytes(received)}`];
      if (state.bytesPerSecond > 0) parts.push(formatSpeed(state.bytesPerSecond));
      return { title: `Downloading ${name}`, detail: parts.join(' · '), tone: 'neutral', fraction: size ? Math.min(1, received / size) : null };
    }
  }
}

/** The tray's line for any task with byte progress. */
export function taskHeadline(task: ProgressTask): PullHeadline {
  switch (task.kind) {
    case 'pull':
      return pullHeadline(task.progress);
    case 'push':
      return pushHeadline(task);
    case 'upload':
      return uploadHeadline(task);
    case 'download':
      return downloadHeadline(task);
  }
}

/** "pull of busybox", "push of reg/app:1", "upload of rootfs.tar", "download of etc.tar": what Cancel names. */
export function taskWhat(task: ProgressTask): string {
  switch (task.kind) {
    case 'pull':
      return `pull of ${task.input.reference}`;
    case 'push':
      return `push of ${task.input.destination}`;
    case 'upload':
      return `upload of ${task.input.fileName}`;
    case 'download':
      return `download of ${task.file?.name ?? downloadWhat(task.input)}`;
  }
}
