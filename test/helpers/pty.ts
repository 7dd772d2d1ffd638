// Drives a program through a real pseudo-terminal, as a person at a terminal does: python3's pty
// module (in Debian's python3, which the machine has) forks the program onto a pty, relays what the
// test types and what the program prints, and sets the window size with TIOCSWINSZ (the kernel then
// sends the program SIGWINCH). Messages to the relay are JSON lines; its output is base64 lines.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

const relay = String.raw`
import base64, fcntl, json, os, pty, select, struct, sys, termios
rows, cols = int(sys.argv[1]), int(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[3], sys.argv[3:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
inp = sys.stdin.fileno()
buf = b''
status = None
while True:
    ready, _, _ = select.select([fd, inp], [], [], 0.2)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            break
        sys.stdout.write('o' + base64.b64encode(data).decode() + '\n')
        sys.stdout.flush()
    if inp in ready:
        chunk = os.read(inp, 65536)
        if not chunk:
            inp = -1
        buf += chunk
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            msg = json.loads(line)
            if msg['op'] == 'write':
                os.write(fd, base64.b64decode(msg['data']))
            elif msg['op'] == 'resize':
                fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', msg['rows'], msg['cols'], 0, 0))
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        # drain what is left on the pty
        while True:
            r, _, _ = select.select([fd], [], [], 0.2)
            if not r:
                break
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            sys.stdout.write('o' + base64.b64encode(data).decode() + '\n')
        break
if status is None:
    _, status = os.waitpid(pid, 0)
sys.stdout.write('x' + str(os.waitstatus_to_exitcode(status)) + '\n')
sys.stdout.flush()
`;

export function ptyMissing(): string | null {
  return existsSync('/usr/bin/python3') ? null : 'python3 is missing (apt-get install python3): the pty tests drive the CLI through its pty module';
}

export class PtySession {
  readonly #child: ChildProcess;
  #output = '';
  #exit: number | null = null;
  readonly #waiters = new Set<() => void>();
  readonly exited: Promise<number>;

  constructor(argv: readonly string[], size: { rows: number; cols: number }, env: NodeJS.ProcessEnv = process.env) {
    this.#child = spawn('/usr/bin/python3', ['-c', relay, String(size.rows), String(size.cols), ...argv], { stdio: ['pipe', 'pipe', 'inherit'], env });
    let pending = '';
    let resolveExit: (code: number) => void = () => undefined;
    this.exited = new Promise((resolve) => (resolveExit = resolve));
    this.#child.stdout?.setEncoding('utf8');
    this.#child.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.startsWith('o')) this.#output += Buffer.from(line.slice(1), 'base64').toString('utf8');
        else if (line.startsWith('x')) {
          this.#exit = Number(line.slice(1));
          resolveExit(this.#exit);
        }
        for (const wake of this.#waiters) wake();
      }
    });
    this.#child.on('exit', () => {
      if (this.#exit === null) resolveExit(-1);
    });
  }

  /** Everything the program printed so far (with the pty's \r\n). */
  get output(): string {
    return this.#output;
  }

  /** Keystrokes, as raw bytes reach a terminal ("\r" is Enter, "\x10\x11" ctrl-p ctrl-q). */
  type(text: string): void {
    this.#child.stdin?.write(`${JSON.stringify({ op: 'write', data: Buffer.from(text, 'utf8').toString('base64') })}\n`);
  }

  resize(rows: number, cols: number): void {
    this.#child.stdin?.write(`${JSON.stringify({ op: 'resize', rows, cols })}\n`);
  }

  /** Resolves with the match once the output (after `from`) matches; rejects after `timeoutMs` showing it. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.#output.slice(from));
      if (match) return match;
      if (this.#exit !== null || Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}${this.#exit !== null ? ` (the program exited with ${this.#exit})` : ''}; it shows:\n${JSON.stringify(this.#output.slice(from))}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 200);
        this.#waiters.add(wake);
      });
    }
  }

  kill(): void {
    this.#child.kill('SIGKILL');
  }
}
