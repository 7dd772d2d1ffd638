import { describe, expect, it } from 'vitest';
import { parseGlobal } from '../../../main/cli/parse-global.ts';
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
