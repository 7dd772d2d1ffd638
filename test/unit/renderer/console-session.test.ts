import { describe, expect, it } from 'vitest';
import { acceptsInput, chunkInput, clampSize, consoleReducer, consoleStatusText, initialConsole, shouldReconnect } from '../../../renderer/src/console/console-session.ts';
import type { ConsoleEvent, ConsoleState } from '../../../renderer/src/console/console-session.ts';

const run = (events: ConsoleEvent[], from: ConsoleState = initialConsole) => events.reduce(consoleReducer, from);
const session = (fields: { tty?: boolean; stdin?: boolean } = {}): ConsoleEvent => ({ type: 'frame', frame: { type: 'session', sessionId: 's1', tty: fields.tty ?? true, stdin: fields.stdin ?? true } });

describe('console session state', () => {
  it('connects, opens on the session frame and takes input only then', () => {
    const connecting = run([{ type: 'connect' }]);
    expect(connecting).toMatchObject({ status: 'connecting', attempt: 1, sessionId: null });
    expect(acceptsInput(connecting)).toBe(false);
    expect(consoleStatusText(connecting, 'console')).toBe('Connecting…');
    const open = consoleReducer(connecting, session());
    expect(open).toMatchObject({ status: 'open', sessionId: 's1', tty: true, stdin: true });
    expect(acceptsInput(open)).toBe(true);
    expect(consoleStatusText(open, 'console')).toBe('Attached');
    expect(consoleStatusText(open, 'terminal')).toBe('Shell running');
    // Output frames change nothing about the state.
    expect(consoleReducer(open, { type: 'frame', frame: { type: 'output', stream: 'stdout', data: 'x' } })).toBe(open);
  });

  it('is read-only when the container has no open stdin', () => {
    const open = run([{ type: 'connect' }, session({ stdin: false })]);
    expect(acceptsInput(open)).toBe(false);
    expect(consoleStatusText(open, 'console')).toMatch(/read-only/);
  });

  it('records the exit code, and an end without one', () => {
    const exited = run([{ type: 'connect' }, session(), { type: 'frame', frame: { type: 'exit', exitCode: 7 } }, { type: 'end' }]);
    expect(exited).toMatchObject({ status: 'exited', exitCode: 7, sessionId: null });
    expect(acceptsInput(exited)).toBe(false);
    expect(consoleStatusText(exited, 'console')).toBe('Container exited with code 7');
    expect(consoleStatusText(exited, 'terminal')).toBe('Shell exited with code 7');
    const ended = run([{ type: 'connect' }, session(), { type: 'end' }]);
    expect(ended).toMatchObject({ status: 'exited', exitCode: null });
    expect(consoleStatusText(ended, 'console')).toBe('Detached: the container stopped');
  });

  it('fails with the engine’s error, and ignores frames after a close', () => {
    const failed = run([{ type: 'connect' }, { type: 'error', error: { code: 'ErrCtrStateInvalid', category: 'failed-precondition', message: 'container is not running' } }]);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'ErrCtrStateInvalid' } });
    expect(consoleStatusText(failed, 'console')).toBe('container is not running');
    const closed = run([{ type: 'connect' }, session(), { type: 'close' }]);
    expect(closed.status).toBe('closed');
    expect(run([session(), { type: 'error', error: { code: 'ErrCanceled', category: 'canceled', message: 'x' } }], closed)).toBe(closed);
  });

  it('counts attempts: a reconnect says so', () => {
    const again = run([{ type: 'connect' }, session(), { type: 'end' }, { type: 'connect' }]);
    expect(again.attempt).toBe(2);
    expect(consoleStatusText(again, 'console')).toBe('Reconnecting…');
  });

  it('reconnects by itself only after an exit while the container runs, a few times at most, never after a failure', () => {
    const exited = run([{ type: 'connect' }, session(), { type: 'frame', frame: { type: 'exit', exitCode: 0 } }]);
    expect(shouldReconnect(exited, true, 0)).toBe(true);
    expect(shouldReconnect(exited, false, 0)).toBe(false);
    expect(shouldReconnect(exited, true, 5)).toBe(false);
    const failed = run([{ type: 'connect' }, { type: 'error', error: { code: 'ErrCtrStateInvalid', category: 'failed-precondition', message: 'x' } }]);
    expect(shouldReconnect(failed, true, 0)).toBe(false);
    expect(shouldReconnect(run([{ type: 'connect' }, session()]), true, 0)).toBe(false);
    expect(shouldReconnect(initialConsole, true, 0)).toBe(false);
  });
});

describe('console input and sizes', () => {
  it('splits big pastes within the contract’s limit, in order, never inside a surrogate pair', () => {
    expect(chunkInput('')).toEqual([]);
    expect(chunkInput('ls\r')).toEqual(['ls\r']);
    const big = 'x'.repeat(10) + '😀' + 'y'.repeat(10);
    const pieces = chunkInput(big, 11);
    expect(pieces.join('')).toBe(big);
    expect(pieces.every((p) => p.length <= 11)).toBe(true);
    expect(pieces[0]).toBe('x'.repeat(10));
    const paste = 'a'.repeat(200_000);
    const chunks = chunkInput(paste);
    expect(chunks).toHaveLength(4);
    expect(chunks.join('')).toBe(paste);
  });

  it('clamps measured sizes to 1…1000', () => {
    expect(clampSize(24.7, 80.2)).toEqual({ rows: 24, cols: 80 });
    expect(clampSize(0, 5000)).toEqual({ rows: 1, cols: 1000 });
    expect(clampSize(Number.NaN, -3)).toEqual({ rows: 1, cols: 1 });
  });
});
