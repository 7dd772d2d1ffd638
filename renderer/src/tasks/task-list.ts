// The window's task list: starts pulls as `images.pull` streams owned by the list (not by a dialog
// or a page), folds their frames into the task list model, and cancels them on request. One per
// window (tasks-context.tsx); nothing here uses a timer — state changes only when a frame arrives.
import type { TypedClient } from '../../../shared/client.ts';
import { addPullTask, clearFinished, dismissTask, emptyTasks, findTask, taskCanceled, taskEnded, taskFailed, taskFrame } from './task-list-model.ts';
import { updateCommit } from './task-list-model.ts';
import type { PullTask, PullTaskInput, TaskListState } from './task-list-model.ts';
import { applyCommitFrame, commitCanceled, commitEnded, commitFailed, initialCommit } from './commit-task-model.ts';
import type { CommitTask, CommitTaskInput } from './commit-task-model.ts';

export type StreamClient = Pick<TypedClient, 'stream'>;

export class TaskList {
  private state: TaskListState = emptyTasks;
  private readonly listeners = new Set<() => void>();
  /** Open streams by task id: calling one cancels the stream. */
  private readonly stops = new Map<string, () => void>();
  private readonly client: StreamClient;
  private readonly now: () => number;
  private counter = 0;

  constructor(client: StreamClient, now: () => number = () => Date.now()) {
    this.client = client;
    this.now = now;
  }

  getState(): TaskListState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string | null): PullTask | null {
    return findTask(this.state, id);
  }

  /** Starts a pull and returns its task id; the stream runs until it ends, fails or is cancelled. */
  startPull(input: PullTaskInput): string {
    const id = `pull-${++this.counter}`;
    const reference = input.reference.trim();
    this.set(addPullTask(this.state, id, { ...input, reference }, this.now()));
    let finished = false;
    const stop = this.client.stream(
      'images.pull',
      { reference, ...(input.tlsVerify === false ? { tlsVerify: false } : {}), ...(input.allTags ? { allTags: true } : {}) },
      (frame) => {
        if (finished) return;
        if (frame.type === 'data') {
          this.set(taskFrame(this.state, id, frame.value, this.now()));
          return;
        }
        finished = true;
        this.stops.delete(id);
        this.set(frame.type === 'end' ? taskEnded(this.state, id, this.now()) : taskFailed(this.state, id, frame.error, this.now()));
      },
    );
    // A transport may report a failure synchronously (closed connection): only keep live streams.
    if (!finished) this.stops.set(id, stop);
    return id;
  }

  /**
   * Starts a commit (`containers.commit`) and returns its task id. The container is unpaused by the
   * engine whatever happens; the new image reaches the Images list through its `commit` event.
   */
  startCommit(input: CommitTaskInput): string {
    const id = `commit-${++this.counter}`;
    this.set({ ...this.state, commits: [initialCommit(id, input, this.now()), ...this.state.commits] });
    let finished = false;
    const stop = this.client.stream(
      'containers.commit',
      {
        nameOrId: input.nameOrId,
        ...(input.name ? { name: input.name } : {}),
        ...(input.author ? { author: input.author } : {}),
        ...(input.message ? { message: input.message } : {}),
        changes: [...(input.changes ?? [])],
        pause: input.pause ?? true,
        format: input.format ?? 'oci',
      },
      (frame) => {
        if (finished) return;
        const now = this.now();
        if (frame.type === 'data') {
          this.set(updateCommit(this.state, id, (t) => applyCommitFrame(t, frame.value, now)));
          return;
        }
        finished = true;
        this.stops.delete(id);
        this.set(updateCommit(this.state, id, (t) => (frame.type === 'end' ? commitEnded(t, now) : commitFailed(t, frame.error, now))));
      },
    );
    if (!finished) this.stops.set(id, stop);
    return id;
  }

  commit(id: string | null): CommitTask | null {
    return id === null ? null : (this.state.commits.find((t) => t.id === id) ?? null);
  }

  /** Cancels a running pull or commit: its stream closes and the engine aborts it, keeping nothing of it. */
  cancel(id: string): void {
    const stop = this.stops.get(id);
    if (!stop) return;
    this.stops.delete(id);
    const now = this.now();
    this.set(this.state.commits.some((t) => t.id === id) ? updateCommit(this.state, id, (t) => commitCanceled(t, now)) : taskCanceled(this.state, id, now));
    stop();
  }

  /** Starts the same pull again (after a failure or a cancel); returns the new task id. */
  retry(id: string): string | null {
    const task = this.get(id);
    if (!task) return null;
    this.cancel(id);
    this.set(dismissTask(this.state, id));
    return this.startPull(task.input);
  }

  dismiss(id: string): void {
    this.set(dismissTask(this.state, id));
  }

  clearFinished(): void {
    this.set(clearFinished(this.state));
  }

  /** Cancels everything (the window is going away). */
  dispose(): void {
    for (const id of [...this.stops.keys()]) this.cancel(id);
  }

  private set(state: TaskListState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of [...this.listeners]) listener();
  }
}
