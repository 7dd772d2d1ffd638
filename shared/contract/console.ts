import { z } from 'zod';
import { call, stream } from './define.ts';
import { maxConsoleDimension, maxConsoleInput } from '../types/console.ts';
import type { ConsoleFrame } from '../types/console.ts';

const nameOrId = z.string().min(1).max(256);
const dimension = z.number().int().min(1).max(maxConsoleDimension);
const size = z.strictObject({ rows: dimension, cols: dimension });
const sessionId = z.string().min(1).max(128);

/**
 * Interactive sessions. A session belongs to the connection whose stream opened it: `console.input` and
 * `console.resize` from any other connection get ErrNoSuchExecSession, as for an unknown id. Cancelling
 * the stream (or the window going away) ends the session: attach detaches, never stopping the container;
 * exec ends the process it started.
 */
export const consoleProcedures = {
  /**
   * Attaches to a running container's stdio (conmon's attach socket). `size` is applied before the
   * connection, so a tty's first screen has the right size; `logs` replays up to that many lines of the
   * container's log first, so the console opens on what was shown before. Frames: `session`, then
   * `output`…, then `exit` when the container exits. Not running → ErrCtrStateInvalid.
   */
  'console.attach': stream<ConsoleFrame>()(
    z.strictObject({
      nameOrId,
      size: size.optional(),
      logs: z.number().int().min(0).max(10_000).default(0),
    }),
  ),
  /**
   * Runs `command` in a running container (a second conmon, as `podbay exec -i`), stdin open. `size`
   * applies before the process starts. Frames: `session`, `output`…, `exit` with its exit code. A
   * missing command → ErrOCIRuntimeNotFound.
   */
  'console.exec': stream<ConsoleFrame>()(
    z.strictObject({
      nameOrId,
      command: z.array(z.string().max(65_536)).min(1).max(4096),
      tty: z.boolean().default(true),
      env: z.array(z.string().min(1).max(65_536)).max(4096).optional(),
      user: z.string().min(1).max(256).optional(),
      workdir: z.string().min(1).max(4096).optional(),
      size: size.optional(),
    }),
  ),
  /** Writes keystrokes or pasted text (UTF-8 encoded) to the session's stdin; at most 64 Ki characters. */
  'console.input': call<Record<string, never>>()(z.strictObject({ sessionId, data: z.string().min(1).max(maxConsoleInput) })),
  /** Resizes the session's terminal (conmon's control FIFO → SIGWINCH); no-op without a tty. */
  'console.resize': call<Record<string, never>>()(z.strictObject({ sessionId, rows: dimension, cols: dimension })),
};
