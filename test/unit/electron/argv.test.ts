import { describe, expect, it } from 'vitest';
import { globalOptionsFromArgv } from '../../../main/electron/argv.ts';

describe('globalOptionsFromArgv', () => {
  it('reads --root, --runroot and --runtime in both spellings', () => {
    expect(globalOptionsFromArgv(['/usr/lib/podbay/podbay', '.', '--root', '/tmp/r', '--runroot=/tmp/rr', '--runtime=runc'])).toEqual({
      root: '/tmp/r',
      runRoot: '/tmp/rr',
      runtime: 'runc',
    });
  });

  it('ignores Chromium switches and unknown flags', () => {
    expect(globalOptionsFromArgv(['electron', '--no-sandbox', '--enable-features=X', '--rooted', 'x'])).toEqual({});
  });

  it('does not take the next flag as a value', () => {
    expect(globalOptionsFromArgv(['electron', '--root', '--runtime', 'crun'])).toEqual({ runtime: 'crun' });
  });

  it('ignores a flag with no value at the end or an empty value', () => {
    expect(globalOptionsFromArgv(['electron', '--runroot=', '--root'])).toEqual({});
  });
});
