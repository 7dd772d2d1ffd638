import { describe, expect, it } from 'vitest';
import { PodbayError, errorCategories, errorCodes, isNoSpace, toErrorData, wrap } from '../../../shared/errors.ts';

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

describe('errors', () => {
  it('gives every code a known category', () => {
    for (const [code, category] of Object.entries(errorCodes)) expect(errorCategories, code).toContain(category);
  });

  it('recognises a full disk anywhere in the cause chain: ENOSPC, EDQUOT, SQLITE_FULL', () => {
    expect(isNoSpace(enospc())).toBe(true);
    expect(isNoSpace(Object.assign(new Error('quota'), { code: 'EDQUOT' }))).toBe(true);
    expect(isNoSpace(new PodbayError('ErrInternal', 'writing store', { cause: Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }) }))).toBe(true);
    expect(isNoSpace(Object.assign(new Error('gone'), { code: 'ENOENT' }))).toBe(false);
    expect(isNoSpace('ENOSPC')).toBe(false);
  });

  it('wraps a full disk as ErrNoSpace, and keeps every other code', () => {
    const wrapped = wrap(enospc(), 'storing blob sha256:ab');
    expect(wrapped).toMatchObject({ code: 'ErrNoSpace', category: 'resource-exhausted' });
    expect(wrapped.message).toBe('storing blob sha256:ab: ENOSPC: no space left on device, write');
    expect(wrap(wrap(enospc(), 'inner'), 'outer').code).toBe('ErrNoSpace');
    expect(wrap(new PodbayError('ErrInvalidArg', 'bad', { cause: enospc() }), 'doing').code).toBe('ErrInvalidArg');
    expect(wrap(new Error('boom'), 'doing').code).toBe('ErrInternal');
  });

  it('sends a full disk over the wire as ErrNoSpace, typed or not', () => {
    expect(toErrorData(enospc())).toEqual({ code: 'ErrNoSpace', category: 'resource-exhausted', message: 'ENOSPC: no space left on device, write' });
    expect(toErrorData(new PodbayError('ErrInternal', 'x', { cause: enospc() }))).toMatchObject({ code: 'ErrNoSpace' });
    expect(toErrorData(new Error('boom'))).toEqual({ code: 'ErrInternal', category: 'internal', message: 'boom' });
  });
});
