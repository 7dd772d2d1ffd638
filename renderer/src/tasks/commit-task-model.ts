// A commit as the task tray shows it, folded from the `containers.commit` stream's frames: its phase,
// bytes of the new layer written against the total, and the image it made. Pure: times are passed in.
import type { ErrorData } from '../../../shared/errors.ts';
import type { CommitFrame, CommitPhase } from '../../../shared/types/container-files.ts';
import type { ImageListItem } from '../../../shared/types/images.ts';
import { formatBytes } from '../presenters/format-bytes.ts';
import type { Tone } from '../presenters/system-presenters.ts';

export interface CommitTaskInput {
  readonly nameOrId: string;
  /** For titles: the container's name as the user sees it. */
  readonly containerName: string;
  readonly name?: string;
  readonly author?: string;
  readonly message?: string;
  readonly changes?: readonly string[];
  readonly pause?: boolean;
  readonly format?: 'oci' | 'docker';
}

export type CommitTaskPhase = 'starting' | CommitPhase | 'failed' | 'canceled';

export interface CommitTask {
  readonly id: string;
  readonly kind: 'commit';
  readonly input: CommitTaskInput;
  readonly phase: CommitTaskPhase;
  readonly bytes: number;
  readonly totalBytes: number | null;
  readonly imageId: string | null;
  readonly image: ImageListItem | null;
  readonly error: ErrorData | null;
  readonly startedAt: number;
  readonly finishedAt: number | null;
}

export function initialCommit(id: string, input: CommitTaskInput, now: number): CommitTask {
  return { id, kind: 'commit', input, phase: 'starting', bytes: 0, totalBytes: null, imageId: null, image: null, error: null, startedAt: now, finishedAt: null };
}

export function commitFinished(task: CommitTask): boolean {
  return task.phase === 'done' || task.phase === 'failed' || task.phase === 'canceled';
}

export function applyCommitFrame(task: CommitTask, frame: CommitFrame, now: number): CommitTask {
  if (commitFinished(task) && frame.type === 'progress') return task;
  if (frame.type === 'image') return { ...task, phase: 'done', imageId: frame.id, image: frame.image, finishedAt: task.finishedAt ?? now };
  if (frame.phase === 'done') return task; // the image frame follows and finishes it
  return { ...task, phase: frame.phase, bytes: frame.bytes, totalBytes: frame.totalBytes ?? task.totalBytes };
}

/** The stream ended: done if the image came, else failed (an end without an image is a broken stream). */
export function commitEnded(task: CommitTask, now: number): CommitTask {
  if (commitFinished(task)) return task;
  return { ...task, phase: 'failed', error: { code: 'ErrInternal', category: 'internal', message: 'the commit ended without an image' }, finishedAt: now };
}

export function commitFailed(task: CommitTask, error: ErrorData, now: number): CommitTask {
  if (commitFinished(task)) return task;
  return { ...task, phase: error.code === 'ErrCanceled' ? 'canceled' : 'failed', error, finishedAt: now };
}

export function commitCanceled(task: CommitTask, now: number): CommitTask {
  if (commitFinished(task)) return task;
  return { ...task, phase: 'canceled', finishedAt: now };
}

export interface CommitHeadline {
  title: string;
  detail: string;
  tone: Tone;
  fraction: number | null;
}

export function commitHeadline(task: CommitTask): CommitHeadline {
  const target = task.input.name ? ` as ${task.input.name}` : '';
  const title = `Committing ${task.input.containerName}${target}`;
  switch (task.phase) {
    case 'starting':
      return { title, detail: 'Starting…', tone: 'neutral', fraction: null };
    case 'pausing':
      return { title, detail: 'Pausing the container…', tone: 'neutral', fraction: null };
    case 'writing': {
      const fraction = task.totalBytes ? Math.min(1, task.bytes / task.totalBytes) : null;
      return { title, detail: task.totalBytes !== null ? `${formatBytes(task.bytes)} of ${formatBytes(task.totalBytes)} written` : `${formatBytes(task.bytes)} written`, tone: 'neutral', fraction };
    }
    case 'storing':
      return { title, detail: 'Storing the new layer…', tone: 'neutral', fraction: 1 };
    case 'done':
      return { title: `Committed ${task.input.containerName}`, detail: task.image?.repoTags[0] ?? (task.imageId ? `image ${task.imageId.slice(0, 12)}` : 'image stored'), tone: 'ok', fraction: 1 };
    case 'canceled':
      return { title: `Commit of ${task.input.containerName} canceled`, detail: 'Nothing was stored', tone: 'warning', fraction: null };
    case 'failed':
      return { title: `Commit of ${task.input.containerName} failed`, detail: task.error?.message ?? 'failed', tone: 'danger', fraction: null };
  }
}
