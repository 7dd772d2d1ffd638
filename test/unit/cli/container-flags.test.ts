import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { createOptionsFromFlags, parseMemory } from '../../../main/cli/commands/container-flags.ts';
import type { CommandRun } from '../../../main/cli/command.ts';
import { parseLogTime } from '../../../main/cli/commands/logs.ts';

describe('parseMemory', () => {
  it('reads podman memory limits in bytes', () => {
    expect(parseMemory('512m')).toBe(512 * 1024 * 1024);
    expect(parseMemory('1g')).toBe(1024 ** 3);
    expect(parseMemory('1.5GB')).toBe(1.5 * 1024 ** 3);
    expect(parseMemory('100000')).toBe(100000);
  });

  it('refuses what is not a size', () => {
    expect(() => parseMemory('lots')).toThrow(expect.objectContaining({ code: 'ErrInvalidArg' }));
    let error: unknown;
    try {
      parseMemory('-1m');
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
  });
});

describe('parseLogTime', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it('reads RFC 3339, Unix seconds and Go durations before now', () => {
    expect(parseLogTime('2026-01-01T11:00:00Z', now)).toBe(Date.parse('2026-01-01T11:00:00Z'));
    expect(parseLogTime('1700000000', now)).toBe(1_700_000_000_000);
    expect(parseLogTime('10m', now)).toBe(now - 600_000);
    expect(parseLogTime('1h30m', now)).toBe(now - 5_400_000);
  });

  it('refuses anything else', () => {
    expect(() => parseLogTime('yesterday', now)).toThrow(expect.objectContaining({ code: 'ErrInvalidArg' }));
  });
});

describe('createOptionsFromFlags', () => {
  const run = (flags: CommandRun['flags'], args: string[]): CommandRun =>
    ({ flags, args, global: { logLevel: 'warn' }, context: () => Promise.reject(new Error('no store')), io: { stdout: () => undefined, stderr: () => undefined, isTTY: false }, signal: new AbortController().signal }) as CommandRun;

  it('passes each --network and -p on as given, and --pod as the container\'s pod', () => {
    const input = createOptionsFromFlags(run({ network: ['back:ip=10.89.1.5,alias=db', 'bridge'], publish: ['8080:80', '127.0.0.1::53/udp'], pod: 'shop' }, ['busybox', 'true']));
    expect(input).toMatchObject({ image: 'busybox', command: ['true'], network: ['back:ip=10.89.1.5,alias=db', 'bridge'], publish: ['8080:80', '127.0.0.1::53/udp'], pod: 'shop' });
  });

  it('leaves the network to the engine (the default bridge) when no --network is given', () => {
    const input = createOptionsFromFlags(run({}, ['busybox']));
    expect(input.network).toBeUndefined();
    expect(input.publish).toBeUndefined();
  });
});
