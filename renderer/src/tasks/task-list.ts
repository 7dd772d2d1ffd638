// The window's task list: starts pulls and pushes as `images.pull` / `images.push` streams, and
// uploads for load/import, owned by the list (not by a dialog or a page), folds their progress into
// the task list model, and cancels them on request. One per
// window (tasks-context.tsx); nothing here uses a timer — state changes only when a frame arrives.
import type { TypedClient } from '../../../shared/client.ts';
import type { StreamFrame } from '../../../shared/wire.ts';
import type { ImagePullFrame, ImagePushFrame } from '../../../shared/types/images.ts';
import { addPullTask, addPushTask, addUploadTask, uploadItem, uploadStoring, clearFinished, dismissTask, emptyTasks, findTask, pushTaskFrame, taskCanceled, taskEnded, taskFailed, taskFrame } from './task-list-model.ts';
import type { PullTaskInput, PushTaskInput, Task, TaskListState, UploadTaskInput } from './task-list-model.ts';
import { toErrorData } from '../../../shared/errors.ts';

export type StreamClient = Pick<TypedClient, 'stream'> & Partial<Pick<TypedClient, 'call'>>;

/** Sends a file to the web host and returns its transfer id (renderer/src/transfers/transfers.ts). */
export type Uploader = (file: Blob, onProgress: (sent: number, total: number) => void, signal: AbortSignal) => Promise<{ id: string }>;

export class TaskList {
  private state: TaskListState = emptyTasks;
  private readonly listeners = new Set<() => void>();
  /** Open streams by task id: calling one cancels the stream. */
  private readonly stops = new Map<string, () => void>();
  private readonly client: StreamClient;
  private readonly now: () => number;
  private counter = 0;

  private readonly uploader: Uploader | undefined;

  constructor(client: StreamClient, now: () => number = () => Date.now(), uploader?: Uploader) {
    this.client = client;
    this.now = now;
    this.uploader = uploader;
  }

  getState(): TaskListState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string | null): Task | null {
    return findTask(this.state, id);
  }

  /** Starts a pull and returns its task id; the stream runs until it ends, fails or is cancelled. */
  startPull(input: PullTaskInput): string {
    const id = `pull-${++this.counter}`;
    const reference = input.reference.trim();
    this.set(addPullTask(this.state, id, { ...input, reference }, this.now()));
    this.follow<ImagePullFrame>(id, (onFrame) =>
      this.client.stream('images.pull', { reference, ...(input.tlsVerify === false ? { tlsVerify: false } : {}), ...(input.allTags ? { allTags: true } : {}) }, (frame) =>
        onFrame(frame, (value) => taskFrame(this.state, id, value, this.now())),
      ),
    );
    return id;
  }

  /** Starts a push of a stored image and returns its task id (byte progress per blob, then the digest). */
  startPush(input: PushTaskInput): string {
    const id = `push-${++this.counter}`;
    this.set(addPushTask(this.state, id, input, this.now()));
    const request = {
      nameOrId: input.imageId,
      destination: input.destination,
      ...(input.tlsVerify === false ? { tlsVerify: false } : {}),
      ...(input.credentials ? { credentials: { ...input.credentials } } : {}),
    };
    this.follow<ImagePushFrame>(id, (onFrame) => this.client.stream('images.push', request, (frame) => onFrame(frame, (value) => pushTaskFrame(this.state, id, value, this.now()))));
    return id;
  }

  /**
   * Uploads `file` with byte progress, then loads or imports it; the images stored land in the
   * task. Cancellable while the bytes go out; once the engine has the file it finishes on its own.
   */
  startUpload(input: UploadTaskInput, file: Blob): string {
    const id = `upload-${++this.counter}`;
    this.set(addUploadTask(this.state, id, input, this.now()));
    const controller = new AbortController();
    this.stops.set(id, () => controller.abort());
    const item = uploadItem(input);
    const run = async () => {
      if (!this.uploader || !this.client.call) throw new Error('uploads need the web host');
      const call = this.client.call.bind(this.client);
      const upload = await this.uploader(file, (done, total) => this.set(taskFrame(this.state, id, { type: 'layer-bytes', digest: item, done, total }, this.now())), controller.signal);
      this.stops.delete(id);
      this.set(uploadStoring(this.state, id, this.now()));
      const images =
        input.mode === 'load'
          ? await call('images.load', { transferId: upload.id })
          : [await call('images.import', { transferId: upload.id, changes: [...(input.changes ?? [])], ...(input.reference ? { reference: input.reference } : {}), ...(input.message ? { message: input.message } : {}) })];
      for (const image of images) this.set(taskFrame(this.state, id, { type: 'image', image }, this.now()));
      this.set(taskEnded(this.state, id, this.now()));
    };
    run().catch((error: unknown) => {
      this.stops.delete(id);
      if (controller.signal.aborted) return; // cancel() already marked it
      this.set(taskFailed(this.state, id, toErrorData(error), this.now()));
    });
    return id;
  }

  /**
   * Runs one task's stream: data frames fold in through `fold`, the end or an error finishes the
   * task. A transport may report a failure synchronously (closed connection): only live streams are
   * kept for cancelling.
   */
  private follow<D>(id: string, open: (onFrame: (frame: StreamFrame<D>, fold: (value: D) => TaskListState) => void) => () => void): void {
    let finished = false;
    const stop = open((frame, fold) => {
      if (finished) return;
      if (frame.type === 'data') {
        this.set(fold(frame.value));
        return;
      }
      finished = true;
      this.stops.delete(id);
      this.set(frame.type === 'end' ? taskEnded(this.state, id, this.now()) : taskFailed(this.state, id, frame.error, this.now()));
    });
    if (!finished) this.stops.set(id, stop);
  }

  /** Cancels a running pull: its stream closes and the engine aborts it, keeping nothing of it. */
  cancel(id: string): void {
    const stop = this.stops.get(id);
    if (!stop) return;
    this.stops.delete(id);
    this.set(taskCanceled(this.state, id, this.now()));
    stop();
  }

  /** Starts the same pull again (after a failure or a cancel); returns the new task id. */
  retry(id: string): string | null {
    const task = this.get(id);
    if (!task) return null;
    this.cancel(id);
    this.set(dismissTask(this.state, id));
    if (task.kind === 'upload') return null; // the file is the browser's: pick it again
    return task.kind === 'pull' ? this.startPull(task.input) : this.startPush(task.input);
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
