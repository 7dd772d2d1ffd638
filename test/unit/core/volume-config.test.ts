import { describe, expect, it } from 'vitest';
import { initialVolumeState, needsMount, validateLocalOptions, validateVolumeName } from '../../../main/core/volume-config.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('volume configuration', () => {
  it('takes podman’s volume names and nothing that could leave the volumes directory', () => {
    expect(() => validateVolumeName('data_1.x-y')).not.toThrow();
    for (const bad of ['', '..', '.x', 'a/b', '-a', 'a b', 'x'.repeat(254)]) expect(codeOf(() => validateVolumeName(bad))).toBe('ErrInvalidArg');
  });

  it('checks the local driver’s options as libpod does, lower-casing keys', () => {
    expect(validateLocalOptions({ TYPE: 'tmpfs', o: 'size=1m' })).toEqual({ type: 'tmpfs', o: 'size=1m' });
    expect(validateLocalOptions({ uid: '1000', gid: '1000', copy: '' })).toEqual({ uid: '1000', gid: '1000' });
    expect(codeOf(() => validateLocalOptions({ colour: 'blue' }))).toBe('ErrInvalidArg');
    expect(codeOf(() => validateLocalOptions({ size: '1g' }))).toBe('ErrNotImplemented');
    expect(codeOf(() => validateLocalOptions({ type: 'bind', device: '/no/such/dir' }))).toBe('ErrInvalidArg');
    expect(codeOf(() => validateLocalOptions({ type: 'ext4' }))).toBe('ErrInvalidArg');
    expect(codeOf(() => validateLocalOptions({ device: '--bind' }))).toBe('ErrInvalidArg');
    expect(codeOf(() => validateLocalOptions({ uid: 'root' }))).toBe('ErrInvalidArg');
  });

  it('knows which volumes are mounts and what a new one still needs', () => {
    expect(needsMount({ options: { type: 'tmpfs' } })).toBe(true);
    expect(needsMount({ options: { uid: '1' } })).toBe(false);
    expect(initialVolumeState({ options: {} })).toEqual({ needsCopyUp: true, needsChown: true, mountCount: 0 });
    expect(initialVolumeState({ options: { nocopy: '', uid: '5' } })).toEqual({ needsCopyUp: false, needsChown: false, mountCount: 0 });
  });
});
