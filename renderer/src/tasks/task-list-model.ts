// Long operations that outlive the dialog that started them (a pull or push keeps running when its
// dialog closes, visible in the task tray from every page), as pure functions over a newest-first
// list. A task's progress is a PullState (a push's blobs fold in as layers, see push-progress.ts);
// its status follows from that progress's phase.
import type { ImagePullFrame, ImagePushFrame } from '../../../shared/types/images.ts';
import { pushFrameAsPull } from '../images/push-progress.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import { applyPullFrame, initialPull, isFinished, pullCanceled, pullEnded, pullFailed } from '../images/pull-progress.ts';
import type { PullState } from '../images/pull-progress.ts';

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

/** A file the browser uploads for `images.load` or `images.import` (web host transfers). */
export interface UploadTaskInput {
  readonly fileName: string;
  readonly bytes: number;
  readonly mode: 'load' | 'import';
  /** import only */
  readonly reference?: string;
  readonly changes?: readonly string[];
  readonly message?: string;
}

export interface UploadTask {
  readonly id: string;
  readonly kind: 'upload';
  readonly input: UploadTaskInput;
  /** One "layer": the file; `images` holds what the engine stored from it. */
  readonly progress: PullState;
  /** The upload is complete and the engine is loading or importing it (no longer cancellable). */
  readonly storing: boolean;
}

export type Task = PullTask | PushTask | UploadTask;

/** The progress key of an upload's one item. */
export const uploadItem = (input: UploadTaskInput) => `file:${input.fileName}`;

export function addUploadTask(state: TaskListState, id: string, input: UploadTaskInput, now: number): TaskListState {
  const progress = applyPullFrame(initialPull(input.fileName, now), { type: 'manifest', reference: input.fileName, manifestDigest: '', layers: [{ digest: uploadItem(input), size: input.bytes }] }, now);
  const task: UploadTask = { id, kind: 'upload', input, progress, storing: false };
  return { tasks: [task, ...state.tasks.filter((t) => t.id !== id)] };
}

/** The upload finished: the engine stores it now. */
export function uploadStoring(state: TaskListState, id: string, now: number): TaskListState {
  const next = updateTask(state, id, (p) => applyPullFrame(p, { type: 'layer-done', digest: p.layers[0]?.digest ?? '', size: p.layers[0]?.total ?? 0 }, now));
  return { tasks: next.tasks.map((t) => (t.id === id && t.kind === 'upload' ? { ...t, storing: true } : t)) };
}

export interface TaskListState {
  /** Newest first. */
  readonly tasks: readonly Task[];
}

export const emptyTasks: TaskListState = { tasks: [] };

export function taskStatus(task: Task): TaskStatus {
  switch (task.progress.phase) {
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

/** Applies `update` to task `id`; the same state object when nothing changed or the task is unknown. */
export function updateTask(state: TaskListState, id: string, update: (pull: PullState) => PullState): TaskListState {
  const index = state.tasks.findIndex((t) => t.id === id);
  if (index === -1) return state;
  const task = state.tasks[index] as Task;
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

export const taskFrame = (state: TaskListState, id: string, frame: ImagePullFrame, now: number) => updateTask(state, id, (p) => applyPullFrame(p, frame, now));
export const taskEnded = (state: TaskListState, id: string, now: number) => updateTask(state, id, (p) => pullEnded(p, now));
export const taskFailed = (state: TaskListState, id: string, error: ErrorData, now: number) => updateTask(state, id, (p) => pullFailed(p, error, now));
export const taskCanceled = (state: TaskListState, id: string, now: number) => updateTask(state, id, (p) => pullCanceled(p, now));

/** Forgets a finished task (a running one stays: it must be cancelled first). */
export function dismissTask(state: TaskListState, id: string): TaskListState {
  const task = state.tasks.find((t) => t.id === id);
  if (!task || !isFinished(task.progress)) return state;
  return { tasks: state.tasks.filter((t) => t.id !== id) };
}

/** Forgets every finished task. */
export function clearFinished(state: TaskListState): TaskListState {
  const tasks = state.tasks.filter((t) => !isFinished(t.progress));
  return tasks.length === state.tasks.length ? state : { tasks };
}

export function runningTasks(state: TaskListState): Task[] {
  return state.tasks.filter((t) => !isFinished(t.progress));
}

export function findTask(state: TaskListState, id: string | null): Task | null {
  return id === null ? null : (state.tasks.find((t) => t.id === id) ?? null);
}

/** The pull of the same reference still running, if any (a second Pull of it opens that one). */
export function runningPullOf(state: TaskListState, reference: string): PullTask | null {
  const wanted = reference.trim();
  return state.tasks.find((t): t is PullTask => t.kind === 'pull' && !isFinished(t.progress) && t.input.reference.trim() === wanted) ?? null;
}
