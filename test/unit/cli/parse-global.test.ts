import { describe, expect, it } from 'vitest';
import { parseGlobal } from '../../../main/cli/parse-global.ts';
import { firstPositionalIndex } from '../../../main/cli/run-cli.ts';
import { hasCode } from '../../../shared/errors.ts';

describe('parseGlobal', () => {
  it('takes the global flags before the command, in both spellings', () => {
    const parsed = parseGlobal(['--root', '/tmp/r', '--runroot=/tmp/rr', '--runtime', 'runc', '--log-level=debug', 'ps', '-a']);
    expect(parsed).toMatchObject({ root: '/tmp/r', runRoot: '/tmp/rr', runtime: 'runc', logLevel: 'debug', rest: ['ps', '-a'] });
  });

  it('leaves flags after the command to the command', () => {
    expect(parseGlobal(['info', '--root', 'x']).rest).toEqual(['info', '--root', 'x']);
  });

  it.each([[['--bogus']], [['--root']], [['--log-level', 'loud']], [['--root=']]])('refuses %j with ErrInvalidArg', (argv) => {
    expect(() => parseGlobal(argv)).toThrow();
    try {
      parseGlobal(argv);
    } catch (error) {
      expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    }
  });
});

describe('firstPositionalIndex (flags stop at the command, as podman create does)', () => {
  const flags = {
    rootfs: { type: 'string' as const, description: '' },
    name: { type: 'string' as const, short: 'n', description: '' },
    tty: { type: 'boolean' as const, short: 't', description: '' },
  };

  it('skips the values of string flags and stops at the first positional', () => {
    expect(firstPositionalIndex(['--rootfs', '/r', '-t', 'sh', '-c', 'echo -n hi'], flags)).toBe(3);
    expect(firstPositionalIndex(['--name=web', '-n', 'x', 'sh'], flags)).toBe(3);
  });

  it('stops at --', () => {
    expect(firstPositionalIndex(['--rootfs', '/r', '--', '-weird-binary'], flags)).toBe(2);
  });
});
