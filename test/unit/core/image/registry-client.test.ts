import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { abortableSleep, parseRetryAfter, RegistryClient } from '../../../../main/core/image/registry-client.ts';

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, caps hostile values, ignores garbage', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 5_000)).toBe(5000);
    expect(parseRetryAfter('999999')).toBe(60_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('RegistryClient', () => {
  it('refuses a registry host that could smuggle a path or credentials into URLs', () => {
    for (const registry of ['evil.com/path', 'user@host', 'host?x=1']) {
      let caught: unknown;
      try {
        new RegistryClient({ registry, auth: null });
      } catch (error) {
        caught = error;
      }
      expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
    }
  });

  it('cancels a backoff wait at once', async () => {
    const controller = new AbortController();
    const wait = abortableSleep(60_000, controller.signal);
    controller.abort();
    let caught: unknown;
    try {
      await wait;
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrCanceled')).toBe(true);
  });
});
