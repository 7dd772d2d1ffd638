// Long operations that outlive the dialog that started them (a pull keeps running when its dialog
// closes, visible in the task tray from every page), as pure functions over a newest-first list.
// A task's progress is its PullState; its status follows from the pull's phase.
import type { ImagePullFrame } from '../../../shared/types/images.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import { applyPullFrame, initialPull, isFinished, pullCanceled, pullEnded, pullFailed } from '../images/pull-progress.ts';
import type { PullState } from '../images/pull-progress.ts';
import { commitFinished } from './commit-task-model.ts';
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
  readonly pull: PullState;
}

export interface TaskListState {
  /** Newest first. */
  readonly tasks: readonly PullTask[];
  /** Commits (containers.commit), newest first: kept apart from pulls, whose dialog they do not use. */
  readonly commits: readonly CommitTask[];
}

export const emptyTasks: TaskListState = { tasks: [], commits: [] };

export function taskStatus(task: PullTask): TaskStatus {
  switch (task.pull.phase) {
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
  const task: PullTask = { id, kind: 'pull', input, pull: initialPull(input.reference.trim(), now) };
  return { ...state, tasks: [task, ...state.tasks.filter((t) => t.id !== id)] };
}

/** Applies `update` to task `id`; the same state object when nothing changed or the task is unknown. */
export function updateTask(state: TaskListState, id: string, update: (pull: PullState) => PullState): TaskListState {
  const index = state.tasks.findIndex((t) => t.id === id);
  if (index === -1) return state;
  const task = state.tasks[index] as PullTask;
  const pull = update(task.pull);
  if (pull === task.pull) return state;
  const tasks = [...state.tasks];
  tasks[index] = { ...task, pull };
  return { ...state, tasks };
}

export const taskFrame = (state: TaskListState, id: string, frame: ImagePullFrame, now: number) => updateTask(state, id, (p) => applyPullFrame(p, frame, now));
export const taskEnded = (state: TaskListState, id: string, now: number) => updateTask(state, id, (p) => pullEnded(p, now));
export const taskFailed = (state: TaskListState, id: string, error: ErrorData, now: number) => updateTask(state, id, (p) => pullFailed(p, error, now));
export const taskCanceled = (state: TaskListState, id: string, now: number) => updateTask(state, id, (p) => pullCanceled(p, now));

/** Forgets a finished task (a running one stays: it must be cancelled first). */
export function dismissTask(state: TaskListState, id: string): TaskListState {
  const commit = state.commits.find((t) => t.id === id);
  if (commit) return commitFinished(commit) ? { ...state, commits: state.commits.filter((t) => t.id !== id) } : state;
  const task = state.tasks.find((t) => t.id === id);
  if (!task || !isFinished(task.pull)) return state;
  return { ...state, tasks: state.tasks.filter((t) => t.id !== id) };
}

/** Forgets every finished task. */
export function clearFinished(state: TaskListState): TaskListState {
  const tasks = state.tasks.filter((t) => !isFinished(t.pull));
  const commits = state.commits.filter((t) => !commitFinished(t));
  return tasks.length === state.tasks.length && commits.length === state.commits.length ? state : { tasks, commits };
}

export function runningTasks(state: TaskListState): PullTask[] {
  return state.tasks.filter((t) => !isFinished(t.pull));
}

export function runningCommits(state: TaskListState): CommitTask[] {
  return state.commits.filter((t) => !commitFinished(t));
}

/** Applies `update` to commit `id`; the same state when nothing changed or the commit is unknown. */
export function updateCommit(state: TaskListState, id: string, update: (task: CommitTask) => CommitTask): TaskListState {
  const index = state.commits.findIndex((t) => t.id === id);
  if (index === -1) return state;
  const before = state.commits[index] as CommitTask;
  const after = update(before);
  if (after === before) return state;
  const commits = [...state.commits];
  commits[index] = after;
  return { ...state, commits };
}

export function findTask(state: TaskListState, id: string | null): PullTask | null {
  return id === null ? null : (state.tasks.find((t) => t.id === id) ?? null);
}

/** The pull of the same reference still running, if any (a second Pull of it opens that one). */
export function runningPullOf(state: TaskListState, reference: string): PullTask | null {
  const wanted = reference.trim();
  return state.tasks.find((t) => !isFinished(t.pull) && t.input.reference.trim() === wanted) ?? null;
}
