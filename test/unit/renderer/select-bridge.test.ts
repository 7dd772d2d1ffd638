import { describe, expect, it } from 'vitest';
import type { PodbayBridge } from '../../../shared/bridge.ts';
import { PodbayError, hasCode } from '../../../shared/errors.ts';
import { withTypedErrors } from '../../../renderer/src/bridge/select-bridge.ts';

const rejecting = (reason: unknown): PodbayBridge => ({
  call: () => Promise.reject(reason),
  stream: () => 'id',
  cancel: () => undefined,
});

describe('withTypedErrors (the Electron bridge)', () => {
  it('turns the plain error data the preload rejects with back into a PodbayError', async () => {
    const bridge = withTypedErrors(rejecting({ code: 'ErrNoSuchCtr', category: 'not-found', message: 'no container with name or ID "web" found' }));
    const error = await bridge.call('containers.inspect', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PodbayError);
    expect(hasCode(error, 'ErrNoSuchCtr')).toBe(true);
    expect((error as PodbayError).category).toBe('not-found');
  });

  it('leaves other rejections as they are', async () => {
    const plain = new Error('boom');
    expect(await withTypedErrors(rejecting(plain)).call('x', {}).catch((e: unknown) => e)).toBe(plain);
    const unknownCode = { code: 'ErrMadeUp', message: 'x' };
    expect(await withTypedErrors(rejecting(unknownCode)).call('x', {}).catch((e: unknown) => e)).toBe(unknownCode);
  });
});
