// Long operations that outlive the dialog that started them (a pull or push keeps running when its
// dialog closes, visible in the task tray from every page), as pure functions over a newest-first
// list. A pull, push or upload's progress is a PullState (a push's blobs fold in as layers, see
// push-progress.ts) and its status follows from that progress's phase; a commit folds its own frames
// (commit-task-model.ts). One list, one tray, whatever the kind.
import type { ImagePullFrame, ImagePushFrame } from '../../../shared/types/images.ts';
import { pushFrameAsPull } from '../images/push-progress.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import { applyPullFrame, initialPull, isFinished, pullCanceled, pullEnded, pullFailed } from '../images/pull-progress.ts';
import type { PullState } from '../images/pull-progress.ts';
import { commitCanceled, commitEnded, commitFailed, commitFinished } from './commit-task-model.ts';
import type { CommitTask } from './commit-task-model.ts';

export interface PullTaskInput {
  readonly reference: string;
  /** false: plain HTTP or an unverified certificate is accepted (`--tls-verify=false`). */
  readonly tlsVerify?: boolean;
  readonly allTags?: boolean;
}

export type TaskStatus = 'running' | 'done' | 'failed' | 'canceled';

export interface PullTask {
  readonly id: string;
  readonly kind: 'pull';
  readonly input: PullTaskInput;
  readonly progress: PullState;
}

export interface PushTaskInput {
  /** The image's ID (what is pushed) and how the user knows it. */
  readonly imageId: string;
  readonly imageLabel: string;
  /** registry/repository:tag. */
  readonly destination: string;
  readonly tlsVerify?: boolean;
  /** Per-call credentials (not stored); absent: the stored login. */
  readonly credentials?: { readonly username: string; readonly password: string };
}

export interface PushTask {
  readonly id: string;
  readonly kind: 'push';
  readonly input: PushTaskInput;
  readonly progress: PullState;
  /** The registry's manifest digest once the push landed. */
  readonly pushed: { readonly reference: string; readonly manifestDigest: string } | null;
}

/**
 * A file the user picked, sent to the engine as a chunked upload (shared/transfer-client.ts): an
 * archive to load, a rootfs tarball to import, or a file or tar copied into a container's directory.
 */
export type UploadTaskInput = { readonly fileName: string; readonly bytes: number } & (
  | { readonly mode: 'load' }
  | { readonly mode: 'import'; readonly reference?: string; readonly changes?: readonly string[]; readonly message?: string }
  | { readonly mode: 'copy'; readonly nameOrId: string; readonly containerName: string; readonly path: string; readonly as: 'file' | 'tar' }
);

export interface UploadTask {
  readonly id: string;
  readonly kind: 'upload';
  readonly input: UploadTaskInput;
  /** One "layer": the file; `images` holds what the engine stored from it. */
  readonly progress: PullState;
  /** The engine has every byte and is loading, importing or writing it. */
  readonly storing: boolean;
  /** A copy into a container: what was written. */
  readonly copied: { readonly entries: number; readonly bytes: number } | null;
}

/** A file the engine sends for the user to keep: an image archive, a container's export, a path copied out. */
export type DownloadTaskInput =
  | { readonly mode: 'save'; readonly nameOrIds: readonly string[]; readonly format: 'oci-archive' | 'docker-archive' }
  | { readonly mode: 'export'; readonly nameOrId: string; readonly containerName: string }
  | { readonly mode: 'copyOut'; readonly nameOrId: string; readonly containerName: string; readonly path: string };

export interface DownloadTask {
  readonly id: string;
  readonly kind: 'download';
  readonly input: DownloadTaskInput;
  /** One "layer": the file (its total is 0 while the size is unknown, as for a tar; its done counts the bytes anyway). */
  readonly progress: PullState;
  /** What the engine said it sends, once it started. */
  readonly file: { readonly name: string; readonly kind: 'file' | 'tar'; readonly size: number | null } | null;
}

/** The tasks whose progress is a PullState (bytes per layer, blob or file). */
export type ProgressTask = PullTask | PushTask | UploadTask | DownloadTask;

export type Task = ProgressTask | CommitTask;

/** The progress key of an upload's one item. */
export const uploadItem = (input: UploadTaskInput) => `file:${input.fileName}`;

export function addUploadTask(state: TaskListState, id: string, input: UploadTaskInput, now: number): TaskListState {
  const progress = applyPullFrame(initialPull(input.fileName, now), { type: 'manifest', reference: input.fileName, manifestDigest: '', layers: [{ digest: uploadItem(input), size: input.bytes }] }, now);
  const task: UploadTask = { id, kind: 'upload', input, progress, storing: false, copied: null };
  return { tasks: [task, ...state.tasks.filter((t) => t.id !== id)] };
}

/** The engine has the whole file: it stores it now. */
export function uploadStoring(state: TaskListState, id: string, now: number): TaskListState {
  const next = updateTask(state, id, (p) => applyPullFrame(p, { type: 'layer-done', digest: p.layers[0]?.digest ?? '', size: p.layers[0]?.total ?? 0 }, now));
  return { tasks: next.tasks.map((t) => (t.id === id && t.kind === 'upload' ? { ...t, storing: true } : t)) };
}

export function uploadCopied(state: TaskListState, id: string, copied: { entries: number; bytes: number }): TaskListState {
  return { tasks: state.tasks.map((t) => (t.id === id && t.kind === 'upload' ? { ...t, copied: { entries: copied.entries, bytes: copied.bytes } } : t)) };
}

/** The progress key of a download's one item. */
export const downloadItem = 'file:download';

export function addDownloadTask(state: TaskListState, id: string, input: DownloadTaskInput, now: number): TaskListState {
  const task: DownloadTask = { id, kind: 'download', input, progress: initialPull(downloadWhat(input), now), file: null };
  return { tasks: [task, ...state.tasks.filter((t) => t.id !== id)] };
}

/** The engine named the file it sends. */
export function downloadStarted(state: TaskListState, id: string, file: { name: string; kind: 'file' | 'tar'; size: number | null }, now: number): TaskListState {
  const next = updateTask(state, id, (p) => applyPullFrame(p, { type: 'manifest', reference: file.name, manifestDigest: '', layers: [{ digest: downloadItem, size: file.size ?? 0 }] }, now));
  return { tasks: next.tasks.map((t) => (t.id === id && t.kind === 'download' ? { ...t, file: { name: file.name, kind: file.kind, size: file.size } } : t)) };
}

export const downloadBytes = (state: TaskListState, id: string, done: number, now: number) =>
  updateTask(state, id, (p) => applyPullFrame(p, { type: 'layer-bytes', digest: downloadItem, done, total: p.layers[0]?.total ?? 0 }, now));

/** "busybox:1", "the filesystem of web", "/etc of web": what a download is of, before its file is named. */
export function downloadWhat(input: DownloadTaskInput): string {
  switch (input.mode) {
    case 'save':
      return input.nameOrIds.length === 1 ? (input.nameOrIds[0] as string) : `${input.nameOrIds.length} images`;
    case 'export':
      return `the filesystem of ${input.containerName}`;
    case 'copyOut':
      return `${input.path} of ${input.containerName}`;
  }
}

/** Whether a task has finished (done, failed or canceled): only then can it be dismissed. */
export function taskFinished(task: Task): boolean {
  return task.kind === 'commit' ? commitFinished(task) : isFinished(task.progress);
}

export interface TaskListState {
  /** Newest first. */
  readonly tasks: readonly Task[];
}

export const emptyTasks: TaskListState = { tasks: [] };

export function taskStatus(task: Task): TaskStatus {
  switch (task.kind === 'commit' ? task.phase : task.progress.phase) {
    case 'done':
      return 'done';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'canceled';
    default:
      return 'running';
  }
}

export function addPullTask(state: TaskListState, id: string, input: PullTaskInput, now: number): TaskListState {
  const task: PullTask = { id, kind: 'pull', input, progress: initialPull(input.reference.trim(), now) };
  return { tasks: [task, ...state.tasks.filter((t) => t.id !== id)] };
}

export function addPushTask(state: TaskListState, id: string, input: PushTaskInput, now: number): TaskListState {
  const task: PushTask = { id, kind: 'push', input, progress: initialPull(input.destination, now), pushed: null };
  return { tasks: [task, ...state.tasks.filter((t) => t.id !== id)] };
}

export function addCommitTask(state: TaskListState, task: CommitTask): TaskListState {
  return { tasks: [task, ...state.tasks.filter((t) => t.id !== task.id)] };
}

/** Applies `update` to the progress of task `id`; the same state object when nothing changed or the task is unknown (or a commit). */
export function updateTask(state: TaskListState, id: string, update: (pull: PullState) => PullState): TaskListState {
  const index = state.tasks.findIndex((t) => t.id === id);
  if (index === -1) return state;
  const task = state.tasks[index] as Task;
  if (task.kind === 'commit') return state;
  const progress = update(task.progress);
  if (progress === task.progress) return state;
  const tasks = [...state.tasks];
  tasks[index] = { ...task, progress };
  return { tasks };
}

/** Folds a push frame: blobs as layers, and the result digest when the registry stored the manifest. */
export function pushTaskFrame(state: TaskListState, id: string, frame: ImagePushFrame, now: number): TaskListState {
  const next = updateTask(state, id, (p) => {
    const asPull = pushFrameAsPull(frame);
    return asPull ? applyPullFrame(p, asPull, now) : p;
  });
  if (frame.type !== 'pushed') return next;
  return { tasks: next.tasks.map((t) => (t.id === id && t.kind === 'push' ? { ...t, pushed: { reference: frame.reference, manifestDigest: frame.manifestDigest } } : t)) };
}

/** Applies `update` to commit `id`; the same state when nothing changed or the commit is unknown. */
export function updateCommit(state: TaskListState, id: string, update: (task: CommitTask) => CommitTask): TaskListState {
  const index = state.tasks.findIndex((t) => t.id === id);
  const before = state.tasks[index];
  if (before?.kind !== 'commit') return state;
  const after = update(before);
  if (after === before) return state;
  const tasks = [...state.tasks];
  tasks[index] = after;
  return { tasks };
}

const isCommit = (state: TaskListState, id: string) => state.tasks.some((t) => t.id === id && t.kind === 'commit');

export const taskFrame = (state: TaskListState, id: string, frame: ImagePullFrame, now: number) => updateTask(state, id, (p) => applyPullFrame(p, frame, now));
export const taskEnded = (state: TaskListState, id: string, now: number) => (isCommit(state, id) ? updateCommit(state, id, (t) => commitEnded(t, now)) : updateTask(state, id, (p) => pullEnded(p, now)));
export const taskFailed = (state: TaskListState, id: string, error: ErrorData, now: number) =>
  isCommit(state, id) ? updateCommit(state, id, (t) => commitFailed(t, error, now)) : updateTask(state, id, (p) => pullFailed(p, error, now));
export const taskCanceled = (state: TaskListState, id: string, now: number) => (isCommit(state, id) ? updateCommit(state, id, (t) => commitCanceled(t, now)) : updateTask(state, id, (p) => pullCanceled(p, now)));

/** Forgets a finished task (a running one stays: it must be cancelled first). */
export function dismissTask(state: TaskListState, id: string): TaskListState {
  const task = state.tasks.find((t) => t.id === id);
  if (!task || !taskFinished(task)) return state;
  return { tasks: state.tasks.filter((t) => t.id !== id) };
}

/** Forgets every finished task. */
export function clearFinished(state: TaskListState): TaskListState {
  const tasks = state.tasks.filter((t) => !taskFinished(t));
  return tasks.length === state.tasks.length ? state : { tasks };
}

export function runningTasks(state: TaskListState): Task[] {
  return state.tasks.filter((t) => !taskFinished(t));
}

export function runningCommits(state: TaskListState): CommitTask[] {
  return state.tasks.filter((t): t is CommitTask => t.kind === 'commit' && !commitFinished(t));
}

/** A pull, push, upload or download by id (commits: findCommit). */
export function findTask(state: TaskListState, id: string | null): ProgressTask | null {
  return id === null ? null : (state.tasks.find((t): t is ProgressTask => t.id === id && t.kind !== 'commit') ?? null);
}

export function findCommit(state: TaskListState, id: string | null): CommitTask | null {
  return id === null ? null : (state.tasks.find((t): t is CommitTask => t.id === id && t.kind === 'commit') ?? null);
}

/** The pull of the same reference still running, if any (a second Pull of it opens that one). */
export function runningPullOf(state: TaskListState, reference: string): PullTask | null {
  const wanted = reference.trim();
  return state.tasks.find((t): t is PullTask => t.kind === 'pull' && !isFinished(t.progress) && t.input.reference.trim() === wanted) ?? null;
}
