import { describe, expect, it } from 'vitest';
import { defaultBackoff, reconnectDelay } from '../../../renderer/src/bridge/backoff.ts';

describe('reconnectDelay', () => {
  const exact = { ...defaultBackoff, jitter: 0 };

  it('doubles from the base delay until the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => reconnectDelay(n, exact))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('never exceeds the cap, even after thousands of attempts', () => {
    expect(reconnectDelay(10_000, exact)).toBe(5000);
  });

  it('shortens by at most the jitter fraction', () => {
    expect(reconnectDelay(3, defaultBackoff, () => 0)).toBe(2000);
    expect(reconnectDelay(3, defaultBackoff, () => 1)).toBe(1000);
    expect(reconnectDelay(3, defaultBackoff, () => 0.5)).toBe(1500);
  });

  it('treats negative, fractional and broken inputs safely', () => {
    expect(reconnectDelay(-3, exact)).toBe(250);
    expect(reconnectDelay(1.9, exact)).toBe(500);
    expect(reconnectDelay(2, defaultBackoff, () => Number.NaN)).toBe(1000);
  });
});
