// The window's task list: starts pulls, pushes and commits as `images.pull` / `images.push` /
// `containers.commit` streams, and every file transfer — uploads to load, import or copy in,
// downloads of a save, an export or a copy out, all the contract's chunked transfers — owned by the
// list (not by a dialog or a page); folds their progress into the task list model, and cancels them
// on request. One per window (tasks-context.tsx); nothing here uses a timer — state changes only when
// a frame arrives.
import type { TypedClient } from '../../../shared/client.ts';
import type { StreamFrame } from '../../../shared/wire.ts';
import type { ImagePullFrame, ImagePushFrame } from '../../../shared/types/images.ts';
import type { CommitFrame } from '../../../shared/types/container-files.ts';
import { blobSource, startDownload, upload } from '../../../shared/transfer-client.ts';
import type { DownloadInfo, DownloadPath } from '../../../shared/transfer-client.ts';
import type { Contract } from '../../../shared/contract.ts';
import type { InputOf } from '../../../shared/contract/define.ts';
import {
  addCommitTask,
  addDownloadTask,
  addPullTask,
  addPushTask,
  addUploadTask,
  clearFinished,
  dismissTask,
  downloadBytes,
  downloadStarted,
  emptyTasks,
  findCommit,
  findTask,
  pushTaskFrame,
  taskCanceled,
  taskEnded,
  taskFailed,
  taskFrame,
  updateCommit,
  uploadCopied,
  uploadItem,
  uploadStoring,
} from './task-list-model.ts';
import type { DownloadTaskInput, ProgressTask, PullTaskInput, PushTaskInput, TaskListState, UploadTaskInput } from './task-list-model.ts';
import { applyCommitFrame, initialCommit } from './commit-task-model.ts';
import type { CommitTask, CommitTaskInput } from './commit-task-model.ts';
import { toErrorData } from '../../../shared/errors.ts';

/** Transfers need `call` as well (their chunks and acknowledgements); pulls, pushes and commits only stream. */
export type StreamClient = Pick<TypedClient, 'stream'> & Partial<Pick<TypedClient, 'call'>>;

/** Where a download's bytes go, in order, as they arrive: `close` once all came, `abort` otherwise. */
export interface FileSink {
  write(bytes: Uint8Array): void | Promise<void>;
  close(): void;
  abort(): void;
}

/** Opens the sink for a download the engine started (the browser's own download, a test's buffer). */
export type FileSaver = (info: DownloadInfo) => FileSink;

export class TaskList {
  private state: TaskListState = emptyTasks;
  private readonly listeners = new Set<() => void>();
  /** Open streams by task id: calling one cancels the stream. */
  private readonly stops = new Map<string, () => void>();
  private readonly client: StreamClient;
  private readonly now: () => number;
  private counter = 0;

  private readonly saver: FileSaver | undefined;

  constructor(client: StreamClient, now: () => number = () => Date.now(), saver?: FileSaver) {
    this.client = client;
    this.now = now;
    this.saver = saver;
  }

  getState(): TaskListState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string | null): ProgressTask | null {
    return findTask(this.state, id);
  }

  commit(id: string | null): CommitTask | null {
    return findCommit(this.state, id);
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
   * Starts a commit (`containers.commit`) and returns its task id. The container is unpaused by the
   * engine whatever happens; the new image reaches the Images list through its `commit` event.
   */
  startCommit(input: CommitTaskInput): string {
    const id = `commit-${++this.counter}`;
    this.set(addCommitTask(this.state, initialCommit(id, input, this.now())));
    const request = {
      nameOrId: input.nameOrId,
      ...(input.name ? { name: input.name } : {}),
      ...(input.author ? { author: input.author } : {}),
      ...(input.message ? { message: input.message } : {}),
      changes: [...(input.changes ?? [])],
      pause: input.pause ?? true,
      format: input.format ?? 'oci',
    };
    this.follow<CommitFrame>(id, (onFrame) => this.client.stream('containers.commit', request, (frame) => onFrame(frame, (value) => updateCommit(this.state, id, (t) => applyCommitFrame(t, value, this.now())))));
    return id;
  }

  /** The client with `call`, which transfers need. */
  private transferClient(): Pick<TypedClient, 'stream' | 'call'> {
    if (!this.client.call) throw new Error('file transfers need a client that calls');
    return this.client as Pick<TypedClient, 'stream' | 'call'>;
  }

  /**
   * Uploads `file` in chunks with byte progress, and the engine loads, imports or writes it as it
   * says: the images stored (load, import) or what was written (copy) land in the task. Cancellable
   * until the engine is done; the file is read a slice at a time, never whole.
   */
  startUpload(input: UploadTaskInput, file: Blob): string {
    const id = `upload-${++this.counter}`;
    this.set(addUploadTask(this.state, id, input, this.now()));
    const controller = new AbortController();
    this.stops.set(id, () => controller.abort());
    const item = uploadItem(input);
    const options = {
      signal: controller.signal,
      onProgress: (done: number) => this.set(taskFrame(this.state, id, { type: 'layer-bytes', digest: item, done, total: input.bytes }, this.now())),
      onReceived: () => this.set(uploadStoring(this.state, id, this.now())),
    };
    const run = async () => {
      const client = this.transferClient();
      const source = blobSource(file);
      if (input.mode === 'copy') {
        const request = { nameOrId: input.nameOrId, path: input.path, kind: input.as, ...(input.as === 'file' ? { name: input.fileName, size: file.size } : {}) };
        this.set(uploadCopied(this.state, id, await upload(client, 'containers.copyIn', request, source, options)));
      } else {
        const images =
          input.mode === 'load'
            ? (await upload(client, 'images.load', {}, source, options)).images
            : [(await upload(client, 'images.import', { changes: [...(input.changes ?? [])], ...(input.reference ? { reference: input.reference } : {}), ...(input.message ? { message: input.message } : {}) }, source, options)).image];
        for (const image of images) this.set(taskFrame(this.state, id, { type: 'image', image }, this.now()));
      }
      this.stops.delete(id);
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
   * Downloads what `input` names in chunks into the sink the saver opens (the browser's download),
   * with byte progress; each chunk is acknowledged once the sink took it, so the engine never runs
   * far ahead. Cancel stops the engine and drops what arrived.
   */
  startDownload(input: DownloadTaskInput): string {
    const id = `download-${++this.counter}`;
    this.set(addDownloadTask(this.state, id, input, this.now()));
    let sink: FileSink | null = null;
    let received = 0;
    try {
      const saver = this.saver;
      if (!saver) throw new Error('downloads need somewhere to save to');
      const request = downloadRequest(input);
      const handle = startDownload(this.transferClient(), request.path, request.input, {
        onStart: (info) => {
          sink = saver(info);
          this.set(downloadStarted(this.state, id, info, this.now()));
        },
        onChunk: async (bytes) => {
          await sink?.write(bytes);
          received += bytes.length;
          this.set(downloadBytes(this.state, id, received, this.now()));
        },
      });
      this.stops.set(id, () => handle.cancel());
      handle.done.then(
        () => {
          this.stops.delete(id);
          sink?.close();
          this.set(taskEnded(this.state, id, this.now()));
        },
        (error: unknown) => {
          this.stops.delete(id);
          sink?.abort();
          this.set(taskFailed(this.state, id, toErrorData(error), this.now())); // a no-op after cancel()
        },
      );
    } catch (error) {
      this.set(taskFailed(this.state, id, toErrorData(error), this.now()));
    }
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

  /** Cancels a running task: its stream closes and the engine aborts it, keeping nothing of it. */
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
    if (!task) return null; // a commit is started again from its dialog
    this.cancel(id);
    this.set(dismissTask(this.state, id));
    if (task.kind === 'upload') return null; // the file is the browser's: pick it again
    if (task.kind === 'download') return this.startDownload(task.input);
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

/** The procedure and input of a download. */
function downloadRequest(input: DownloadTaskInput): { path: DownloadPath; input: InputOf<Contract[DownloadPath]> } {
  switch (input.mode) {
    case 'save':
      return { path: 'images.save', input: { nameOrIds: [...input.nameOrIds], format: input.format } };
    case 'export':
      return { path: 'containers.export', input: { nameOrId: input.nameOrId } };
    case 'copyOut':
      return { path: 'containers.copyOut', input: { nameOrId: input.nameOrId, path: input.path } };
  }
}
