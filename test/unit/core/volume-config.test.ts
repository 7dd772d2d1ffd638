import { describe, expect, it } from 'vitest';
import { initialVolumeState, needsMount, validateLocalOptions, validateVolumeName } from '../../../main/core/volume-config.ts';
import { thrownCode } from '../../helpers/error-codes.ts';

describe('volume configuration', () => {
  it('takes podman’s volume names and nothing that could leave the volumes directory', () => {
    expect(() => validateVolumeName('data_1.x-y')).not.toThrow();
    for (const bad of ['', '..', '.x', 'a/b', '-a', 'a b', 'x'.repeat(254)]) expect(thrownCode(() => validateVolumeName(bad))).toBe('ErrInvalidArg');
  });

  it('checks the local driver’s options as libpod does, lower-casing keys', () => {
    expect(validateLocalOptions({ TYPE: 'tmpfs', o: 'size=1m' })).toEqual({ type: 'tmpfs', o: 'size=1m' });
    expect(validateLocalOptions({ uid: '1000', gid: '1000', copy: '' })).toEqual({ uid: '1000', gid: '1000' });
    expect(thrownCode(() => validateLocalOptions({ colour: 'blue' }))).toBe('ErrInvalidArg');
    expect(thrownCode(() => validateLocalOptions({ size: '1g' }))).toBe('ErrNotImplemented');
    expect(thrownCode(() => validateLocalOptions({ type: 'bind', device: '/no/such/dir' }))).toBe('ErrInvalidArg');
    expect(thrownCode(() => validateLocalOptions({ type: 'ext4' }))).toBe('ErrInvalidArg');
    expect(thrownCode(() => validateLocalOptions({ device: '--bind' }))).toBe('ErrInvalidArg');
    expect(thrownCode(() => validateLocalOptions({ uid: 'root' }))).toBe('ErrInvalidArg');
  });

  it('knows which volumes are mounts and what a new one still needs', () => {
    expect(needsMount({ options: { type: 'tmpfs' } })).toBe(true);
    expect(needsMount({ options: { uid: '1' } })).toBe(false);
    expect(initialVolumeState({ options: {} })).toEqual({ needsCopyUp: true, needsChown: true, mountCount: 0 });
    expect(initialVolumeState({ options: { nocopy: '', uid: '5' } })).toEqual({ needsCopyUp: false, needsChown: false, mountCount: 0 });
  });
});
