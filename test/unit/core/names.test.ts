import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { generateId, generateName, validateName } from '../../../main/core/names.ts';

describe('validateName', () => {
  it.each(['a', 'web-1', 'My_App.2', '0abc'])('accepts %s', (name) => {
    expect(() => validateName(name, 'container')).not.toThrow();
  });
  it.each(['', '-a', '_a', '.a', 'a b', 'a/b', 'ünï', 'x'.repeat(254)])('rejects %j with ErrInvalidArg', (name) => {
    let error: unknown;
    try {
      validateName(name, 'pod');
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
  });
});

describe('generateId', () => {
  it('gives 64 hex digits and redraws when the short id is all digits', () => {
    const draws = [Buffer.from('1'.repeat(64), 'hex'), Buffer.from('ab'.repeat(32), 'hex')];
    expect(generateId(() => draws.shift() as Buffer)).toBe('ab'.repeat(32));
    expect(generateId()).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('generateName', () => {
  it('returns adjective_noun, skipping names in use, and ends even when every base name is taken', () => {
    expect(generateName(() => false)).toMatch(/^[a-z]+_[a-z]+$/);
    const taken = new Set<string>();
    const name = generateName((n) => /^[a-z]+_[a-z]+$/.test(n) || taken.has(n));
    expect(name).toMatch(/^[a-z]+_[a-z]+\d+$/);
  });
});
