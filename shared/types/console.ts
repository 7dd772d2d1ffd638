// What the console procedures carry: interactive sessions (attach to a container, exec a process in
// it) over the one bridge. Output goes server → client as stream frames; input and resizes go client →
// server as calls naming the session the stream announced in its first frame.

/**
 * One frame of `console.attach` / `console.exec`, in order:
 * - `session` first: the id that `console.input` and `console.resize` take, and whether a terminal is
 *   allocated (with a tty, stdout carries everything and line ends are "\r\n"; without, bare "\n");
 * - `output`: bytes the process wrote, as UTF-8 text. Decoded in main per stream with a streaming
 *   decoder, so a character split across conmon messages stays whole; invalid bytes become U+FFFD,
 *   as in any terminal. Text, not base64: terminals render text, and JSON carries it without growth;
 * - `exit` last when the process ended (exitCode null when it could not be read); a stream the client
 *   cancels ends without one.
 */
export type ConsoleFrame =
  | { type: 'session'; sessionId: string; tty: boolean; stdin: boolean }
  | { type: 'output'; stream: 'stdout' | 'stderr'; data: string }
  | { type: 'exit'; exitCode: number | null };

/** Rows and columns of a terminal; both 1…1000. */
export interface ConsoleSize {
  rows: number;
  cols: number;
}

/** Largest `console.input` data, in UTF-16 code units: the client splits bigger pastes. */
export const maxConsoleInput = 64 * 1024;
/** Terminal sizes accepted (both rows and columns). */
export const maxConsoleDimension = 1000;
