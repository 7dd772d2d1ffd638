import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants, mkdirSync, mkdtempSync, openSync, closeSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DetachMatcher, attachContainer, chunkStdin, decodeAttachMessage, maxStdinMessage, parseDetachKeys, resizeTerminal,
} from '../../../../main/core/oci/attach.ts';
import type { AttachFrame, SeqpacketClient } from '../../../../main/core/oci/attach.ts';

describe('decodeAttachMessage', () => {
  it('reads the stream id byte: 2 stdout, 3 stderr, anything else ignored', () => {
    expect(decodeAttachMessage(Buffer.from([2, 0x68, 0x69]))).toEqual({ stream: 'stdout', data: Buffer.from('hi') });
    expect(decodeAttachMessage(Buffer.from([3, 0x21]))).toEqual({ stream: 'stderr', data: Buffer.from('!') });
    expect(decodeAttachMessage(Buffer.from([1, 0x21]))).toBeNull();
    expect(decodeAttachMessage(Buffer.alloc(0))).toBeNull();
  });
});

describe('chunkStdin', () => {
  it('splits stdin into messages of at most 32 KiB, which conmon reads whole', () => {
    const chunks = chunkStdin(Buffer.alloc(maxStdinMessage * 2 + 5));
    expect(chunks.map((c) => c.length)).toEqual([maxStdinMessage, maxStdinMessage, 5]);
    expect(chunkStdin(Buffer.alloc(0))).toEqual([]);
  });
});

describe('parseDetachKeys', () => {
  it('maps ctrl-<x> to control codes and single characters to themselves', () => {
    expect([...parseDetachKeys('ctrl-p,ctrl-q')]).toEqual([0x10, 0x11]);
    expect([...parseDetachKeys('ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_,x')]).toEqual([0, 27, 28, 29, 30, 31, 0x78]);
    expect(parseDetachKeys('')).toHaveLength(0);
  });

  it('rejects keys it cannot map', () => {
    expect(() => parseDetachKeys('ctrl-1')).toThrowError(expect.objectContaining({ code: 'ErrInvalidArg' }));
    expect(() => parseDetachKeys('alt-x')).toThrowError(expect.objectContaining({ code: 'ErrInvalidArg' }));
  });
});

describe('DetachMatcher', () => {
  const keys = Buffer.from([0x10, 0x11]);

  it('detaches on the sequence, split across writes or not, and forwards what came before', () => {
    const m = new DetachMatcher(keys);
    expect(m.feed(Buffer.from('ab\x10'))).toEqual({ forward: Buffer.from('ab'), detach: false });
    expect(m.feed(Buffer.from([0x11]))).toEqual({ forward: Buffer.alloc(0), detach: true });
    expect(new DetachMatcher(keys).feed(Buffer.from('x\x10\x11y'))).toEqual({ forward: Buffer.from('x'), detach: true });
  });

  it('forwards a held byte when the sequence breaks, including a repeated first key', () => {
    const m = new DetachMatcher(keys);
    expect(m.feed(Buffer.from('\x10z'))).toEqual({ forward: Buffer.from('\x10z'), detach: false });
    expect(m.feed(Buffer.from('\x10\x10\x11'))).toEqual({ forward: Buffer.from('\x10'), detach: true });
  });

  it('never detaches with no keys', () => {
    expect(new DetachMatcher(Buffer.alloc(0)).feed(Buffer.from('\x10\x11'))).toEqual({ forward: Buffer.from('\x10\x11'), detach: false });
  });
});

class FakeSocket extends EventEmitter implements SeqpacketClient {
  written: Buffer[] = [];
  connectedTo: string | null = null;
  ended = false;
  destroyed = false;
  connect(path: string, callback?: () => void) {
    this.connectedTo = path;
    setImmediate(() => callback?.());
  }
  write(data: Buffer) {
    this.written.push(Buffer.from(data));
  }
  end() {
    this.ended = true;
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
}

describe('attachContainer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-attach-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('connects through /proc/self/fd, decodes frames, chunks stdin and ends when conmon closes', async () => {
    const socket = new FakeSocket();
    const frames: AttachFrame[] = [];
    const session = await attachContainer({ bundleDir: dir, onFrame: (f) => frames.push(f), socketFactory: () => socket });
    expect(socket.connectedTo).toMatch(/^\/proc\/self\/fd\/\d+\/attach$/);
    socket.emit('data', Buffer.from([2, 0x6f, 0x6b]));
    socket.emit('data', Buffer.from([3, 0x21]));
    session.write(Buffer.alloc(maxStdinMessage + 1, 'a'));
    expect(socket.written.map((b) => b.length)).toEqual([maxStdinMessage, 1]);
    session.closeStdin();
    expect(socket.ended).toBe(true);
    socket.emit('end');
    expect(await session.done).toBe('exited');
    expect(frames).toEqual([{ stream: 'stdout', data: Buffer.from('ok') }, { stream: 'stderr', data: Buffer.from('!') }]);
  });

  it('reports "detached" on the detach keys without sending them', async () => {
    const socket = new FakeSocket();
    const session = await attachContainer({ bundleDir: dir, onFrame: () => undefined, socketFactory: () => socket, detachKeys: 'ctrl-a,d' });
    session.write(Buffer.from('ls\x01d'));
    expect(await session.done).toBe('detached');
    expect(Buffer.concat(socket.written).toString()).toBe('ls');
    expect(socket.destroyed).toBe(true);
  });

  it('is ErrCtrStateInvalid when the bundle is gone', async () => {
    await expect(attachContainer({ bundleDir: join(dir, 'gone'), onFrame: () => undefined, socketFactory: () => new FakeSocket() })).rejects.toMatchObject({ code: 'ErrCtrStateInvalid' });
  });
});

describe('resizeTerminal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-ctl-'));
    mkdirSync(dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes "1 rows cols\\n" to the ctl FIFO', async () => {
    execFileSync('mkfifo', [join(dir, 'ctl')]);
    // conmon keeps the FIFO open for reading; a non-blocking reader stands in for it.
    const reader = openSync(join(dir, 'ctl'), constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      await resizeTerminal(dir, 24, 80);
      const buffer = Buffer.alloc(64);
      const n = readSync(reader, buffer);
      expect(buffer.subarray(0, n).toString()).toBe('1 24 80\n');
    } finally {
      closeSync(reader);
    }
  });

  it('retries while nobody reads the FIFO, then gives up', async () => {
    execFileSync('mkfifo', [join(dir, 'ctl')]);
    await expect(resizeTerminal(dir, 24, 80, undefined, 50)).rejects.toMatchObject({ code: 'ErrOCIRuntime' });
  });

  it('rejects a missing FIFO and a bad size', async () => {
    await expect(resizeTerminal(dir, 24, 80)).rejects.toMatchObject({ code: 'ErrCtrStateInvalid' });
    await expect(resizeTerminal(dir, 0, 80)).rejects.toMatchObject({ code: 'ErrInvalidArg' });
  });
});
