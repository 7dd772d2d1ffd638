import { describe, expect, it } from 'vitest';
import { describeError } from '../../../renderer/src/presenters/error-presenters.ts';
import { PodbayError } from '../../../shared/errors.ts';

describe('describeError', () => {
  it('titles an engine error by its category and keeps its code', () => {
    expect(describeError(new PodbayError('ErrNoSuchCtr', 'no container with name or ID "web" found'))).toEqual({
      title: 'Not found',
      message: 'No container with name or ID "web" found.',
      code: 'ErrNoSuchCtr',
      retryable: false,
    });
  });

  it('reads error data that crossed the wire as a plain object', () => {
    expect(describeError({ code: 'ErrOCIRuntimeUnavailable', category: 'unavailable', message: 'crun cannot run here' })).toMatchObject({
      title: 'A component is unavailable',
      code: 'ErrOCIRuntimeUnavailable',
      retryable: true,
    });
  });

  it('calls a dropped connection what it is', () => {
    expect(describeError(new PodbayError('ErrCanceled', 'connection closed: the connection to the engine dropped')).title).toBe('Connection lost');
  });

  it('handles errors that did not come from the engine', () => {
    expect(describeError(new TypeError('x is undefined'))).toMatchObject({ title: 'Something went wrong', message: 'X is undefined.', code: null });
    expect(describeError(undefined).message).toBe('An unexpected error happened.');
  });

  it('does not trust a look-alike object with an unknown code', () => {
    expect(describeError({ code: 'ErrMadeUp', category: 'internal', message: 'm' }).code).toBeNull();
  });
});
