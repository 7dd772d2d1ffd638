// Attaching to a container through conmon's attach socket (../shared/reference/libpod-internals.md §2):
// a SOCK_SEQPACKET socket at `<bundle>/attach` whose messages from conmon are one stream-id byte
// (2 stdout, 3 stderr) followed by raw output, and to which stdin is written raw in ≤32 KiB messages
// (conmon drops the rest of a bigger one). Resize goes through the `<bundle>/ctl` FIFO. Detach keys are
// handled here, on the client side, as podman's detach.Copy does; conmon knows nothing of them.
//
// Node's `net` cannot open SOCK_SEQPACKET sockets: the socket comes from the `node-unix-socket` addon
// (napi-rs, prebuilt for linux-x64-gnu), loaded on first use so the rest of the core runs without it.
import { constants as fsConstants, openSync, closeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PodbayError } from '../../../shared/errors.ts';

/** What the attach code needs of a SEQPACKET client socket (node-unix-socket's SeqpacketSocket). */
export interface SeqpacketClient {
  connect(path: string, callback?: () => void): void;
  write(data: Buffer, offset?: number, length?: number, callback?: () => void): void;
  end(callback?: () => void): void;
  destroy(): void;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'end' | 'close' | 'connect', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type SeqpacketFactory = () => SeqpacketClient;

/** conmon's CONN_SOCK_BUF_SIZE: anything beyond this in one message is discarded. */
export const maxStdinMessage = 32 * 1024;

export const attachStreamIds = { stdin: 1, stdout: 2, stderr: 3 } as const;

export interface AttachFrame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/** One message from conmon → a frame; null for ids other than stdout/stderr (ignored, as podman does). */
export function decodeAttachMessage(message: Buffer): AttachFrame | null {
  if (message.length === 0) return null;
  const id = message[0];
  if (id === attachStreamIds.stdout) return { stream: 'stdout', data: message.subarray(1) };
  if (id === attachStreamIds.stderr) return { stream: 'stderr', data: message.subarray(1) };
  return null;
}

/** Splits stdin into messages conmon reads whole. */
export function chunkStdin(data: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += maxStdinMessage) chunks.push(data.subarray(offset, offset + maxStdinMessage));
  return chunks;
}

/**
 * moby/term ToBytes: "ctrl-p,ctrl-q" → [0x10, 0x11]. A single character is literal; ctrl-@, ctrl-a…z,
 * ctrl-[, ctrl-\, ctrl-], ctrl-^, ctrl-_ are 0…31. An empty string disables detaching.
 */
const ctrlSymbols: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, '_': 31 };

export function parseDetachKeys(keys: string): Buffer {
  if (keys === '') return Buffer.alloc(0);
  const bytes: number[] = [];
  for (const key of keys.split(',')) {
    const lower = key.toLowerCase();
    if (key.length === 1) bytes.push(key.charCodeAt(0));
    else if (lower.startsWith('ctrl-') && key.length === 6) {
      const c = lower[5] as string;
      const code = c >= 'a' && c <= 'z' ? c.charCodeAt(0) - 0x60 : ctrlSymbols[c];
      if (code === undefined) throw new PodbayError('ErrInvalidArg', `invalid detach key "${key}"`);
      bytes.push(code);
    } else throw new PodbayError('ErrInvalidArg', `invalid detach key "${key}": use a single character or ctrl-<value>`);
  }
  return Buffer.from(bytes);
}

/**
 * Filters user input for the detach sequence, byte by byte (podman's one-byte-read heuristic is not
 * needed). Bytes that might start the sequence are held back until it matches or fails.
 */
export class DetachMatcher {
  private readonly keys: Buffer;
  private matched = 0;

  constructor(keys: Buffer) {
    this.keys = keys;
  }

  /** Returns the bytes to forward and whether the whole sequence has now been typed. */
  feed(chunk: Buffer): { forward: Buffer; detach: boolean } {
    if (this.keys.length === 0) return { forward: chunk, detach: false };
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) {
          this.matched = 0;
          return { forward: Buffer.from(out), detach: true };
        }
        continue;
      }
      out.push(...this.keys.subarray(0, this.matched));
      this.matched = byte === this.keys[0] ? 1 : 0;
      if (this.matched === 0) out.push(byte);
    }
    return { forward: Buffer.from(out), detach: false };
  }
}

let defaultFactory: Promise<SeqpacketFactory> | null = null;

/** Loads node-unix-socket once; ErrNotImplemented saying what to install when it is missing. */
export function loadSeqpacketFactory(moduleName = 'node-unix-socket'): Promise<SeqpacketFactory> {
  const load = async () => {
    try {
      const mod = (await import(moduleName)) as { SeqpacketSocket?: new () => SeqpacketClient; default?: { SeqpacketSocket?: new () => SeqpacketClient } };
      const Socket = mod.SeqpacketSocket ?? mod.default?.SeqpacketSocket;
      if (!Socket) throw new Error(`${moduleName} has no SeqpacketSocket export`);
      return () => new Socket();
    } catch (error) {
      throw new PodbayError('ErrNotImplemented', `attach needs SOCK_SEQPACKET sockets, which Node cannot open itself: the ${moduleName} package is missing or does not load (${(error as Error).message})`, { cause: error });
    }
  };
  if (moduleName !== 'node-unix-socket') return load();
  defaultFactory ??= load().catch((error: unknown) => {
    defaultFactory = null;
    throw error;
  });
  return defaultFactory;
}

export interface AttachOptions {
  /** The container's bundle dir (conmon --full-attach puts `attach` and `ctl` there). */
  bundleDir: string;
  /** Called for each output frame, in order. */
  onFrame: (frame: AttachFrame) => void;
  /** Sent before connecting, as podman does, so the first screen has the right size (tty only). */
  initialSize?: { rows: number; cols: number };
  /** Default "ctrl-p,ctrl-q"; "" disables. */
  detachKeys?: string;
  signal?: AbortSignal;
  socketFactory?: SeqpacketFactory;
}

export type AttachEnd = 'exited' | 'detached' | 'closed';

export interface AttachSession {
  /** Raw user input: the detach sequence is filtered out, the rest chunked to conmon. */
  write(data: Buffer): void;
  /** Half-closes: conmon then closes the container's stdin (without --leave-stdin-open). */
  closeStdin(): void;
  resize(rows: number, cols: number): Promise<void>;
  /** Disconnects; the container keeps running. */
  close(): void;
  /** 'exited' when conmon closed the socket (the container exited), 'detached' on the detach keys. */
  readonly done: Promise<AttachEnd>;
}

/** O_PATH: the socket is reached through /proc/self/fd/N/attach, dodging the 108-byte sun_path limit. */
const O_PATH = 0o10000000;

/**
 * Connects to `<bundleDir>/attach`. Output that conmon sent before the connection is not replayed:
 * read the log for history. Connect after create and before start to see everything.
 */
export async function attachContainer(options: AttachOptions): Promise<AttachSession> {
  options.signal?.throwIfAborted();
  const factory = options.socketFactory ?? (await loadSeqpacketFactory());
  if (options.initialSize) await resizeTerminal(options.bundleDir, options.initialSize.rows, options.initialSize.cols, options.signal);
  const matcher = new DetachMatcher(parseDetachKeys(options.detachKeys ?? 'ctrl-p,ctrl-q'));
  const socket = factory();
  let dirFd: number;
  try {
    dirFd = openSync(options.bundleDir, O_PATH | fsConstants.O_DIRECTORY);
  } catch (error) {
    throw new PodbayError('ErrCtrStateInvalid', `attaching: the container's bundle ${options.bundleDir} is gone`, { cause: error });
  }
  let resolveDone: (end: AttachEnd) => void = () => undefined;
  const done = new Promise<AttachEnd>((resolve) => (resolveDone = resolve));
  let ended = false;
  const finish = (end: AttachEnd) => {
    if (ended) return;
    ended = true;
    options.signal?.removeEventListener('abort', onAbort);
    resolveDone(end);
  };
  // finish before destroy: destroying emits 'close', which would report 'exited'.
  const onAbort = () => {
    finish('closed');
    socket.destroy();
  };

  await new Promise<void>((resolve, reject) => {
    socket.on('error', (error) => {
      if (!ended) reject(new PodbayError('ErrCtrStateInvalid', `attaching to ${options.bundleDir}: ${error.message} (is the container's conmon running?)`, { cause: error }));
      finish('exited');
    });
    try {
      socket.connect(`/proc/self/fd/${dirFd}/attach`, () => resolve());
    } catch (error) {
      reject(new PodbayError('ErrCtrStateInvalid', `attaching to ${options.bundleDir}: ${(error as Error).message} (is the container's conmon running?)`, { cause: error }));
    }
  }).finally(() => closeSync(dirFd));

  socket.on('data', (message) => {
    const frame = decodeAttachMessage(message);
    if (frame) options.onFrame(frame);
  });
  socket.on('end', () => finish('exited'));
  socket.on('close', () => finish('exited'));
  options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    write(data) {
      if (ended) return;
      const { forward, detach } = matcher.feed(data);
      for (const chunk of chunkStdin(forward)) socket.write(chunk);
      if (detach) {
        // conmon sees EOF either way; with -i (and no --leave-stdin-open) it closes the container's stdin, as with podman.
        finish('detached');
        socket.destroy();
      }
    },
    closeStdin() {
      if (!ended) socket.end();
    },
    resize: (rows, cols) => resizeTerminal(options.bundleDir, rows, cols, options.signal),
    close() {
      finish('closed');
      socket.destroy();
    },
    done,
  };
}

/**
 * Writes "1 <rows> <cols>\n" to `<bundleDir>/ctl` (conmon ctrl.c). Opens it O_NONBLOCK and retries
 * while no reader is there yet (ENXIO) or the pipe is full (EAGAIN), up to `timeoutMs` (podman: 60 s).
 */
export async function resizeTerminal(bundleDir: string, rows: number, cols: number, signal?: AbortSignal, timeoutMs = 60_000): Promise<void> {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || rows > 0xffff || cols > 0xffff) {
    throw new PodbayError('ErrInvalidArg', `invalid terminal size ${rows}x${cols}`);
  }
  await writeCtl(join(bundleDir, 'ctl'), `1 ${rows} ${cols}\n`, signal, timeoutMs);
}

/** "2 0 0\n": conmon reopens its log files (after the log was rotated away). */
export async function reopenLogs(bundleDir: string, signal?: AbortSignal): Promise<void> {
  await writeCtl(join(bundleDir, 'ctl'), '2 0 0\n', signal, 5_000);
}

async function writeCtl(path: string, line: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const handle = await open(path, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);
      try {
        await handle.write(line);
        return;
      } finally {
        await handle.close();
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new PodbayError('ErrCtrStateInvalid', `the container has no control FIFO at ${path}: is its conmon running?`, { cause: error });
      if ((code !== 'ENXIO' && code !== 'EAGAIN' && code !== 'EINTR') || Date.now() >= deadline) {
        throw new PodbayError('ErrOCIRuntime', `writing to conmon's control FIFO ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
    await sleep(10, undefined, signal ? { signal } : {});
  }
}
