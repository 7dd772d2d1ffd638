// The terminal side of attach, run and exec: output frames to stdout/stderr (decoded per stream, so a
// UTF-8 character split across frames stays whole), stdin forwarded raw, the window size followed.
import { StringDecoder } from 'node:string_decoder';
import type { AttachFrame, AttachSession } from '../../core/oci/attach.ts';
import type { CommandIO } from '../command.ts';

export function frameWriter(io: CommandIO): (frame: AttachFrame) => void {
  const out = new StringDecoder('utf8');
  const err = new StringDecoder('utf8');
  return (frame) => {
    if (frame.stream === 'stderr') io.stderr(err.write(frame.data));
    else if (frame.stream === 'stdout') io.stdout(out.write(frame.data));
  };
}

/** The terminal's size, for a tty container's first screen. */
export function terminalSize(): { rows: number; cols: number } | undefined {
  const { rows, columns } = process.stdout;
  return rows && columns ? { rows, cols: columns } : undefined;
}

/**
 * Forwards process.stdin to the session (raw mode with a tty, so the detach keys and ^C reach the
 * container), follows SIGWINCH with `tty`, and returns a function that undoes it all.
 */
export function connectTerminal(session: AttachSession, options: { stdin: boolean; tty: boolean }): () => void {
  const undo: (() => void)[] = [];
  if (options.stdin) {
    const stdin = process.stdin;
    if (options.tty && stdin.isTTY) {
      stdin.setRawMode(true);
      undo.push(() => stdin.setRawMode(false));
    }
    const onData = (data: Buffer) => session.write(data);
    const onEnd = () => session.closeStdin();
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
    undo.push(() => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
    });
  }
  if (options.tty && process.stdout.isTTY) {
    const onResize = () => {
      const size = terminalSize();
      if (size) session.resize(size.rows, size.cols).catch(() => undefined);
    };
    process.on('SIGWINCH', onResize);
    undo.push(() => process.off('SIGWINCH', onResize));
  }
  return () => {
    for (const fn of undo.reverse()) fn();
  };
}
